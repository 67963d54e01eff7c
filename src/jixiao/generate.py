"""Realistic, seeded 财政项目支出绩效自评表 for tests and benchmarks.

Each form is drawn from a vocabulary of Shanghai districts, towns, departments and projects
(城管, 教育, 卫健, 民政, 农业, 文旅, 信息化, 应急). Declared values are computed with
:mod:`jixiao.scoring` under a policy, so a generated form is consistent the way a careful
unit's form is. On a configurable share of forms the unit *inflates*: unmet rows get full
marks and no 偏差原因, as real forms do. All numbers are ``Decimal`` with two places.

``generate_forms(n, seed)`` gives each form its own ``Random`` derived from ``(seed, index)``,
so the same seed gives the same forms and a longer run starts with the shorter one.
"""

from __future__ import annotations

import gc
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import groupby
from typing import NamedTuple, TypeVar

from jixiao.model import FUND_COLUMNS, FUND_ROWS, Indicator, SelfEvaluation
from jixiao.policy import Policy, load_policy, quantize
from jixiao.scoring import execution_rate, execution_score, is_satisfaction, score_indicator
from jixiao.values import Qualitative, parse_value

T = TypeVar("T")
COST, OUTPUT, BENEFIT, SATISFACTION = "成本指标", "产出指标", "效益指标", "满意度指标"

# --- vocabulary ---------------------------------------------------------------------------

PLACES: dict[str, tuple[str, ...]] = {
    "嘉定区": ("江桥镇", "南翔镇", "安亭镇", "马陆镇", "徐行镇", "华亭镇", "外冈镇"),
    "浦东新区": ("川沙新镇", "周浦镇", "惠南镇", "高桥镇", "张江镇", "祝桥镇"),
    "闵行区": ("七宝镇", "莘庄镇", "梅陇镇", "颛桥镇", "华漕镇", "马桥镇"),
    "宝山区": ("大场镇", "罗店镇", "月浦镇", "杨行镇", "顾村镇"),
    "松江区": ("泗泾镇", "九亭镇", "洞泾镇", "车墩镇", "新桥镇"),
    "青浦区": ("朱家角镇", "赵巷镇", "徐泾镇", "华新镇", "练塘镇"),
    "奉贤区": ("南桥镇", "奉城镇", "庄行镇", "金汇镇", "青村镇"),
    "金山区": ("朱泾镇", "枫泾镇", "张堰镇", "亭林镇", "吕巷镇"),
    "崇明区": ("城桥镇", "堡镇", "新河镇", "陈家镇", "庙镇"),
    "徐汇区": ("田林街道", "枫林街道", "长桥街道", "漕河泾街道"),
    "静安区": ("彭浦新村街道", "临汾路街道", "大宁路街道"),
}
DISTRICTS = tuple(PLACES)


class Metric(NamedTuple):
    """A 三级指标 template. kind: q (range quantity), p (percent), d (time), l (qualitative),
    b (the project's own budget as a cost ceiling), r (the execution rate as 成本控制率),
    y (a 是/否 judgement, drawn only under a policy that scores it directly)."""

    kind: str
    name: str
    op: str = ""
    unit: str = ""
    values: tuple[int, ...] = ()  # q: (lo, hi); p: candidate targets
    texts: tuple[str, ...] = ()  # d / l: candidate targets


def _q(spec: str, op: str = "≥") -> Metric:
    """``"name:unit:lo:hi"`` → a range quantity."""
    name, unit, lo, hi = spec.split(":")
    return Metric("q", name, op, unit, (int(lo), int(hi)))


@dataclass(frozen=True)
class Sector:
    """A field of government work: its units, projects and the words its forms use."""

    units: tuple[tuple[str, str], ...]  # (主管部门, 实施单位) with {d} district, {t} town
    projects: tuple[str, ...]
    topics: tuple[str, ...]
    quantities: tuple[Metric, ...]
    unit_costs: tuple[Metric, ...]
    beneficiaries: tuple[str, ...]
    purposes: tuple[str, ...]
    actions: tuple[str, ...]
    economic: tuple[Metric, ...] = ()
    ecological: tuple[Metric, ...] = ()


def _sector(
    units: str,
    projects: str,
    topics: str,
    quantities: str,
    unit_costs: str,
    beneficiaries: str,
    purposes: str,
    actions: str,
    economic: tuple[Metric, ...] = (),
    ecological: tuple[Metric, ...] = (),
) -> Sector:
    return Sector(
        units=tuple(tuple(u.split("|")) for u in units.split()),  # type: ignore[misc]
        projects=tuple(projects.split()),
        topics=tuple(topics.split()),
        quantities=tuple(_q(s) for s in quantities.split()),
        unit_costs=tuple(_q(s, "≤") for s in unit_costs.split()),
        beneficiaries=tuple(beneficiaries.split()),
        purposes=tuple(purposes.split()),
        actions=tuple(actions.split()),
        economic=economic,
        ecological=ecological,
    )


