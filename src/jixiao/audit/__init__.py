"""The audit engine: every rule of the catalogue (docs/rules.md) run on a form.

>>> findings = audit_form(form, load_policy("shanghai"))

Each form is scored once (:func:`jixiao.scoring.score_form`); the rules read that scorecard
through an :class:`AuditContext`. Thresholds and per-rule severities come from
``policy.audit``. Findings come back most severe first, then in catalogue order.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.audit import (  # noqa: F401  (registers the rules)
    deviation,
    execution,
    format,
    indicators,
    plausibility,
    structure,
    weights,
)
from jixiao.audit.context import (
    AuditContext,
    BatchIndex,
    bare,
    execution_rate_of,
    is_substantive,
)
from jixiao.audit.registry import (
    FAMILIES,
    REGISTRY,
    SEVERITIES,
    SEVERITY_LABELS,
    SEVERITY_RANK,
    Finding,
    Hit,
    Rule,
    Severity,
)
from jixiao.audit.targets import ApprovedTargets, TargetsError, load_plans, load_targets
from jixiao.model import SelfEvaluation
from jixiao.policy import Policy
from jixiao.scoring import HUNDRED, ZERO, Scorecard

__all__ = [
    "FAMILIES",
    "REGISTRY",
    "SEVERITIES",
    "SEVERITY_LABELS",
    "ApprovedTargets",
    "Finding",
    "FormAudit",
    "Rule",
    "Severity",
    "TargetsError",
    "audit_form",
    "audit_forms",
    "audit_scorecard",
    "inflation",
    "load_plans",
    "load_targets",
    "rules",
    "source_span",
]


def rules() -> list[Rule]:
    """All rules in catalogue order."""
    return list(REGISTRY)


def source_span(form: SelfEvaluation) -> str | None:
    """The form's file and line (or page) span, e.g. ``seed.txt:2-176``, ``a.pdf 第2–3页``."""
    src = form.source
    if src is None or not src.file:
        return None
    if src.start_line is not None:
        end = f"-{src.end_line}" if src.end_line and src.end_line != src.start_line else ""
        return f"{src.file}:{src.start_line}{end}"
    if src.page is not None:
        pages = f"{src.page}–{src.end_page}" if src.end_page else f"{src.page}"
        return f"{src.file} 第{pages}页"
    return src.file


_COLUMN = re.compile(r"indicators\[\d+\]\.(\w+)")


def group_rows(hits: Iterable[Hit]) -> list[Hit]:
    """Hits of one rule on several indicator rows, in the same column and of the same
    severity, as one hit that lists the rows; the first row's message is its example."""
    out: list[Hit] = []
    groups: dict[tuple[Severity | None, str | None], list[Hit]] = {}
    for hit in hits:
        if hit.position is None:
            out.append(hit)
            continue
        match = _COLUMN.fullmatch(hit.where)
        key = (hit.severity, match.group(1) if match else None)
        if key not in groups:
            groups[key] = []
            out.append(hit)  # the group's place in the order
        groups[key].append(hit)
    for key, members in groups.items():
        if len(members) < 2:
            continue
        first = members[0]
        rows = tuple(h.position for h in members if h.position is not None)
        name = f"“{first.indicator}”" if first.indicator else ""
        merged = Hit(
            f"indicators[*].{key[1]}" if key[1] else "indicators",
            f"{len(rows)} 行有同样的问题，例如第{first.position}行{name}：{first.message}",
            severity=first.severity,
            fix=first.fix,
            rows=rows,
        )
        out[out.index(first)] = merged
    return out


