"""Word (.docx) of the 财政项目支出绩效自评表 with python-docx.

The cells are those :mod:`jixiao.render.layout` places for Excel too (the nine columns and
those the form's layout adds): the title and the year line as centred paragraphs, then two
ruled tables with the same merges — the head (with its check boxes), 项目资金 (its label
merged down its rows, gridSpan and vMerge) and the goals; then the
indicator table, its heading repeated on every page, 一级/二级 labels merged down their
runs, 总分 and 评分等级 at the end. A4, portrait or landscape as the PDF prints the form
(:func:`jixiao.render.layout.page_columns`: a layout whose added columns would squeeze the
nine, 新疆's, is landscape; a form of other orientation than the one before starts a section
of its own), Noto CJK (the fonts of the PDF), each form on its own page, "第 i 页 共 n 页"
in the footer (pages of the whole document).
Values are shown as written on the form, a missing number as "-".
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from lxml import etree

from jixiao.model import SelfEvaluation
from jixiao.render.layout import (
    FIRST_TABLE_ROW,
    LANDSCAPE_MM,
    PORTRAIT_MM,
    Placed,
    form_layout,
    page_columns,
)
from jixiao.render.view import form_view, header_lines, show_value
from jixiao.render.word import a4, set_font

BODY_FONT = "Noto Serif CJK SC"
TITLE_FONT = "Noto Sans CJK SC"
BODY_SIZE = 9
SIDE_MM = 12
TOP_MM = 15
_CENTRED = {"label", "header", "number"}


def _cell_text(cell: Placed) -> str:
    if cell.kind == "header" and isinstance(cell.value, str):
        return "\n".join(header_lines(cell.value))
    value = cell.value
    return show_value(value) if value is None or isinstance(value, Decimal) else value


def _column_widths(widths: Sequence[float], table_mm: float) -> list[int]:
    """The columns' widths in twentieths of a point (Word's ``dxa``), scaled to the page's
    text width ``table_mm``."""
    total = sum(widths)
    return [round(Mm(table_mm * w / total).twips) for w in widths]


def _sub(parent: Any, tag: str, **attributes: str) -> Any:
    element = etree.SubElement(parent, qn(tag))
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _cell(tr: Any, placed: Placed, first_row: bool, width: int, span: int) -> None:
    """One ``w:tc`` over ``span`` of the table's columns: the cell where ``placed`` starts
    (``first_row``) or, below it, the vMerge continuation Word needs in every row a merged
    cell covers."""
    tc = _sub(tr, "w:tc")
    props = _sub(tc, "w:tcPr")
    _sub(props, "w:tcW", w=str(width), type="dxa")
    if span > 1:
        _sub(props, "w:gridSpan", val=str(span))
    if placed.rows > 1:
        vmerge = _sub(props, "w:vMerge")
        if first_row:
            vmerge.set(qn("w:val"), "restart")
    _sub(props, "w:vAlign", val="top" if placed.kind == "text" else "center")
    paragraph = _sub(tc, "w:p")
    if placed.kind in _CENTRED:
        _sub(_sub(paragraph, "w:pPr"), "w:jc", val="center")
    text = _cell_text(placed) if first_row else ""
    if not text:
        return
    run = _sub(paragraph, "w:r")
    if placed.kind == "header":
        _sub(_sub(run, "w:rPr"), "w:b")
    for i, line in enumerate(text.split("\n")):
        if i:
            _sub(run, "w:br")
        t = _sub(run, "w:t")
        t.text = line
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _table(
    doc: Any,
    cells: Sequence[Placed],
    first: int,
    last: int,
    header: bool,
    column_widths: Sequence[float],
    table_mm: float,
    kept: Sequence[int],
) -> None:
    """Rows ``first`` … ``last`` of the layout as one ruled table with its merges, written
    as Word's XML directly (python-docx's cell merging is quadratic in the table's size);
    ``column_widths`` are the layout's (the nine columns and those its layout adds), of
    which the table has the grid columns ``kept``: a column some cell of every row of the
    table spans over is left out, the cells that spanned it narrower."""
    at = {c: i for i, c in enumerate(kept)}
    columns = len(kept)
    table = doc.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = _column_widths([column_widths[c] for c in kept], table_mm)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Twips(width)
    covering: dict[tuple[int, int], tuple[Placed, int, int]] = {}
    for placed in cells:
        spanned = [at[c] for c in range(placed.col, placed.last_col + 1) if c in at]
        for r in range(placed.row, placed.last_row + 1):
            covering[(r, spanned[0])] = placed, spanned[0], spanned[-1]
    tbl = table._tbl
    for r in range(first, last + 1):
        tr = _sub(tbl, "w:tr")
        row_props = _sub(tr, "w:trPr")
        _sub(row_props, "w:cantSplit")  # a row stays on one page, as in the PDF
        if header and r == first:
            _sub(row_props, "w:tblHeader")  # repeated at the top of every page
        col = 0
        while col < columns:
            placed, col, last_col = covering[(r, col)]
            _cell(tr, placed, placed.row == r, sum(widths[col : last_col + 1]), last_col - col + 1)
            col = last_col + 1


def _paragraph(doc: Any, text: str, size: float, bold: bool, new_page: bool) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.page_break_before = new_page
    paragraph.paragraph_format.space_after = Pt(4)
    run = paragraph.add_run(text)
    run.bold = bold
    set_font(run, TITLE_FONT if bold else BODY_FONT, size)


def _field(paragraph: Any, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) whose value the reader's program fills in."""
    run = paragraph.add_run()
    for kind, text in (
        ("begin", None),
        (None, code),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "1":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        run._r.append(element)


def _footer(doc: Any) -> None:
    """“第 i 页 共 n 页” centred at the foot of every page, as on the PDF."""
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("第 ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" 页 共 ")
    _field(paragraph, "NUMPAGES")
    paragraph.add_run(" 页")


def _orient(section: Any, landscape: bool) -> None:
    """A4 with the form's margins, landscape or portrait."""
    a4(section, SIDE_MM, TOP_MM)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    else:
        section.orientation = WD_ORIENT.PORTRAIT


def write_form(doc: Any, form: SelfEvaluation, new_page: bool) -> None:
    """One form: title and year line, the head/funds/goals table, the indicator table, on
    a page turned as the PDF's (a new section where the orientation changes)."""
    view = form_view(form)
    layout = form_layout(view)
    landscape = page_columns(view).landscape
    section = doc.sections[-1]
    if not new_page:
        _orient(section, landscape)
    elif (section.orientation == WD_ORIENT.LANDSCAPE) != landscape:
        _orient(doc.add_section(WD_SECTION.NEW_PAGE), landscape)
        new_page = False  # the section starts the page
    table_mm = LANDSCAPE_MM if landscape else PORTRAIT_MM
    title = next(c for c in layout.cells if c.kind == "title")
    year = next(c for c in layout.cells if c.kind == "year")
    _paragraph(doc, _cell_text(title), 16, True, new_page)
    _paragraph(doc, _cell_text(year), 10, False, False)
    head = [c for c in layout.cells if FIRST_TABLE_ROW <= c.row < layout.header_row]
    body = [c for c in layout.cells if c.row >= layout.header_row]
    # each table has its own columns, as the PDF's: the head not the indicator table's
    # added columns, the indicator table not the added fund columns
    _table(
        doc,
        head,
        FIRST_TABLE_ROW,
        layout.header_row - 1,
        False,
        layout.widths,
        table_mm,
        layout.head_columns,
    )
    gap = doc.add_paragraph()  # two tables side by side would join into one
    gap.paragraph_format.space_after = Pt(0)
    set_font(gap.add_run(""), BODY_FONT, 4)
    _table(
        doc,
        body,
        layout.header_row,
        layout.last_row,
        True,
        layout.widths,
        table_mm,
        layout.indicator_columns,
    )


def render_form_docx(forms: Sequence[SelfEvaluation]) -> bytes:
    """Every form in one A4 Word document, each starting on a new page."""
    if not forms:
        raise ValueError("no forms to render")
    doc = Document()
    set_font(doc.styles["Normal"], BODY_FONT, BODY_SIZE)
    doc.styles["Normal"].paragraph_format.space_after = Pt(0)
    doc.core_properties.title = forms[0].title if len(forms) == 1 else "财政项目支出绩效自评表"
    doc.core_properties.language = "zh-CN"
    doc.core_properties.author = "jixiao"
    _footer(doc)
    for number, form in enumerate(forms):
        write_form(doc, form, new_page=number > 0)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
