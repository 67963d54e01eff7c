"""The 绩效目标申报表 and 绩效目标执行监控表 rendered: HTML (also printed to PDF) and Excel.

Both draw the placed cells of :mod:`jixiao.render.plan_layout`, so an Excel file written
here reads back through the importer (:mod:`jixiao.ingest.plan_tables`) as the same
document.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from xlsxwriter import Workbook

from jixiao.plans import Monitoring, TargetDeclaration
from jixiao.render.html import stylesheet, template
from jixiao.render.layout import Placed
from jixiao.render.plan_layout import PlanLayout, plan_layout
from jixiao.render.view import show_value
from jixiao.render.xlsx import _merge, _Styles

PlanDocument = TargetDeclaration | Monitoring
_CLASSES = {"label": "label", "header": "label", "value": "value", "text": "text", "number": "num"}


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


def html_sheet(layout: PlanLayout) -> HtmlSheet:
    """The table of one layout as rows of cells with spans (the title and year above)."""
    title = next(str(c.value) for c in layout.cells if c.kind == "title")
    year = next(str(c.value) for c in layout.cells if c.kind == "year")
    table = [c for c in layout.cells if c.kind not in ("title", "year")]
    first = min(c.row for c in table)
    last = max(c.last_row for c in table)
    rows: list[list[HtmlCell]] = [[] for _ in range(first, last + 1)]
    for cell in sorted(table, key=lambda c: (c.row, c.col)):
        rows[cell.row - first].append(
            HtmlCell(
                _shown(cell),
                cell.last_row - cell.row + 1,
                cell.last_col - cell.col + 1,
                _CLASSES[cell.kind],
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


def sheet_title(doc: PlanDocument, number: int) -> str:
    kind = "申报表" if isinstance(doc, TargetDeclaration) else "监控表"
    return f"{number}-{kind}"[:31]


def write_plan_sheets(book: Workbook, documents: Sequence[PlanDocument]) -> None:
    """One sheet per document in ``book`` (numbered: 1-申报表, 2-监控表 …)."""
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
        layout = plan_layout(doc)
        ws = book.add_worksheet(sheet_title(doc, number))
        for col, width in enumerate(layout.widths):
            ws.set_column(col, col, width)
        for cell in layout.cells:
            value = "" if cell.kind != "number" and cell.value is None else cell.value
            _merge(ws, cell.row, cell.col, cell.last_row, cell.last_col, value, kinds[cell.kind])
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(layout.header_row)


def render_plans_xlsx(documents: Sequence[PlanDocument]) -> bytes:
    """A workbook of the documents, one sheet each."""
    buffer = io.BytesIO()
    book = Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    write_plan_sheets(book, documents)
    book.close()
    return buffer.getvalue()
