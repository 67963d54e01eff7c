"""What every check reads: the form, the policy and the scorecard, computed once per form.

Checks never recompute scores themselves; they compare the declared values with the
scorecard of :mod:`jixiao.scoring`. Where a rule accepts an alternative method (a different
rounding or reverse formula), it asks scoring again under a policy variant, which is built
once per policy and only on the slow path (a mismatch).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from jixiao.audit.registry import Hit, Severity
from jixiao.model import Indicator, SelfEvaluation
from jixiao.policy import AuditThresholds, Policy
from jixiao.scoring import IndicatorScore, Scorecard
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


@dataclass
class AuditContext:
    """One form under audit."""

    form: SelfEvaluation
    policy: Policy
    card: Scorecard
    targets: ApprovedTargets | None = None
    batch: BatchIndex | None = None

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
    def rate(self) -> Decimal | None:
        """The 执行率 (%) computed from the amounts, else the declared one."""
        return execution_rate_of(self.form, self.card)

    @property
    def exec_weight(self) -> Decimal:
        """The 预算执行 分值: the declared one, else the policy's."""
        declared = self.form.funds.total.weight
        return declared if declared is not None else self.policy.execution.weight

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
    """A money Quantity (元 / 万元) in the form's amount unit; None if not money."""
    unit = q.unit
    if unit == amount_unit:
        return q.number
    if unit == "元" and amount_unit == "万元":
        return q.number / Decimal(10000)
    if unit == "万元" and amount_unit == "元":
        return q.number * Decimal(10000)
    return None
