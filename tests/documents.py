"""Files holding several kinds of document (申报表, 监控表, 自评表) in a given order, written
with the project's renderers: for the import-by-kind tests.

Excel and Word come from :func:`jixiao.render.plans.render_plans_xlsx` / ``_docx`` (one
sheet or one page per document, in order). A PDF is each document's own PDF (the 自评表 by
:func:`jixiao.render.render_pdf`, the others by ``render_plans_pdf``) joined page after page
with pypdf; an HTML page is each document's HTML page with their bodies one after the
other. Plain text is that PDF through ``pdftotext``.
"""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Sequence

from pypdf import PdfReader, PdfWriter

from jixiao.model import SelfEvaluation
from jixiao.plans import Monitoring, TargetDeclaration
from jixiao.render import render_html, render_pdf
from jixiao.render.plans import (
    render_plans_docx,
    render_plans_html,
    render_plans_pdf,
    render_plans_xlsx,
)

Doc = SelfEvaluation | TargetDeclaration | Monitoring
_BODY = re.compile(r"<body>(.*)</body>", re.S)


def _own_html(doc: Doc) -> str:
    return render_html([doc]) if isinstance(doc, SelfEvaluation) else render_plans_html([doc])


def _own_pdf(doc: Doc) -> bytes:
    return render_pdf([doc]) if isinstance(doc, SelfEvaluation) else render_plans_pdf([doc])


def html_of(docs: Sequence[Doc], other_at: int | None = None) -> bytes:
    """One HTML page: the first document's page with every other one's body appended (and
    the other content, :data:`OTHER_ROWS`, before document ``other_at``)."""
    pages = [_own_html(d) for d in docs]
    bodies = [m.group(1) for p in pages if (m := _BODY.search(p))]
    if other_at is not None:
        bodies.insert(other_at, other_html_body())
    joined = "".join(bodies)
    return _BODY.sub(lambda _: f"<body>{joined}</body>", pages[0], count=1).encode("utf-8")


def pdf_of(docs: Sequence[Doc], other_at: int | None = None) -> bytes:
    """The documents' PDFs joined into one, in order (the other content's page before
    document ``other_at``)."""
    pdfs = [_own_pdf(d) for d in docs]
    if other_at is not None:
        pdfs.insert(other_at, other_pdf())
    writer = PdfWriter()
    for pdf in pdfs:
        for page in PdfReader(io.BytesIO(pdf)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_of(docs: Sequence[Doc], other_at: int | None = None) -> bytes:
    """The documents in one Word file (the other content at its end when ``other_at`` is
    given)."""
    from docx import Document

    data = render_plans_docx(docs)
    if other_at is None:
        return data
    doc = Document(io.BytesIO(data))
    other_docx_into(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def xlsx_of(docs: Sequence[Doc], other_at: int | None = None) -> bytes:
    """The documents in one workbook, a sheet each (workbooks with other sheets are in
    tests/test_ingest_kinds.py)."""
    return render_plans_xlsx(docs)


def text_of(pdf: bytes, *options: str) -> str:
    """``pdftotext`` of a PDF (its default mode, or ``-layout`` / ``-raw``)."""
    done = subprocess.run(
        ["pdftotext", *options, "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


WRITERS = {"xlsx": xlsx_of, "docx": docx_of, "pdf": pdf_of, "html": html_of}


# Content that is no performance form, titled as a 项目库 export titles it: it must be named
# and skipped, never read as a 自评表 (it has a 项目名称 row, as those sheets do).
OTHER_TITLE = "项目支出计划"
OTHER_ROWS = (
    ("项目名称", "社区服务设备购置", "", ""),
    ("支出内容", "支出年度", "金额（万元）", "备注"),
    ("设备购置", "2024", "80.00", ""),
    ("安装调试", "2024", "20.00", ""),
)


def other_html_body() -> str:
    cells = "".join(
        "<tr>" + "".join(f"<td>{text}</td>" for text in row) + "</tr>" for row in OTHER_ROWS
    )
    return f'<h1 class="title">{OTHER_TITLE}</h1><table class="grid">{cells}</table>'


def other_pdf() -> bytes:
    from weasyprint import HTML

    style = "<style>td { border: 1px solid black; padding: 2px }</style>"
    return bytes(HTML(string=f"<html><body>{style}{other_html_body()}</body></html>").write_pdf())


def other_docx_into(doc: object) -> None:
    """The other content as a title paragraph and a table of a python-docx document."""
    doc.add_paragraph(OTHER_TITLE)  # type: ignore[attr-defined]
    table = doc.add_table(rows=len(OTHER_ROWS), cols=len(OTHER_ROWS[0]))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for r, row in enumerate(OTHER_ROWS):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
