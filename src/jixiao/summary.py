"""部门项目支出绩效自评总结报告: the measured figures of a department's forms, and the report's
sentences built from them.

财预〔2020〕10号 第二十六条 asks each department to sum its units' 自评 results; its 附件2 gives
the 参考提纲 with six headings (:data:`HEADINGS`). :func:`summarize` computes every figure the
report states from audited forms (exact Decimal, amounts in 万元, explicit rounding);
:func:`sections` turns them into the report's paragraphs and tables with fixed templates, so
the text is deterministic and says nothing the figures do not. The writers
(:mod:`jixiao.render.summary` for HTML/PDF, :mod:`jixiao.render.summary_docx` for Word) only lay out
what :func:`sections` returns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.articles import OUTLINE_2020, REPORT_2020, SAMPLING_2020, SCORING_2020
from jixiao.audit import SEVERITY_LABELS, FormAudit
from jixiao.audit.context import is_placeholder
from jixiao.model import SelfEvaluation
from jixiao.policy import Policy, quantize

HEADINGS: tuple[str, ...] = (
    "一、项目支出基本情况",
    "二、绩效自评工作开展情况",
    "三、绩效自评结果及分析",
    "四、自评发现的问题及整改措施",
    "五、绩效自评工作建议及预算安排建议",
    "六、其他需要说明的问题",
)
TITLE = "部门项目支出绩效自评总结报告"
ZERO = Decimal(0)
HUNDRED = Decimal(100)
TEN_THOUSAND = Decimal(10000)
UNGRADED = "未填"
MAIN_RULES = 10  # the audit's main findings: the most frequent rules


def to_wan(amount: Decimal | None, unit: str) -> Decimal:
    """An amount in 万元 (a form in 元 divided by 10 000); a blank counts as 0."""
    if amount is None:
        return ZERO
    return amount / TEN_THOUSAND if unit == "元" else amount


def money(value: Decimal) -> Decimal:
    """万元 to two places, half up (四舍五入)."""
    return quantize(value, 2, "half_up")


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole × 100 to two places, half up; None when whole is 0."""
    if whole == ZERO:
        return None
    return quantize(part / whole * HUNDRED, 2, "half_up")


@dataclass(frozen=True)
class ProjectLine:
    """One form in the report's tables."""

    project: str
    unit: str
    adjusted: Decimal  # 全年预算数, 万元 (two places)
    executed: Decimal  # 全年执行数, 万元
    rate: Decimal | None  # 执行率 (%) computed under the form's policy
    declared_total: Decimal | None
    computed_total: Decimal | None
    declared_grade: str
    computed_grade: str | None
    findings: int


@dataclass(frozen=True)
class IndicatorLine:
    """An indicator missed or over-achieved, with the unit's stated reason."""

    project: str
    name: str
    target: str
    actual: str
    weight: Decimal | None
    score: Decimal | None
    ratio: Decimal | None  # 完成值 ÷ 指标值
    reason: str  # 偏差原因分析及改进措施 as written; "" when none is given


@dataclass(frozen=True)
class RuleCount:
    """One audit rule's findings across the forms."""

    rule: str
    title: str
    severity: str
    forms: int
    findings: int


@dataclass(frozen=True)
class Coverage:
    """Coverage measured by the caller, unit by unit (the web matches a 填报任务's project
    lists to each unit's forms): projects expected, those with a form in the report, the
    forms outside the lists and the listed projects without a form (names as the report
    prints them)."""

    expected: int
    covered: int
    extra: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RecheckRow:
    """One row of a re-checked form: an indicator, or the 预算执行率 row, with the unit's
    自评得分 and the reviewer's 复核得分."""

    name: str
    self_score: Decimal | None
    recheck_score: Decimal

    @property
    def gap(self) -> Decimal | None:
        """复核得分 − 自评得分 (negative: the unit scored itself higher); None without a
        自评得分."""
        return None if self.self_score is None else self.recheck_score - self.self_score


