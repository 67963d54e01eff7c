"""Findings on a 绩效目标执行监控表 (rules M01–M03) and, at 自评, on what July said (M04).

The 监控表 is not a 自评表: its rules are not in the registry the form audit runs
(:mod:`jixiao.audit.registry`), but their findings have the same shape
(:class:`~jixiao.audit.registry.Finding`), so every report shows them alike.

- **M01** 1-7月执行率 behind the time schedule: the share of the year the period covers
  (1-7月 → 7/12 = 58.33 %); below ``red`` × schedule (default 60 %) an error (红色预警),
  below ``yellow`` × schedule (default 80 %) a warning (黄色预警).
- **M02** 完成目标可能性 "有可能" or "完全不可能" with no 偏差原因 ticked and no 原因说明
  (完全不可能: an error).
- **M03** 全年预计执行数 above the row's 年初预算数 (for 年度资金总额: above 年度资金总额).
- **M04** a target marked 完全不可能 in July but scored full marks in the 自评表.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jixiao.audit.registry import Finding, Severity
from jixiao.model import FUND_ROW_LABELS, FUND_ROWS, SelfEvaluation
from jixiao.plans import Monitoring, link_key

_PERIOD = re.compile(r"(\d{1,2})\s*[-—~至]\s*(\d{1,2})\s*月")
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

MONITORING_RULES: dict[str, tuple[str, str]] = {
    "M01": (
        "执行进度慢于时间进度",
        "分析执行慢的原因，提出加快执行的措施；确难执行的，按程序调整预算。",
    ),
    "M02": ("完成目标可能性存疑但未说明原因", "勾选偏差原因类别并在原因说明中写明原因和纠偏措施。"),
    "M03": ("全年预计执行数超过预算数", "核对全年预计执行数；确需超出的，先按程序调整预算。"),
    "M04": (
        "监控时“完全不可能”完成的指标自评得满分",
        "核对该指标的实际完成值和得分；监控后目标确已完成的，附完成的依据。",
    ),
}


@dataclass(frozen=True)
class Thresholds:
    """M01's warning levels, as shares of the time schedule (红色 < 60 %, 黄色 < 80 %)."""

    red: Decimal = Decimal("0.6")
    yellow: Decimal = Decimal("0.8")


def schedule(period: str) -> Decimal | None:
    """The time schedule at the end of ``period`` in percent: "1-7月" → 58.33."""
    m = _PERIOD.search(period)
    if m is None:
        return None
    first, last = int(m.group(1)), int(m.group(2))
    if not 1 <= first <= last <= 12:
        return None
    return (Decimal(last - first + 1) / 12 * HUNDRED).quantize(CENT, ROUND_HALF_UP)


def _finding(
    rule: str,
    severity: Severity,
    doc: Monitoring | SelfEvaluation,
    where: str,
    message: str,
    declared: Decimal | str | None = None,
    expected: Decimal | str | None = None,
    position: int | None = None,
    indicator: str | None = None,
) -> Finding:
    title, fix = MONITORING_RULES[rule]
    source = doc.source.file if doc.source is not None else None
    return Finding(
        rule,
        "M",
        severity,
        title,
        doc.label,
        source,
        where,
        message,
        fix,
        declared,
        expected,
        position,
        indicator,
    )


def audit_monitoring(doc: Monitoring, thresholds: Thresholds | None = None) -> list[Finding]:
    """The findings of M01–M03 on one 监控表, most severe first."""
    levels = thresholds or Thresholds()
    found: list[Finding] = []
    due = schedule(doc.period)
    total = doc.funds.total
    if due is not None and total.rate is not None:
        red, yellow = (due * levels.red).quantize(CENT), (due * levels.yellow).quantize(CENT)
        if total.rate < yellow:
            severity: Severity = "error" if total.rate < red else "warning"
            warning = "红色预警" if severity == "error" else "黄色预警"
            found.append(
                _finding(
                    "M01",
                    severity,
                    doc,
                    "funds.total.rate",
                    f"{doc.period}执行率 {total.rate}% 低于时间进度 {due}% 的"
                    f"{(levels.red if severity == 'error' else levels.yellow) * 100:.0f}%"
                    f"（{red if severity == 'error' else yellow}%），{warning}",
                    total.rate,
                    f"≥ {yellow}",
                )
            )
    for position, ind in enumerate(doc.indicators, start=1):
        if ind.likelihood in ("有可能", "完全不可能") and not ind.causes and not ind.reason.strip():
            found.append(
                _finding(
                    "M02",
                    "error" if ind.likelihood == "完全不可能" else "warning",
                    doc,
                    f"indicators[{position - 1}].reason",
                    f"完成目标可能性为“{ind.likelihood}”，未勾选偏差原因，也没有原因说明",
                    ind.likelihood,
                    "偏差原因及说明",
                    position,
                    ind.name,
                )
            )
    for key in FUND_ROWS:
        row = getattr(doc.funds, key)
        if row.forecast is not None and row.initial is not None and row.forecast > row.initial:
            label = FUND_ROW_LABELS[key]
            found.append(
                _finding(
                    "M03",
                    "warning",
                    doc,
                    f"funds.{key}.forecast",
                    f"{label}的全年预计执行数 {row.forecast} 超过年初预算数 {row.initial}",
                    row.forecast,
                    f"≤ {row.initial}",
                )
            )
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(found, key=lambda f: order[f.severity])


def july_contradictions(form: SelfEvaluation, monitoring: Monitoring) -> list[Finding]:
    """M04: the 自评表's indicators marked 完全不可能 in ``monitoring`` (the same project and
    year, matched by 三级指标) but scored full marks (得分 = 分值)."""
    if link_key(form.project, form.year)[0] != monitoring.key[0]:
        return []
    if form.year is not None and monitoring.year is not None and form.year != monitoring.year:
        return []
    impossible = {
        re.sub(r"\s+", "", i.name) for i in monitoring.indicators if i.likelihood == "完全不可能"
    }
    found = []
    for position, ind in enumerate(form.indicators, start=1):
        full = ind.weight is not None and ind.score is not None and ind.score >= ind.weight > 0
        if full and re.sub(r"\s+", "", ind.name) in impossible:
            found.append(
                _finding(
                    "M04",
                    "warning",
                    form,
                    f"indicators[{position - 1}].score",
                    f"{monitoring.period}监控时标为“完全不可能”完成，自评却得满分 {ind.score}",
                    ind.score,
                    f"< {ind.weight}，或附完成依据",
                    position,
                    ind.name,
                )
            )
    return found
