"""The form laid out as the official table: rows, merged cells and display strings.

One view serves the HTML/PDF template and the Excel writer, so both show the same
cells. Values are shown as written on the form: a Decimal's own string, ``None`` as "-".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.layouts import FALLBACK, Layout, get_layout, label_key, layout_of
from jixiao.model import (
    FUND_COLUMN_LABELS,
    FUND_COLUMNS,
    FUND_ROW_LABELS,
    FUND_ROWS,
    INDICATOR_LABELS,
    INDICATOR_NUMBER_LABELS,
    Checkbox,
    FundRow,
    Indicator,
    SelfEvaluation,
)

DASH = "-"

# Labels as the Shanghai form prints them.
FUND_ROW_CAPTIONS: dict[str, str] = {
    "total": "年度资金总额：",
    "fiscal": "其中：" + FUND_ROW_LABELS["fiscal"],
    "carryover": FUND_ROW_LABELS["carryover"],
    "other": FUND_ROW_LABELS["other"],
}
FUND_COLUMN_CAPTIONS: dict[str, str] = {
    **FUND_COLUMN_LABELS,
    "weight": "分数",
    "rate": "执行率(%)",
}
INDICATOR_HEADERS: tuple[str, ...] = tuple(INDICATOR_LABELS.values())


# Where the official form breaks a long column heading.
HEADER_BREAKS: dict[str, tuple[str, ...]] = {
    "偏差原因分析及改进措施": ("偏差原因分析", "及改进措施"),
}


def header_lines(header: str) -> tuple[str, ...]:
    """A column heading as the lines the official form prints it on."""
    return HEADER_BREAKS.get(header, (header,))


def show_number(value: Decimal | None) -> str:
    """A number as the form writes it: its own string, never exponent form; None → "-"."""
    if value is None:
        return DASH
    text = str(value)
    return format(value, "f") if "E" in text or "e" in text else text


def show_value(value: Decimal | str | None) -> str:
    """A declared or computed value (a number or a 评分等级) as shown; None → "-"."""
    return value if isinstance(value, str) else show_number(value)


@dataclass
class FundLine:
    """One row of the 项目资金 block: one of the four (``key`` total, fiscal …) or a row
    the layout adds (``key`` ``extras.单位资金``)."""

    key: str
    caption: str
    cells: list[str]  # six display strings, in FUND_COLUMNS order
    values: list[Decimal | None]


@dataclass
class IndicatorLine:
    """One 三级指标 row; ``level1_span``/``level2_span`` > 0 where a merged cell starts."""

    indicator: Indicator
    level1_span: int
    level2_span: int
    weight: str
    score: str
    extras: list[str] = field(default_factory=list)  # the layout's added columns, in order
    level1_caption: str = ""  # the 一级 label as printed: with its weight, 产出指标(50分)


@dataclass
class FormView:
    """Everything the official layout shows, in display order."""

    form: SelfEvaluation
    year_line: str
    amount_caption: str
    funds: list[FundLine]
    indicators: list[IndicatorLine]
    total_weight: str
    total_score: str
    grade: str
    fund_headers: list[str] = field(
        default_factory=lambda: [FUND_COLUMN_CAPTIONS[c] for c in FUND_COLUMNS]
    )
    indicator_headers: tuple[str, ...] = INDICATOR_HEADERS
    # columns the form's layout adds to the indicator table (指标性质, 度量单位, 权重占比 …),
    # shown after 实际完成值 in the HTML/PDF form
    extra_headers: tuple[str, ...] = ()
    layout: str = FALLBACK
    # the head's check boxes (项目类别: ☑经常性项目 □一次性项目), as the form has them
    checkboxes: list[Checkbox] = field(default_factory=list)


def _spans(keys: list[tuple[str, ...]]) -> list[int]:
    """Run lengths of equal consecutive keys, placed at each run's first row (0 elsewhere)."""
    spans = [0] * len(keys)
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            spans[start] = i - start
            start = i
    return spans


def extra_cell(ind: Indicator, label: str, key: str | None) -> str:
    """A row's cell under a column the layout adds: a number column (``share``,
    ``adjusted_score``) as shown, a text column (``key`` None) from ``extras`` by ``label``."""
    if key is None:
        return ind.extras.get(label, "")
    return show_number(getattr(ind, key))


def level1_caption(label: str, weights: dict[str, Decimal | None]) -> str:
    """A 一级 label as the form prints it, with its weight where one is printed
    (``产出指标(50分)``); ``weights`` by the label's key."""
    weight = weights.get(label_key(label)) if label else None
    return label if weight is None else f"{label}({show_number(weight)}分)"