@dataclass(frozen=True)
class RecheckResult:
    """One form 财政 re-checked (抽查复核, 财预〔2020〕10号 第十九条): its 自评总分, the
    reviewer's 复核总分 and the rows scored."""

    project: str
    unit: str
    self_total: Decimal | None
    recheck_total: Decimal
    rows: tuple[RecheckRow, ...] = ()
    conclusion: str = ""  # the reviewer's 复核结论 for the form

    @property
    def gap(self) -> Decimal | None:
        """复核总分 − 自评总分; None without a 自评总分."""
        return None if self.self_total is None else self.recheck_total - self.self_total

    @property
    def largest_row(self) -> RecheckRow | None:
        """The row whose 复核得分 differs most from its 自评得分 (first of equals); None when
        every row agrees."""
        rows = [r for r in self.rows if r.gap]
        return max(rows, key=lambda r: abs(r.gap or ZERO)) if rows else None


@dataclass(frozen=True)
class RecheckFigures:
    """The 抽查复核 results of the report: how many forms, the mean and largest gaps."""

    results: list[RecheckResult]
    compared: int  # forms with both totals (a gap)
    mean_gap: Decimal | None  # mean of 复核总分 − 自评总分, the policy's score rounding
    mean_abs_gap: Decimal | None  # mean of |复核总分 − 自评总分|
    lower: int  # forms the reviewer scored lower than the unit
    higher: int
    largest: list[RecheckResult]  # differing forms by |gap|, largest first (RECHECK_LISTED)


RECHECK_LISTED = 10  # forms listed in the table of the largest 复核 gaps


def recheck_figures(results: Sequence[RecheckResult], policy: Policy) -> RecheckFigures:
    """The 复核 figures of ``results``: means in the policy's indicator score rounding."""
    gaps = [r.gap for r in results if r.gap is not None]
    places, rounding = policy.indicators.score_places, policy.indicators.score_rounding

    def mean(values: Sequence[Decimal]) -> Decimal | None:
        return quantize(sum(values, ZERO) / len(values), places, rounding) if values else None

    differing = [r for r in results if r.gap]  # not None and not 0
    largest = sorted(differing, key=lambda r: -abs(r.gap or ZERO))[:RECHECK_LISTED]
    return RecheckFigures(
        results=list(results),
        compared=len(gaps),
        mean_gap=mean(gaps),
        mean_abs_gap=mean([abs(g) for g in gaps]),
        lower=sum(1 for g in gaps if g < ZERO),
        higher=sum(1 for g in gaps if g > ZERO),
        largest=largest,
    )


@dataclass
class Summary:
    """Every figure of the report."""

    department: str
    years: list[int]
    policies: list[str]
    forms: int
    units: list[str]
    expected: int | None  # forms expected (--expected or the project list)
    covered: int  # forms that count toward the coverage (those on the list, when one is given)
    extra: list[str]  # forms whose project is not on the list
    missing: list[str]  # projects on the list without a form
    coverage: Decimal | None  # forms / expected × 100
    initial: Decimal  # Σ 年初预算数, 万元
    adjusted: Decimal  # Σ 全年预算数
    executed: Decimal  # Σ 全年执行数
    fiscal_adjusted: Decimal  # Σ 当年财政拨款 全年预算数
    rate: Decimal | None  # Σ 执行数 / Σ 预算数 × 100
    projects: list[ProjectLine]
    grades: list[str]  # the policy's grades, best first (then 未填 when any)
    declared_grades: dict[str, int]
    computed_grades: dict[str, int]
    mean_declared: Decimal | None
    mean_computed: Decimal | None
    lowest: Decimal | None
    highest: Decimal | None
    score_differs: list[ProjectLine]  # declared 总分 ≠ computed
    indicators: int
    met: int
    missed: list[IndicatorLine]
    over: list[IndicatorLine]
    overrun_ratio: Decimal
    exec_rate_warn: Decimal
    low_rate: list[ProjectLine]  # 执行率 below exec_rate_warn (第二十六条)
    low_grades: list[str]  # the policy's two lowest grades (中, 差)
    low_grade: list[ProjectLine]  # declared in one of them (第二十六条: 自评结果较差)
    rate_bands: list[tuple[str, int]]  # 执行率 distribution
    severities: dict[str, int]
    rules: list[RuleCount]
    partial: list[str] = field(default_factory=list)  # forms the importer left gaps in
    selection: str = ""  # which forms the report counts, in words (stated in section 二)
    recheck: RecheckFigures | None = None  # 抽查复核 results, when given


