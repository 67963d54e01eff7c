"""Excel (.xlsx) of the 财政项目支出绩效自评表 with xlsxwriter.

The form's cells as :mod:`jixiao.render.layout` places them (nine columns A–I and the
columns its layout adds, the same merges as the HTML template and the Word file), A4 print
setup (landscape where the PDF prints the form so) fitted to the page width with the
indicator header repeated, numbers stored as numbers with a two-decimal format. Decimals
are handed to xlsxwriter as they are: it writes them with ``{:.16G}``, so no value passes
through float. A first sheet (汇总)
holds one row per form, a last sheet the flat indicator table of every form.
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

from jixiao.audit import SEVERITIES, SEVERITY_LABELS, FormAudit
from jixiao.model import INDICATOR_LABELS, SelfEvaluation
from jixiao.render.layout import FormLayout, form_layout, page_columns
from jixiao.render.view import DASH, FormView, form_view

FONT = "宋体"
LINE_HEIGHT = 14.0  # points per wrapped line at 10 pt
FLAT_SHEET = "指标明细"
FLAT_HEADERS: tuple[str, ...] = ("序号", "单位", "年度", "项目名称", *INDICATOR_LABELS.values())
FLAT_WIDTHS: tuple[float, ...] = (6, 32, 6, 28, 12, 20, 34, 20, 20, 8, 8, 40)
SUMMARY_SHEET = "汇总"
SUMMARY_HEADERS: tuple[str, ...] = (
    "序号",
    "单位",
    "年度",
    "项目",  # not 项目名称: the importer must not take this sheet for a form
    "执行率(%)（填报）",
    "执行率(%)（计算）",
    "总分（填报）",
    "总分（计算）",
    "评分等级（填报）",
    "评分等级（计算）",
    "状态",
    *(f"{SEVERITY_LABELS[s]}（项）" for s in SEVERITIES),
)
SUMMARY_WIDTHS: tuple[float, ...] = (6, 26, 6, 26, 10, 10, 9, 9, 9, 9, 10, 8, 8, 8)


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
        # a list's text cell wraps: printed, a long text stays in its cell (not cut off
        # by the next cell or the page's edge)
        self.plain_text = book.add_format({**base, "border": 1, "align": "left", "text_wrap": True})
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


def row_heights(layout: FormLayout) -> dict[int, float]:
    """Each table row's height in points: its single-row cells' text wrapped at their
    width (numbers never wrap), at least the layout's ``min_lines``; then the last row of a
    merged 一级/二级 cell grows until its wrapped label fits. The title row is 26 points."""
    lines: dict[int, int] = {}
    for cell in layout.cells:
        if cell.kind in ("title", "year"):
            continue
        lines.setdefault(cell.row, layout.min_lines.get(cell.row, 1))
        if cell.rows == 1 and cell.kind != "number" and isinstance(cell.value, str):
            width = layout.span_width(cell.col, cell.last_col)
            lines[cell.row] = max(lines[cell.row], wrapped_lines(cell.value, width))
    heights = {row: LINE_HEIGHT * n + 4 for row, n in lines.items()}
    for cell in layout.cells:
        if cell.rows > 1 and cell.row > layout.header_row and isinstance(cell.value, str):
            width = layout.span_width(cell.col, cell.last_col)
            need = LINE_HEIGHT * wrapped_lines(cell.value, width) + 4
            have = sum(heights[r] for r in range(cell.row, cell.last_row + 1))
            if have < need:
                heights[cell.last_row] += need - have
    heights[0] = 26
    return heights


def write_form(ws: Worksheet, view: FormView, st: _Styles) -> None:
    """Lay out one form on a worksheet as the official table of its layout, columns A–I
    and the layout's added ones (:func:`jixiao.render.layout.form_layout`), on A4 portrait
    or landscape as the PDF prints it (:func:`jixiao.render.layout.page_columns`)."""
    layout = form_layout(view)
    for col, width in enumerate(layout.widths):
        ws.set_column(col, col, width)
    styles = {
        "title": st.title,
        "year": st.year,
        "label": st.label,
        "header": st.label,
        "value": st.value,
        "text": st.text,
        "number": st.number,
    }
    for cell in layout.cells:
        fmt = styles[cell.kind]
        _merge(ws, cell.row, cell.col, cell.last_row, cell.last_col, cell.value, fmt)
    for row, height in sorted(row_heights(layout).items()):
        ws.set_row(row, height)

    ws.set_paper(9)  # A4
    if page_columns(view).landscape:  # turned as the PDF prints the form (新疆's columns)
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    ws.center_horizontally()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(layout.header_row)
    ws.set_footer("&C第 &P 页 共 &N 页")
    ws.print_area(0, 0, layout.last_row, layout.columns - 1)


def write_flat(ws: Worksheet, forms: Sequence[SelfEvaluation], st: _Styles) -> None:
    """One row per 三级指标 of every form, for analysis (filter, pivot). Its text cells wrap
    and each row is as tall as its longest text wrapped at its column's width, so a printed
    sheet shows every text whole (not cut off by the next cell or the page's edge)."""
    for col, (header, width) in enumerate(zip(FLAT_HEADERS, FLAT_WIDTHS, strict=True)):
        ws.set_column(col, col, width)
        ws.write_string(0, col, header, st.header)
    row = 1
    for number, form in enumerate(forms, start=1):
        for ind in form.indicators:
            texts = (
                (1, form.unit),
                (3, form.project),
                *enumerate((ind.level1, ind.level2, ind.name, ind.target, ind.actual), 4),
                (11, ind.deviation),
            )
            lines = max(wrapped_lines(text, FLAT_WIDTHS[col]) for col, text in texts)
            if lines > 1:  # a row of one line keeps the sheet's own height
                ws.set_row(row, LINE_HEIGHT * lines + 4)
            ws.write_number(row, 0, form.index or number, st.plain)
            _write_year(ws, row, 2, form.year, st)
            for col, text in texts:
                ws.write_string(row, col, text, st.plain_text)
            _write(ws, row, 9, ind.weight, st.plain_number)
            _write(ws, row, 10, ind.score, st.plain_number)
            row += 1
    _finish_table(ws, row, len(FLAT_HEADERS))


def _write_year(ws: Worksheet, row: int, col: int, year: int | None, st: _Styles) -> None:
    if year is None:
        ws.write_string(row, col, DASH, st.plain)
    else:
        ws.write_number(row, col, year, st.plain)


def _finish_table(ws: Worksheet, rows: int, columns: int) -> None:
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(rows - 1, 0), columns - 1)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)


