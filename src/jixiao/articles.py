"""The articles of the official texts that rules and scoring steps rest on.

Each entry is the citation as a rationale names it (``财预〔2020〕10号 第十六条``) and the
words of the article it rests on. The texts themselves are quoted in docs/official-texts.md;
a test checks that every quote below appears there verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Article:
    """One article (or numbered item) of an official text."""

    cite: str  # how a rationale names it
    quote: str  # the words relied on, verbatim from docs/official-texts.md

    def __str__(self) -> str:
        return self.cite


MOF10 = "财预〔2020〕10号"
MOF101 = "财预〔2021〕101号"

# 财预〔2020〕10号《项目支出绩效评价管理办法》
WEIGHTS_2020 = Article(
    f"{MOF10} 第十三条",
    "原则上预算执行率和一级指标权重统一设置为：预算执行率10%、产出指标50%、效益指标30%、"
    "服务对象满意度指标10%。如有特殊情况，一级指标权重可做适当调整。",
)
SCORING_2020 = Article(
    f"{MOF10} 第十六条",
    "与年初指标值相比，完成指标值的，记该指标所赋全部分值；对完成值高于指标值较多的，要分析原因，"
    "如果是由于年初指标值设定明显偏低造成的，要按照偏离度适度调减分值；未完成指标值的，"
    "按照完成值与指标值的比例记分。",
)
QUALITATIVE_2020 = Article(
    f"{MOF10} 第十六条",
    "根据指标完成情况分为达成年度指标、部分达成年度指标并具有一定效果、未达成年度指标且效果较差三档，"
    "分别按照该指标对应分值区间100%-80%（含）、80%-60%（含）、60%-0%合理确定分值。",
)
GRADES_2020 = Article(
    f"{MOF10} 第十八条",
    "总分一般设置为100分，等级一般划分为四档：90（含）-100分为优、80（含）-90分为良、"
    "60（含）-80分为中、60分以下为差。",
)
SAMPLING_2020 = Article(f"{MOF10} 第十九条", "会同有关部门对单位自评和部门评价结果进行抽查复核")
FORM_2020 = Article(
    f"{MOF10} 第二十五条",
    "单位自评结果主要通过项目支出绩效自评表的形式反映，做到内容完整、权重合理、数据真实、结果客观。",
)
REPORT_2020 = Article(
    f"{MOF10} 第二十六条",
    "对预算执行率偏低、自评结果较差的项目，要单独说明原因，提出整改措施。",
)
TEMPLATE_2020 = Article(
    f"{MOF10} 附1 项目支出绩效自评表",
    "项目名称、主管部门、实施单位；年初预算数、全年预算数、全年执行数、分值、执行率、得分；"
    "预期目标、实际完成情况；一级指标、二级指标、三级指标、年度指标值、实际完成值、分值、得分、"
    "偏差原因分析及改进措施；总分 100",
)
OUTLINE_2020 = Article(
    f"{MOF10} 附件2 部门项目支出绩效自评总结报告（参考提纲）",
    "一、项目支出基本情况 二、绩效自评工作开展情况 三、绩效自评结果及分析 "
    "四、自评发现的问题及整改措施 五、绩效自评工作建议及预算安排建议 六、其他需要说明的问题",
)

# 财预〔2021〕101号《中央部门项目支出核心绩效目标和指标设置及取值指引（试行）》
MEASURABLE_2021 = Article(
    f"{MOF101} 一（二）3",
    "绩效指标应细化、量化，具有明确的评价标准",
)
STRUCTURE_2021 = Article(
    f"{MOF101} 二",
    "绩效指标包括成本指标、产出指标、效益指标和满意度指标四类一级指标。原则上每一项目均应设置产出指标"
    "和效益指标。",
)
TIMELINESS_2021 = Article(
    f"{MOF101} 二（二）3",
    "设置时效指标，需确定整体完成时间。",
)
SATISFACTION_2021 = Article(
    f"{MOF101} 二（四）",
    "对申报满意度指标的项目，在项目执行过程中应开展满意度调查或者其他收集满意度反馈的工作。",
)
WEIGHTS_2021 = Article(
    f"{MOF101} 三（六）",
    "对于设置成本指标的项目，成本指标20%、产出指标40%、效益指标20%、满意度指标10%（其余10%的分值权重"
    "为预算执行率指标，编制预算时暂不设置，部门或单位开展自评时使用，下同）；"
    "对于未设置成本指标的项目，产出指标50%、效益指标30%、满意度指标10%；"
    "对于不需设置满意度指标的项目，其效益指标分值权重相应可调增10%。",
)
DIRECT_2021 = Article(
    f"{MOF101} 三（七）1",
    "直接赋分。主要适用于进行“是”或“否”判断的单一评判指标。符合要求的得满分，不符合要求的不得分",
)
EXECUTION_2021 = Article(
    f"{MOF101} 三（七）2",
    "项目完成，且执行数控制在年度预算规模之内的，得10分；项目尚未完成，预算执行率小于100%且"
    "大于等于80%的得7分；预算执行率小于80%且大于等于60%的得5分，预算执行率小于60%的不得分。",
)
PASS_MARK_2021 = Article(
    f"{MOF101} 三（七）2",
    "完成率小于60%为不及格，不得分；大于等于60%的，按超过的比重赋分，计算公式为："
    "得分=（实际完成率-60%）／（1-60%）×指标分值。",
)
GRADED_2021 = Article(
    f"{MOF101} 三（七）3",
    "分为基本达成目标、部分实现目标、实现目标程度较低三个档次，并分别按照该指标对应分值区间"
    "100%-80%（含）、80%-60%（含）、60%-0%合理确定分值。",
)
SATISFACTION_SCORE_2021 = Article(
    f"{MOF101} 三（七）4",
    "满意度大于等于90%的得10分，满意度小于90%且大于等于80%的得8分，满意度小于80%且大于等于60%"
    "的得5分，满意度小于60%不得分。",
)

ALL: tuple[Article, ...] = (
    WEIGHTS_2020,
    SCORING_2020,
    QUALITATIVE_2020,
    GRADES_2020,
    SAMPLING_2020,
    FORM_2020,
    REPORT_2020,
    TEMPLATE_2020,
    OUTLINE_2020,
    MEASURABLE_2021,
    STRUCTURE_2021,
    TIMELINESS_2021,
    SATISFACTION_2021,
    WEIGHTS_2021,
    DIRECT_2021,
    EXECUTION_2021,
    PASS_MARK_2021,
    GRADED_2021,
    SATISFACTION_SCORE_2021,
)
