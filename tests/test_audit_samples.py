# ruff: noqa: E501  (the findings are compared as the audit writes them, one message a line)
"""The audit on real forms of other provinces (tests/data/samples/README.md): each known
mistake is found, exactly once, and nothing else is reported.

The forms are the samples' hand-checked expected JSON (tests/data/samples/expected/), with
the import gap each truncated sample has (README: where the text is cut), audited under the
policy ``--policy auto`` chooses. Each finding is (rule, severity, place, message), in the
engine's order (most severe first, then catalogue order). What the old audit reported on
them and no longer does, because it was a false alarm of the Shanghai layout:

- 001: three S03 (one per column) and "执行率 0%" (X05) for a 年度资金总额 row left 0 beside
  the spent 财政拨款 row: now one S03, and the rate is read from the source rows;
- 008: "应为 83.50" (X02) and a W01 of 170 from the 100 written in the execution 分值;
- 013: S06 on the regional 二级 "服务对象满意度指标等"; S02 for a 年初预算数 the form has in
  no fund row;
- 019: F05 on the "*" of 元/人*月; S02 for the 年初预算数 the transfer-payment template lacks;
- 006: X01 errors for 执行率 written as the decimal 0.958;
- all: S07 "没有满意度指标", W01 and W02 on forms cut before their 满意度 rows (S10 says so);
  F06 once per row (now one finding per form, a 提示).
"""

from __future__ import annotations

import re

import pytest

from jixiao.audit import audit_form, audit_forms, rules
from jixiao.audit.examples import build
from jixiao.layouts import choose
from jixiao.model import load_forms
from jixiao.policy import load_policy

from .conftest import DATA

SAMPLES = DATA / "samples" / "expected"
# Where each truncated sample is cut (tests/data/samples/README.md): the import gap S10 names.
TRUNCATED = {
    "001": "满意度指标一行在“公众满”处中断，其后的内容与总分缺失",
    "006": "效益指标在“可”处中断，其后的指标、满意度指标与总分缺失",
    "008": "社会效益指标在“岗”处中断，其后的指标、满意度指标与总分缺失",
    "011": "满意度指标在“指标2”处中断，其后的内容与总分缺失",
    "019": "满意度指标一行在年度指标值“>=9”处中断，其后的内容与总分缺失",
    "021": "第一个质量指标一行中断，其后的内容与总分缺失",
}

