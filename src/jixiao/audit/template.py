"""What the form's template has, as the audit needs it: which fields a completeness rule may
ask for, which 预算执行 分值 the template allows, and the fund figures the 执行率 is read from.

A template without 年初预算数, without per-row 分值 or without a 年度总体目标 block is not
missing them: S02, S04, S05 and W01 ask only for what the template has. Until a form names
its layout, a column the form leaves blank in every row (年初预算数 or 全年预算数 in every
fund row, 分值 in every indicator row) is taken as a column the template lacks; a single
blank cell is still a gap.

The effective 年度资金总额 (:func:`effective_total`) is what the execution rules read: a
total row left 0 beside spent source rows is replaced by the sum of the source rows (S03
names the zero row, once), and a template whose budget column is 年初预算数 (no
全年预算数) divides by that.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.model import FUND_COLUMNS, FUND_ROWS, INDICATOR_LABELS, FundRow, SelfEvaluation
from jixiao.policy import Policy

ZERO = Decimal(0)

# The fund columns a template may lack (021 Beijing has no 全年预算数, 019 transfer
# payments no 年初预算数); the others carry the score.
OPTIONAL_FUND_COLUMNS = ("initial", "adjusted")
# Execution 分值 of the known templates: the national 10 (财预〔2020〕10号 第十三条) and the
# 20 of the Hubei family.
KNOWN_EXECUTION_WEIGHTS = (Decimal(10), Decimal(20))

_SOURCES = tuple(k for k in FUND_ROWS if k != "total")


@dataclass(frozen=True)
class Template:
    """The fields one form's template has (by canonical JSON name)."""

    fund_columns: frozenset[str]
    indicator_columns: frozenset[str]
    goals: bool
    execution_weights: tuple[Decimal, ...]  # allowed 预算执行 分值, the default first

    def has_fund(self, column: str) -> bool:
        return column in self.fund_columns

    def has_column(self, column: str) -> bool:
        return column in self.indicator_columns

    @property
    def execution_weight(self) -> Decimal:
        return self.execution_weights[0]


def template_of(form: SelfEvaluation, policy: Policy) -> Template:
    """The template of ``form``: inferred from the form (see the module's docstring)."""
    funds = form.funds
    fund_columns = {
        col
        for col in FUND_COLUMNS
        if col not in OPTIONAL_FUND_COLUMNS
        or any(getattr(getattr(funds, row), col) is not None for row in FUND_ROWS)
    }
    columns = set(INDICATOR_LABELS)
    if form.indicators and all(r.weight is None for r in form.indicators):
        columns.discard("weight")
    weights = [policy.execution.weight]
    weights += [w for w in KNOWN_EXECUTION_WEIGHTS if w not in weights]
    return Template(
        fund_columns=frozenset(fund_columns),
        indicator_columns=frozenset(columns),
        goals=True,
        execution_weights=tuple(weights),
    )


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


def zero_total(form: SelfEvaluation) -> bool:
    """The 年度资金总额 row reads 0 (or nothing) in every amount, while a source row was spent."""
    total = form.funds.total
    amounts = (total.initial, total.adjusted, total.executed)
    if any(a is not None and a != ZERO for a in amounts):
        return False
    return any(
        (getattr(form.funds, k).executed or ZERO) > ZERO
        or (getattr(form.funds, k).adjusted or ZERO) > ZERO
        for k in _SOURCES
    )


def effective_total(form: SelfEvaluation, template: Template) -> FundRow:
    """The 年度资金总额 row the execution rules read (see the module's docstring)."""
    total = form.funds.total
    if zero_total(form):
        parts = [getattr(form.funds, k) for k in _SOURCES]
        total = FundRow(
            initial=_sum([p.initial for p in parts]),
            adjusted=_sum([p.adjusted for p in parts]),
            executed=_sum([p.executed for p in parts]),
            weight=total.weight,
            rate=None,  # the row's 0 is part of the one S03 finding
            score=None,
        )
    if not template.has_fund("adjusted") and total.adjusted is None:
        total = total.model_copy(update={"adjusted": total.initial})
    return total


def effective_form(form: SelfEvaluation, template: Template) -> SelfEvaluation:
    """``form`` with :func:`effective_total` in place of its total row (``form`` itself when
    they are the same), for scoring."""
    total = effective_total(form, template)
    if total is form.funds.total:
        return form
    funds = form.funds.model_copy(update={"total": total})
    return form.model_copy(update={"funds": funds})