SECTORS: dict[str, Sector] = {
    "城管": _sector(
        "{t}|上海市{d}{t}城市运行管理中心 {t}|上海市{d}{t}城市管理综合行政执法队 "
        "{d}绿化和市容管理局|上海市{d}市容环境卫生管理所 "
        "{d}城市管理行政执法局|上海市{d}城市管理行政执法局",
        "城市网格化管理运行经费 市容环境综合整治经费 道路保洁及垃圾清运服务 生活垃圾分类推进经费 "
        "违法建筑整治专项经费 城维工程类 绿化养护经费 其他人员经费 后勤保障经费 联勤联动队伍经费",
        "道路保洁 网格巡查 热线工单处置 垃圾清运 违法建筑整治 市容环境整治 绿化养护",
        "聘用联勤队员数量:人:40:150 网格巡查次数:次:200:3000 处置热线工单数量:件:500:8000 "
        "生活垃圾清运量:吨:2000:30000 拆除违法建筑面积:平方米:2000:60000 设置岗亭数量:个:10:100 "
        "配备巡查电瓶车数量:辆:10:80 绿化养护面积:平方米:10000:300000",
        "人均意外伤害保险费用:元/人:300:800 联勤队员人均装备费用:元/人:2000:6000 "
        "绿化养护单价:元/平方米:5:30",
        "群众 居民 管理部门 市民",
        "创建“整洁、美观、文明、有序”的城市环境面貌 提升城市精细化管理水平 "
        "提高“12345”热线诉求解决能力 保障“路长制”的良好运行",
        "聘用联勤队员开展街面巡查 做好道路保洁和生活垃圾清运工作 及时处置网格事部件及热线工单 "
        "开展违法建筑专项整治 落实绿化日常养护 对服务质量进行考核",
        ecological=(Metric("p", "生活垃圾回收利用率", "≥", "%", (35, 40, 45)),),
    ),
    "教育": _sector(
        "{d}教育局|上海市{d}{t}中学 {d}教育局|上海市{d}{t}小学 {d}教育局|上海市{d}{t}幼儿园 "
        "{d}教育局|上海市{d}教育学院 {d}教育局|上海市{d}青少年活动中心",
        "课后服务经费 教师培训专项经费 校舍维修改造工程 教育信息化设备更新 学生资助经费 "
        "校园安全保障经费 义务教育阶段公用经费",
        "课后服务 教师培训 校园安全管理 教学设备更新 学生体质健康监测 校舍维修",
        "开展教师培训人次:人次:100:2000 课后服务覆盖学生数:人:300:3000 "
        "更新教学设备数量:台:20:500 开展校园安全演练次数:次:2:12 维修校舍面积:平方米:500:8000 "
        "资助家庭经济困难学生人数:人:20:400",
        "生均公用经费标准:元/人:600:1800 教师人均培训费用:元/人:500:3000",
        "学生 家长 教师 学生家长",
        "提升教育教学质量 保障校园安全稳定运行 促进学生全面发展 改善学校办学条件",
        "组织开展教师专业能力培训 为学生提供课后服务 更新教学设备和信息化设施 "
        "开展校舍维修和安全隐患排查 落实家庭经济困难学生资助政策",
    ),
    "卫健": _sector(
        "{d}卫生健康委员会|上海市{d}{t}社区卫生服务中心 "
        "{d}卫生健康委员会|上海市{d}疾病预防控制中心 {d}卫生健康委员会|上海市{d}中心医院 "
        "{d}卫生健康委员会|上海市{d}妇幼保健所",
        "基本公共卫生服务项目 家庭医生签约服务经费 医疗设备购置 老年人健康体检项目 "
        "健康促进与健康教育经费 疾病预防控制专项经费",
        "家庭医生签约服务 慢性病管理 预防接种 健康教育 基本公共卫生服务 医疗设备采购",
        "家庭医生签约人数:人:3000:40000 开展健康讲座次数:次:10:120 "
        "老年人健康体检人数:人:1000:15000 采购医疗设备数量:台:5:60 预防接种剂次:剂次:2000:50000 "
        "慢性病患者随访人次:人次:1000:20000",
        "人均体检费用:元/人:80:300",
        "患者 签约居民 就诊群众 服务对象",
        "提高居民健康水平 提升基层医疗卫生服务能力 做好重点人群健康管理 筑牢公共卫生防线",
        "组织开展家庭医生签约服务 为辖区老年人提供免费健康体检 开展健康教育讲座 "
        "规范开展预防接种工作 购置必要的医疗设备",
    ),
    "民政": _sector(
        "{t}|上海市{d}{t}社区事务受理服务中心 {t}|上海市{d}{t}社区养老服务中心 "
        "{d}民政局|上海市{d}社会福利院 {d}民政局|上海市{d}救助管理站 {d}民政局|上海市{d}民政局",
        "居家养老服务补贴 社区长者食堂运营补贴 困难群众临时救助资金 养老机构运营补贴 "
        "社会组织培育发展经费 为老服务综合体运营经费",
        "居家养老服务 困难群众救助 社区助餐 为老服务 社会组织培育 救助资金发放",
        "居家养老服务对象人数:人:100:3000 社区长者食堂助餐人次:人次:5000:100000 "
        "发放临时救助人次:人次:50:1500 新增养老床位数:张:20:300 培育社会组织数量:个:3:30 "
        "开展为老服务活动次数:次:10:100",
        "居家养老服务人均补贴:元/人:300:1200 助餐补贴标准:元/人次:5:20",
        "老年人 服务对象 困难群众 社区居民",
        "保障困难群众基本生活 完善社区养老服务体系 提升为老服务水平 增强群众获得感和幸福感",
        "为符合条件的老年人提供居家养老服务 保障社区长者食堂正常运营 及时发放临时救助资金 "
        "开展为老服务主题活动 培育扶持社区社会组织",
    ),
    "农业": _sector(
        "{t}|上海市{d}{t}农业服务中心 {d}农业农村委员会|上海市{d}农业技术推广服务中心 "
        "{d}农业农村委员会|上海市{d}动物疫病预防控制中心",
        "高标准农田建设项目 农业生产补贴资金 动物疫病防控经费 农业技术推广经费 "
        "绿色种植推广补贴 农村人居环境整治经费",
        "农田水利设施建设 绿色种植推广 动物防疫 农技推广 高标准农田建设 农村人居环境整治",
        "建设高标准农田面积:亩:500:10000 开展农技培训人次:人次:50:1500 "
        "动物免疫数量:头只:10000:300000 补贴农户户数:户:50:2000 疏浚河道长度:公里:2:40 "
        "推广绿色种植面积:亩:500:20000",
        "每亩补贴标准:元/亩:100:800",
        "农户 种植户 合作社成员",
        "提高农业综合生产能力 促进农民增收 推动农业绿色发展 改善农村人居环境",
        "实施高标准农田建设 开展农业技术培训 落实动物疫病强制免疫 发放农业生产补贴 "
        "推广绿色种植技术",
        economic=(_q("带动农户增收:万元:20:500"), _q("亩均增产:公斤:20:120")),
        ecological=(
            Metric("p", "化肥使用量减少率", "≥", "%", (5, 8, 10)),
            Metric("l", "农业面源污染", texts=("有效控制", "得到控制")),
        ),
    ),
    "文旅": _sector(
        "{t}|上海市{d}{t}文化体育服务中心 {d}文化和旅游局|上海市{d}图书馆 "
        "{d}文化和旅游局|上海市{d}文化馆 {d}文化和旅游局|上海市{d}博物馆",
        "公共文化服务配送经费 群众文化活动经费 文物保护专项经费 全民健身活动经费 "
        "图书馆运行经费 文旅融合宣传推广经费",
        "公共文化服务 群众文化活动 文物保护 全民健身 图书借阅服务 文旅宣传推广",
        "举办群众文化活动场次:场:10:200 图书借阅量:册次:5000:200000 "
        "新增馆藏图书数量:册:1000:30000 文物保护单位巡查次数:次:12:120 "
        "开展全民健身赛事次数:次:2:30 公益培训人次:人次:200:5000",
        "每场活动成本:元/场:2000:20000",
        "参与群众 读者 游客 文体团队",
        "丰富群众精神文化生活 提升公共文化服务效能 加强文物保护利用 推动文旅融合发展",
        "组织开展群众文化活动 做好公共文化服务配送 开展文物保护单位日常巡查 "
        "举办全民健身赛事 开展文旅宣传推广",
        economic=(_q("带动旅游收入:万元:50:3000"),),
    ),
    "信息化": _sector(
        "{d}人民政府办公室|上海市{d}大数据中心 {t}|上海市{d}{t}城市运行管理中心 "
        "{d}城市运行管理中心|上海市{d}城市运行管理中心",
        "信息化项目运维 信息化项目建设 网络安全等级保护测评 “一网统管”平台建设 "
        "政务数据共享平台运维 视频监控系统建设",
        "系统运维 网络安全防护 数据共享 智能场景建设 视频监控 政务服务平台",
        "运维信息系统数量:个:3:30 维护视频监控点位数量:个:100:3000 "
        "建设智能应用场景数量:个:1:6 归集共享数据量:万条:50:5000 开展网络安全检查次数:次:4:24 "
        "部署终端设备数量:台:20:800",
        "单点位年运维费用:元/个:200:1500",
        "系统用户 使用部门 办事群众",
        "提高智慧城市治理水平 保障信息系统安全稳定运行 推进“一网统管”建设 提升数据共享效率",
        "定期对系统平台进行维护和维修 开展网络安全等级保护测评 建设个性化智能应用场景 "
        "完善视频监控点位 推进政务数据归集共享",
    ),
    "应急": _sector(
        "{t}|上海市{d}{t}应急管理服务中心 {d}应急管理局|上海市{d}应急管理局 "
        "{d}应急管理局|上海市{d}应急救援指挥中心",
        "活动经费 安全生产监管经费 防汛防台专项经费 应急物资储备经费 消防设施维护经费 "
        "微型消防站运行经费",
        "应急演练 安全生产检查 消防设施维护 防汛防台 应急物资储备 安全隐患排查",
        "开展应急演练次数:次:2:24 安全生产检查企业数量:家:50:1500 维护消防设施数量:处:20:500 "
        "储备应急物资品种:种:10:80 排查整改安全隐患数量:处:50:2000 开展安全培训人次:人次:100:3000",
        "每场演练成本:元/场:2000:8000",
        "企业 参训人员 群众",
        "提升突发事件应急处置能力 保障人民群众生命财产安全 压实安全生产责任 增强防灾减灾能力",
        "组织开展应急演练和集训轮训 开展安全生产检查 做好消防设施日常维护 储备必要的应急物资 "
        "开展安全隐患排查整治",
    ),
}
SECTOR_NAMES = tuple(SECTORS)