EXPECTED = {
    "001": [
        (
            "S03",
            "error",
            "年度资金总额",
            "年度资金总额一行的金额填 0 或空着，各资金来源合计为年初预算数 90，全年预算数 89.974，全年执行数 89.974，按此计算执行率为 100.00%；其他规则按资金来源的合计核对",
        ),
        ("S05", "error", "第10行", "缺少三级指标、年度指标值、实际完成值、分值、得分"),
        (
            "S10",
            "warning",
            "导入缺漏",
            "导入缺漏：满意度指标一行在“公众满”处中断，其后的内容与总分缺失",
        ),
        (
            "P05",
            "warning",
            "各指标年度指标值",
            "9 个指标中 6 个为定性（66.67%，分值 56/80 = 70.00%）：“严格执行相关制度规定”、“在项目计划完成时间内完成”、“符合相关规定”、“效果明显”、“效果明显”、“效果明显”",
        ),
        (
            "P06",
            "warning",
            "各指标实际完成值",
            "全部 3 个定量指标的完成值都恰好等于指标值：第1行、第2行、第5行",
        ),
        (
            "F06",
            "info",
            "第1、2、5行 年度指标值",
            "3 行有同样的问题，例如第1行“基建工程委托业务项目数量”：年度指标值“≥50个”可读作 ≥50 个，但未按规范格式填写",
        ),
        (
            "X06",
            "info",
            "年度资金总额·全年预算数",
            "年初预算数 90，全年预算数 89.974（-0.026，-0.03%）",
        ),
    ],
    "003": [
        ("S02", "error", "年度资金总额·得分", "年度资金总额的得分为空"),
        (
            "S04",
            "error",
            "年度总体目标·实际完成情况",
            "年度总体目标的实际完成情况仍是模板的填写说明“对照年度目标,说明相关任务目标的完成情况(100字以内)”，没有填写内容",
        ),
        ("S05", "error", "第1行“发放(缴纳)覆盖率”", "缺少实际完成值、得分"),
        ("S05", "error", "第2行“足额保障率(参保率)”", "缺少实际完成值、得分"),
        (
            "S07",
            "info",
            "绩效指标表",
            "没有满意度指标（财预〔2021〕101号 二：满意度指标根据实际需要选用）",
        ),
        (
            "W02",
            "info",
            "各指标分值",
            "一级指标分值：产出指标 60（原则上 50），效益指标 30（原则上 40）（财预〔2020〕10号 第十三条；财预〔2021〕101号 三（六））",
        ),
        (
            "X06",
            "info",
            "年度资金总额·全年预算数",
            "年初预算数 238.93，全年预算数 251.89（+12.96，+5.42%）",
        ),
    ],
    "006": [
        ("X02", "error", "年度资金总额·得分", "执行率 95.86% × 分值 9 ÷ 100 = 8.63，表上填 8"),
        (
            "Q01",
            "error",
            "第4行“指标1:验收通过率” 得分",
            "正向指标：得分填 5，应为 5.70（正向指标未达成：分值 × B/A = 6 × 95/100 = 5.70（未标明计算符号，按正向指标计分））",
        ),
        (
            "D01",
            "error",
            "第4行“指标1:验收通过率” 偏差原因分析及改进措施",
            "得分 5 低于分值 6，未填写偏差原因分析及改进措施",
        ),
        (
            "D01",
            "error",
            "第7行“项目设计、招标、施工” 偏差原因分析及改进措施",
            "得分 5 低于分值 6，未填写偏差原因分析及改进措施",
        ),
        (
            "S10",
            "warning",
            "导入缺漏",
            "导入缺漏：效益指标在“可”处中断，其后的指标、满意度指标与总分缺失",
        ),
        (
            "W07",
            "warning",
            "年度资金总额·分值",
            "预算执行率的分值填 9，本表模板的分值为 10；执行率得分按表上的分值 9 核对",
        ),
        (
            "Q06",
            "warning",
            "第8行“项目成本控制在预算内” 实际完成值",
            "完成情况“100%”不是达成 / 部分达成 / 未达成三档之一",
        ),
        (
            "Q06",
            "warning",
            "第9行“文物本体安全、体现文物价值,提升知名度” 实际完成值",
            "完成情况“程度较高”不是达成 / 部分达成 / 未达成三档之一",
        ),
        (
            "P05",
            "warning",
            "各指标年度指标值",
            "9 个指标中 4 个为定性（44.44%，分值 34/65 = 52.31%）：“完成六安市六安市罗氏宗祠、李氏宗祠、英布墓日常维护,指挥部旧址报病虫害防治测绘、国保省保矢量数据测绘、龙盘石刻护栏制装”、“市级保护单位”、“本着节约的原则,控制在预算中。”、“加大文物保护,展示文物价值”",
        ),
        (
            "F06",
            "info",
            "第2、4、5、6行 年度指标值",
            "4 行有同样的问题，例如第2行“指标2:修缮建筑面积”：年度指标值“6000平方米”可读作 ≥6000 平方米，但未按规范格式填写",
        ),
        (
            "X01",
            "info",
            "年度资金总额·执行率",
            "年度资金总额执行率写成小数 0.958（即 95.8%），27.8 ÷ 29 × 100 = 95.86%",
        ),
        (
            "X01",
            "info",
            "当年财政拨款·执行率",
            "当年财政拨款执行率写成小数 0.958（即 95.8%），27.8 ÷ 29 × 100 = 95.86%",
        ),
    ],
    "008": [
        ("S01", "error", "主管部门", "主管部门为空"),
        ("S01", "error", "实施单位", "实施单位为空"),
        ("S05", "error", "第5行", "缺少三级指标、年度指标值、实际完成值、分值、得分"),
        (
            "W07",
            "error",
            "年度资金总额·分值",
            "预算执行率的分值填 100，本表模板的分值为 10（100 是总分的分值，像是把总分栏填进了执行率一行）；按分值 10，执行率 83.50% 应得 8.35，表上得分 98",
        ),
        (
            "Q01",
            "error",
            "第1行“预算执行率” 得分",
            "正向指标：得分填 18，应为 16.70（正向指标未达成：分值 × B/A = 20 × 83.5/100 = 16.70（未标明计算符号，按正向指标计分））",
        ),
        (
            "D01",
            "error",
            "第1行“预算执行率” 偏差原因分析及改进措施",
            "得分 18 低于分值 20，未填写偏差原因分析及改进措施",
        ),
        (
            "S10",
            "warning",
            "导入缺漏",
            "导入缺漏：社会效益指标在“岗”处中断，其后的指标、满意度指标与总分缺失",
        ),
        (
            "P03",
            "warning",
            "第6行“市民中心运行维护费” 实际完成值",
            "成本完成值 150万，且恰好等于指标值，全年执行数为 125.25万元",
        ),
        (
            "F06",
            "info",
            "第1、2、3、4、6、7行 年度指标值",
            "6 行有同样的问题，例如第1行“预算执行率”：年度指标值“100%”可读作 ≥100 %，但未按规范格式填写",
        ),
    ],
    "011": [
        ("S05", "error", "第8行", "缺少三级指标、年度指标值、实际完成值、分值、得分"),
        ("X02", "error", "年度资金总额·得分", "执行率 86.20% × 分值 10 ÷ 100 = 8.62，表上填 9"),
        (
            "Q01",
            "error",
            "第1行“指标1工程资金金额” 得分",
            "正向指标：得分填 9，应为 8.62（正向指标未达成：分值 × B/A = 10 × 37.24/43.2 = 8.62（未标明计算符号，按正向指标计分））",
        ),
        ("S10", "warning", "导入缺漏", "导入缺漏：满意度指标在“指标2”处中断，其后的内容与总分缺失"),
        (
            "F02",
            "warning",
            "第1、2、3、4、5、6、7、9、10行 年度指标值",
            "9 行有同样的问题，例如第1行“指标1工程资金金额”：定量指标“43.2”没有计量单位",
        ),
        (
            "X01",
            "info",
            "年度资金总额·执行率",
            "年度资金总额执行率填 86%，是 37.24 ÷ 43.2 × 100 = 86.20% 少写了小数（不影响核对）",
        ),
        ("D03", "info", "第1行“指标1工程资金金额” 偏差原因分析及改进措施", "偏差说明没有写原因"),
        (
            "D05",
            "info",
            "第6行“指标1安全率” 偏差原因分析及改进措施",
            "该行满分（10）且已达成目标，却写了偏差说明“0”",
        ),
        (
            "D05",
            "info",
            "第7行“指标1学校发展能力” 偏差原因分析及改进措施",
            "该行满分（10）且已达成目标，却写了偏差说明“0”",
        ),
        (
            "D05",
            "info",
            "第10行“指标1学生满意度” 偏差原因分析及改进措施",
            "该行满分（10）且已达成目标，却写了偏差说明“0”",
        ),
    ],
    "013": [
        ("S05", "error", "第7行", "缺少三级指标、年度指标值、实际完成值、分值、得分"),
        (
            "Q01",
            "error",
            "第3行“资金到位及时率” 得分",
            "正向指标：得分填 7，应为 10（正向指标，完成值 100 ≥ 目标 100，得满分）",
        ),
        (
            "D01",
            "error",
            "第3行“资金到位及时率” 偏差原因分析及改进措施",
            "得分 7 低于分值 10，未填写偏差原因分析及改进措施",
        ),
        (
            "D01",
            "error",
            "第6行“政策知晓率” 偏差原因分析及改进措施",
            "得分 9 低于分值 10，未填写偏差原因分析及改进措施",
        ),
        # two amounts printed for three columns: the one left blank (by the 100 % rate, 年初)
        ("S02", "warning", "年度资金总额·年初预算数", "年度资金总额的年初预算数为空（不参与计分）"),
        (
            "Q03",
            "warning",
            "第6行“政策知晓率” 得分",
            "等于指标“═100%”的完成值为“98%”，不相等，需复核；得分填 9，按规则应为 9.80",
        ),
        ("P06", "warning", "各指标实际完成值", "满意度指标全部为 100%：第9行、第10行"),
        ("P07", "warning", "年度总体目标·实际完成情况", "实际完成情况与预期目标的相似度为 100.00%"),
        (
            "W02",
            "info",
            "各指标分值",
            "一级指标分值：产出指标 40（原则上 50），满意度指标 20（原则上 10）（财预〔2020〕10号 第十三条；财预〔2021〕101号 三（六））",
        ),
    ],
    "019": [
        ("S01", "error", "实施单位", "实施单位为空"),
        (
            "Q01",
            "error",
            "第4行“★★★特困人员救助供养人数(按月平均)(≥**人)” 得分",
            "正向指标：得分填 5，应为 4.84（正向指标未达成：分值 × B/A = 5 × 4604/4754 = 4.84）",
        ),
        (
            "Q02",
            "error",
            "第8行“扶贫临时救助标准(<**元/户·年)——一户年最高5300元” 得分",
            "反向指标：得分填 10，应为 9.09（反向指标未达成：分值 × A/B = 9.09）",
        ),
        (
            "S10",
            "warning",
            "导入缺漏",
            "导入缺漏：满意度指标一行在年度指标值“>=9”处中断，其后的内容与总分缺失",
        ),
        (
            "Q07",
            "warning",
            "第3行“★★★建档立卡贫困人口中接受临时救助的人次数(≥**人次)” 得分",
            "完成值 87人次 为指标值 >=59人次 的 1.4746 倍，超过 1.2 倍，未说明原因；按偏离度调减（财预〔2020〕10号 第十六条），建议得分 3.39（填报 5）",
        ),
        (
            "Q07",
            "warning",
            "第7行“农村特困人员救助供养基本生活标准(≥**元/人·月)” 得分",
            "完成值 758元/人*月 为指标值 >=570元/人*月 的 1.3298 倍，超过 1.2 倍，未说明原因；按偏离度调减（财预〔2020〕10号 第十六条），建议得分 3.76（填报 5）",
        ),
        ("P02", "warning", "各指标得分", "全部 9 个指标满分，但第4行、第8行未达到目标"),
        (
            "P08",
            "warning",
            "第3行“★★★建档立卡贫困人口中接受临时救助的人次数(≥**人次)” 偏差原因分析及改进措施",
            "完成值 87人次 高于指标值 >=59人次 47.46%（超过 20.00%），未说明原因（财预〔2020〕10号 第十六条：要分析原因）",
        ),
        (
            "P08",
            "warning",
            "第7行“农村特困人员救助供养基本生活标准(≥**元/人·月)” 偏差原因分析及改进措施",
            "完成值 758元/人*月 高于指标值 >=570元/人*月 32.98%（超过 20.00%），未说明原因（财预〔2020〕10号 第十六条：要分析原因）",
        ),
        (
            "F06",
            "info",
            "第1、2、3、4、5、6、7、8、9行 年度指标值",
            "9 行有同样的问题，例如第1行“★★★农村低保发放人数(按月平均)(≥**人)”：年度指标值“>=21933人”可读作 ≥21933 人，但未按规范格式填写",
        ),
    ],
    "021": [
        ("S10", "warning", "导入缺漏", "导入缺漏：第一个质量指标一行中断，其后的内容与总分缺失"),
        # checked: the row prints 12.5 four times (分值, 年度指标值(A), 全年实际值(B), 得分:
        # "12.512.512.5…记分。12.5"), so its A is a number with no unit, as F02 says; the form
        # writes the row's points where its quantity belongs (not a misread of the import)
        (
            "F02",
            "warning",
            "第1行“是否完成绩效目标申报表中申报的数量” 年度指标值",
            "定量指标“12.5”没有计量单位",
        ),
        (
            "X05",
            "warning",
            "年度资金总额·执行率",
            "执行率 49.88% 低于 80%，全表没有任何偏差原因说明",
        ),
        ("P02", "warning", "各指标得分", "全部 1 个指标满分，但执行率 49.88% 低于 90%"),
        (
            "X01",
            "info",
            "年度资金总额·执行率",
            "年度资金总额执行率填 50%，是 154.74 ÷ 310.2 × 100 = 49.88% 少写了小数（不影响核对）",
        ),
    ],
}

