"""What every check reads: the form, the policy and the scorecard, computed once per form.

Checks never recompute scores themselves; they compare the declared values with the
scorecard of :mod:`jixiao.scoring`. Where a rule accepts an alternative method (a different
rounding or reverse formula), it asks scoring again under a policy variant, which is built
once per policy and only on the slow path (a mismatch).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from jixiao.audit.registry import Hit, Severity
from jixiao.audit.template import (
    Template,
    effective_form,
    template_of,
    with_joined_targets,
    zero_total,
)
from jixiao.model import FundRow, Indicator, SelfEvaluation
from jixiao.plans import Monitoring
from jixiao.policy import AuditThresholds, Policy
from jixiao.scoring import IndicatorScore, Scorecard, score_form
from jixiao.values import EMPTY_VALUES, Quantity

if TYPE_CHECKING:
    from jixiao.audit.targets import ApprovedTargets

HUNDRED = Decimal(100)
ZERO = Decimal(0)

_SPACE = re.compile(r"\s+")
# Explanations that say nothing (D02, D05): compared with all whitespace and end punctuation
# removed.
PLACEHOLDERS = EMPTY_VALUES | {"暂无", "已完成", "完成", "无偏差", "不适用", "略"}


@lru_cache(maxsize=1 << 16)
def squash(text: str | None) -> str:
    """Text with all whitespace removed (how the project compares text)."""
    return _SPACE.sub("", text) if text else ""


@lru_cache(maxsize=1 << 16)
def bare(text: str | None) -> str:
    """Text without whitespace and trailing punctuation, for placeholder tests."""
    return squash(text).rstrip("。.，,；;！!")


_NOTE = re.compile(r"[（(][^（）()]*[)）]$")


@lru_cache(maxsize=4096)
def level_key(text: str) -> str:
    """一级/二级 name without spaces, a trailing "(50分)" and the 指标 suffix."""
    return _NOTE.sub("", squash(text)).removesuffix("指标")


def is_placeholder(text: str | None) -> bool:
    return bare(text) in PLACEHOLDERS


def is_substantive(text: str | None, floor: int) -> bool:
    """A 偏差原因 that says something: no placeholder and more than ``floor`` characters."""
    return not is_placeholder(text) and len(bare(text)) > floor


def execution_rate_of(form: SelfEvaluation, card: Scorecard) -> Decimal | None:
    """The 执行率 (%) computed from the amounts, else the declared one."""
    computed = card.rate.computed
    if isinstance(computed, Decimal):
        return computed
    return form.funds.total.rate


def rows_text(positions: Iterable[int]) -> str:
    """Indicator rows in words: 第2行、第5行."""
    return "、".join(f"第{p}行" for p in positions)


def fmt(value: Decimal | None) -> str:
    return "-" if value is None else str(value)


def pct(value: Decimal) -> str:
    """A ratio (0.35) as a percentage with two decimals ("35.00%")."""
    return f"{(value * HUNDRED).quantize(Decimal('0.01'))}%"


@dataclass
class BatchIndex:
    """Facts across all forms of one audit run (D04 across projects)."""

    deviation_forms: dict[str, int] = field(default_factory=dict)  # explanation → forms


def rounds_to(declared: Decimal | None, value: Decimal | None) -> bool:
    """``declared`` is ``value`` written with fewer decimals (86 for 86.20, 8.6 for 8.63):
    ``value`` rounded half-up or truncated to ``declared``'s own places gives it."""
    if declared is None or value is None:
        return False
    exponent = declared.as_tuple().exponent
    if not isinstance(exponent, int) or exponent > 0:
        return False
    step = Decimal(1).scaleb(exponent)
    return declared in (
        value.quantize(step, rounding="ROUND_HALF_UP"),
        value.quantize(step, rounding="ROUND_DOWN"),
    )