def write_summary(
    ws: Worksheet,
    forms: Sequence[SelfEvaluation],
    audits: Sequence[FormAudit | None],
    states: Sequence[str | None],
    st: _Styles,
) -> None:
    """One row per form: unit, year, project, 执行率, 总分 and 等级 as declared and as
    computed, the state (where the caller knows it) and the findings by severity. Without
    a form's audit its computed values and counts are "-"."""
    for col, (header, width) in enumerate(zip(SUMMARY_HEADERS, SUMMARY_WIDTHS, strict=True)):
        ws.set_column(col, col, width)
        ws.write_string(0, col, header, st.header)
    row = 0
    for row, (form, audit, state) in enumerate(zip(forms, audits, states, strict=True), start=1):
        card = audit.scorecard if audit is not None else None
        ws.write_number(row, 0, form.index or row, st.plain)
        ws.write_string(row, 1, form.unit, st.plain)
        _write_year(ws, row, 2, form.year, st)
        ws.write_string(row, 3, form.project, st.plain)
        cells: list[Any] = [
            form.funds.total.rate,
            card.rate.computed if card else DASH,
            form.total_score,
            card.total.computed if card else DASH,
            form.grade,
            card.grade.computed if card else DASH,
            state or DASH,
            *(audit.count(s) if audit else DASH for s in SEVERITIES),
        ]
        for col, value in enumerate(cells, start=4):
            if isinstance(value, int) and not isinstance(value, bool):
                ws.write_number(row, col, value, st.plain)
            else:
                _write(ws, row, col, value, st.plain_number)
    _finish_table(ws, row + 1, len(SUMMARY_HEADERS))


def sheet_name(form: SelfEvaluation, number: int, count: int) -> str:
    """A valid, unique sheet name: "自评表" for one form, else "序号-项目名称" (≤ 31 chars)."""
    if count == 1:
        return "自评表"
    project = re.sub(r"[\[\]:*?/\\']", "", form.project) or "未命名"
    return f"{number}-{project}"[:31]


def render_xlsx(
    forms: Sequence[SelfEvaluation],
    audits: Sequence[FormAudit | None] | None = None,
    states: Sequence[str | None] | None = None,
) -> bytes:
    """A workbook: the 汇总 sheet first, one sheet per form, the flat indicator sheet last.

    ``audits`` (one per form, e.g. from :func:`jixiao.audit.audit_forms`) give the summary
    its computed values and counts by severity; ``states`` the workflow state of each form
    as the caller names it (审核通过 …). Both are optional: the core knows no workflow.
    """
    buffer = io.BytesIO()
    # Text is never a formula, whatever it begins with (write_string does so too).
    book = Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    styles = _Styles(book)
    write_summary(
        book.add_worksheet(SUMMARY_SHEET),
        forms,
        audits if audits is not None else [None] * len(forms),
        states if states is not None else [None] * len(forms),
        styles,
    )
    for number, form in enumerate(forms, start=1):
        ws = book.add_worksheet(sheet_name(form, number, len(forms)))
        write_form(ws, form_view(form), styles)
    write_flat(book.add_worksheet(FLAT_SHEET), forms, styles)
    book.close()
    return buffer.getvalue()