# README's table of inconsistencies: each is found (rule, place).
KNOWN = {
    "001": [("S03", "年度资金总额")],  # zero total row against a funded sub-row
    "008": [  # 100 / 98 in the funds row; a deduction with no 偏差原因; 150万 / 150万 spent 125.25
        ("W07", "年度资金总额·分值"),
        ("P03", "第6行“市民中心运行维护费” 实际完成值"),
        ("Q01", "第1行“预算执行率” 得分"),
        ("D01", "第1行“预算执行率” 偏差原因分析及改进措施"),
    ],
    "013": [  # 7/10 on an indicator that was met; deductions with no 偏差原因
        ("Q01", "第3行“资金到位及时率” 得分"),
        ("D01", "第3行“资金到位及时率” 偏差原因分析及改进措施"),
        ("D01", "第6行“政策知晓率” 偏差原因分析及改进措施"),
    ],
    "019": [  # shortfalls scored full; reverse cap exceeded
        ("Q01", "第4行“★★★特困人员救助供养人数(按月平均)(≥**人)” 得分"),
        ("Q02", "第8行“扶贫临时救助标准(<**元/户·年)——一户年最高5300元” 得分"),
        ("P02", "各指标得分"),
    ],
    "003": [  # an unfilled form: template text posing as content, blank 完成值 and 得分
        ("S04", "年度总体目标·实际完成情况"),
        ("S05", "第1行“发放(缴纳)覆盖率”"),
    ],
    "011": [  # the funds row 86% scored 9 (8.62); 37.24 of 43.2 scored 9 (8.62)
        ("X02", "年度资金总额·得分"),
        ("Q01", "第1行“指标1工程资金金额” 得分"),
    ],
    "006": [  # deductions with no 偏差原因; the execution score
        ("D01", "第4行“指标1:验收通过率” 偏差原因分析及改进措施"),
        ("D01", "第7行“项目设计、招标、施工” 偏差原因分析及改进措施"),
        ("X02", "年度资金总额·得分"),
    ],
}


