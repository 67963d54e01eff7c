"""The official form as a grid of placed cells: nine columns, rows, merges and cell kinds.

One placement of the 财政项目支出绩效自评表 for every writer that draws a table cell by
cell (Excel, Word): the same rows, the same merged ranges (the 项目资金 block across rows,
一级/二级 indicator labels down their runs, 总分 and 评分等级 across), so the files they
write read back through the one grid mapper alike. The HTML template draws the same table.
"""

from __future__ import annotations

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
    table's heading, ``last_row`` the 评分等级 row. ``min_lines`` is the least number of
    text lines a row is given (the goals, the two-line headings).
    """

    cells: tuple[Placed, ...]
    header_row: int
    last_row: int
    min_lines: dict[int, int]


FIRST_TABLE_ROW = 2  # rows above are the title and the year line


def form_layout(view: FormView) -> FormLayout:
    """Place one form's cells on the nine-column grid of the official table."""
    form = view.form
    out: list[Placed] = []

    def put(r1: int, c1: int, r2: int, c2: int, value: str | Decimal | None, kind: Kind) -> None:
        out.append(Placed(r1, c1, r2, c2, value, kind))

    put(0, 0, 0, 8, form.title, "title")
    put(1, 0, 1, 8, view.year_line, "year")
    put(2, 0, 2, 1, "项目名称", "label")
    put(2, 2, 2, 8, form.project, "value")
    put(3, 0, 3, 1, "主管部门", "label")
    put(3, 2, 3, 3, form.department, "value")
    put(3, 4, 3, 4, "实施单位", "label")
    put(3, 5, 3, 8, form.unit, "value")

    # 项目资金: merged label, a caption column and six value columns.
    last_fund = 4 + len(view.funds)  # the heading row, then one row per fund row
    put(4, 0, last_fund, 1, f"项目资金\n{view.amount_caption}", "label")
    put(4, 2, 4, 2, "", "label")
    for i, header in enumerate(view.fund_headers):
        put(4, 3 + i, 4, 3 + i, header, "label")
    for r, fund in enumerate(view.funds, start=5):
        put(r, 2, r, 2, fund.caption, "label")
        for i, value in enumerate(fund.values):
            put(r, 3 + i, r, 3 + i, value, "number")

    # 年度总体目标 in two columns.
    goals = last_fund + 1
    put(goals, 0, goals + 1, 0, "年度\n总体\n目标", "label")
    put(goals, 1, goals, 4, "预期目标", "label")
    put(goals, 5, goals, 8, "实际完成情况", "label")
    put(goals + 1, 1, goals + 1, 4, form.goals.expected, "text")
    put(goals + 1, 5, goals + 1, 8, form.goals.achieved, "text")

    # Indicator table.
    header_row = goals + 2
    for col, header in zip((0, 1, 2, 4, 5, 6, 7, 8), view.indicator_headers, strict=True):
        put(header_row, col, header_row, 3 if col == 2 else col, header, "header")
    row = header_row + 1
    for line in view.indicators:
        ind = line.indicator
        if line.level1_span:
            put(row, 0, row + line.level1_span - 1, 0, ind.level1, "label")
        if line.level2_span:
            put(row, 1, row + line.level2_span - 1, 1, ind.level2, "label")
        put(row, 2, row, 3, ind.name, "label")
        put(row, 4, row, 4, ind.target, "label")
        put(row, 5, row, 5, ind.actual, "label")
        put(row, 6, row, 6, ind.weight, "number")
        put(row, 7, row, 7, ind.score, "number")
        put(row, 8, row, 8, ind.deviation, "value")
        row += 1
    put(row, 0, row, 5, "总分", "label")
    put(row, 6, row, 6, form.total_weight, "number")
    put(row, 7, row, 7, form.total_score, "number")
    put(row, 8, row, 8, "", "label")
    put(row + 1, 0, row + 1, 5, "评分等级", "label")
    put(row + 1, 6, row + 1, 8, view.grade, "label")
    return FormLayout(tuple(out), header_row, row + 1, {goals + 1: 3, header_row: 2})


def span_width(first: int, last: int) -> float:
    """The width of columns ``first`` … ``last`` in Excel character units."""
    return sum(COLUMN_WIDTHS[first : last + 1])