def _common(values: Sequence[str]) -> str:
    names = list(dict.fromkeys(v for v in values if v))
    return "、".join(names) if names else "（未填主管部门）"


def _indicator_lines(
    audit: FormAudit, overrun: Decimal
) -> tuple[int, int, list[IndicatorLine], list[IndicatorLine]]:
    form = audit.form
    met = 0
    missed: list[IndicatorLine] = []
    over: list[IndicatorLine] = []
    for row, s in zip(form.indicators, audit.scorecard.indicators, strict=True):
        reason = "" if is_placeholder(row.deviation) else (row.deviation or "").strip()
        line = IndicatorLine(
            form.label, row.name, row.target, row.actual, row.weight, row.score, s.ratio, reason
        )
        if s.met is False:
            missed.append(line)
        elif s.met:
            met += 1
        if s.method in ("positive", "equal") and s.ratio is not None and s.ratio >= overrun:
            over.append(line)
    return len(form.indicators), met, missed, over


def _rate_bands(lines: Sequence[ProjectLine], warn: Decimal) -> list[tuple[str, int]]:
    rates = [p.rate for p in lines]
    return [
        ("100%及以上", sum(1 for r in rates if r is not None and r >= HUNDRED)),
        (f"{warn}%–100%", sum(1 for r in rates if r is not None and warn <= r < HUNDRED)),
        (f"低于{warn}%", sum(1 for r in rates if r is not None and r < warn)),
        ("无法计算", sum(1 for r in rates if r is None)),
    ]


