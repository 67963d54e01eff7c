"""Excel (.xlsx) of the 财政项目支出绩效自评表 with xlsxwriter.

The same grid as the HTML template (nine columns A–I, the same merges), A4 print
setup fitted to the page width with the indicator header repeated, numbers stored as
numbers with a two-decimal format. Decimals are handed to xlsxwriter as they are: it
writes them with ``{:.16G}``, so no value passes through float. A last sheet holds
the flat indicator table of every form.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from jixiao.model import INDICATOR_LABELS, SelfEvaluation
from jixiao.render.view import DASH, FormView, form_view

# Column widths of A–I in Excel character units (≈ 186 mm on A4 portrait).
COLUMN_WIDTHS: tuple[float, ...] = (5.5, 5.5, 17, 12, 12.5, 12.5, 8.5, 8.5, 19)
FONT = "宋体"
LINE_HEIGHT = 14.0  # points per wrapped line at 10 pt
FLAT_SHEET = "指标明细"
FLAT_HEADERS: tuple[str, ...] = ("序号", "项目名称", *INDICATOR_LABELS.values())
FLAT_WIDTHS: tuple[float, ...] = (6, 26, 12, 20, 34, 20, 20, 8, 8, 40)


def text_units(text: str) -> int:
    """Display width in Excel character units: CJK and full-width count two."""
    return sum(1 if ord(ch) < 0x2E80 else 2 for ch in text)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes when wrapped in a cell ``width`` units wide."""
    usable = max(width - 1, 1)
    return max(1, *(math.ceil(text_units(part) / usable) for part in text.split("\n")))


class _Styles:
    """The cell formats of one workbook."""

    def __init__(self, book: Workbook) -> None:
        base: dict[str, Any] = {"font_name": FONT, "font_size": 10, "valign": "vcenter"}
        cell = {**base, "border": 1, "text_wrap": True}
        self.title = book.add_format({**base, "font_size": 16, "bold": True, "align": "center"})
        self.year = book.add_format({**base, "font_size": 11, "align": "center"})
        self.label = book.add_format({**cell, "align": "center"})
        self.value = book.add_format({**cell, "align": "left"})
        self.text = book.add_format({**cell, "align": "left", "valign": "top"})
        self.number = book.add_format({**cell, "align": "center", "num_format": "0.00"})
        self.header = book.add_format({**cell, "align": "center", "bold": True})
        self.plain = book.add_format({**base, "border": 1, "align": "left"})
        self.plain_number = book.add_format({**base, "border": 1, "num_format": "0.00"})


def _merge(ws: Worksheet, r1: int, c1: int, r2: int, c2: int, value: Any, fmt: Format) -> None:
    """Write a (possibly merged) cell; a number stays a number."""
    if (r1, c1) == (r2, c2):
        _write(ws, r1, c1, value, fmt)
        return
    ws.merge_range(r1, c1, r2, c2, "", fmt)
    _write(ws, r1, c1, value, fmt)


