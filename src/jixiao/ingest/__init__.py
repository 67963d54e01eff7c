"""Import forms from files: the input is recognised by its content, not its name.

``read_forms(path)`` returns the forms of one file (canonical JSON or flattened text, in
UTF-8, UTF-8 with BOM or GB18030). Later importers (PDF, Excel, HTML) join here.
"""

from __future__ import annotations

from pathlib import Path

from jixiao.ingest.decode import decode_bytes
from jixiao.ingest.errors import IngestError
from jixiao.messages import os_reason
from jixiao.model import FormFileError, SelfEvaluation, forms_from_json_text

__all__ = ["IngestError", "read_bytes", "read_forms", "read_text"]


def read_text(text: str, name: str = "<文本>") -> list[SelfEvaluation]:
    """Forms from already decoded text (JSON or flattened form text)."""
    from jixiao.ingest.text import parse_text

    head = text.lstrip("\ufeff \t\r\n")[:1]
    if head in "{[" and head:
        try:
            forms = forms_from_json_text(text.lstrip("\ufeff"), name)
        except FormFileError as e:
            raise IngestError(str(e)) from None
        if not forms:
            raise IngestError(f"{name}: 文件中没有自评表（forms 为空列表）")
        return forms
    return parse_text(text, name)


def read_bytes(data: bytes, name: str) -> list[SelfEvaluation]:
    """Forms from the bytes of a file called ``name`` (used in messages and sources)."""
    from jixiao.ingest.tables import read_table_bytes  # PDF, Excel, HTML: by content

    forms = read_table_bytes(data, name, text_reader=read_text)
    if forms is not None:
        return forms
    text, _ = decode_bytes(data, name)
    return read_text(text, name)


def read_forms(path: str | Path) -> list[SelfEvaluation]:
    """All forms in one file; :class:`IngestError` (Chinese, naming the file) if none."""
    p = Path(path)
    if p.is_dir():
        raise IngestError(f"{p}: 是目录，不是文件")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise IngestError(f"{p}: 无法读取文件（{os_reason(e)}）") from None
    return read_bytes(data, str(p))
