"""The 绩效目标申报表 and 绩效目标执行监控表 rendered: HTML (also printed to PDF), Excel and
Word.

All draw the placed cells of :mod:`jixiao.render.plan_layout`, so a file written here reads
back through the importer (:mod:`jixiao.ingest.plan_tables`) as the same document. Excel
and Word also take 自评表 among them (a project's year in one file, in any order: one
sheet, or one page, per document), drawn by the 自评表's own writers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xlsxwriter import Workbook

from jixiao.model import SelfEvaluation
from jixiao.plans import Monitoring, TargetDeclaration
from jixiao.render.html import stylesheet, template
from jixiao.render.layout import Placed
from jixiao.render.plan_layout import PlanLayout, plan_layout
from jixiao.render.view import form_view, show_value
from jixiao.render.xlsx import _merge, _Styles
from jixiao.render.xlsx import write_form as write_form_sheet

PlanDocument = TargetDeclaration | Monitoring
AnyDocument = SelfEvaluation | TargetDeclaration | Monitoring
_CLASSES = {
    "label": "label",
    "header": "label",
    "value": "value",
    "text": "text",
    "number": "num",
}


@dataclass(frozen=True)
class HtmlCell:
    text: str
    rowspan: int
    colspan: int
    css: str
    header: bool


@dataclass(frozen=True)
class HtmlSheet:
    title: str
    year_line: str
    columns: int
    widths: tuple[float, ...]
    rows: list[list[HtmlCell]]


def _shown(cell: Placed) -> str:
    if isinstance(cell.value, Decimal) or cell.kind == "number":
        return show_value(cell.value)
    return cell.value or ""


def _unmerged_down(cells: list[Placed], header_row: int) -> list[tuple[Placed, str]]:
    """A label merged down from the indicator header over the indicator rows (绩效指标) as
    one cell per row, those below drawn without their top rule (class ``cont``): a cell
    merged over a page break is not drawn on the next page, whose table would then lose
    its first column (and read as another table)."""
    out: list[tuple[Placed, str]] = []
    for cell in cells:
        css = _CLASSES[cell.kind]
        if cell.kind == "label" and cell.row == header_row and cell.last_row > cell.row:
            top = Placed(cell.row, cell.col, cell.row, cell.last_col, cell.value, cell.kind)
            out.append((top, css))
            out += [
                (Placed(r, cell.col, r, cell.last_col, "", cell.kind), f"{css} cont")
                for r in range(cell.row + 1, cell.last_row + 1)
            ]
        else:
            out.append((cell, css))
    return out


def html_sheet(layout: PlanLayout) -> HtmlSheet:
    """The table of one layout as rows of cells with spans (the title and year above)."""
    title = next(str(c.value) for c in layout.cells if c.kind == "title")
    year = next(str(c.value) for c in layout.cells if c.kind == "year")
    table = _unmerged_down(
        [c for c in layout.cells if c.kind not in ("title", "year")], layout.header_row
    )
    first = min(c.row for c, _ in table)
    last = max(c.last_row for c, _ in table)
    rows: list[list[HtmlCell]] = [[] for _ in range(first, last + 1)]
    for cell, css in sorted(table, key=lambda item: (item[0].row, item[0].col)):
        rows[cell.row - first].append(
            HtmlCell(
                _shown(cell),
                cell.last_row - cell.row + 1,
                cell.last_col - cell.col + 1,
                css,
                cell.kind == "header",
            )
        )
    return HtmlSheet(title, year, layout.columns, layout.widths, rows)


def render_plans_html(documents: Sequence[PlanDocument]) -> str:
    """One HTML document with every 申报表 / 监控表, each on its own printed page."""
    sheets = [html_sheet(plan_layout(doc)) for doc in documents]
    title = sheets[0].title if len(sheets) == 1 else f"绩效目标表（{len(sheets)} 张）"
    return template("plans.html.j2").render(sheets=sheets, css=stylesheet(), title=title)


def render_plans_pdf(documents: Sequence[PlanDocument]) -> bytes:
    """The HTML of :func:`render_plans_html` printed to A4 by WeasyPrint."""
    from weasyprint import HTML

    return bytes(HTML(string=render_plans_html(documents)).write_pdf())


def sheet_title(doc: AnyDocument, number: int) -> str:
    kind = (
        "申报表"
        if isinstance(doc, TargetDeclaration)
        else "监控表"
        if isinstance(doc, Monitoring)
        else "自评表"
    )
    return f"{number}-{kind}"[:31]


def write_plan_sheets(book: Workbook, documents: Sequence[AnyDocument]) -> None:
    """One sheet per document in ``book`` (numbered: 1-申报表, 2-监控表, 3-自评表 …)."""
    styles = _Styles(book)
    kinds = {
        "title": styles.title,
        "year": styles.year,
        "label": styles.label,
        "header": styles.label,
        "value": styles.value,
        "text": styles.text,
        "number": styles.number,
    }
    for number, doc in enumerate(documents, start=1):
        ws = book.add_worksheet(sheet_title(doc, number))
        if isinstance(doc, SelfEvaluation):
            write_form_sheet(ws, form_view(doc), styles)
            continue
        layout = plan_layout(doc)
        for col, width in enumerate(layout.widths):
            ws.set_column(col, col, width)
        for cell in layout.cells:
            value = "" if cell.kind != "number" and cell.value is None else cell.value
            _merge(ws, cell.row, cell.col, cell.last_row, cell.last_col, value, kinds[cell.kind])
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(layout.header_row)


def render_plans_xlsx(documents: Sequence[AnyDocument]) -> bytes:
    """A workbook of the documents (申报表, 监控表 and 自评表 in any order), one sheet each."""
    buffer = io.BytesIO()
    book = Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    write_plan_sheets(book, documents)
    book.close()
    return buffer.getvalue()


# ------------------------------------------------------------------------------ Word

_DOCX_FONT = "Noto Serif CJK SC"
_DOCX_TITLE_FONT = "Noto Sans CJK SC"


def _docx_section(doc: Any, landscape: bool, first: bool) -> None:
    """A new A4 section (the first document uses the document's own), landscape for the
    wide 监控表."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    from jixiao.render.word import a4

    section = doc.sections[0] if first else doc.add_section(WD_SECTION.NEW_PAGE)
    a4(section, 12, 15)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.orientation = WD_ORIENT.PORTRAIT


def _docx_paragraph(doc: Any, text: str, size: float, bold: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from jixiao.render.word import set_font

    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    set_font(run, _DOCX_TITLE_FONT if bold else _DOCX_FONT, size)


def _docx_plan(doc: Any, layout: PlanLayout) -> None:
    """One 申报表 or 监控表: title and year as paragraphs, the rest as one ruled table with
    its merges (a plan table is small: python-docx's merging is quick enough)."""
    title = next(str(c.value) for c in layout.cells if c.kind == "title")
    year = next(str(c.value) for c in layout.cells if c.kind == "year")
    _docx_paragraph(doc, title, 16, True)
    _docx_paragraph(doc, year, 10, False)
    table_cells = [c for c in layout.cells if c.kind not in ("title", "year")]
    first = min(c.row for c in table_cells)
    rows = max(c.last_row for c in table_cells) - first + 1
    table = doc.add_table(rows=rows, cols=layout.columns)
    table.style = "Table Grid"
    grid = table._cells  # once: table.cell() lists every cell again at each call
    for cell in table_cells:
        target = grid[(cell.row - first) * layout.columns + cell.col]
        target.text = _shown(cell)
        if cell.kind == "header":
            for run in target.paragraphs[0].runs:
                run.bold = True
    for cell in table_cells:  # the areas are disjoint: each merge leaves the others' cells
        if cell.last_row > cell.row or cell.last_col > cell.col:
            corner = (cell.last_row - first) * layout.columns + cell.last_col
            grid[(cell.row - first) * layout.columns + cell.col].merge(grid[corner])


def render_plans_docx(documents: Sequence[AnyDocument]) -> bytes:
    """A Word document of the documents (申报表, 监控表 and 自评表 in any order), each on its
    own pages (the 监控表 landscape); a 自评表 as :mod:`jixiao.render.form_docx` writes it."""
    from docx import Document

    from jixiao.render.form_docx import write_form as write_form_docx
    from jixiao.render.word import set_font

    if not documents:
        raise ValueError("no documents to render")
    doc = Document()
    set_font(doc.styles["Normal"], _DOCX_FONT, 9)
    doc.core_properties.language = "zh-CN"
    doc.core_properties.author = "jixiao"
    for number, item in enumerate(documents):
        _docx_section(doc, isinstance(item, Monitoring), number == 0)
        if isinstance(item, SelfEvaluation):
            write_form_docx(doc, item, new_page=False)
        else:
            _docx_plan(doc, plan_layout(item))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