def _run(ctx: AuditContext, only: Iterable[Rule] | None = None) -> list[Finding]:
    form = ctx.form
    label = form.label
    source = source_span(form)
    overrides = ctx.policy.audit.severity
    out: list[Finding] = []
    for r in only if only is not None else REGISTRY:
        override = overrides.get(r.id)
        hits = r.check(ctx)
        for hit in group_rows(hits) if r.grouped else hits:
            severity = override or hit.severity or r.severity
            out.append(
                Finding(
                    rule=r.id,
                    family=r.family,
                    severity=severity,
                    title=r.title,
                    form=label,
                    source=source,
                    where=hit.where,
                    message=hit.message,
                    fix=hit.fix or r.fix,
                    declared=hit.declared,
                    expected=hit.expected,
                    position=hit.position,
                    indicator=hit.indicator,
                    rows=hit.rows,
                )
            )
    out.sort(key=lambda f: SEVERITY_RANK[f.severity])  # stable: catalogue order within
    return out


def audit_form(
    form: SelfEvaluation,
    policy: Policy,
    targets: ApprovedTargets | None = None,
    *,
    scorecard: Scorecard | None = None,
    batch: BatchIndex | None = None,
) -> list[Finding]:
    """All findings on one form, most severe first."""
    return _run(AuditContext.prepare(form, policy, targets, batch, scorecard))


def audit_scorecard(form: SelfEvaluation, policy: Policy) -> Scorecard:
    """The scorecard the audit reads: the form's, with a 年度资金总额 row left 0 beside spent
    source rows read from the source rows (:mod:`jixiao.audit.template`)."""
    return AuditContext.prepare(form, policy).card


@dataclass(frozen=True)
class FormAudit:
    """One form's audit: its scorecard, findings and inflation figure."""

    form: SelfEvaluation
    scorecard: Scorecard
    findings: list[Finding]
    inflation: Decimal | None

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


def batch_index(forms: Sequence[SelfEvaluation], policy: Policy) -> BatchIndex:
    """Facts across forms: which substantive 偏差原因 texts occur in how many forms."""
    counts: dict[str, int] = {}
    floor = policy.audit.deviation_min_chars
    for form in forms:
        texts = {bare(r.deviation) for r in form.indicators if is_substantive(r.deviation, floor)}
        for text in texts:
            counts[text] = counts.get(text, 0) + 1
    return BatchIndex({t: n for t, n in counts.items() if n > 1})


def audit_forms(
    forms: Sequence[SelfEvaluation],
    policy: Policy | Sequence[Policy],
    targets: ApprovedTargets | None = None,
) -> list[FormAudit]:
    """Audit many forms (also comparing 偏差原因 across them), in input order.

    ``policy`` is one policy for all, or one per form (``--policy auto``); the comparison
    across forms uses the first form's policy.
    """
    each = [policy] * len(forms) if isinstance(policy, Policy) else list(policy)
    if len(each) != len(forms):
        raise ValueError("one policy per form")
    batch = batch_index(forms, each[0]) if len(forms) > 1 else None
    out = []
    # The run allocates many small acyclic objects; the cyclic collector would otherwise
    # rescan every form held by the caller again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for form, pol in zip(forms, each, strict=True):
            ctx = AuditContext.prepare(form, pol, targets, batch)
            findings = _run(ctx)
            out.append(FormAudit(form, ctx.card, findings, inflation(form, ctx.card)))
    finally:
        if collecting:
            gc.enable()
    return out


def inflation(form: SelfEvaluation, scorecard: Scorecard) -> Decimal | None:
    """How far indicator completion exceeds budget execution, in percentage points.

    Σ declared indicator 得分 / Σ indicator 分值 × 100 minus the 执行率 (capped at 100),
    two decimals. 65.00 means the indicators claim 65 points more completion than the
    money spent supports (P01/P02). None when either side cannot be computed.
    """
    weight = scorecard.indicator_weight
    declared = scorecard.indicator_score.declared
    rate = execution_rate_of(form, scorecard)
    if weight <= ZERO or not isinstance(declared, Decimal) or rate is None:
        return None
    completion = declared / weight * HUNDRED
    gap = completion - max(ZERO, min(rate, HUNDRED))
    return gap.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
