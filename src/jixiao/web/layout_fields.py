"""What the editor shows of a form's layout (版式), in the layout's words, and what it reads
back: the fund rows and columns the layout has (its added rows kept in ``funds.extras``, its
added columns in each row's ``extras``), the indicator columns in the layout's order (its
added text columns in ``indicators[].extras``, 权重占比 / 折算得分 as numbers), the printed
一级 weights and the head's check boxes.

The words are the official render's (:mod:`jixiao.render.view`), which take them from the
layout declarations; a model field the layout does not have is left out, unless the form
holds a value there (nothing the form holds is hidden).

Field names on the page: ``funds.<row>.<column>`` for the four rows' model cells (as before),
``funds.<row>.x_<column id>`` for a column the layout adds, ``fundx.<n>.<column>`` for the
n-th added row (its label in the list ``fundx_label``); ``ind_<field>`` for the indicator
columns, ``ind_x_<column id>`` for an added text column; ``l1w_label`` / ``l1w_weight``;
``cb_label`` with ``cb.<n>`` (the options ticked) or ``cb_text.<n>`` (a box the form lacks,
typed as ☑经常性项目 □一次性项目).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from markupsafe import Markup, escape

from jixiao.layouts import Layout, label_key, layout_of
from jixiao.model import (
    FUND_COLUMN_LABELS,
    FUND_COLUMNS,
    FUND_ROWS,
    INDICATOR_LABELS,
    INDICATOR_NUMBER_LABELS,
    FundRow,
    SelfEvaluation,
)
from jixiao.render.view import fund_caption, fund_header, indicator_header

TEXT_SIZES = {"level1": 6, "level2": 6, "name": 12, "target": 10, "actual": 10}
NUMBER_FIELDS = ("weight", "score", *INDICATOR_NUMBER_LABELS)


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Column:  # frozen, with a cached_property: needs a __dict__ (no slots)
    """A column of the fund block or the indicator table: ``key`` a model field, or
    ``x_<id>`` for a column the layout adds (its cells kept in ``extras`` under ``extra``)."""

    key: str
    caption: str
    extra: str | None = None
    number: bool = False

    @property
    def size(self) -> int:
        return 4 if self.number else TEXT_SIZES.get(self.key, 10)

    @cached_property
    def attrs(self) -> Markup:
        """The row input's fixed attributes after its value (size, label), escaped once per
        column (the caption by ``escape``: ``Markup.format`` goes through Python's string
        formatter, several times the cost, and the editor makes its columns anew)."""
        decimal = ' inputmode="decimal"' if self.number else ""
        return Markup(f'size="{self.size}"{decimal} aria-label="{escape(self.caption)}"')


@dataclass(frozen=True)
class FundRowSpec:
    """A row of the fund block: one of the four (``key`` total …) or an added row (``key``
    None, its label ``caption``: kept in ``funds.extras``)."""

    key: str | None
    caption: str


@dataclass
class Fields:
    """The editor's fields of one form's layout."""

    layout: Layout
    fund_columns: list[Column]
    fund_rows: list[FundRowSpec]
    indicator_columns: list[Column]
    level1: bool  # 一级 weights printed in the labels
    checkboxes: list[str]  # head fields written as check boxes
    grade: bool
    goals: bool
    execution_weights: list[Decimal] = field(default_factory=list)

    @property
    def extra_rows(self) -> list[str]:
        return [r.caption for r in self.fund_rows if r.key is None]

    def indicator_column(self, key: str) -> Column | None:
        return next((c for c in self.indicator_columns if c.key == key), None)


def _holds(form: SelfEvaluation, path: str) -> bool:
    """Whether the form holds a value at a model path the layout may lack."""
    parts = path.split(".")
    if parts[0] == "funds" and parts[1] == "*":
        rows = [getattr(form.funds, r) for r in FUND_ROWS]
        return any(getattr(r, parts[2]) is not None for r in rows)
    if parts[0] == "funds":
        row = getattr(form.funds, parts[1])
        return any(getattr(row, c) is not None for c in FUND_COLUMNS)
    if parts[0] == "indicators":
        return any(getattr(ind, parts[1]) not in (None, "") for ind in form.indicators)
    return False


def fields_of(form: SelfEvaluation, layout: Layout | None = None) -> Fields:
    """The fields the editor shows for ``form`` (its layout: named, else recognised)."""
    layout = layout or layout_of(form).layout
    fund_columns: list[Column] = []
    for c in layout.fund_columns:
        if c.field is None:
            fund_columns.append(Column(f"x_{c.id}", c.label, extra=c.label))
        elif c.field in FUND_COLUMN_LABELS:
            fund_columns.append(Column(c.field, fund_header(layout, c.field), number=True))
    declared = {c.key for c in fund_columns}
    for key in FUND_COLUMNS:  # a column the layout lacks, where the form holds a value
        if key not in declared and _holds(form, f"funds.*.{key}"):
            fund_columns.append(Column(key, fund_header(layout, key), number=True))

    rows: list[FundRowSpec] = []
    for r in layout.fund_rows:
        if r.field is None:
            rows.append(FundRowSpec(None, r.label))
        elif r.field in FUND_ROWS:
            rows.append(FundRowSpec(r.field, fund_caption(layout, r.field)))
    keys = {r.key for r in rows}
    rows += [
        FundRowSpec(key, fund_caption(layout, key))
        for key in FUND_ROWS
        if key not in keys and _holds(form, f"funds.{key}")
    ]
    added = {label_key(r.caption) for r in rows if r.key is None}
    rows += [FundRowSpec(None, lab) for lab in form.funds.extras if label_key(lab) not in added]

    columns: list[Column] = []
    for c in layout.indicator_columns:
        if c.field is None:
            columns.append(Column(f"x_{c.id}", c.label, extra=c.label))
        elif c.field in INDICATOR_LABELS or c.field in INDICATOR_NUMBER_LABELS:
            if not layout.has(f"indicators.{c.field}") and not _holds(
                form, f"indicators.{c.field}"
            ):
                continue
            number = c.field in NUMBER_FIELDS
            columns.append(Column(c.field, indicator_header(layout, c.field), number=number))
    shown = {c.key for c in columns}
    for key in (*INDICATOR_LABELS, *INDICATOR_NUMBER_LABELS):
        if key not in shown and (key == "name" or _holds(form, f"indicators.{key}")):
            columns.append(Column(key, indicator_header(layout, key), number=key in NUMBER_FIELDS))
    return Fields(
        layout=layout,
        fund_columns=fund_columns,
        fund_rows=rows,
        indicator_columns=columns,
        level1=layout.fields.level1_weights or bool(form.level1_weights),
        checkboxes=list(dict.fromkeys([*layout.checkboxes, *(c.label for c in form.checkboxes)])),
        grade=layout.has("grade") or bool(form.grade),
        goals=layout.has("goals.expected") or bool(form.goals.expected or form.goals.achieved),
        execution_weights=list(layout.execution.weights),
    )


# --- values shown -------------------------------------------------------------------------


def _fund_row(form: SelfEvaluation, spec: FundRowSpec) -> FundRow | None:
    if spec.key is not None:
        row: FundRow = getattr(form.funds, spec.key)
        return row
    key = label_key(spec.caption)
    return next((r for lab, r in form.funds.extras.items() if label_key(lab) == key), None)


def fund_cell(row: FundRow | None, column: Column) -> str:
    if row is None:
        return ""
    if column.extra is not None:
        return row.extras.get(column.extra, "")
    return _shown(getattr(row, column.key))


def fund_values(form: SelfEvaluation, fields: Fields) -> dict[str, str]:
    """The fund cells the added rows and columns show, by field name on the page (the four
    rows' model cells are ``editing.page_values``')."""
    out: dict[str, str] = {}
    n = 0
    for spec in fields.fund_rows:
        row = _fund_row(form, spec)
        for col in fields.fund_columns:
            if spec.key is not None and col.extra is None:
                continue
            out[fund_name(spec, n, col)] = fund_cell(row, col)
        if spec.key is None:
            n += 1
    return out


def fund_name(spec: FundRowSpec, n: int, column: Column) -> str:
    """A fund cell's field name: ``funds.total.rate``, ``funds.total.x_method``,
    ``fundx.0.initial``."""
    if spec.key is not None:
        return f"funds.{spec.key}.{column.key}"
    return f"fundx.{n}.{column.key}"


def indicator_value(ind: Any, column: Column) -> str:
    if column.extra is not None:
        return str(ind.extras.get(column.extra, ""))
    return _shown(getattr(ind, column.key))


def level1_values(form: SelfEvaluation) -> list[dict[str, str]]:
    """The 一级 weights as printed, then every other 一级 label of the rows, weight empty."""
    out = [{"label": w.label, "weight": _shown(w.weight)} for w in form.level1_weights]
    known = {label_key(w.label) for w in form.level1_weights}
    for ind in form.indicators:
        key = label_key(ind.level1)
        if ind.level1 and key not in known:
            known.add(key)
            out.append({"label": ind.level1, "weight": ""})
    return out


def checkbox_values(form: SelfEvaluation, fields: Fields) -> list[dict[str, Any]]:
    """Each check box the editor shows: its label, options and those ticked (options empty:
    the form has none yet; the page asks for them as text)."""
    out = []
    for label in fields.checkboxes:
        box = next((c for c in form.checkboxes if label_key(c.label) == label_key(label)), None)
        out.append(
            {
                "label": label,
                "options": list(box.options) if box else [],
                "checked": list(box.checked) if box else [],
            }
        )
    return out
