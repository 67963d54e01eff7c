"""Render forms as the official 财政项目支出绩效自评表: HTML, PDF (WeasyPrint), Excel, Word.

- :func:`render_html` — the HTML export (one template shared with the PDF)
- :func:`render_pdf` — A4 PDF, many forms in one file
- :func:`render_xlsx` — workbook: one sheet per form plus the flat indicator sheet
- :func:`render_form_docx` — Word document, each form on its own A4 page
- :func:`render_bytes` / :func:`render_folder` — batch into one file or a folder
- :func:`render_report_html` / :func:`render_report_pdf` — the 审核意见书 of audited forms
"""

from jixiao.render.batch import FORMATS, file_name, render_bytes, render_folder
from jixiao.render.form_docx import render_form_docx
from jixiao.render.html import render_html
from jixiao.render.pdf import render_pdf
from jixiao.render.report import render_report_html, render_report_pdf
from jixiao.render.review import Note, Review
from jixiao.render.xlsx import render_xlsx

__all__ = [
    "FORMATS",
    "Note",
    "Review",
    "file_name",
    "render_bytes",
    "render_folder",
    "render_form_docx",
    "render_html",
    "render_pdf",
    "render_report_html",
    "render_report_pdf",
    "render_xlsx",
]