def summarize(
    audits: Sequence[FormAudit],
    policy: Policy,
    *,
    department: str | None = None,
    expected: int | None = None,
    projects: Sequence[str] | None = None,
    coverage: Coverage | None = None,
    selection: str = "",
    rechecks: Sequence[RecheckResult] | None = None,
) -> Summary:
    """The report's figures for ``audits`` (one department's forms, already filtered).

    ``policy`` gives the grade bands and the thresholds the report uses (over-achievement
    ratio, low 执行率); each form is scored and audited under its own policy. ``projects``
    (the projects that should have a form) gives the expected count and the missing ones;
    ``expected`` gives the count alone; ``coverage``, measured by the caller, gives all of
    them (it wins over the other two). ``selection`` says in words which forms were chosen.
    ``rechecks``: the forms 财政 re-checked (抽查复核), counted in the report's section on
    problems; None leaves the section without them.
    """
    forms = [a.form for a in audits]
    lines: list[ProjectLine] = []
    initial = adjusted = executed = fiscal = ZERO
    for a in audits:
        f, card = a.form, a.scorecard
        total = f.funds.total
        initial += to_wan(total.initial, f.amount_unit)
        adjusted += to_wan(total.adjusted, f.amount_unit)
        executed += to_wan(total.executed, f.amount_unit)
        fiscal += to_wan(f.funds.fiscal.adjusted, f.amount_unit)
        rate = card.rate.computed
        lines.append(
            ProjectLine(
                project=f.label,
                unit=f.unit,
                adjusted=money(to_wan(total.adjusted, f.amount_unit)),
                executed=money(to_wan(total.executed, f.amount_unit)),
                rate=rate if isinstance(rate, Decimal) else f.funds.total.rate,
                declared_total=f.total_score,
                computed_total=card.total.computed
                if isinstance(card.total.computed, Decimal)
                else None,
                declared_grade=(f.grade or "").strip() or UNGRADED,
                computed_grade=card.grade.computed
                if isinstance(card.grade.computed, str)
                else None,
                findings=len(a.findings),
            )
        )

    listed = list(dict.fromkeys(p for p in projects or () if p.strip()))
    given = {f.project.strip() for f in forms}
    missing = [p for p in listed if p.strip() not in given]
    want = len(listed) if projects is not None else expected
    extra = _extra(forms, listed)
    covered = len(forms) - len(extra)
    if coverage is not None:
        want, covered = coverage.expected, coverage.covered
        extra, missing = list(coverage.extra), list(coverage.missing)

    grades = [b.grade for b in policy.grades]
    declared = Counter(p.declared_grade for p in lines)
    computed = Counter(p.computed_grade for p in lines if p.computed_grade)
    if declared.get(UNGRADED):
        grades.append(UNGRADED)
    totals = [p.declared_total for p in lines if p.declared_total is not None]
    computed_totals = [p.computed_total for p in lines if p.computed_total is not None]

    overrun = policy.audit.overrun_ratio
    n_ind = n_met = 0
    missed: list[IndicatorLine] = []
    over: list[IndicatorLine] = []
    for a in audits:
        n, m, miss, ov = _indicator_lines(a, overrun)
        n_ind, n_met = n_ind + n, n_met + m
        missed += miss
        over += ov

    by_rule: dict[str, list[str]] = {}
    titles: dict[str, tuple[str, str]] = {}
    severities = Counter[str]()
    for a in audits:
        for finding in a.findings:
            by_rule.setdefault(finding.rule, []).append(a.form.label)
            titles.setdefault(finding.rule, (finding.title, finding.severity))
            severities[finding.severity] += 1
    rules = sorted(
        (
            RuleCount(rule, titles[rule][0], titles[rule][1], len(set(labels)), len(labels))
            for rule, labels in by_rule.items()
        ),
        key=lambda r: (-r.findings, r.rule),
    )
    warn = policy.audit.exec_rate_warn
    worst = [b.grade for b in policy.grades[-2:]]  # 中 and 差 under the usual bands
    return Summary(
        department=department or _common([f.department for f in forms]),
        years=sorted({f.year for f in forms if f.year is not None}),
        policies=list(dict.fromkeys(a.scorecard.policy for a in audits)),
        forms=len(forms),
        units=list(dict.fromkeys(f.unit for f in forms if f.unit)),
        expected=want,
        covered=covered,
        extra=extra,
        missing=missing,
        coverage=percent(Decimal(covered), Decimal(want)) if want else None,
        initial=money(initial),
        adjusted=money(adjusted),
        executed=money(executed),
        fiscal_adjusted=money(fiscal),
        rate=percent(executed, adjusted),
        projects=lines,
        grades=grades,
        declared_grades={g: declared.get(g, 0) for g in grades},
        computed_grades={g: computed.get(g, 0) for g in grades if g != UNGRADED},
        mean_declared=quantize(sum(totals, ZERO) / len(totals), 2, "half_up") if totals else None,
        mean_computed=quantize(sum(computed_totals, ZERO) / len(computed_totals), 2, "half_up")
        if computed_totals
        else None,
        lowest=min(totals) if totals else None,
        highest=max(totals) if totals else None,
        score_differs=[
            p
            for p in lines
            if p.computed_total is not None and p.declared_total != p.computed_total
        ],
        indicators=n_ind,
        met=n_met,
        missed=missed,
        over=over,
        overrun_ratio=overrun,
        exec_rate_warn=warn,
        low_rate=[p for p in lines if p.rate is not None and p.rate < warn],
        low_grades=worst,
        low_grade=[p for p in lines if p.declared_grade in worst],
        rate_bands=_rate_bands(lines, warn),
        severities={s: severities.get(s, 0) for s in SEVERITY_LABELS},
        rules=rules,
        partial=[f.label for f in forms if f.partial],
        selection=selection,
        recheck=recheck_figures(rechecks, policy) if rechecks is not None else None,
    )


def _extra(forms: Sequence[SelfEvaluation], listed: Sequence[str]) -> list[str]:
    """Forms whose project is not on the list (when a list is given): not counted as cover."""
    if not listed:
        return []
    wanted = {p.strip() for p in listed}
    return [f.label for f in forms if f.project.strip() not in wanted]


def select_department(forms: Sequence[SelfEvaluation], name: str) -> list[SelfEvaluation]:
    """The forms of 主管部门 ``name`` (compared without whitespace)."""
    want = "".join(name.split())
    return [f for f in forms if "".join(f.department.split()) == want]


# --- the report's text ----------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A table of the report: a caption, its heads and rows of strings."""

    caption: str
    heads: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]