def indicator_lines(
    indicators: list[Indicator],
    extra_headers: tuple[str, ...] = (),
    extra_keys: tuple[str | None, ...] = (),
    level1_weights: dict[str, Decimal | None] | None = None,
) -> list[IndicatorLine]:
    """Indicator rows with the merged 一级 and 二级 cells of the official table; the cells of
    the layout's added columns (``extra_keys``: the model field of each, None for text kept
    in ``extras``) and the 一级 captions with their printed weights."""
    keys = extra_keys or (None,) * len(extra_headers)
    weights = level1_weights or {}
    l1 = _spans([(i.level1,) for i in indicators])
    # A 二级 cell never crosses a 一级 boundary: key it on both, and on the 一级 run index.
    run = 0
    keys2: list[tuple[str, ...]] = []
    for i, ind in enumerate(indicators):
        if l1[i]:
            run += 1
        keys2.append((str(run), ind.level1, ind.level2))
    l2 = _spans(keys2)
    return [
        IndicatorLine(
            ind,
            l1[i],
            l2[i],
            show_number(ind.weight),
            show_number(ind.score),
            [extra_cell(ind, h, k) for h, k in zip(extra_headers, keys, strict=True)],
            level1_caption(ind.level1, weights),
        )
        for i, ind in enumerate(indicators)
    ]


def fund_caption(layout: Layout, key: str) -> str:
    """A fund row's caption: the Shanghai form's words, or the layout's own (总额, 财政资金)."""
    own = next((r.label for r in layout.fund_rows if r.field == key), None)
    if own is None or own == next(
        (r.label for r in get_layout(FALLBACK).fund_rows if r.field == key), None
    ):
        return FUND_ROW_CAPTIONS[key]
    return own


def fund_header(layout: Layout, key: str) -> str:
    """A fund column's heading: the Shanghai form's words, or the layout's own."""
    own = next((c.label for c in layout.fund_columns if c.field == key), None)
    national = next((c.label for c in get_layout(FALLBACK).fund_columns if c.field == key), None)
    return FUND_COLUMN_CAPTIONS[key] if own is None or own == national else own


def indicator_header(layout: Layout, key: str) -> str:
    """An indicator column's heading (``key`` a model field, ``share`` …): the model's words
    (the Shanghai form's), or the layout's own where they differ from the national form's."""
    own = next((c.label for c in layout.indicator_columns if c.field == key), None)
    base = next((c.label for c in get_layout(FALLBACK).indicator_columns if c.field == key), None)
    label = INDICATOR_LABELS.get(key) or INDICATOR_NUMBER_LABELS[key]
    return label if own is None or own == base else own


def _indicator_headers(layout: Layout) -> tuple[str, ...]:
    return tuple(indicator_header(layout, key) for key in INDICATOR_LABELS)


def _extra_columns(form: SelfEvaluation, layout: Layout) -> tuple[tuple[str, str | None], ...]:
    """The layout's added indicator columns some row of the form fills, as (heading, model
    field): text columns kept in ``extras`` (field None) and number columns (权重占比 …)."""
    found = {k for ind in form.indicators for k in ind.extras}
    out: list[tuple[str, str | None]] = []
    for c in layout.indicator_columns:
        if c.field is None and c.label in found:
            out.append((c.label, None))
        elif c.field in INDICATOR_NUMBER_LABELS and any(
            getattr(ind, c.field) is not None for ind in form.indicators
        ):
            out.append((c.label, c.field))
    return tuple(out)


def _fund_line(key: str, caption: str, row: FundRow) -> FundLine:
    values = [getattr(row, c) for c in FUND_COLUMNS]
    return FundLine(key, caption, [show_number(v) for v in values], values)


def form_view(form: SelfEvaluation, layout: Layout | None = None) -> FormView:
    """Lay out one form as the official table of its layout shows it: the layout's words
    for rows and columns where they differ from the national form's, the fund rows it adds
    (``funds.extras``) after the four, and its added indicator columns."""
    if layout is None:
        layout = layout_of(form).layout
    funds = [
        _fund_line(key, fund_caption(layout, key), getattr(form.funds, key)) for key in FUND_ROWS
    ]
    funds += [_fund_line(f"extras.{label}", label, row) for label, row in form.funds.extras.items()]
    columns = _extra_columns(form, layout)
    extra = tuple(label for label, _ in columns)
    weights = {label_key(w.label): w.weight for w in form.level1_weights}
    return FormView(
        form=form,
        year_line=f"（{form.year}年度）" if form.year is not None else "（　　年度）",
        amount_caption=f"（{form.amount_unit}）",
        funds=funds,
        indicators=indicator_lines(
            form.indicators, extra, tuple(key for _, key in columns), weights
        ),
        total_weight=show_number(form.total_weight),
        total_score=show_number(form.total_score),
        grade=form.grade or "",
        fund_headers=[fund_header(layout, c) for c in FUND_COLUMNS],
        indicator_headers=_indicator_headers(layout),
        extra_headers=extra,
        layout=layout.id,
        checkboxes=list(form.checkboxes),
    )
