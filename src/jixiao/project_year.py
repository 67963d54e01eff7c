"""A project's year side by side: per indicator the target (申报表, as approved), what July
said (监控表) and the result (自评表), with the gaps between them named.

Indicators are matched across the three documents by 三级指标 (whitespace ignored), in the
approved 申报表's order, then those only the 监控表 or only the 自评表 has. A gap is named
in words and marked by kind for the page: the 自评's or the 监控表's 年度指标值 differs from
the approved one (``changed``), an 调整 changed the 批复's (``adjusted``), a document lacks
the indicator (``missing``), July said 完全不可能 but the 自评 scored full marks
(``contradiction``, rule M04), July doubted it (``doubtful``: 有可能 / 完全不可能).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.audit.context import squash
from jixiao.audit.monitoring import july_contradictions
from jixiao.audit.plausibility import same_target
from jixiao.model import Indicator, SelfEvaluation
from jixiao.plans import MonitorIndicator, Monitoring, TargetDeclaration, TargetIndicator

CHANGED, ADJUSTED, MISSING, CONTRADICTION, DOUBTFUL = (
    "changed",
    "adjusted",
    "missing",
    "contradiction",
    "doubtful",
)


@dataclass
class Gap:
    """One gap of a row or of the year: its kind (for the page's highlight) and its words."""

    kind: str
    text: str


@dataclass
class YearRow:
    """One indicator across the three documents (None: the document lacks it)."""

    level1: str
    level2: str
    name: str
    target: TargetIndicator | None = None  # as approved (the latest 调整, else the 批复)
    before: TargetIndicator | None = None  # the 批复's, where an 调整 changed it
    july: MonitorIndicator | None = None
    result: Indicator | None = None
    gaps: list[Gap] = field(default_factory=list)

    @property
    def kinds(self) -> set[str]:
        return {g.kind for g in self.gaps}

    @property
    def full_marks(self) -> bool:
        r = self.result
        return (
            r is not None and r.weight is not None and r.score is not None and r.score >= r.weight
        )


@dataclass
class FundsLine:
    """年度资金总额 through the year: 申报 (年度), 监控 (年初预算数, 执行数, 执行率, 全年预计),
    自评 (全年预算数, 全年执行数, 执行率)."""

    declared: Decimal | None = None
    initial: Decimal | None = None
    july_executed: Decimal | None = None
    july_rate: Decimal | None = None
    forecast: Decimal | None = None
    budget: Decimal | None = None
    executed: Decimal | None = None
    rate: Decimal | None = None


@dataclass
class ProjectYear:
    rows: list[YearRow]
    gaps: list[Gap]  # of the whole year: documents missing, not approved
    funds: FundsLine

    @property
    def row_gaps(self) -> int:
        return sum(len(r.gaps) for r in self.rows)


def project_year(
    declaration: TargetDeclaration | None,
    monitoring: Monitoring | None,
    form: SelfEvaluation | None,
    approved: bool = True,
    first_approved: TargetDeclaration | None = None,
) -> ProjectYear:
    """The year of one project: ``declaration`` the 申报表 that counts (``approved`` says
    whether it is approved), ``first_approved`` the 批复 an 调整 replaced (None without an
    调整), ``monitoring`` the 监控表 and ``form`` the 自评表, each None when missing."""
    rows: dict[str, YearRow] = {}

    def row(ind: TargetIndicator | MonitorIndicator | Indicator) -> YearRow:
        key = squash(ind.name)
        if key not in rows:
            rows[key] = YearRow(ind.level1, ind.level2, ind.name)
        return rows[key]

    for t in declaration.indicators if declaration else []:
        row(t).target = t
    before = {squash(t.name): t for t in first_approved.indicators} if first_approved else {}
    for m in monitoring.indicators if monitoring else []:
        row(m).july = m
    for i in form.indicators if form else []:
        row(i).result = i
    contradicted = (
        {squash(f.indicator or "") for f in july_contradictions(form, monitoring)}
        if form is not None and monitoring is not None
        else set()
    )
    for key, r in rows.items():
        old = before.get(key)
        if (
            r.target is not None
            and old is not None
            and not same_target(old.target, r.target.target)
        ):
            r.before = old
            r.gaps.append(Gap(ADJUSTED, f"已调整：批复为“{old.target}”，调整为“{r.target.target}”"))
        _row_gaps(r, declaration, monitoring, form, key in contradicted)
    return ProjectYear(
        list(rows.values()),
        _year_gaps(declaration, monitoring, form, approved),
        _funds(declaration, monitoring, form),
    )


def _row_gaps(
    r: YearRow,
    declaration: TargetDeclaration | None,
    monitoring: Monitoring | None,
    form: SelfEvaluation | None,
    contradicted: bool,
) -> None:
    approved = r.target.target if r.target is not None else None
    if declaration is not None and r.target is None:
        r.gaps.append(Gap(MISSING, "申报表中没有此指标"))
    if monitoring is not None and r.july is None:
        r.gaps.append(Gap(MISSING, "监控表中没有此指标"))
    if form is not None and r.result is None:
        r.gaps.append(Gap(MISSING, "自评表中没有此指标"))
    july_target = r.july.target if r.july is not None else ""
    if july_target and approved is not None and not same_target(july_target, approved):
        text = f"监控表的年度指标值“{july_target}”与批复的“{approved}”不同"
        r.gaps.append(Gap(CHANGED, text))
    result = r.result
    if approved is not None and result is not None and not same_target(result.target, approved):
        text = f"自评表的年度指标值“{result.target}”与批复的“{approved}”不同"
        r.gaps.append(Gap(CHANGED, text))
    if contradicted:
        r.gaps.append(Gap(CONTRADICTION, "监控时“完全不可能”完成，自评却得满分"))
    elif r.july is not None and r.july.likelihood in ("有可能", "完全不可能"):
        r.gaps.append(Gap(DOUBTFUL, f"监控时完成目标可能性为“{r.july.likelihood}”"))


def _year_gaps(
    declaration: TargetDeclaration | None,
    monitoring: Monitoring | None,
    form: SelfEvaluation | None,
    approved: bool,
) -> list[Gap]:
    gaps = []
    if declaration is None:
        gaps.append(Gap(MISSING, "没有绩效目标申报表：自评的年度指标值无从核对"))
    elif not approved:
        gaps.append(Gap(MISSING, "绩效目标申报表尚未批复"))
    if monitoring is None:
        gaps.append(Gap(MISSING, "没有绩效目标执行监控表"))
    if form is None:
        gaps.append(Gap(MISSING, "没有自评表"))
    return gaps


def _funds(
    declaration: TargetDeclaration | None,
    monitoring: Monitoring | None,
    form: SelfEvaluation | None,
) -> FundsLine:
    line = FundsLine()
    if declaration is not None:
        line.declared = declaration.annual_funds.total
    if monitoring is not None:
        total = monitoring.funds.total
        line.initial, line.july_executed = total.initial, total.executed
        line.july_rate, line.forecast = total.rate, total.forecast
    if form is not None:
        total_row = form.funds.total
        line.budget, line.executed, line.rate = (
            total_row.adjusted,
            total_row.executed,
            total_row.rate,
        )
    return line