@dataclass(frozen=True)
class Chart:
    """A bar chart: a caption and (label, value) bars."""

    caption: str
    bars: list[tuple[str, int]]


Block = str | Table | Chart  # a paragraph, a table or a chart


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: list[Block]


def show(value: Decimal | None, suffix: str = "") -> str:
    """A figure as the report prints it: plain notation, "-" for none."""
    return "-" if value is None else f"{value:f}{suffix}"


def _years(s: Summary) -> str:
    if not s.years:
        return ""
    if len(s.years) == 1:
        return f"{s.years[0]}年度"
    return f"{s.years[0]}–{s.years[-1]}年度"


def title(s: Summary) -> str:
    """郑州市教育局2024年度部门项目支出绩效自评总结报告."""
    return f"{s.department}{_years(s)}{TITLE}"


def _projects_table(s: Summary) -> Table:
    rows = [
        (
            str(i),
            p.project,
            p.unit or "-",
            show(p.adjusted),
            show(p.executed),
            show(p.rate),
            show(percent(p.adjusted, s.adjusted)),
        )
        for i, p in enumerate(s.projects, 1)
    ]
    rows.append(("", "合计", "", show(s.adjusted), show(s.executed), show(s.rate), "100.00"))
    return Table(
        "表1 项目支出构成及预算执行情况（万元）",
        ("序号", "项目名称", "实施单位", "全年预算数", "全年执行数", "执行率(%)", "占预算比重(%)"),
        rows,
    )


def _scores_table(s: Summary) -> Table:
    rows = [
        (
            str(i),
            p.project,
            show(p.declared_total),
            show(p.computed_total),
            p.declared_grade,
            p.computed_grade or "-",
            str(p.findings),
        )
        for i, p in enumerate(s.projects, 1)
    ]
    return Table(
        "表2 各项目自评得分",
        ("序号", "项目名称", "自评总分", "复算总分", "自评等级", "复算等级", "审核发现(条)"),
        rows,
    )


def _grade_table(s: Summary) -> Table:
    rows = [
        (g, str(s.declared_grades[g]), str(s.computed_grades.get(g, "-")) if g != UNGRADED else "-")
        for g in s.grades
    ]
    return Table("表3 评分等级分布（个）", ("评分等级", "自评", "按口径复算"), rows)


def _indicator_table(caption: str, lines: Sequence[IndicatorLine], ratio: bool) -> Table:
    heads: tuple[str, ...] = (
        "项目名称",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "自评得分",
    )
    heads += ("完成值/指标值",) if ratio else ()
    heads += ("单位说明的原因及改进措施",)
    rows = []
    for x in lines:
        row: tuple[str, ...] = (
            x.project,
            x.name,
            x.target,
            x.actual,
            show(x.weight),
            show(x.score),
        )
        row += (show(x.ratio),) if ratio else ()
        rows.append((*row, x.reason or "（未说明）"))
    return Table(caption, heads, rows)


def _named(lines: Sequence[ProjectLine], what: Callable[[ProjectLine], str]) -> str:
    return "、".join(f"{p.project}（{what(p)}）" for p in lines)


def signed(value: Decimal | None) -> str:
    """A gap as the report and the 复核 pages print it: "+1.50", "-2.00", "0.00", "-" for none."""
    if value is None:
        return "-"
    return f"+{value:f}" if value > ZERO else f"{value:f}"