def _write(ws: Worksheet, row: int, col: int, value: Any, fmt: Format) -> None:
    if isinstance(value, Decimal):
        ws.write_number(row, col, value, fmt)  # type: ignore[arg-type]  # written via {:.16G}
    elif value is None:
        ws.write_string(row, col, DASH, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _span_width(first: int, last: int) -> float:
    return sum(COLUMN_WIDTHS[first : last + 1])


def _fit_merged_labels(
    heights: list[float], spans: list[tuple[int, int, str, float]], first_row: int
) -> None:
    """Grow the last row of a merged 一级/二级 cell until its wrapped label fits."""
    for start, rows, label, width in spans:
        need = LINE_HEIGHT * wrapped_lines(label, width) + 4
        i, j = start - first_row, start - first_row + rows
        have = sum(heights[i:j])
        if have < need:
            heights[j - 1] += need - have


def write_form(ws: Worksheet, view: FormView, st: _Styles) -> None:
    """Lay out one form on a worksheet, columns A–I, as the official table."""
    form = view.form
    for col, width in enumerate(COLUMN_WIDTHS):
        ws.set_column(col, col, width)
    _merge(ws, 0, 0, 0, 8, form.title, st.title)
    ws.set_row(0, 26)
    _merge(ws, 1, 0, 1, 8, view.year_line, st.year)
    _merge(ws, 2, 0, 2, 1, "项目名称", st.label)
    _merge(ws, 2, 2, 2, 8, form.project, st.value)
    ws.set_row(2, LINE_HEIGHT * wrapped_lines(form.project, _span_width(2, 8)) + 4)
    _merge(ws, 3, 0, 3, 1, "主管部门", st.label)
    _merge(ws, 3, 2, 3, 3, form.department, st.value)
    _write(ws, 3, 4, "实施单位", st.label)
    _merge(ws, 3, 5, 3, 8, form.unit, st.value)
    lines = max(
        wrapped_lines(form.department, _span_width(2, 3)),
        wrapped_lines(form.unit, _span_width(5, 8)),
    )
    ws.set_row(3, LINE_HEIGHT * lines + 4)

    # 项目资金: merged label, a caption column and six value columns.
    _merge(ws, 4, 0, 8, 1, f"项目资金\n{view.amount_caption}", st.label)
    _write(ws, 4, 2, "", st.label)
    for i, header in enumerate(view.fund_headers):
        _write(ws, 4, 3 + i, header, st.label)
    for r, fund in enumerate(view.funds, start=5):
        _write(ws, r, 2, fund.caption, st.label)
        for i, value in enumerate(fund.values):
            _write(ws, r, 3 + i, value, st.number)
        ws.set_row(r, LINE_HEIGHT * wrapped_lines(fund.caption, COLUMN_WIDTHS[2]) + 4)

    # 年度总体目标 in two columns.
    _merge(ws, 9, 0, 10, 0, "年度\n总体\n目标", st.label)
    _merge(ws, 9, 1, 9, 4, "预期目标", st.label)
    _merge(ws, 9, 5, 9, 8, "实际完成情况", st.label)
    _merge(ws, 10, 1, 10, 4, form.goals.expected, st.text)
    _merge(ws, 10, 5, 10, 8, form.goals.achieved, st.text)
    lines = max(
        wrapped_lines(form.goals.expected, _span_width(1, 4)),
        wrapped_lines(form.goals.achieved, _span_width(5, 8)),
        3,
    )
    ws.set_row(10, LINE_HEIGHT * lines + 4)

    # Indicator table.
    header_row = 11
    for col, header in zip((0, 1, 2, 4, 5, 6, 7, 8), view.indicator_headers, strict=True):
        if col == 2:
            _merge(ws, header_row, 2, header_row, 3, header, st.label)
        else:
            _write(ws, header_row, col, header, st.label)
    ws.set_row(header_row, LINE_HEIGHT * 2 + 4)
    row = header_row + 1
    heights: list[float] = []
    spans: list[tuple[int, int, str, float]] = []  # first row, rows, label, column width
    for line in view.indicators:
        ind = line.indicator
        if line.level1_span:
            _merge(ws, row, 0, row + line.level1_span - 1, 0, ind.level1, st.label)
            spans.append((row, line.level1_span, ind.level1, COLUMN_WIDTHS[0]))
        if line.level2_span:
            _merge(ws, row, 1, row + line.level2_span - 1, 1, ind.level2, st.label)
            spans.append((row, line.level2_span, ind.level2, COLUMN_WIDTHS[1]))
        _merge(ws, row, 2, row, 3, ind.name, st.label)
        _write(ws, row, 4, ind.target, st.label)
        _write(ws, row, 5, ind.actual, st.label)
        _write(ws, row, 6, ind.weight, st.number)
        _write(ws, row, 7, ind.score, st.number)
        _write(ws, row, 8, ind.deviation, st.value)
        lines = max(
            wrapped_lines(ind.name, _span_width(2, 3)),
            wrapped_lines(ind.target, COLUMN_WIDTHS[4]),
            wrapped_lines(ind.actual, COLUMN_WIDTHS[5]),
            wrapped_lines(ind.deviation, COLUMN_WIDTHS[8]),
        )
        heights.append(LINE_HEIGHT * lines + 4)
        row += 1
    _fit_merged_labels(heights, spans, header_row + 1)
    for offset, height in enumerate(heights):
        ws.set_row(header_row + 1 + offset, height)
    _merge(ws, row, 0, row, 5, "总分", st.label)
    _write(ws, row, 6, form.total_weight, st.number)
    _write(ws, row, 7, form.total_score, st.number)
    _write(ws, row, 8, "", st.label)
    _merge(ws, row + 1, 0, row + 1, 5, "评分等级", st.label)
    _merge(ws, row + 1, 6, row + 1, 8, view.grade, st.label)

    ws.set_paper(9)  # A4
    ws.set_portrait()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    ws.center_horizontally()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.set_footer("&C第 &P 页 共 &N 页")
    ws.print_area(0, 0, row + 1, 8)


def write_flat(ws: Worksheet, forms: Sequence[SelfEvaluation], st: _Styles) -> None:
    """One row per 三级指标 of every form, for analysis (filter, pivot)."""
    for col, (header, width) in enumerate(zip(FLAT_HEADERS, FLAT_WIDTHS, strict=True)):
        ws.set_column(col, col, width)
        ws.write_string(0, col, header, st.header)
    row = 1
    for number, form in enumerate(forms, start=1):
        for ind in form.indicators:
            texts = (ind.level1, ind.level2, ind.name, ind.target, ind.actual)
            ws.write_number(row, 0, form.index or number, st.plain)
            ws.write_string(row, 1, form.project, st.plain)
            for col, text in enumerate(texts, start=2):
                ws.write_string(row, col, text, st.plain)
            _write(ws, row, 7, ind.weight, st.plain_number)
            _write(ws, row, 8, ind.score, st.plain_number)
            ws.write_string(row, 9, ind.deviation, st.plain)
            row += 1
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(row - 1, 0), len(FLAT_HEADERS) - 1)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)


def sheet_name(form: SelfEvaluation, number: int, count: int) -> str:
    """A valid, unique sheet name: "自评表" for one form, else "序号-项目名称" (≤ 31 chars)."""
    if count == 1:
        return "自评表"
    project = re.sub(r"[\[\]:*?/\\']", "", form.project) or "未命名"
    return f"{number}-{project}"[:31]


def render_xlsx(forms: Sequence[SelfEvaluation]) -> bytes:
    """A workbook with one sheet per form and the flat indicator sheet last."""
    buffer = io.BytesIO()
    # Text is never a formula, whatever it begins with (write_string does so too).
    book = Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    styles = _Styles(book)
    for number, form in enumerate(forms, start=1):
        ws = book.add_worksheet(sheet_name(form, number, len(forms)))
        write_form(ws, form_view(form), styles)
    write_flat(book.add_worksheet(FLAT_SHEET), forms, styles)
    book.close()
    return buffer.getvalue()