# Templates that take a topic ({t}) or a beneficiary ({b}).
_QUANTITY = (
    Metric("q", "{t}督导检查次数", "≥", "次", (4, 48)),
    Metric("q", "{t}宣传活动场次", "≥", "场", (4, 40)),
)
_QUALITY = (
    Metric("p", "{t}验收合格率", "=", "%", (100,)),
    Metric("p", "{t}考核达标率", "≥", "%", (80, 85, 90, 95)),
    Metric("p", "{t}任务完成率", "≥", "%", (95, 98, 100)),
    Metric("p", "{t}覆盖率", "≥", "%", (90, 95, 100)),
    Metric("l", "{t}质量", texts=("符合相关标准", "符合合同要求", "达到验收标准")),
    Metric("l", "{t}规范性", texts=("规范", "符合规范要求")),
)
_TIMELINESS = (
    Metric("d", "{t}完成时间", texts=("date",)),
    Metric("d", "{t}响应时间", texts=("24小时内", "2小时内", "48小时内", "30分钟内到场")),
    Metric("d", "{t}办理时限", texts=("10个工作日", "5个工作日", "3个工作日")),
    Metric("d", "{t}及时性", texts=("及时", "按时")),
    Metric("d", "{t}工作时效", texts=("全年", "按合同约定", "按上级部门要求")),
)
_SOCIAL = (
    Metric("p", "{t}知晓率", "≥", "%", (80, 85, 90, 95)),
    Metric("l", "{t}服务水平", texts=("有效提升", "明显提升", "提升")),
    Metric("l", "{t}社会影响", texts=("良好", "积极")),
)
_SUSTAINABLE = (
    Metric("l", "{t}长效管理机制", texts=("健全", "建立")),
    Metric("l", "{t}常态化运行机制", texts=("健全", "建立健全")),
    Metric("l", "{t}队伍稳定性", texts=("稳定", "充足")),
)
_ECOLOGICAL = (Metric("l", "{t}环境改善效果", texts=("有效改善", "明显改善")),)
_ECONOMIC = (Metric("l", "{t}资金使用效益", texts=("有效提高", "提高")),)
_SATISFACTION = (Metric("p", "{b}满意度", "≥", "%", (80, 85, 90, 95)),)
_COST = {
    "经济成本指标": (
        Metric("b", "项目总成本"),
        Metric("b", "成本控制数"),
        Metric("r", "总成本控制率", "≤", "%"),
        Metric("l", "{t}经费支出", texts=("不超预算额度", "不超预算总额", "按合同约定")),
    ),
    "社会成本指标": (
        Metric("l", "对周边居民正常生活的影响", texts=("无明显负面影响", "影响较小")),
        Metric("p", "群众投诉率", "≤", "%", (1, 2, 5)),
    ),
    "生态环境成本指标": (
        Metric("l", "对生态环境的影响", texts=("无负面影响", "无明显影响")),
        Metric("l", "施工扬尘及噪声控制", texts=("符合环保要求", "达标")),
    ),
}