def _recheck_blocks(r: RecheckFigures) -> list[Block]:
    """The 抽查复核 paragraph and the table of the largest gaps (财预〔2020〕10号 第十九条)."""
    n = len(r.results)
    if not n:
        return [f"本期财政抽查复核（{SAMPLING_2020.cite}）尚无已完成复核的自评表。"]
    text = (
        f"财政抽查复核（{SAMPLING_2020.cite}）已完成 {n} 张自评表，其中可比较总分的 "
        f"{r.compared} 张：复核总分低于自评总分的 {r.lower} 张，高于的 {r.higher} 张，"
        f"一致的 {r.compared - r.lower - r.higher} 张；复核总分与自评总分之差平均 "
        f"{signed(r.mean_gap)} 分，差额绝对值平均 {show(r.mean_abs_gap)} 分。"
    )
    if r.largest:
        top = r.largest[0]
        text += (
            f"差异最大的是{top.project}（自评 {show(top.self_total)} 分，复核 "
            f"{show(top.recheck_total)} 分，差 {signed(top.gap)} 分）。"
        )
    blocks: list[Block] = [text]
    if r.largest:
        rows = []
        for i, x in enumerate(r.largest, 1):
            row = x.largest_row
            rows.append(
                (
                    str(i),
                    x.project,
                    x.unit or "-",
                    show(x.self_total),
                    show(x.recheck_total),
                    signed(x.gap),
                    f"{row.name}（{signed(row.gap)}）" if row is not None else "-",
                    x.conclusion or "-",
                )
            )
        blocks.append(
            Table(
                "表7 抽查复核差异较大的项目（分）",
                (
                    "序号",
                    "项目名称",
                    "实施单位",
                    "自评总分",
                    "复核总分",
                    "差异",
                    "差异最大的指标",
                    "复核结论",
                ),
                rows,
            )
        )
    return blocks


