"""The M rules: a 绩效目标执行监控表 checked (M01–M03) and, at 自评, what July said (M04).

They are rules of the registry (:mod:`jixiao.audit.registry`, family M 执行监控) like every
other: documented in docs/rules.md, listed by ``jixiao rules``, their severity set by the
policy (``[audit.severity]``) and M01's levels by its thresholds (``monitor_red``,
``monitor_yellow``). M01–M03 check a 监控表 (``subject="monitoring"``: their check reads a
:class:`MonitoringContext`; :func:`audit_monitoring` runs them, ``jixiao monitor``); M04 is
a rule on the 自评表 that reads the year's 监控表 from the form's
:class:`~jixiao.audit.context.AuditContext` (``monitorings``), so it runs wherever forms are
audited with them (``jixiao audit`` of a file holding both, ``jixiao monitor``).

- **M01** 1-7月执行率 behind the time schedule: the share of the year the period covers
  (1-7月 → 7/12 = 58.33 %); below ``monitor_red`` × schedule (default 60 %) an error
  (红色预警), below ``monitor_yellow`` × schedule (default 80 %) a warning (黄色预警).
- **M02** 完成目标可能性 "有可能" or "完全不可能" with no 偏差原因 ticked and no 原因说明
  (完全不可能: an error).
- **M03** 全年预计执行数 above the row's 年初预算数 (for 年度资金总额: above 年度资金总额).
- **M04** a target marked 完全不可能 in July but scored full marks in the 自评表.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from jixiao.audit.examples import put, row
from jixiao.audit.registry import (
    REGISTRY,
    Finding,
    Hit,
    Patch,
    fires,
    rule,
    run_rules,
    silent,
    source_span,
)
from jixiao.model import FUND_ROW_LABELS, FUND_ROWS, SelfEvaluation
from jixiao.plans import Monitoring, link_key
from jixiao.policy import AuditThresholds, Policy, load_policy

if TYPE_CHECKING:
    from jixiao.audit.context import AuditContext

_PERIOD = re.compile(r"(\d{1,2})\s*[-—~至]\s*(\d{1,2})\s*月")
_SPACE = re.compile(r"\s+")
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
_SOURCE = "中央部门项目库的绩效目标执行监控表表样（tests/data/workbooks，监控表一页）[C samples]"


def schedule(period: str) -> Decimal | None:
    """The time schedule at the end of ``period`` in percent: "1-7月" → 58.33."""
    m = _PERIOD.search(period)
    if m is None:
        return None
    first, last = int(m.group(1)), int(m.group(2))
    if not 1 <= first <= last <= 12:
        return None
    return (Decimal(last - first + 1) / 12 * HUNDRED).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class MonitoringContext:
    """One 监控表 under audit, with the policy whose thresholds the M rules read."""

    doc: Monitoring
    policy: Policy

    @property
    def t(self) -> AuditThresholds:
        return self.policy.audit


def _rate(rate: str) -> Patch:
    return put(**{"funds.total.executed": rate, "funds.total.rate": rate})


@rule(
    "M01",
    "warning",
    "执行进度慢于时间进度",
    rationale="监控时点的预算执行率应与时间进度相当；1-7月的时间进度为 7/12 = 58.33%。执行率低于"
    "时间进度的一定比例，说明项目执行滞后，年底可能完不成支出和目标，须分析原因、及时纠偏。"
    "低于 monitor_red（默认 60%）倍时间进度为红色预警（错误），低于 monitor_yellow（默认 80%）"
    "倍为黄色预警（警告）。",
    source=_SOURCE + "；时间进度 = 监控期月数 ÷ 12，红色 / 黄色预警的比例为口径参数 [I]",
    fix="分析执行慢的原因，提出加快执行的措施；确难执行的，按程序调整预算。",
    examples=[
        fires("1-7月执行率 30%，低于时间进度 58.33% 的 60%：红色预警", _rate("30.00")),
        fires("1-7月执行率 40%，低于时间进度的 80%：黄色预警", _rate("40.00")),
        silent("1-7月执行率 60%，不慢于时间进度"),
        silent("执行率未填", put(**{"funds.total.rate": None})),
    ],
    subject="monitoring",
)
def execution_behind(ctx: MonitoringContext) -> Iterator[Hit]:
    doc = ctx.doc
    due = schedule(doc.period)
    rate = doc.funds.total.rate
    if due is None or rate is None:
        return
    red = (due * ctx.t.monitor_red).quantize(CENT, ROUND_HALF_UP)
    yellow = (due * ctx.t.monitor_yellow).quantize(CENT, ROUND_HALF_UP)
    if rate >= yellow:
        return
    is_red = rate < red
    share = ctx.t.monitor_red if is_red else ctx.t.monitor_yellow
    yield Hit(
        "funds.total.rate",
        f"{doc.period}执行率 {rate}% 低于时间进度 {due}% 的{share * 100:.0f}%"
        f"（{red if is_red else yellow}%），{'红色预警' if is_red else '黄色预警'}",
        rate,
        f"≥ {yellow}",
        severity="error" if is_red else None,
    )


@rule(
    "M02",
    "warning",
    "完成目标可能性存疑但未说明原因",
    rationale="监控表对每个指标判断完成目标的可能性；判为“有可能”或“完全不可能”的，应勾选偏差原因"
    "（经费、制度、人员、硬件条件保障或其他）并说明原因和纠偏措施，否则监控没有结论。"
    "“完全不可能”而无原因为错误。",
    source=_SOURCE + "，其“偏差原因分析”与“原因说明”栏",
    fix="勾选偏差原因类别并在原因说明中写明原因和纠偏措施。",
    examples=[
        fires("第2行“有可能”，未勾选原因也无说明", row(2, likelihood="有可能")),
        fires("第2行“完全不可能”，无原因（错误）", row(2, likelihood="完全不可能")),
        silent("“有可能”，勾选了经费保障", row(2, likelihood="有可能", causes=["经费保障"])),
        silent("“完全不可能”，写了原因说明", row(2, likelihood="完全不可能", reason="合同晚签")),
    ],
    subject="monitoring",
)
def doubtful_without_reason(ctx: MonitoringContext) -> Iterator[Hit]:
    for position, ind in enumerate(ctx.doc.indicators, start=1):
        if ind.likelihood in ("有可能", "完全不可能") and not ind.causes and not ind.reason.strip():
            yield Hit(
                f"indicators[{position - 1}].reason",
                f"完成目标可能性为“{ind.likelihood}”，未勾选偏差原因，也没有原因说明",
                ind.likelihood,
                "偏差原因及说明",
                position,
                ind.name,
                severity="error" if ind.likelihood == "完全不可能" else None,
            )


@rule(
    "M03",
    "warning",
    "全年预计执行数超过预算数",
    rationale="全年预计执行数超过年初预算数（年度资金总额一行超过年度资金总额），说明要么预计有误，"
    "要么将超预算支出；超预算须先按程序调整预算。",
    source=_SOURCE + "；预计超出预算须先调整预算 [I]",
    fix="核对全年预计执行数；确需超出的，先按程序调整预算。",
    examples=[
        fires("年度资金总额：预算 100，全年预计 120", put(**{"funds.total.forecast": "120.00"})),
        silent("全年预计等于预算"),
        silent("全年预计未填", put(**{"funds.total.forecast": None})),
    ],
    subject="monitoring",
)
def forecast_above_budget(ctx: MonitoringContext) -> Iterator[Hit]:
    for key in FUND_ROWS:
        row = getattr(ctx.doc.funds, key)
        if row.forecast is not None and row.initial is not None and row.forecast > row.initial:
            yield Hit(
                f"funds.{key}.forecast",
                f"{FUND_ROW_LABELS[key]}的全年预计执行数 {row.forecast} "
                f"超过年初预算数 {row.initial}",
                row.forecast,
                f"≤ {row.initial}",
            )


@rule(
    "M04",
    "warning",
    "监控时“完全不可能”完成的指标自评得满分",
    rationale="年中监控时单位自己判断某指标“完全不可能”完成，年底自评却给满分：要么监控后确实"
    "赶上了（应附依据），要么自评得分虚高。只有同时提供同一项目年度的执行监控表时才能检查。",
    source=_SOURCE + "；同一项目年度的监控表与自评表对照 [I]",
    fix="核对该指标的实际完成值和得分；监控后目标确已完成的，附完成的依据。",
    examples=[
        fires(
            "7月监控表上第2行“完全不可能”，自评该行满分",
            monitoring=row(2, likelihood="完全不可能", causes=["经费保障"]),
        ),
        silent(
            "7月“完全不可能”，自评该行未得满分",
            row(2, score="15.00"),
            monitoring=row(2, likelihood="完全不可能", causes=["经费保障"]),
        ),
        silent("7月各行均“确定能”", monitoring=row(2, likelihood="确定能")),
        silent("没有提供执行监控表"),
    ],
)
def impossible_in_july(ctx: AuditContext) -> Iterator[Hit]:
    for monitoring in ctx.monitorings:
        yield from july_hits(ctx.form, monitoring)


def _same_year(form: SelfEvaluation, monitoring: Monitoring) -> bool:
    if link_key(form.project, form.year)[0] != monitoring.key[0]:
        return False
    return form.year is None or monitoring.year is None or form.year == monitoring.year


def july_hits(form: SelfEvaluation, monitoring: Monitoring) -> Iterator[Hit]:
    """M04's hits: the 自评表's indicators marked 完全不可能 in ``monitoring`` (the same
    project and year, matched by 三级指标) but scored full marks (得分 = 分值)."""
    if not _same_year(form, monitoring):
        return
    impossible = {
        _SPACE.sub("", i.name) for i in monitoring.indicators if i.likelihood == "完全不可能"
    }
    for position, ind in enumerate(form.indicators, start=1):
        full = ind.weight is not None and ind.score is not None and ind.score >= ind.weight > 0
        if full and _SPACE.sub("", ind.name) in impossible:
            yield Hit(
                f"indicators[{position - 1}].score",
                f"{monitoring.period}监控时标为“完全不可能”完成，自评却得满分 {ind.score}",
                ind.score,
                f"< {ind.weight}，或附完成依据",
                position,
                ind.name,
            )


def audit_monitoring(doc: Monitoring, policy: Policy | None = None) -> list[Finding]:
    """The findings of M01–M03 on one 监控表 under ``policy`` (``mof-2020`` when none:
    its thresholds and severities), most severe first."""
    pol = policy or load_policy("mof-2020")
    return run_rules(
        REGISTRY.on("monitoring"),
        MonitoringContext(doc, pol),
        doc.label,
        source_span(doc),
        pol.audit.severity,
    )


def july_contradictions(
    form: SelfEvaluation,
    monitorings: Monitoring | Sequence[Monitoring],
    policy: Policy | None = None,
) -> list[Finding]:
    """M04 alone on one 自评表 beside the year's 监控表 (one or several), as the form audit
    reports it (``policy``: its severity for M04)."""
    from jixiao.audit.context import AuditContext

    pol = policy or load_policy("mof-2020")
    watched = [monitorings] if isinstance(monitorings, Monitoring) else list(monitorings)
    ctx = AuditContext.prepare(form, pol, monitorings=watched)
    rule_m04 = REGISTRY.rules["M04"]
    return run_rules([rule_m04], ctx, form.label, source_span(form), pol.audit.severity)


__all__ = [
    "MonitoringContext",
    "audit_monitoring",
    "july_contradictions",
    "july_hits",
    "schedule",
]