_MET = ("达成指标", "达成指标", "达成指标", "达成年度指标", "已完成", "达成预期指标")
_PARTIAL = ("部分达成指标", "部分达成年度指标", "基本达成")
_UNMET = ("未达成指标", "未完成")
_CAUSES = (
    "受项目招投标进度影响",
    "因服务对象实际需求低于年初预期",
    "受天气等客观因素影响",
    "由于部分工作推进滞后",
    "因上级政策调整",
    "因年中预算调整",
    "由于前期审批流程较长",
)
_MEASURES = (
    "下一步将加强项目过程管理，确保按计划推进。",
    "今后将科学合理设定绩效目标，加强绩效运行监控。",
    "下一年度将提前做好前期准备，加快实施进度。",
    "将进一步完善工作机制，提升服务质量。",
    "将加强与相关部门的沟通协调，及时跟踪整改。",
)
_RESULTS = (
    "{t}工作有序推进，资金使用规范。",
    "项目按计划实施，{t}工作取得预期成效。",
    "{t}工作质量稳步提升，服务对象满意度较高。",
    "各项工作均按年初计划完成，{t}长效机制逐步健全。",
)
_SHORTFALL = (
    "受客观因素影响，部分工作未能按计划完成，资金执行进度偏慢。",
    "部分项目因招投标延后，未在年内全部实施完毕。",
    "因实际需求变化，部分资金未能按预算执行。",
)

# --- numbers ------------------------------------------------------------------------------

ZERO = Decimal("0.00")


def _cents(n: int) -> Decimal:
    return Decimal(n).scaleb(-2)


def _one(rng: random.Random, seq: Sequence[T]) -> T:
    """``rng.choice`` in one draw (a few times faster; forms need hundreds)."""
    return seq[int(rng.random() * len(seq))]


def _int(rng: random.Random, lo: int, hi: int) -> int:
    """``rng.randint`` in one draw."""
    return lo + int(rng.random() * (hi - lo + 1))


def _plain(d: Decimal) -> str:
    """A number as people write it: 12, 98.5, 387664.62."""
    if d == d.to_integral_value():
        return str(d.quantize(Decimal(1)))
    return str(d.normalize())


def _nice(n: int) -> int:
    """Round a count to what a target looks like (1234 → 1200, 87 → 85)."""
    if n >= 1000:
        return n // 100 * 100
    if n >= 100:
        return n // 10 * 10
    if n >= 30:
        return n // 5 * 5
    return n


_WORDS = {"≥": ("不低于", "不少于"), "≤": ("不高于", "不超过")}


def _text(op: str, number: Decimal, unit: str, style: str, rng: random.Random) -> str:
    """A target (op given) or an actual (op "") in the form's notation."""
    if style == "seed":
        return f"{op}{number:.2f}({unit})"
    if style == "worded" and op in _WORDS:
        words = _WORDS[op]
        return f"{words[0] if unit == '%' else _one(rng, words)}{_plain(number)}{unit}"
    return f"{op}{_plain(number)}{unit}"


# --- one form -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GeneratedForm:
    """A generated form and whether the unit inflated its scores (so it cannot match)."""

    form: SelfEvaluation
    inflated: bool


@cache
def _shanghai() -> Policy:
    return load_policy("shanghai")


@dataclass
class _Ctx:
    rng: random.Random
    year: int
    style: str
    unit: str  # amount unit
    adjusted: Decimal
    executed: Decimal
    rate: Decimal


