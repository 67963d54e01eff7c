"""What kind of file an uploaded 佐证材料 is, by its content (magic bytes, the parts inside a
zip, the streams inside an OLE2 compound document), never by its name.

Accepted: PDF; JPEG, PNG, GIF, TIFF, BMP, WebP images; Word / Excel / PowerPoint files
(97–2003 OLE2, which WPS's .wps/.et/.dps also are, and OOXML); OpenDocument; ZIP. Everything
else is refused with a reason in Chinese (an executable, a web page, an unknown format …).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from jixiao.ingest.html import is_html
from jixiao.ingest.pdf import is_pdf
from jixiao.ingest.xlsx import XLS_MAGIC, XLSX_MAGIC

HEAD_BYTES = 8192
# The parts read from inside a zip to tell its kind are small; never read more than this.
PART_LIMIT = 1024 * 1024


@dataclass(frozen=True)
class Kind:
    """One accepted kind: its key, name for people, content type and the suffixes it goes by
    (the first is the one a download gets when the uploaded name carries another)."""

    key: str
    label: str
    content_type: str
    suffixes: tuple[str, ...]


KINDS = {
    k.key: k
    for k in (
        Kind("pdf", "PDF 文档", "application/pdf", (".pdf",)),
        Kind("jpeg", "JPEG 图片", "image/jpeg", (".jpg", ".jpeg", ".jpe")),
        Kind("png", "PNG 图片", "image/png", (".png",)),
        Kind("gif", "GIF 图片", "image/gif", (".gif",)),
        Kind("tiff", "TIFF 图片", "image/tiff", (".tif", ".tiff")),
        Kind("bmp", "BMP 图片", "image/bmp", (".bmp",)),
        Kind("webp", "WebP 图片", "image/webp", (".webp",)),
        Kind("doc", "Word 97-2003 文档", "application/msword", (".doc", ".wps", ".dot")),
        Kind("xls", "Excel 97-2003 工作簿", "application/vnd.ms-excel", (".xls", ".et", ".xlt")),
        Kind(
            "ppt",
            "PowerPoint 97-2003 演示文稿",
            "application/vnd.ms-powerpoint",
            (".ppt", ".dps", ".pps"),
        ),
        Kind(
            "docx",
            "Word 文档",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx", ".wps"),
        ),
        Kind(
            "xlsx",
            "Excel 工作簿",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx", ".et"),
        ),
        Kind(
            "pptx",
            "PowerPoint 演示文稿",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            (".pptx", ".dps"),
        ),
        Kind("odt", "OpenDocument 文本", "application/vnd.oasis.opendocument.text", (".odt",)),
        Kind(
            "ods",
            "OpenDocument 表格",
            "application/vnd.oasis.opendocument.spreadsheet",
            (".ods",),
        ),
        Kind(
            "odp",
            "OpenDocument 演示文稿",
            "application/vnd.oasis.opendocument.presentation",
            (".odp",),
        ),
        Kind("zip", "ZIP 压缩包", "application/zip", (".zip",)),
    )
}

ACCEPTED_TEXT = (
    "PDF、图片（JPEG、PNG、GIF、TIFF、BMP、WebP）、"
    "Office 文档（Word、Excel、PowerPoint、WPS、OpenDocument）或 ZIP 压缩包"
)

# OOXML: the main part's content type in [Content_Types].xml and the part itself.
_OOXML = (
    ("docx", b"wordprocessingml.document.main+xml", "word/document.xml"),
    ("xlsx", b"spreadsheetml.sheet.main+xml", "xl/workbook.xml"),
    ("pptx", b"presentationml.presentation.main+xml", "ppt/presentation.xml"),
)
_ODF = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
# OLE2 compound documents: the stream that makes each kind (an .msi or .msg is OLE2 too).
_OLE_STREAMS = (
    ("doc", "WordDocument"),
    ("xls", "Workbook"),
    ("xls", "Book"),
    ("ppt", "PowerPoint Document"),
)
# Formats recognised only to name them in a refusal.
_REFUSED = (
    (b"MZ", "Windows 可执行程序"),
    (b"\x7fELF", "可执行程序"),
    (b"#!", "脚本"),
    (b"Rar!", "RAR 压缩包（请改用 ZIP）"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包（请改用 ZIP）"),
    (b"\x1f\x8b", "gzip 压缩包（请改用 ZIP）"),
)
_BMP_HEADERS = (12, 40, 52, 56, 64, 108, 124)


class Refused(ValueError):
    """A file that is not accepted; the message (Chinese) says what it is and why not."""


def detect(stream: BinaryIO) -> Kind:
    """The kind of the file in ``stream`` (seekable; read from the start, left at the start).
    Raises :class:`Refused` for anything not accepted."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    try:
        key = _image(head) or _container(stream, head)
    finally:
        stream.seek(0)
    if key is not None:
        return KINDS[key]
    raise Refused(f"文件内容是{_what(head)}，不是可接受的类型（只接受{ACCEPTED_TEXT}）")


def _image(head: bytes) -> str | None:
    if is_pdf(head[:1024]):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if (
        head[:2] == b"BM"
        and len(head) >= 18
        and int.from_bytes(head[14:18], "little") in (_BMP_HEADERS)
    ):
        return "bmp"
    return None


def _container(stream: BinaryIO, head: bytes) -> str | None:
    if head.startswith(XLS_MAGIC):
        return _ole(stream)
    if head.startswith(XLSX_MAGIC):
        return _zip(stream)
    return None


def _ole(stream: BinaryIO) -> str:
    import olefile

    try:
        ole = olefile.OleFileIO(stream)
    except Exception:  # a damaged container from anywhere: refuse it, never fail
        raise Refused("Office 97-2003 文件已损坏，无法读取") from None
    try:
        for key, name in _OLE_STREAMS:
            if ole.exists(name):
                return key
    finally:
        ole.close()
    raise Refused(
        f"文件是 OLE2 复合文档，但不是 Word、Excel 或 PowerPoint 文件（只接受{ACCEPTED_TEXT}）"
    )


def _zip(stream: BinaryIO) -> str:
    try:
        with zipfile.ZipFile(stream) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                odf = _ODF.get(_part(zf, "mimetype").strip())
                if odf is not None and "content.xml" in names:
                    return odf
            if "[Content_Types].xml" in names:
                types = _part(zf, "[Content_Types].xml")
                for key, content_type, main in _OOXML:
                    if content_type in types and main in names:
                        return key
            return "zip"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise Refused("ZIP 文件已损坏，无法读取") from None


def _part(zf: zipfile.ZipFile, name: str) -> bytes:
    with zf.open(name) as part:
        return part.read(PART_LIMIT)


def _what(head: bytes) -> str:
    if not head:
        return "空的"
    for magic, label in _REFUSED:
        if head.startswith(magic):
            return label
    if is_html(head):
        return "网页（HTML）"
    return "无法识别的格式"


def download_name(name: str, kind: Kind) -> str:
    """``name`` with a suffix that fits ``kind``: a PDF uploaded as 报告.docx downloads as
    报告.pdf, so that it opens in the right program."""
    stem, dot, suffix = name.rpartition(".")
    if dot and f".{suffix.lower()}" in kind.suffixes:
        return name
    return f"{stem if dot and stem else name}{kind.suffixes[0]}"
