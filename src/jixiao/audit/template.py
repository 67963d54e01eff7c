"""What the form's template has, as the audit needs it: which fields a completeness rule may
ask for, which 预算执行 分值 the template allows, and the fund figures the 执行率 is read from.

A template without 年初预算数, without per-row 分值 or without a 年度总体目标 block is not
missing them: S02, S04, S05 and W01 ask only for what the template has. The template is the
form's layout (:func:`jixiao.layouts.layout_of`: the declaration the form names, else the one
its content shows). A form that does not name its layout may also lack what its recognised
layout has: a column it leaves blank in every row (年初预算数 or 全年预算数 in every fund row,
分值 in every indicator row) is taken as one its template lacks; a single blank cell is still
a gap.

The effective 年度资金总额 (:func:`effective_total`) is what the execution rules read: a
total row left 0 beside spent source rows is replaced by the sum of the source rows (S03
names the zero row, once), and a template whose budget column is 年初预算数 (no
全年预算数) divides by that.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.layouts import Layout, layout_of
from jixiao.model import (
    FUND_COLUMNS,
    INDICATOR_LABELS,
    FundRow,
    Indicator,
    SelfEvaluation,
)
from jixiao.policy import Policy
from jixiao.values import normalize, to_decimal

ZERO = Decimal(0)

# The fund columns a template may lack (021 Beijing has no 全年预算数, 019 transfer
# payments no 年初预算数); the others carry the score.
OPTIONAL_FUND_COLUMNS = ("initial", "adjusted")
# Execution 分值 of the known templates: the national 10 (财预〔2020〕10号 第十三条) and the
# 20 of the Hubei family.
KNOWN_EXECUTION_WEIGHTS = (Decimal(10), Decimal(20))


@dataclass(frozen=True)
class Template:
    """The fields one form's template has (by canonical JSON name)."""

    fund_columns: frozenset[str]
    indicator_columns: frozenset[str]
    goals: bool
    execution_weights: tuple[Decimal, ...]  # allowed 预算执行 分值, the default first
    layout: Layout | None = None  # the declaration, where one places the form
    named: bool = False  # the form names its layout (else it was recognised)
    budget: str = "adjusted"  # the fund column 执行率 divides by

    def level2_label(self, text: str) -> str | None:
        """The national 二级 label a regional one stands for (进度指标 → 时效指标)."""
        return self.layout.level2_label(text) if self.layout is not None else None

    def words(self, column: str, default: tuple[str, ...]) -> tuple[str, ...]:
        """The words of an indicator column the layout keeps in ``extras`` (指标性质)."""
        label = self.layout.column(column) if self.layout is not None else None
        return tuple(label.words()) if label is not None else default

    def has_fund(self, column: str) -> bool:
        return column in self.fund_columns

    def has_column(self, column: str) -> bool:
        return column in self.indicator_columns

    @property
    def execution_weight(self) -> Decimal:
        return self.execution_weights[0]


def template_of(form: SelfEvaluation, policy: Policy) -> Template:
    """The template of ``form``: its layout's fields, less (where the form does not name its
    layout) the optional columns it leaves blank everywhere (see the module's docstring)."""
    layout = layout_of(form).layout
    named = bool(form.layout) and layout.id == form.layout
    funds = form.funds
    rows = [row for _, row in funds.rows()]
    fund_columns = {
        col
        for col in FUND_COLUMNS
        if layout.has(f"funds.total.{col}")
        and (
            named
            or col not in OPTIONAL_FUND_COLUMNS
            or any(getattr(row, col) is not None for row in rows)
        )
    }
    columns = {c for c in INDICATOR_LABELS if layout.has(f"indicators.{c}")}
    if not named and form.indicators and all(r.weight is None for r in form.indicators):
        columns.discard("weight")
    weights = list(layout.execution.weights)
    if not named:  # a recognised layout: the policy's and the known slots stand too
        weights += [
            w for w in (policy.execution.weight, *KNOWN_EXECUTION_WEIGHTS) if w not in weights
        ]
    return Template(
        fund_columns=frozenset(fund_columns),
        indicator_columns=frozenset(columns),
        goals=layout.has("goals.expected"),
        execution_weights=tuple(weights),
        layout=layout,
        named=named,
        budget=layout.execution.budget,
    )


# The columns some layouts (四川, 云南) split a 年度指标值 into, by their header words.
NATURE_COLUMNS = ("指标性质",)
UNIT_COLUMNS = ("度量单位", "计量单位")


def _extra(row: Indicator, labels: tuple[str, ...]) -> str:
    return next((row.extras[k] for k in labels if row.extras.get(k)), "").strip()


def split_target(row: Indicator, template: Template | None = None) -> bool:
    """The row's 年度指标值 is written across a 指标性质 or 度量单位 column."""
    if not row.extras:
        return False
    nature, unit = _words(template)
    return bool(_extra(row, nature) or _extra(row, unit))


def _words(template: Template | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if template is None:
        return NATURE_COLUMNS, UNIT_COLUMNS
    return template.words("nature", NATURE_COLUMNS), template.words("measure_unit", UNIT_COLUMNS)


def joined_target(row: Indicator, template: Template | None = None) -> str:
    """The row's 年度指标值 as one text: a bare number written across 指标性质 / 指标值 /
    度量单位 (“≧” “100” “%”) reads “≧100%”; any other target as written. A 指标性质 that is
    no sign (定性, 正向) is left out."""
    value = row.target.strip()
    if not row.extras or to_decimal(normalize(value)) is None:
        return value
    nature_words, unit_words = _words(template)
    nature, unit = _extra(row, nature_words), _extra(row, unit_words)
    if nature and any(ch.isalnum() for ch in normalize(nature)):
        nature = ""
    return f"{nature}{value}{unit}"


def with_joined_targets(form: SelfEvaluation, template: Template | None = None) -> SelfEvaluation:
    """``form`` with every row's :func:`joined_target` (``form`` itself when none differs)."""
    joined = [joined_target(r, template) for r in form.indicators]
    if all(j == r.target for j, r in zip(joined, form.indicators, strict=True)):
        return form
    rows = [
        r if j == r.target else r.model_copy(update={"target": j})
        for j, r in zip(joined, form.indicators, strict=True)
    ]
    return form.model_copy(update={"indicators": rows})


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
        (row.executed or ZERO) > ZERO or (row.adjusted or ZERO) > ZERO for row in _sources(form)
    )


def _sources(form: SelfEvaluation) -> list[FundRow]:
    """The fund rows under the total: the three of the national template and the layout's
    others (财政专户管理资金, 单位资金, 中央补助 …)."""
    return [row for _, row in form.funds.rows()[1:]]


def effective_total(form: SelfEvaluation, template: Template) -> FundRow:
    """The 年度资金总额 row the execution rules read (see the module's docstring)."""
    total = form.funds.total
    if zero_total(form):
        parts = _sources(form)
        total = FundRow(
            initial=_sum([p.initial for p in parts]),
            adjusted=_sum([p.adjusted for p in parts]),
            executed=_sum([p.executed for p in parts]),
            weight=total.weight,
            rate=None,  # the row's 0 is part of the one S03 finding
            score=None,
        )
    if (template.budget == "initial" or not template.has_fund("adjusted")) and (
        total.adjusted is None
    ):
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
