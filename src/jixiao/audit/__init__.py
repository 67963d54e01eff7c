"""The audit engine: every rule of the catalogue (docs/rules.md) run on a form.

>>> findings = audit_form(form, load_policy("shanghai"))

Each form is scored once (:func:`jixiao.scoring.score_form`); the rules read that scorecard
through an :class:`AuditContext`. Thresholds and per-rule severities come from
``policy.audit``. Findings come back most severe first, then in catalogue order.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.audit import (  # noqa: F401  (registers the rules)
    deviation,
    execution,
    format,
    indicators,
    monitoring,
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
    Rule,
    Severity,
    group_rows,
    run_rules,
    source_span,
)
from jixiao.audit.targets import ApprovedTargets, TargetsError, load_plans, load_targets
from jixiao.model import SelfEvaluation
from jixiao.plans import Monitoring
from jixiao.policy import Policy
from jixiao.scoring import HUNDRED, ZERO, Scorecard

__all__ = [
    "FAMILIES",
    "REGISTRY",
    "SEVERITIES",
    "SEVERITY_LABELS",
    "SEVERITY_RANK",
    "ApprovedTargets",
    "Finding",
    "FormAudit",
    "Rule",
    "Severity",
    "TargetsError",
    "audit_form",
    "audit_forms",
    "audit_scorecard",
    "group_rows",
    "inflation",
    "load_plans",
    "load_targets",
    "rules",
    "source_span",
]


def rules() -> list[Rule]:
    """All rules in catalogue order."""
    return list(REGISTRY)


def _run(ctx: AuditContext, only: Iterable[Rule] | None = None) -> list[Finding]:
    form = ctx.form
    rules_run = only if only is not None else REGISTRY.on("form")
    return run_rules(rules_run, ctx, form.label, source_span(form), ctx.policy.audit.severity)


def audit_form(
    form: SelfEvaluation,
    policy: Policy,
    targets: ApprovedTargets | None = None,
    *,
    scorecard: Scorecard | None = None,
    batch: BatchIndex | None = None,
    monitorings: Sequence[Monitoring] = (),
) -> list[Finding]:
    """All findings on one form, most severe first (``monitorings``: the year's 监控表, for
    M04)."""
    return _run(AuditContext.prepare(form, policy, targets, batch, scorecard, monitorings))


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
    monitorings: Sequence[Monitoring] = (),
) -> list[FormAudit]:
    """Audit many forms (also comparing 偏差原因 across them), in input order; with the
    year's 监控表 (``monitorings``), M04 checks each form against its own.

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
            ctx = AuditContext.prepare(form, pol, targets, batch, monitorings=monitorings)
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