def sections(s: Summary) -> list[Section]:
    """The report, heading by heading of the 参考提纲, built from the figures alone."""
    years = _years(s)
    unexplained_over = [x for x in s.over if not x.reason]
    unexplained_missed = [x for x in s.missed if not x.reason]

    one: list[Block] = [
        f"本报告汇总{s.department}{years}项目支出绩效自评表 {s.forms} 张，涉及实施单位 "
        f"{len(s.units)} 个。项目年初预算数合计 {show(s.initial)} 万元，全年预算数合计 "
        f"{show(s.adjusted)} 万元（其中当年财政拨款 {show(s.fiscal_adjusted)} 万元），"
        "全年执行数合计 "
        f"{show(s.executed)} 万元，总体预算执行率 {show(s.rate, '%')}。",
        _projects_table(s),
    ]

    coverage = (
        f"应开展绩效自评的项目 {s.expected} 个，已提交自评表 {s.covered} 张，"
        f"自评覆盖率 {show(s.coverage, '%')}。"
        if s.expected is not None
        else f"已提交自评表 {s.forms} 张（未提供应开展自评的项目数，覆盖率无法计算）。"
    )
    two: list[Block] = (
        [f"纳入本报告的自评表：{s.selection}。", coverage] if s.selection else [coverage]
    )
    if s.extra:
        two.append(f"另有不在项目清单内的自评表 {len(s.extra)} 张：{'、'.join(s.extra)}。")
    if s.missing:
        two.append(f"尚未提交自评表的项目 {len(s.missing)} 个：{'、'.join(s.missing)}。")
    units = Counter(p.unit or "（未填实施单位）" for p in s.projects)
    two.append(
        "自评由各实施单位填报："
        + "；".join(f"{u} {n} 张" for u, n in units.items())
        + f"。各表按评分口径 {'、'.join(s.policies)} 复算分数，并逐项审核。"
    )

    g = "，".join(f"{k} {v} 个" for k, v in s.declared_grades.items())
    three: list[Block] = [
        f"（一）自评分数情况。{s.forms} 个项目自评总分平均 {show(s.mean_declared)} 分，最高 "
        f"{show(s.highest)} 分，最低 {show(s.lowest)} 分；"
        f"按口径复算平均 {show(s.mean_computed)} 分。"
        f"自评等级：{g}。",
        _scores_table(s),
        _grade_table(s),
        Chart("图1 自评等级分布（个）", [(k, v) for k, v in s.declared_grades.items()]),
    ]
    if s.score_differs:
        three.append(
            f"自评总分与按口径复算不一致的项目 {len(s.score_differs)} 个："
            + "、".join(
                f"{p.project}（自评 {show(p.declared_total)}，复算 {show(p.computed_total)}）"
                for p in s.score_differs
            )
            + "。"
        )
    three.append(
        f"（二）绩效指标完成情况。三级指标共 {s.indicators} 个，按口径判定达到指标值的 {s.met} 个，"
        f"未达到的 {len(s.missed)} 个；完成值达到指标值 {s.overrun_ratio} 倍及以上（超额完成较多）"
        f"的 {len(s.over)} 个。"
    )
    if s.missed:
        three.append(_indicator_table("表4 未完成的指标及原因", s.missed, ratio=False))
    if s.over:
        three.append(_indicator_table("表5 超额完成较多的指标及原因", s.over, ratio=True))
    bands = "，".join(f"{k} {v} 个" for k, v in s.rate_bands if v or k != "无法计算")
    three.append(
        f"（三）预算执行情况分析。总体预算执行率 {show(s.rate, '%')}；各项目执行率：{bands}。"
    )

    four: list[Block] = []
    total = sum(s.severities.values())
    if total:
        sev = "，".join(f"{SEVERITY_LABELS[k]} {v} 条" for k, v in s.severities.items())
        four.append(f"审核共发现问题 {total} 条：{sev}。主要问题如下表（按出现次数）：")
        four.append(
            Table(
                "表6 审核发现的主要问题",
                ("规则", "问题", "严重程度", "涉及项目(个)", "次数"),
                [
                    (r.rule, r.title, SEVERITY_LABELS[r.severity], str(r.forms), str(r.findings))
                    for r in s.rules[:MAIN_RULES]
                ],
            )
        )
    else:
        four.append("审核未发现问题。")
    if s.low_rate:
        four.append(
            f"预算执行率低于 {s.exec_rate_warn}% 的项目 {len(s.low_rate)} 个："
            + _named(s.low_rate, lambda p: f"{show(p.rate, '%')}")
            + f"。{REPORT_2020.cite}要求对预算执行率偏低的项目单独说明原因，提出整改措施。"
        )
    if s.low_grade:
        four.append(
            f"自评等级为{'、'.join(s.low_grades)}的项目 "
            f"{len(s.low_grade)} 个：" + _named(s.low_grade, lambda p: p.declared_grade) + "。"
        )
    if s.recheck is not None:
        four.extend(_recheck_blocks(s.recheck))
    if s.missed:
        four.append(
            f"未完成的指标 {len(s.missed)} 个中，单位已说明原因及改进措施的 "
            f"{len(s.missed) - len(unexplained_missed)} 个（见表4），未说明的 "
            f"{len(unexplained_missed)} 个。"
        )

    five: list[Block] = []
    if s.low_rate:
        five.append(
            f"对执行率低于 {s.exec_rate_warn}% 的 {len(s.low_rate)} 个项目，建议由实施单位按"
            f"{REPORT_2020.cite}单独说明原因、提出整改措施，并在安排下年度预算时结合执行情况统筹考虑。"
        )
    if s.score_differs:
        five.append(
            f"对自评总分与复算不一致的 {len(s.score_differs)} 个项目，建议退回实施单位核实更正。"
        )
    if unexplained_over:
        five.append(
            f"对超额完成较多而未说明原因的 {len(unexplained_over)} 个指标，"
            "建议核实年初指标值是否设定偏低，"
            f"属偏低的按偏离度适度调减分值（{SCORING_2020.cite}），并在下年度从严、从高设定指标值。"
        )
    if unexplained_missed:
        five.append(
            f"对未完成而未说明原因的 {len(unexplained_missed)} 个指标，"
            "建议补充偏差原因分析及改进措施。"
        )
    if s.recheck is not None and s.recheck.lower:
        five.append(
            f"对抽查复核中复核总分低于自评总分的 {s.recheck.lower} 个项目，"
            "建议实施单位对照复核意见核实更正自评结果，并在下年度自评中从严评分。"
        )
    if not five:
        five.append("各项目预算执行和指标完成情况未见需要单独提出的问题。")

    six: list[Block] = [
        f"本报告的数字由各项目绩效自评表汇总和按口径（{'、'.join(s.policies)}）复算得出，"
        f"金额以万元为单位、四舍五入保留两位小数；结构依据{OUTLINE_2020.cite}。"
    ]
    if s.partial:
        six.append(f"导入不完整、有缺漏的自评表 {len(s.partial)} 张：{'、'.join(s.partial)}。")
    return [
        Section(h, b) for h, b in zip(HEADINGS, (one, two, three, four, five, six), strict=True)
    ]