def _split(total: int, k: int, rng: random.Random, fine: bool) -> list[int]:
    """``total`` cents in ``k`` positive parts of a round step, near-even with variation."""
    steps = (50, 1) if fine else (500, 100, 50, 1)
    step = next(s for s in steps if total % s == 0 and total // s >= k)
    units = total // step
    parts = [units // k] * k
    for i in rng.sample(range(k), units % k):
        parts[i] += 1
    for _ in range(_int(rng, 0, k // 2 + 1)):
        i, j = rng.randrange(k), rng.randrange(k)
        move = _int(rng, 1, max(1, parts[i] // 3))
        if i != j and parts[i] - move >= 1:
            parts[i] -= move
            parts[j] += move
    return [p * step for p in parts]


def _layout(rng: random.Random, sector: Sector) -> list[tuple[str, str]]:
    """(一级, 二级) of each row, in the order the table lists them."""
    n = _int(rng, 5, 25)
    n_sat = 1 if n < 12 else _int(rng, 1, 2)
    n_cost = 1 if n < 8 else _int(rng, 1, 3)
    n_ben = max(1, min(n - n_sat - n_cost - 2, round(n * rng.uniform(0.15, 0.3))))
    n_out = n - n_sat - n_cost - n_ben
    rows: list[tuple[str, str]] = []
    cost2 = rng.choices(tuple(_COST), (8, 1, 1), k=n_cost)
    rows += sorted(((COST, c) for c in cost2), key=lambda r: tuple(_COST).index(r[1]))
    out2 = ["数量指标", "质量指标", "时效指标"][: min(n_out, 3)]
    out2 += rng.choices(("数量指标", "质量指标", "时效指标"), (4, 3, 2), k=n_out - len(out2))
    order = ("数量指标", "质量指标", "时效指标")
    rows += [(OUTPUT, o) for o in sorted(out2, key=order.index)]
    kinds = ("社会效益指标", "可持续影响指标", "经济效益指标", "生态效益指标")
    weights = (5, 4, 2 if sector.economic else 1, 2 if sector.ecological else 1)
    ben2 = ["社会效益指标", *rng.choices(kinds, weights, k=n_ben - 1)]
    order_b = ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")
    rows += [(BENEFIT, b) for b in sorted(ben2, key=order_b.index)]
    rows += [(SATISFACTION, "服务对象满意度指标")] * n_sat
    return rows


def _expand(sector: Sector, level2: str) -> tuple[Metric, ...]:
    """Every metric of this 二级 for this sector, names filled in, without duplicates."""
    templates = {
        "经济成本指标": _COST["经济成本指标"] + sector.unit_costs,
        "社会成本指标": _COST["社会成本指标"],
        "生态环境成本指标": _COST["生态环境成本指标"],
        "数量指标": sector.quantities + _QUANTITY,
        "质量指标": _QUALITY,
        "时效指标": _TIMELINESS,
        "经济效益指标": sector.economic + _ECONOMIC,
        "社会效益指标": _SOCIAL,
        "生态效益指标": sector.ecological + _ECOLOGICAL,
        "可持续影响指标": _SUSTAINABLE,
        "服务对象满意度指标": _SATISFACTION,
    }[level2]
    names: dict[str, Metric] = {}
    for m in templates:
        for t in sector.topics:
            for b in sector.beneficiaries:
                name = m.name.format(t=t, b=b)
                names.setdefault(name, m._replace(name=name))
    return tuple(names.values())


LEVEL2 = (*_COST, "数量指标", "质量指标", "时效指标", "经济效益指标", "社会效益指标")
LEVEL2 += ("生态效益指标", "可持续影响指标", "服务对象满意度指标")
_POOLS = {s: {level2: _expand(SECTORS[s], level2) for level2 in LEVEL2} for s in SECTORS}


def _pick(rng: random.Random, pool: tuple[Metric, ...], k: int, used: set[str]) -> list[Metric]:
    """``k`` metrics of one 二级 whose names are not yet on the form."""
    picked = [m for m in rng.sample(pool, min(k, len(pool))) if m.name not in used]
    while len(picked) < k:  # a small pool: number the rest
        base = pool[len(picked) % len(pool)].name
        picked.append(Metric("l", f"{base}（{len(picked) + 1}）", texts=("达到预期",)))
    used.update(m.name for m in picked)
    return picked


def _quantity(m: Metric, met: bool, ctx: _Ctx) -> tuple[str, str] | None:
    """Target and actual of a numeric metric; None when this metric cannot be unmet."""
    rng, style = ctx.rng, ctx.style
    if m.kind == "b":  # the budget as a cost ceiling: actual = what was spent
        if style == "seed":
            return f"≤{ctx.adjusted}({ctx.unit})", f"{ctx.executed}({ctx.unit})"
        # "不高于145万元 | 达成指标" as on the seed: a quantity answered in words (F03)
        actual = _one(rng, _MET) if rng.random() < 0.3 else f"{ctx.executed}{ctx.unit}"
        return f"不高于{ctx.adjusted}{ctx.unit}", actual
    if m.kind == "r":
        return _text("≤", Decimal(100), "%", style, rng), _text("", ctx.rate, "%", style, rng)
    if m.kind == "p":
        a = Decimal(_one(rng, m.values))
        places = 1
    else:
        a = Decimal(_nice(_int(rng, *m.values)))
        places = 0 if m.unit not in ("万元", "元/人", "元/平方米", "元/亩") else 2
    if m.unit == "%" and 95 <= a < 100 and rng.random() < 0.3:  # a fraction: 98.5
        a += Decimal(_one(rng, (5, -5))) / 10
    step = Decimal(1).scaleb(-places)
    if met:
        if m.op == "≤":
            b = a if rng.random() < 0.4 else (a * Decimal(_int(rng, 80, 100)) / 100)
        elif m.op == "=" or rng.random() < 0.5:
            b = a
        else:
            over = _int(rng, 100, 115) if rng.random() < 0.9 else _int(rng, 120, 150)
            b = a * Decimal(over) / 100
            b = min(b, Decimal(100)) if m.unit == "%" else b
        b = b.quantize(step)
        b = max(b, a) if m.op == "≥" else (min(b, a) if m.op == "≤" else b)
    else:
        if m.op == "≤":
            if a == 0:
                return None
            b = (a * Decimal(_int(rng, 105, 140)) / 100).quantize(step)
            b = max(b, a + step)
        else:
            low = 88 if m.unit == "%" else 60  # a rate or 满意度 misses by points, not half
            b = (a * Decimal(_int(rng, low, 97)) / 100).quantize(step)
            if b >= a or b <= 0:
                return None
    return _text(m.op, a, m.unit, style, rng), _text("", b, m.unit, style, rng)


def _deadline(m: Metric, met: bool, ctx: _Ctx) -> tuple[str, str]:
    rng, y = ctx.rng, ctx.year
    target = _one(rng, m.texts)
    if target == "date":
        month = _int(rng, 6, 12)
        target = _one(rng, (f"{y}年{month}月前", f"{y}年{month}月"))
        if met:
            last = month - 1 if target.endswith("前") else month
            done = f"{y}年{_int(rng, month - 3, last)}月"
            return target, done if rng.random() < 0.3 else _one(rng, _MET)
        late = f"{y}年{month + 1}月" if month < 12 else f"{y + 1}年{_int(rng, 1, 3)}月"
        return target, late if rng.random() < 0.6 else _one(rng, _PARTIAL)
    if met:
        return target, _one(rng, _MET)
    if target[0].isdigit() and "分钟" in target:
        return target, f"{int(target[:2]) + _one(rng, (10, 15, 20))}分钟到场"
    if target[0].isdigit() and "小时" in target:
        return target, f"{int(target.split('小时')[0]) * 2}小时"
    return target, _one(rng, _PARTIAL)


def _row(m: Metric, met: bool, ctx: _Ctx) -> tuple[str, str, bool]:
    """(target, actual, met as planned) — an unmet plan may fall back to met."""
    if m.kind in "bpqr":
        found = _quantity(m, met, ctx) if (met or m.kind in "pq") else None
        if found is None:
            found, met = _quantity(m, True, ctx), True
        assert found is not None
        return (*found, met)
    if m.kind == "d":
        return (*_deadline(m, met, ctx), met)
    if m.kind == "y":
        return "是", "是" if met else "否", met
    actual = _one(ctx.rng, _MET) if met else _one(ctx.rng, _PARTIAL * 3 + _UNMET)
    return _one(ctx.rng, m.texts), actual, met


def _deviation(rng: random.Random, name: str, target: str, actual: str) -> str:
    """偏差原因分析及改进措施: a cause, what fell short, and a measure."""
    if isinstance(parse_value(actual), Qualitative):
        short = f"{name}未完全达到预期"
    else:
        short = f"{name}实际完成{actual}，未达到年初目标{target}"
    return f"{_one(rng, _CAUSES)}，{short}；{_one(rng, _MEASURES)}"


def _funds(rng: random.Random, amount_unit: str) -> tuple[dict[str, list[int]], int, int]:
    """The fund block (amounts only) and the total's 全年预算数 / 全年执行数 in cents."""
    if amount_unit == "万元":
        adjusted = int(10 ** rng.uniform(2.3, 5.7))  # 2.00 … 5000.00 万元
    else:
        adjusted = int(10 ** rng.uniform(6.0, 9.0))  # 1 万 … 1000 万元, in 元
    roll = rng.random()
    if roll < 0.15:
        rate = rng.uniform(0.2, 0.75)  # far below budget
    elif roll < 0.3:
        rate = 1.0
    else:
        rate = min(1.0, rng.uniform(0.8, 1.01))
    executed = min(adjusted, int(adjusted * rate))
    shares = {"carryover": 0.0, "other": 0.0}
    if rng.random() < 0.2:
        shares["carryover"] = rng.uniform(0.05, 0.3)
    if rng.random() < 0.15:
        shares["other"] = rng.uniform(0.02, 0.2)
    unspent = adjusted - executed
    rows: dict[str, list[int]] = {}
    left = 1.0
    for key, share in shares.items():
        adj = int(adjusted * share)
        gap = min(adj, int(unspent * left * rng.uniform(0, 0.6)))
        left -= gap / unspent if unspent else 0
        initial = 0 if key == "carryover" and rng.random() < 0.5 else adj
        rows[key] = [initial, adj, adj - gap]
    changed = rng.random() < 0.35  # 年初预算数 ≠ 全年预算数
    fiscal_adj = adjusted - rows["carryover"][1] - rows["other"][1]
    fiscal_init = int(fiscal_adj * rng.uniform(0.7, 1.4)) if changed else fiscal_adj
    fiscal_exec = executed - rows["carryover"][2] - rows["other"][2]
    rows["fiscal"] = [fiscal_init, fiscal_adj, fiscal_exec]
    rows["total"] = [sum(r[c] for r in rows.values()) for c in range(3)]
    return rows, adjusted, executed


def _declared_funds(rows: dict[str, list[int]], policy: Policy) -> dict[str, dict[str, Decimal]]:
    """The fund block as declared: amounts, 执行率 of every row, 分值 and 得分 of the total."""
    funds: dict[str, dict[str, Decimal]] = {}
    for key, (initial, adjusted, executed) in rows.items():
        a, e = _cents(adjusted), _cents(executed)
        rate = execution_rate(e, a, policy)
        funds[key] = {"initial": _cents(initial), "adjusted": a, "executed": e}
        funds[key]["rate"] = ZERO if rate is None else rate  # the seed shows 0.00 on empty rows
    total = funds["total"]
    score = execution_score(total["executed"], total["adjusted"], policy)
    assert score is not None  # the total budget is never 0
    total["weight"] = quantize(policy.execution.weight, 2, "half_up")
    total["score"] = score
    return funds


def _weights(rng: random.Random, layout: list[tuple[str, str]], policy: Policy) -> list[int]:
    """分值 of each row in cents: 满意度 10, 成本 10–20, 效益 20–30, 产出 the rest of 90."""
    total = int((policy.audit.total_weight - policy.execution.weight) * 100)
    budget = {SATISFACTION: 1000, COST: _one(rng, (1000, 1000, 1500, 2000))}
    budget[BENEFIT] = _one(rng, (2000, 2500, 3000, 3000, 3000))
    budget[OUTPUT] = total - sum(budget.values())
    fine = rng.random() < 0.25  # 6.43 rather than 5.00
    weights: list[int] = []
    for level1 in (COST, OUTPUT, BENEFIT, SATISFACTION):
        k = sum(1 for r in layout if r[0] == level1)
        weights += _split(budget[level1], k, rng, fine)
    return weights


# score_indicator by (policy, target, actual, weight, 满意度 row): rows repeat, and parsing
# dominates.
_SCORES: dict[tuple[int, str, str, int, bool], Decimal] = {}
_SCORED_POLICIES: dict[int, Policy] = {}  # keeps each cached policy alive, so its id is unique


def _recommended(
    target: str, actual: str, cents: int, policy: Policy, level1: str = "", name: str = ""
) -> Decimal:
    """The recommended 得分 of a row by :func:`jixiao.scoring.score_indicator` (memoised)."""
    row = Indicator(level1=level1, name=name, target=target, actual=actual, weight=_cents(cents))
    key = (id(policy), target, actual, cents, is_satisfaction(row))
    found = _SCORES.get(key)
    if found is None:
        if len(_SCORES) > 200_000:
            _SCORES.clear()
            _SCORED_POLICIES.clear()
        scored = score_indicator(row, 1, policy)
        assert scored.recommended is not None, (target, actual, scored.reason)
        found = _SCORES[key] = scored.recommended
        _SCORED_POLICIES[id(policy)] = policy
    return found


def generate_case(
    rng: random.Random, index: int = 1, *, policy: Policy | None = None, inflate: float = 0.15
) -> GeneratedForm:
    """One form drawn from ``rng``, with its declared values computed under ``policy``."""
    policy = policy or _shanghai()
    sector_name = _one(rng, SECTOR_NAMES)
    sector = SECTORS[sector_name]
    district = _one(rng, DISTRICTS)
    town = _one(rng, PLACES[district])
    templates = _one(rng, sector.units)
    dept, unit = (s.format(d=district, t=town) for s in templates)
    project = _one(rng, sector.projects)
    if rng.random() < 0.15:
        project = f"{town}{project}" if "{t}" in templates[1] else f"{district}{project}"
    year = _one(rng, (2022, 2023, 2024, 2024, 2024))
    amount_unit = "万元" if rng.random() < 0.7 else "元"

    rows_cents, adjusted, executed = _funds(rng, amount_unit)
    funds = _declared_funds(rows_cents, policy)
    total = funds["total"]
    inflated = rng.random() < inflate
    roll = rng.random()
    unmet_share = 0.0 if roll < 0.55 else (0.12 if roll < 0.93 else 0.45)
    style = rng.choices(("seed", "plain", "worded"), (6, 3, 2))[0]
    ctx = _Ctx(rng, year, style, amount_unit, _cents(adjusted), _cents(executed), total["rate"])

    layout = _layout(rng, sector)
    weights = _weights(rng, layout, policy)
    plan = [rng.random() < unmet_share for _ in layout]
    if inflated and not any(plan):
        plan[rng.randrange(len(plan))] = True
    used: set[str] = set()
    metrics: list[Metric] = []
    for (_, level2), group in groupby(layout):
        metrics += _pick(rng, _POOLS[sector_name][level2], len(list(group)), used)
    if policy.indicators.binary == "direct":  # 财预〔2021〕101号 三（七）1: a 是/否 row
        judged = [i for i, m in enumerate(metrics) if m.kind == "l"]
        if judged and rng.random() < 0.6:
            i = _one(rng, judged)
            metrics[i] = Metric("y", f"{metrics[i].name}是否达到要求")
    indicators: list[dict[str, str | Decimal]] = []
    scores: list[Decimal] = []
    deducted = 0
    for (level1, level2), metric, w_cents, unmet in zip(
        layout, metrics, weights, plan, strict=True
    ):
        target, actual, met = _row(metric, not unmet, ctx)
        if inflated and unmet and met and not deducted:  # an inflated form needs a shortfall
            metric = Metric("l", metric.name, texts=("有效提升", "健全"))
            target, actual, met = _row(metric, False, ctx)
        weight = _cents(w_cents)
        recommended = _recommended(target, actual, w_cents, policy, level1, metric.name)
        short = recommended < weight
        deducted += short
        scores.append(weight if inflated else recommended)
        deviation = _deviation(rng, metric.name, target, actual) if short and not inflated else ""
        indicators.append(
            {
                "level1": level1,
                "level2": level2,
                "name": metric.name,
                "target": target,
                "actual": actual,
                "weight": weight,
                "score": scores[-1],
                "deviation": deviation,
            }
        )
    total_score = total["score"] + sum(scores, Decimal(0))
    total_weight = total["weight"] + _cents(sum(weights))
    expected, achieved = _goals(rng, sector, district, year, deducted > 0 or ctx.rate < 80)
    form = SelfEvaluation.model_validate(
        {
            "year": year,
            "project": project,
            "department": dept,
            "unit": unit,
            "amount_unit": amount_unit,
            "funds": funds,
            "goals": {"expected": expected, "achieved": achieved},
            "indicators": indicators,
            "total_weight": total_weight,
            "total_score": total_score,
            "grade": policy.grade_for(total_score),
            "index": index,
        }
    )
    return GeneratedForm(form, inflated and deducted > 0)


def _goals(
    rng: random.Random, sector: Sector, district: str, year: int, short: bool
) -> tuple[str, str]:
    """预期目标 and 实际完成情况, 40–250 characters each."""
    topic = _one(rng, sector.topics)
    purposes = rng.sample(sector.purposes, 2)
    actions = rng.sample(sector.actions, _int(rng, 2, 3))
    basis = ""
    if rng.random() < 0.6:
        doc = f"{district[0]}府办发〔{year - 1}〕{_int(rng, 3, 60)}号"
        basis = f"根据{doc}文《{district}关于进一步加强{topic}工作的实施意见》的工作要求，"
    expected = f"{basis}为{purposes[0]}，将{'，'.join(actions)}，{purposes[1]}。"
    if not basis:
        expected += f"确保{topic}各项工作按计划高质量完成。"
    done = rng.sample(actions, len(actions))
    achieved = f"全年已{'，'.join(done)}，{_one(rng, ('有效', '进一步', ''))}{purposes[0]}，"
    achieved += _one(rng, _RESULTS).format(t=topic)
    if short:
        achieved += _one(rng, _SHORTFALL)
    return expected, achieved


def generate_form(
    rng: random.Random, index: int = 1, *, policy: Policy | None = None, inflate: float = 0.15
) -> SelfEvaluation:
    """One realistic form drawn from ``rng`` (see :func:`generate_case`)."""
    return generate_case(rng, index, policy=policy, inflate=inflate).form


def form_rng(seed: int, index: int) -> random.Random:
    """The generator of form ``index`` (1-based) in run ``seed``: independent of the count."""
    return random.Random(f"jixiao.generate:{seed}:{index}")


def generate_cases(
    count: int, seed: int = 0, *, policy: Policy | None = None, inflate: float = 0.15
) -> list[GeneratedForm]:
    """``count`` forms with their inflation flag; the same seed gives the same forms."""
    # Bulk creation of long-lived objects: the cyclic GC would rescan them all, again and
    # again (a third of the time). Nothing here makes cycles; the GC is restored after.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return [
            generate_case(form_rng(seed, i), i, policy=policy, inflate=inflate)
            for i in range(1, count + 1)
        ]
    finally:
        if was_enabled:
            gc.enable()


def generate_forms(
    count: int, seed: int = 0, *, policy: Policy | None = None, inflate: float = 0.15
) -> list[SelfEvaluation]:
    """``count`` realistic forms, indexed from 1; ``generate_forms(10, s)[:5] == (5, s)``."""
    return [c.form for c in generate_cases(count, seed, policy=policy, inflate=inflate)]


# --- the layouts of the country -------------------------------------------------------------

_NATURE = re.compile(r"^\s*(≥|≤|=|＞|＜|>|<)?\s*(\d+(?:\.\d+)?)\s*(\S*)\s*$")
# What the layouts' added text columns hold, by the column's id (a row's own words).
_BASIS = ("计划标准", "历史标准", "行业标准", "预算支出标准")
_SCORING_RULES = ("完成得满分，未完成按比例扣分", "达到指标值得满分，否则按完成比例计分")
_METHOD = "完成值达到指标值记满分，未达到按B/A×分值记分"
_IMPROVEMENTS = ("加强过程管理，下年度按时完成", "调整实施计划，跟踪整改")


def layout_forms(count: int, layout_id: str, seed: int = 0) -> list[SelfEvaluation]:
    """``count`` generated forms written in the layout ``layout_id`` (jixiao.layouts): scored
    under its policy (湖北's 20-point execution), with its own fund rows, its added indicator
    columns, 一级 weights and check boxes filled, the fields it lacks left empty."""
    from jixiao.layouts import get_layout

    layout = get_layout(layout_id)
    policy = load_policy(layout.policy)
    return [
        dress(form, layout_id, random.Random(f"jixiao.layout:{layout_id}:{seed}:{form.index}"))
        for form in generate_forms(count, seed, policy=policy)
    ]


def dress(form: SelfEvaluation, layout_id: str, rng: random.Random) -> SelfEvaluation:
    """``form`` as a form of the layout ``layout_id`` fills it (see :func:`layout_forms`)."""
    from jixiao.layouts import get_layout

    layout = get_layout(layout_id)
    policy = load_policy(layout.policy)
    data = form.model_dump()
    data["layout"] = layout.id
    if not layout.fields.grade:
        data["grade"] = None
    if not layout.has("unit"):
        data["unit"] = ""
    funds = data["funds"]
    rows = {r.field for r in layout.fund_rows if r.field}
    columns = {c.field for c in layout.fund_columns if c.field}
    total = funds["total"]
    added = [r.label for r in layout.fund_rows if r.field is None]
    left = [total["initial"], total["adjusted"], total["executed"]]
    for i, label in enumerate(added):  # the added rows share the total (中央补助 + 地方资金)
        part = rng.choice((Decimal("0.6"), Decimal("0.75"), Decimal("0.5")))
        amounts = left if i == len(added) - 1 else [quantize(v * part, 2, "half_up") for v in left]
        left = [a - b for a, b in zip(left, amounts, strict=True)]
        funds.setdefault("extras", {})[label] = dict(
            zip(("initial", "adjusted", "executed"), amounts, strict=True)
        )
    for name, row in [*((k, funds[k]) for k in FUND_ROWS), *funds.get("extras", {}).items()]:
        if name in FUND_ROWS and name not in rows:
            funds[name] = {}
            continue
        budget = row.get(layout.execution.budget)
        rate = execution_rate(row["executed"], budget, policy) if budget is not None else None
        row["rate"] = ZERO if rate is None else rate
        for key in FUND_COLUMNS:
            if key not in columns:
                row[key] = None
    if "score" in columns and total.get(layout.execution.budget):
        total["score"] = execution_score(total["executed"], total[layout.execution.budget], policy)
    for column in layout.fund_columns:  # 原因, 得分计算方法, 总体完成率: on the total row
        if column.field is None and (note := _fund_note(column.id, rng)):
            total["extras"] = {column.label: note}
    data["total_score"] = (total.get("score") or ZERO) + sum(
        (i["score"] for i in data["indicators"]), ZERO
    )
    for ind in data["indicators"]:
        for column in layout.indicator_columns:
            if column.field is None and (note := _indicator_note(column.id, ind, rng)):
                ind["extras"][column.label] = note
            elif column.field == "share":
                ind["share"] = ind["weight"]
            elif column.field == "adjusted_score":
                ind["adjusted_score"] = quantize(ind["score"] * ind["weight"] / 100, 2, "half_up")
        nature, unit = layout.column("nature"), layout.column("measure_unit")
        if nature and unit:  # 指标性质 + 指标值 + 度量单位 make the target
            op, ind["target"], measure = _nature(ind["target"])
            ind["extras"][nature.label] = op
            if measure:
                ind["extras"][unit.label] = measure
            else:  # a 定性 target has no unit: an empty cell, no value (as the web keeps it)
                ind["extras"].pop(unit.label, None)
    if layout.fields.level1_weights:
        weights: dict[str, Decimal] = {}
        for ind in data["indicators"]:
            weights[ind["level1"]] = weights.get(ind["level1"], ZERO) + ind["weight"]
        data["level1_weights"] = [
            {"label": k, "weight": quantize(w, 0, "half_up") if w == int(w) else w}
            for k, w in weights.items()
        ]
    data["checkboxes"] = [
        {"label": label, "options": list(options), "checked": [rng.choice(options)]}
        for label in layout.checkboxes
        for options in [_CHECKBOX_OPTIONS.get(label, ("是", "否"))]
    ]
    if layout.fields.grade:
        data["grade"] = policy.grade_for(data["total_score"])
    return SelfEvaluation.model_validate(data)


_CHECKBOX_OPTIONS = {"项目类别": ("经常性项目", "一次性项目"), "项目属性": ("新增项目", "延续项目")}


def _nature(target: str) -> tuple[str, str, str]:
    """指标性质, 指标值, 度量单位 of a target (``≥95%`` → ``≥``, ``95``, ``%``); a target
    that is no number is 定性."""
    m = _NATURE.match(target)
    if m is None:
        return "定性", target, ""
    return m.group(1) or "=", m.group(2), m.group(3)


def _fund_note(column_id: str, rng: random.Random) -> str:
    if column_id == "method":
        return "全年执行数/年初预算数×10"
    if column_id == "completion":
        return f"{_int(rng, 85, 100)}%"
    return rng.choice(("", "年中追加预算", "项目按进度支付"))


def _indicator_note(column_id: str, ind: dict[str, str], rng: random.Random) -> str:
    if column_id in ("nature", "measure_unit"):
        return "-"  # set from the target below
    if column_id == "method":
        return _METHOD
    if column_id == "measures":
        return _one(rng, _IMPROVEMENTS) if ind["deviation"] else ""
    if column_id == "fund_source":
        return "财政资金"
    if column_id == "basis":
        return _one(rng, _BASIS)
    if column_id == "last_year":
        return ind["target"]
    if column_id == "completion_rate":
        return "100%" if not ind["deviation"] else f"{_int(rng, 60, 99)}%"
    if column_id == "rule":
        return _one(rng, _SCORING_RULES)
    if column_id == "evidence":
        return _one(rng, ("工作台账", "验收报告", "满意度调查表", "财务凭证"))
    return ""


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m jixiao.generate COUNT [--seed S] [--policy P] [--inflate F]`` → JSON."""
    import argparse

    from jixiao.model import dump_forms

    parser = argparse.ArgumentParser(prog="python -m jixiao.generate", description="生成模拟自评表")
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--policy", default="shanghai")
    parser.add_argument("--inflate", type=float, default=0.15)  # a share of forms, not money
    parser.add_argument(
        "--plans", action="store_true", help="同时生成每个项目的绩效目标申报表和执行监控表"
    )
    parser.add_argument(
        "--plan-layout",
        default="national",
        help="申报表和监控表的版式：national（中央部门）、transfer（转移支付区域表）"
        "或 department-wide（部门整体支出申报表）",
    )
    args = parser.parse_args(argv)
    policy = load_policy(args.policy)
    if args.plans:
        from jixiao.generate_plans import generate_year, plan_family
        from jixiao.layouts import LayoutError

        try:
            layouts = plan_family(args.plan_layout)
        except LayoutError as err:
            parser.error(f"--plan-layout {args.plan_layout!r} 未声明（{err}）")
        year = generate_year(
            args.count, args.seed, policy=policy, inflate=args.inflate, plan_layouts=layouts
        )
        print(year.dumps())
        return
    print(dump_forms(generate_forms(args.count, args.seed, policy=policy, inflate=args.inflate)))


if __name__ == "__main__":
    main()