def sample(name):
    (form,) = load_forms(SAMPLES / f"{name}.json")
    if name in TRUNCATED:
        form.gaps = [TRUNCATED[name]]
    return form


@pytest.fixture(scope="module")
def audits():
    out = {}
    for name in EXPECTED:
        form = sample(name)
        (audit,) = audit_forms([form], choose(form).policy)
        out[name] = audit
    return out


@pytest.mark.parametrize("name", list(EXPECTED))
def test_exact_findings(audits, name):
    got = [(f.rule, f.severity, f.place, f.message) for f in audits[name].findings]
    assert got == EXPECTED[name]


@pytest.mark.parametrize("name", list(KNOWN))
def test_known_mistakes_found(audits, name):
    places = {(f.rule, f.place) for f in audits[name].findings}
    for known in KNOWN[name]:
        assert known in places


def test_zero_total_row_is_one_finding_and_the_rate_comes_from_the_sources(audits):
    a = audits["001"]
    funds = [f.rule for f in a.findings if f.rule[0] == "X" or f.rule in ("S02", "S03")]
    assert funds == ["S03", "X06"]  # X06: 年初 90 → 全年 89.974 of the source row
    assert not any("执行率 0%" in f.message for f in a.findings)
    assert a.scorecard.rate.computed == 100  # 89.974 ÷ 89.974 of the 财政拨款 row


def test_disallowed_execution_weight_derives_no_score(audits):
    a = audits["008"]
    (w07,) = [f for f in a.findings if f.rule == "W07"]
    assert (w07.declared, w07.expected) == (100, 10)
    assert not any(f.rule in ("X02", "W01", "W04") for f in a.findings)
    assert not any("83.50，" in f.message or "应为 83.5" in f.message for f in a.findings)


# a field path, "None", or a rate written as a decimal shown as a percentage ("0.958%")
_BAD = re.compile(r"None|indicators\[|\[\*\]|率\D{0,8}(?<![\d.])0\.(?!0+%)\d+%")


def _check_words(findings):
    for f in findings:
        for text in (f.place, f.message, f.fix, f.values_text):
            assert not _BAD.search(text), (f.rule, text)


def test_messages_speak_in_words(audits, oracle_forms, shanghai):
    for a in audits.values():
        _check_words(a.findings)
    for a in audit_forms(oracle_forms, shanghai):
        _check_words(a.findings)
    for rule in rules():
        for example in rule.examples:
            policy = load_policy(example.policy)
            _check_words(audit_form(build(example.patch), policy))