def places(value: Decimal) -> int:
    """How many decimals ``value`` is written with (8.6 → 1, 86 → 0)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


@dataclass
class AuditContext:
    """One form under audit. ``card`` scores the form as the execution rules read it: with
    its :attr:`total` (a zero 年度资金总额 row replaced by its source rows); build it with
    :meth:`prepare`."""

    form: SelfEvaluation
    policy: Policy
    card: Scorecard
    targets: ApprovedTargets | None = None
    batch: BatchIndex | None = None
    monitorings: Sequence[Monitoring] = ()  # the year's 监控表 (M04 finds the form's own)

    @classmethod
    def prepare(
        cls,
        form: SelfEvaluation,
        policy: Policy,
        targets: ApprovedTargets | None = None,
        batch: BatchIndex | None = None,
        scorecard: Scorecard | None = None,
        monitorings: Sequence[Monitoring] = (),
    ) -> AuditContext:
        """The context of ``form``, scored once (``scorecard`` is used when it scored the
        same figures the rules read). The rules read the form with each 年度指标值 joined
        from its 指标性质 / 度量单位 columns, and score it with :attr:`total`."""
        template = template_of(form, policy)
        read = with_joined_targets(form, template)
        scored = effective_form(read, template)
        if scorecard is None or scored is not form:
            scorecard = score_form(scored, policy)
        ctx = cls(read, policy, scorecard, targets, batch, monitorings)
        ctx.__dict__["template"] = template
        return ctx

    @cached_property
    def template(self) -> Template:
        """What the form's template has (:mod:`jixiao.audit.template`)."""
        return template_of(self.form, self.policy)

    @cached_property
    def total(self) -> FundRow:
        """The 年度资金总额 row the execution rules read (its source rows' sum where the form
        left it 0)."""
        return effective_form(self.form, self.template).funds.total

    @cached_property
    def zero_total(self) -> bool:
        """The form's 年度资金总额 row is 0 beside spent source rows (S03, once)."""
        return zero_total(self.form)

    @cached_property
    def weight_allowed(self) -> bool:
        """The declared 预算执行 分值 can stand for the execution slot: none is declared, or
        it is positive and no more than the template's largest (9 in a 10-point slot is a
        different weight, W07 warns; 100 is not a 预算执行 分值 at all, W07 errs)."""
        declared = self.form.funds.total.weight
        return declared is None or ZERO < declared <= max(self.template.execution_weights)

    @property
    def t(self) -> AuditThresholds:
        return self.policy.audit

    @property
    def tol(self) -> Decimal:
        return self.policy.audit.tolerance

    def close(self, a: Decimal | None, b: Decimal | None) -> bool:
        """Two numbers agree within the policy's arithmetic tolerance."""
        return a is not None and b is not None and abs(a - b) <= self.tol

    @cached_property
    def rows(self) -> list[tuple[Indicator, IndicatorScore]]:
        return list(zip(self.form.indicators, self.card.indicators, strict=True))

    @cached_property
    def cut_row(self) -> int | None:
        """The last row of a form cut short (S10) when it is incomplete: where the text
        ends, not a row left blank."""
        rows = self.form.indicators
        if not self.form.gaps or not rows:
            return None
        r = rows[-1]
        whole = r.score is not None and squash(r.name) and squash(r.actual)
        return None if whole else len(rows)

    @cached_property
    def filled_rows(self) -> list[tuple[Indicator, IndicatorScore]]:
        """The rows that say something: not blank (no 三级, 指标值 or 完成值: an unused
        template row) and not :attr:`cut_row`."""
        last = self.cut_row
        return [
            (r, s)
            for i, (r, s) in enumerate(self.rows, 1)
            if i != last and (squash(r.name) or squash(r.target) or squash(r.actual))
        ]

    @cached_property
    def rate(self) -> Decimal | None:
        """The 执行率 (%) computed from the amounts, else the declared one."""
        return execution_rate_of(self.form, self.card)

    @property
    def exec_weight(self) -> Decimal:
        """The 预算执行 分值: the declared one where the template allows it, else the
        template's (the policy's)."""
        declared = self.form.funds.total.weight
        if declared is None:
            return self.policy.execution.weight
        return declared if self.weight_allowed else self.template.execution_weight

    @cached_property
    def explained(self) -> list[int]:
        """Positions of rows with a non-placeholder 偏差原因."""
        return [i for i, (row, _) in enumerate(self.rows, 1) if not is_placeholder(row.deviation)]

    @cached_property
    def short(self) -> list[int]:
        """Positions of rows scored below their 分值."""
        return [
            i
            for i, (row, _) in enumerate(self.rows, 1)
            if row.score is not None and row.weight is not None and row.score < row.weight
        ]

    def row_hit(
        self,
        position: int,
        field_name: str | None,
        message: str,
        declared: Any = None,
        expected: Any = None,
        *,
        severity: Severity | None = None,
        fix: str | None = None,
    ) -> Hit:
        """A hit on indicator row ``position`` (1-based), field ``field_name``."""
        row = self.form.indicators[position - 1]
        where = f"indicators[{position - 1}]"
        if field_name:
            where += f".{field_name}"
        return Hit(
            where,
            message,
            declared,
            expected,
            position=position,
            indicator=row.name or None,
            severity=severity,
            fix=fix,
        )

    def variant(self, key: str, **updates: Any) -> Policy:
        """The policy with ``execution``/``indicators`` fields replaced (cached per policy)."""
        kept = _VARIANTS.get(id(self.policy))
        if kept is None:
            kept = _VARIANTS[id(self.policy)] = (self.policy, {})
        cache = kept[1]
        if key not in cache:
            parts = {}
            for section, values in updates.items():
                parts[section] = getattr(self.policy, section).model_copy(update=values)
            cache[key] = self.policy.model_copy(update=parts)
        return cache[key]


# id(policy) → (policy kept alive, {key: variant})
_VARIANTS: dict[int, tuple[Policy, dict[str, Policy]]] = {}


def money_in(q: Quantity, amount_unit: str) -> Decimal | None:
    """A money Quantity (元 / 万元, or 万 as forms write 万元) in the form's amount unit;
    None if not money."""
    unit = "万元" if q.unit == "万" else q.unit
    if unit == amount_unit:
        return q.number
    if unit == "元" and amount_unit == "万元":
        return q.number / Decimal(10000)
    if unit == "万元" and amount_unit == "元":
        return q.number * Decimal(10000)
    return None
