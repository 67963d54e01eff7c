"""The form laid out as the official table: rows, merged cells and display strings.

One view serves the HTML/PDF template and the Excel writer, so both show the same
cells. Values are shown as written on the form: a Decimal's own string, ``None`` as "-".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.layouts import FALLBACK, Layout, get_layout, layout_of
from jixiao.model import (
    FUND_COLUMN_LABELS,
    FUND_COLUMNS,
    FUND_ROW_LABELS,
    FUND_ROWS,
    INDICATOR_LABELS,
    INDICATOR_NUMBER_LABELS,
    FundRow,
    Indicator,
    SelfEvaluation,
    checkbox_text,
    level1_caption,
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
# The head's labels as the national form prints them: 项目名称, 主管部门, 实施单位.
HEAD_LABELS: tuple[str, str, str] = ("项目名称", "主管部门", "实施单位")


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
    extras: list[str] = field(default_factory=list)  # the layout's added fund columns


@dataclass
class IndicatorLine:
    """One 三级指标 row; ``level1_span``/``level2_span`` > 0 where a merged cell starts.
    ``level1_caption`` is the 一级 label as printed, with its weight where the form has one
    (产出指标(60分)); ``numbers`` the layout's added number columns (权重占比, 折算得分)."""

    indicator: Indicator
    level1_span: int
    level2_span: int
    weight: str
    score: str
    extras: list[str] = field(default_factory=list)  # the layout's added columns, in order
    level1_caption: str = ""
    numbers: list[Decimal | None] = field(default_factory=list)


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
    # columns the form's layout adds to the indicator table (指标性质, 度量单位 …), shown
    # after 实际完成值
    extra_headers: tuple[str, ...] = ()
    layout: str = FALLBACK
    # 项目名称 / 主管部门 / 实施单位 in the layout's words (北京: 主管部门及代码)
    head_labels: tuple[str, str, str] = HEAD_LABELS
    # head fields written as check boxes: (label, ☑经常性项目 □一次性项目), in order
    checkboxes: list[tuple[str, str]] = field(default_factory=list)
    # head fields the template lacks (项目类别, 评价结论 …): (label, text), a row each
    head_extras: list[tuple[str, str]] = field(default_factory=list)
    # fund columns the layout adds (四川 原因, 北京 得分计算方法), after the six
    fund_extra_headers: tuple[str, ...] = ()
    # the number columns the layout adds (河北 权重占比, 单项指标折算得分), after 得分; their
    # fields in ``number_fields`` (share, adjusted_score)
    number_headers: tuple[str, ...] = ()
    number_fields: tuple[str, ...] = ()
    # 河北: 总分's 得分 is the sum of the 折算得分, printed under that column
    total_under_adjusted: bool = False
    # the 评分等级 row: where the layout has one, or the form writes a grade
    show_grade: bool = True


def _spans(keys: list[tuple[str, ...]]) -> list[int]:
    """Run lengths of equal consecutive keys, placed at each run's first row (0 elsewhere)."""
    spans = [0] * len(keys)
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            spans[start] = i - start
            start = i
    return spans


def indicator_lines(
    indicators: list[Indicator],
    extra_headers: tuple[str, ...] = (),
    form: SelfEvaluation | None = None,
    number_fields: tuple[str, ...] = (),
) -> list[IndicatorLine]:
    """Indicator rows with the merged 一级 and 二级 cells of the official table; the cells of
    the layout's added text columns (``extra_headers``, kept in ``extras``) and number
    columns (``number_fields``: share, adjusted_score), and the 一级 captions with the
    weights ``form`` prints."""
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
            [ind.extras.get(h, "") for h in extra_headers],
            level1_caption(ind.level1, form.level1_weights if form is not None else []),
            [getattr(ind, f) for f in number_fields],
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


