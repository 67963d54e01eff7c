"""The official form as a grid of placed cells: nine columns, rows, merges and cell kinds.

One placement of the 财政项目支出绩效自评表 for every writer that draws a table cell by
cell (Excel, Word): the same rows, the same merged ranges (the 项目资金 block across rows,
一级/二级 indicator labels down their runs, 总分 and 评分等级 across), so the files they
write read back through the one grid mapper alike. The HTML template draws the same table
from the same view (:mod:`jixiao.render.view`).

A form's layout may add to the nine columns: its added indicator columns (指标性质,
度量单位, 佐证资料 …) come after 实际完成值 and its number columns (权重占比, 折算得分) after
得分, each a column of its own, its added fund columns (原因, 得分计算方法) after the last;
the cells that do not hold them widen over them. Rows
of check boxes (项目类别, 项目属性) and of the other head fields the form holds (评价结论 …)
follow 主管部门 / 实施单位; the head's labels, the 一级
labels with their printed weights and the column headings are the layout's words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from jixiao.render.view import FormView

# Column widths of A–I in Excel character units (≈ 186 mm on A4 portrait).
COLUMN_WIDTHS: tuple[float, ...] = (5.5, 5.5, 17, 12, 12.5, 12.5, 8.5, 8.5, 19)
COLUMNS = len(COLUMN_WIDTHS)

# title, year line: above the table; label: centred caption; value: a head field's text;
# text: long text (goals) aligned top-left; number: a declared number; header: the
# indicator table's column heading (repeated on every page).
Kind = Literal["title", "year", "label", "value", "text", "number", "header"]


@dataclass(frozen=True, slots=True)
class Placed:
    """One cell of the form: its rows and columns (inclusive), value and kind.

    ``value`` is a Decimal for numbers (None for a number left empty, shown "-"), else text.
    """

    row: int
    col: int
    last_row: int
    last_col: int
    value: str | Decimal | None
    kind: Kind

    @property
    def rows(self) -> int:
        return self.last_row - self.row + 1

    @property
    def merged(self) -> bool:
        return self.last_row > self.row or self.last_col > self.col


@dataclass(frozen=True)
class FormLayout:
    """Every placed cell of one form, top to bottom, left to right.

    Rows ``0`` and ``1`` hold the title and the year line; ``header_row`` is the indicator
    table's heading, ``last_row`` the 评分等级 row (总分 where the layout has no grade).
    ``min_lines`` is the least number of text lines a row is given (the goals, the
    two-line headings). ``widths`` are the
    columns' widths in Excel character units (the nine, and the layout's added ones).
    """

    cells: tuple[Placed, ...]
    header_row: int
    last_row: int
    min_lines: dict[int, int]
    widths: tuple[float, ...] = COLUMN_WIDTHS
    # the grid columns a table of its own needs (Word: two tables): above the indicator
    # table every column but the indicator table's added ones (the cells there span them),
    # the indicator table every column but the added fund columns (its 偏差原因 spans them)
    head_columns: tuple[int, ...] = tuple(range(len(COLUMN_WIDTHS)))
    indicator_columns: tuple[int, ...] = tuple(range(len(COLUMN_WIDTHS)))

    @property
    def columns(self) -> int:
        return len(self.widths)

    def span_width(self, first: int, last: int) -> float:
        """The width of columns ``first`` … ``last`` in Excel character units."""
        return sum(self.widths[first : last + 1])


FIRST_TABLE_ROW = 2  # rows above are the title and the year line
EXTRA_WIDTH = 9.0  # an added text column (指标性质, 佐证资料 …)
NUMBER_WIDTH = 8.5  # an added number column (权重占比, 折算得分)
# The nine columns: 一级, 二级, 三级 (two), 年度指标值, 实际完成值, 分值, 得分, 偏差原因.
_ACTUAL, _SCORE, _LAST = 5, 7, 8  # the added columns follow these


def form_layout(view: FormView) -> FormLayout:
    """Place one form's cells on the grid of its layout's official table."""
    form = view.form
    n_extra, n_number = len(view.extra_headers), len(view.number_headers)
    n_fund = len(view.fund_extra_headers)
    out: list[Placed] = []

    def first(c: int) -> int:  # the grid column where base column ``c`` starts
        return c + (n_extra if c > _ACTUAL else 0) + (n_number if c > _SCORE else 0)

    def last(c: int) -> int:  # … and where it ends (widened over the added columns)
        added = {_ACTUAL: n_extra, _SCORE: n_number, _LAST: n_fund}.get(c, 0)
        return first(c) + added

    def put(r1: int, c1: int, r2: int, c2: int, value: str | Decimal | None, kind: Kind) -> None:
        """A cell over base columns ``c1`` … ``c2`` (widened over the added ones)."""
        out.append(Placed(r1, first(c1), r2, last(c2), value, kind))

    def at(r: int, c: int, value: str | Decimal | None, kind: Kind) -> None:
        """A cell in grid column ``c`` exactly."""
        out.append(Placed(r, c, r, c, value, kind))

    project, department, unit = view.head_labels
    put(0, 0, 0, 8, form.title, "title")
    put(1, 0, 1, 8, view.year_line, "year")
    put(2, 0, 2, 1, project, "label")
    put(2, 2, 2, 8, form.project, "value")
    put(3, 0, 3, 1, department, "label")
    put(3, 2, 3, 3, form.department, "value")
    put(3, 4, 3, 4, unit, "label")
    put(3, 5, 3, 8, form.unit, "value")

    # Check boxes (项目类别 | ☑经常性项目 □一次性项目 | 项目属性 | …), two a row.
    row = 4
    boxes = view.checkboxes
    for i in range(0, len(boxes), 2):
        (label, text), *rest = boxes[i : i + 2]
        put(row, 0, row, 1, label, "label")
        if rest:
            put(row, 2, row, 3, text, "value")
            put(row, 4, row, 4, rest[0][0], "label")
            put(row, 5, row, 8, rest[0][1], "value")
        else:
            put(row, 2, row, 8, text, "value")
        row += 1

    # Other head fields the form holds (评价结论, 联系电话 …), a row each.
    for label, text in view.head_extras:
        put(row, 0, row, 1, label, "label")
        put(row, 2, row, 8, text, "value")
        row += 1

    # 项目资金: merged label, a caption column and six value columns.
    fund_head = row
    last_fund = fund_head + len(view.funds)  # the heading row, then one row per fund row
    put(fund_head, 0, last_fund, 1, f"项目资金\n{view.amount_caption}", "label")
    put(fund_head, 2, fund_head, 2, "", "label")
    fund_score = first(_LAST)

    def fund_line(
        r: int, cells: Sequence[str | Decimal | None], kind: Kind, added: Sequence[str], how: Kind
    ) -> None:
        """A fund row's six columns, the last (得分) alone in its grid column when the layout
        adds fund columns (四川 原因, 北京 得分计算方法), which follow it."""
        for i, value in enumerate(cells):
            if 3 + i == _LAST:
                at(r, fund_score, value, kind)
            else:
                put(r, 3 + i, r, 3 + i, value, kind)
        for k, text in enumerate(added, start=fund_score + 1):
            at(r, k, text, how)

    fund_line(fund_head, view.fund_headers, "label", view.fund_extra_headers, "label")
    for r, fund in enumerate(view.funds, start=fund_head + 1):
        put(r, 2, r, 2, fund.caption, "label")
        fund_line(r, fund.values, "number", fund.extras, "value")

    # 年度总体目标 in two columns.
    goals = last_fund + 1
    put(goals, 0, goals + 1, 0, "年度\n总体\n目标", "label")
    put(goals, 1, goals, 4, "预期目标", "label")
    put(goals, 5, goals, 8, "实际完成情况", "label")
    put(goals + 1, 1, goals + 1, 4, form.goals.expected, "text")
    put(goals + 1, 5, goals + 1, 8, form.goals.achieved, "text")

    # Indicator table: the nine columns, the added text columns after 实际完成值, the
    # added number columns after 得分.
    header_row = goals + 2
    headers = view.indicator_headers
    weight_col, score_col = first(6), first(7)
    number_cols = range(score_col + 1, score_col + 1 + n_number)
    deviation_col = first(8)
    put(header_row, 0, header_row, 0, headers[0], "header")
    put(header_row, 1, header_row, 1, headers[1], "header")
    out.append(Placed(header_row, 2, header_row, 3, headers[2], "header"))
    at(header_row, 4, headers[3], "header")
    at(header_row, 5, headers[4], "header")
    for k, extra in enumerate(view.extra_headers):
        at(header_row, 6 + k, extra, "header")
    at(header_row, weight_col, headers[5], "header")
    at(header_row, score_col, headers[6], "header")
    for col, number in zip(number_cols, view.number_headers, strict=True):
        at(header_row, col, number, "header")
    deviation_end = last(_LAST)
    out.append(Placed(header_row, deviation_col, header_row, deviation_end, headers[7], "header"))
    row = header_row + 1
    for line in view.indicators:
        ind = line.indicator
        if line.level1_span:
            out.append(Placed(row, 0, row + line.level1_span - 1, 0, line.level1_caption, "label"))
        if line.level2_span:
            out.append(Placed(row, 1, row + line.level2_span - 1, 1, ind.level2, "label"))
        out.append(Placed(row, 2, row, 3, ind.name, "label"))
        at(row, 4, ind.target, "label")
        at(row, 5, ind.actual, "label")
        for k, text in enumerate(line.extras):
            at(row, 6 + k, text, "label")
        at(row, weight_col, ind.weight, "number")
        at(row, score_col, ind.score, "number")
        for col, value in zip(number_cols, line.numbers, strict=True):
            at(row, col, value, "number")
        out.append(Placed(row, deviation_col, row, deviation_end, ind.deviation, "value"))
        row += 1
    put(row, 0, row, 5, "总分", "label")
    at(row, weight_col, form.total_weight, "number")
    # 总分's 得分 under 得分, or (河北) under 单项指标折算得分, whose sum it is
    total_col = score_col
    if view.total_under_adjusted:
        total_col = score_col + 1 + view.number_fields.index("adjusted_score")
    for col in (score_col, *number_cols):
        if col == total_col:
            at(row, col, form.total_score, "number")
        else:
            at(row, col, "", "label")
    out.append(Placed(row, deviation_col, row, deviation_end, "", "label"))
    if view.show_grade:
        row += 1
        put(row, 0, row, 5, "评分等级", "label")
        put(row, 6, row, 8, view.grade, "label")
    widths = (
        *COLUMN_WIDTHS[:6],
        *(EXTRA_WIDTH,) * n_extra,
        *COLUMN_WIDTHS[6:8],
        *(NUMBER_WIDTH,) * n_number,
        *COLUMN_WIDTHS[8:],
        *(EXTRA_WIDTH,) * n_fund,
    )
    added = {*range(6, 6 + n_extra), *number_cols}  # the indicator table's added columns
    return FormLayout(
        tuple(out),
        header_row,
        row,
        {goals + 1: 3, header_row: 2},
        widths,
        tuple(c for c in range(len(widths)) if c not in added),
        tuple(range(deviation_col + 1)),
    )


def span_width(first: int, last: int) -> float:
    """The width of columns ``first`` … ``last`` of the nine in Excel character units."""
    return sum(COLUMN_WIDTHS[first : last + 1])


# --- the HTML / PDF table on the A4 page -----------------------------------------------

# The nine columns' widths in percent of the page's text width (the seed's form), an added
# text column's (指标性质, 佐证资料 …) and an added number column's (权重占比, 折算得分).
PERCENTS: tuple[int, ...] = (5, 5, 17, 12, 12, 12, 9, 10, 18)
EXTRA_PERCENT = 8
NUMBER_PERCENT = 7
PORTRAIT_MM = 186  # A4 portrait less the 12 mm side margins (form.css)
LANDSCAPE_MM = 273  # A4 landscape less the same
# Scaled to the page, no column may shrink below this share of its width on the seed's
# form: a layout whose columns would is printed landscape.
NARROWEST = 0.8
# A table whose columns come out narrower than this share of the seed's is set in the
# smaller type (form.css ``.small``).
SMALL_BELOW = 0.9


@dataclass(frozen=True)
class PageColumns:
    """How one form's two tables fit the A4 page: each column as (its class in form.css,
    its width in percent of the page's text width; the widths sum to 100), whether the page
    is landscape, and whether each table is set in the smaller type. Classes: ``g1`` …
    ``g9`` the nine, ``gx`` an added text column, ``gn`` an added number column."""

    head: tuple[tuple[str, str], ...]  # the head / funds / goals table: the nine, then the
    # added fund columns
    indicators: tuple[tuple[str, str], ...]  # the nine, added text columns after 实际完成值
    # and number columns after 得分
    landscape: bool
    small_head: bool
    small_indicators: bool


def page_columns(view: FormView) -> PageColumns:
    """The columns of ``view``'s two tables, scaled to the page's width: the layout's added
    columns (新疆's six, 四川's 指标性质 / 度量单位 and 原因, 河北's 权重占比 / 折算得分 …) take
    their width from the nine, so no table is wider than the page. Where that would shrink
    the nine below :data:`NARROWEST` of their width, the form is printed on A4 landscape;
    where it shrinks them below :data:`SMALL_BELOW`, that table is set in smaller type."""
    base = [(f"g{i}", w) for i, w in enumerate(PERCENTS, start=1)]
    head = (*base, *[("gx", EXTRA_PERCENT)] * len(view.fund_extra_headers))
    indicators = (
        *base[:6],
        *[("gx", EXTRA_PERCENT)] * len(view.extra_headers),
        *base[6:8],
        *[("gn", NUMBER_PERCENT)] * len(view.number_headers),
        *base[8:],
    )
    widest = max(sum(w for _, w in head), sum(w for _, w in indicators))
    landscape = sum(PERCENTS) / widest < NARROWEST
    page = LANDSCAPE_MM if landscape else PORTRAIT_MM

    def scale(columns: tuple[tuple[str, int], ...]) -> float:  # against the seed's page
        return page / PORTRAIT_MM * sum(PERCENTS) / sum(w for _, w in columns)

    def percents(columns: tuple[tuple[str, int], ...]) -> tuple[tuple[str, str], ...]:
        total = sum(w for _, w in columns)
        return tuple(
            (name, f"{100 * w / total:.3f}".rstrip("0").rstrip(".")) for name, w in columns
        )

    return PageColumns(
        percents(head),
        percents(indicators),
        landscape,
        scale(head) < SMALL_BELOW,
        scale(indicators) < SMALL_BELOW,
    )
