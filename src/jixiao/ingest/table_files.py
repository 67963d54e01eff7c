"""Route files that hold tables — PDF, Excel (.xlsx, .xls), Word (.docx; .doc, .wps and
.odt through LibreOffice), HTML, and scans (image-only PDF, PNG, JPEG, TIFF, read by OCR)
— by their content.

:func:`read_table_bytes` looks at the bytes (magic numbers, the parts of a zip, markup),
not at the file name, and returns ``None`` for anything that is not one of these, so the
caller goes on with text or JSON. A PDF with a text layer but no ruled table is handed
back as its text to the flattened-text importer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from jixiao.ingest.errors import IngestError
from jixiao.model import SelfEvaluation
from jixiao.plans import Documents

if TYPE_CHECKING:
    from jixiao.ingest.pdf import NoRuledTable

TextReader = Callable[[str, str], list[SelfEvaluation]]
DocumentsReader = Callable[[str, str], Documents]
PageProgress = Callable[[int, int], None]  # pages of a scan read, pages in all


def table_kind(data: bytes) -> str | None:
    """ "pdf", "xlsx", "xls", "docx", "doc" (Word 97-2003 or WPS), "odt", "html", "png",
    "jpeg", "tiff", another office kind ("pptx" …) or None (text)."""
    from jixiao.ingest.html import is_html
    from jixiao.ingest.pdf import is_pdf
    from jixiao.ingest.scan_pages import image_kind
    from jixiao.ingest.xlsx import is_xls, ole_kind, zip_kind

    head = data[:8192]
    if is_pdf(head):
        return "pdf"
    image = image_kind(head)
    if image is not None:
        return image
    if is_xls(head):
        return ole_kind(data)
    kind = zip_kind(data)
    if kind is not None:
        return kind
    text_head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text_head[:1] in (b"{", b"["):
        return None  # JSON
    if b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "xmlss"
    if is_html(head):
        return "html"
    return None


_OTHER_KINDS = {
    "pptx": "PowerPoint 演示文稿（.pptx）",
    "ppt": "PowerPoint 97-2003 演示文稿（.ppt）",
    "ods": "OpenDocument 表格（.ods，请另存为 .xlsx 后再导入）",
    "zip": "ZIP 压缩包",
    "xmlss": "Excel 2003 XML 表格（请在 Excel/WPS 中另存为 .xlsx 后再导入）",
}


def read_table_bytes(
    data: bytes,
    name: str,
    text_reader: TextReader | None = None,
    progress: PageProgress | None = None,
) -> list[SelfEvaluation] | None:
    """The forms of a PDF, Excel, HTML or scanned file; None when ``data`` is none of
    these. ``progress`` is told after each page of a scan (OCR takes seconds a page)."""
    kind = table_kind(data)
    if kind is None:
        return None
    if kind in ("png", "jpeg", "tiff"):
        from jixiao.ingest.scan import read_scan
        from jixiao.ingest.scan_pages import image_pages, page_count

        total = page_count(data, name)
        return read_scan(image_pages(data, name), name, total, progress)
    if kind == "pdf":
        from jixiao.ingest.pdf import NoRuledTable, NoTextLayer, read_pdf

        try:
            return read_pdf(data, name)
        except NoTextLayer as scan:
            from jixiao.ingest.scan import read_scan
            from jixiao.ingest.scan_pages import pdf_pages

            pages = pdf_pages(data, name, scan.sizes)
            return read_scan(pages, name, len(scan.sizes), progress)
        except NoRuledTable as no_table:
            if text_reader is None:
                raise
            return text_reader(_pdf_text(no_table, name), name)
    if kind == "xlsx":
        from jixiao.ingest.xlsx import read_xlsx

        return read_xlsx(data, name)
    if kind == "xls":
        from jixiao.ingest.xlsx import read_xls

        return read_xls(data, name)
    if kind == "html":
        from jixiao.ingest.html import read_html

        return read_html(data, name)
    if kind in ("docx", "doc", "odt"):
        from jixiao.ingest.word import read_docx

        return read_docx(_as_docx(data, name, kind), name)
    raise IngestError(
        f"{name}: 是{_OTHER_KINDS.get(kind, kind)}，不是可导入的格式"
        "（支持 PDF、Excel .xlsx/.xls、Word .docx/.doc/.wps、网页 HTML、"
        "扫描件 PNG/JPEG/TIFF、文字版 .txt 和 JSON）"
    )


def read_table_documents(
    data: bytes,
    name: str,
    text_reader: DocumentsReader | None = None,
    progress: PageProgress | None = None,
) -> Documents | None:
    """The documents of a file of tables, sorted by kind (:mod:`jixiao.ingest.documents`):
    a workbook's sheets, a PDF's, Word document's or HTML page's tables with the lines
    around them (自评表, 申报表, 监控表, and what is skipped, named); a PDF without ruled
    tables through ``text_reader``; a scan's forms as :func:`read_table_bytes` reads them.
    None when ``data`` holds no tables."""
    from jixiao.ingest.documents import require_documents

    kind = table_kind(data)
    if kind in ("xlsx", "xls"):
        from jixiao.ingest.xlsx import xls_documents, xlsx_documents

        reader = xlsx_documents if kind == "xlsx" else xls_documents
        return require_documents(reader(data, name), name, "工作簿")
    if kind == "pdf":
        from jixiao.ingest.pdf import NoRuledTable, NoTextLayer, pdf_documents

        try:
            return pdf_documents(data, name)
        except NoTextLayer:
            pass  # a scan: read below
        except NoRuledTable as no_table:
            if text_reader is None:
                raise
            return text_reader(_pdf_text(no_table, name), name)
    if kind == "html":
        from jixiao.ingest.html import html_documents

        return html_documents(data, name)
    if kind in ("docx", "doc", "odt"):
        from jixiao.ingest.word import docx_documents

        return docx_documents(_as_docx(data, name, kind), name)
    forms = read_table_bytes(data, name, progress=progress)
    return None if forms is None else Documents(forms=forms)


def _as_docx(data: bytes, name: str, kind: str) -> bytes:
    """A Word file as .docx: .doc, .wps and .odt go through LibreOffice."""
    if kind == "docx":
        return data
    from jixiao.ingest.libreoffice import convert_to_docx

    return convert_to_docx(data, name, kind)


def _pdf_text(no_table: NoRuledTable, name: str) -> str:
    """The text layer of a PDF without ruled tables, for the text reader; refused when
    there is none."""
    if not no_table.text.strip():
        raise IngestError(f"{name}: PDF 中既没有表格也没有文字") from None
    return no_table.text