def _extra_headers(form: SelfEvaluation, layout: Layout) -> tuple[str, ...]:
    """The added indicator columns (no model field) some row of the form fills: the
    layout's, in its order, then any other the rows hold, in the order first met."""
    found = dict.fromkeys(k for ind in form.indicators for k in ind.extras)
    declared = [c.label for c in layout.indicator_columns if c.field is None and c.label in found]
    return (*declared, *(k for k in found if k not in declared))


def _number_columns(form: SelfEvaluation, layout: Layout) -> tuple[tuple[str, str], ...]:
    """(field, header) of the number columns (权重占比, 折算得分) the layout declares or a row
    of the form fills, in the model's order, in the layout's words."""
    out = []
    for key, default in INDICATOR_NUMBER_LABELS.items():
        own = next((c.label for c in layout.indicator_columns if c.field == key), None)
        if own is not None or any(getattr(ind, key) is not None for ind in form.indicators):
            out.append((key, own or default))
    return tuple(out)


def _head_labels(layout: Layout) -> tuple[str, str, str]:
    """项目名称 / 主管部门 / 实施单位 in the layout's words where it declares its own."""
    own = {h.field: h.label for h in layout.head}
    project, department, unit = HEAD_LABELS
    return (
        own.get("project", project),
        own.get("department", department),
        own.get("unit", unit),
    )


def _fund_line(key: str, caption: str, row: FundRow, extra: tuple[str, ...] = ()) -> FundLine:
    values = [getattr(row, c) for c in FUND_COLUMNS]
    texts = [row.extras.get(h, "") for h in extra]
    return FundLine(key, caption, [show_number(v) for v in values], values, texts)


def _fund_extra_headers(form: SelfEvaluation, layout: Layout) -> tuple[str, ...]:
    """The added fund columns some fund row fills: the layout's, in its order, then any
    other the rows hold."""
    found = dict.fromkeys(k for _, row in form.funds.rows() for k in row.extras)
    declared = [c.label for c in layout.fund_columns if c.field is None and c.label in found]
    return (*declared, *(k for k in found if k not in declared))


def form_view(form: SelfEvaluation, layout: Layout | None = None) -> FormView:
    """Lay out one form as the official table of its layout shows it: the layout's words
    for the head, rows and columns where they differ from the national form's, the check
    boxes of the head, the fund rows it adds (``funds.extras``) after the four, its added
    indicator columns (text after 实际完成值, numbers after 得分) and the 一级 weights."""
    if layout is None:
        layout = layout_of(form).layout
    fund_extra = _fund_extra_headers(form, layout)
    funds = [
        _fund_line(key, fund_caption(layout, key), getattr(form.funds, key), fund_extra)
        for key in FUND_ROWS
    ]
    funds += [
        _fund_line(f"extras.{label}", label, row, fund_extra)
        for label, row in form.funds.extras.items()
    ]
    extra = _extra_headers(form, layout)
    numbers = _number_columns(form, layout)
    fields = tuple(k for k, _ in numbers)
    return FormView(
        form=form,
        year_line=f"（{form.year}年度）" if form.year is not None else "（　　年度）",
        amount_caption=f"（{form.amount_unit}）",
        funds=funds,
        indicators=indicator_lines(form.indicators, extra, form, fields),
        total_weight=show_number(form.total_weight),
        total_score=show_number(form.total_score),
        grade=form.grade or "",
        fund_headers=[fund_header(layout, c) for c in FUND_COLUMNS],
        indicator_headers=_indicator_headers(layout),
        extra_headers=extra,
        layout=layout.id,
        head_labels=_head_labels(layout),
        checkboxes=[(box.label, checkbox_text(box)) for box in form.checkboxes],
        head_extras=list(form.extras.items()),
        fund_extra_headers=fund_extra,
        number_headers=tuple(h for _, h in numbers),
        number_fields=fields,
        total_under_adjusted="adjusted_score" in fields and layout.fields.adjusted_scores,
        show_grade=layout.fields.grade or form.grade is not None,
    )
