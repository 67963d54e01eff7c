"""Import forms from files: the input is recognised by its content, not its name.

``read_forms(path)`` returns the forms of one file (canonical JSON or flattened text, in
UTF-8, UTF-8 with BOM or GB18030), and through :mod:`jixiao.ingest.table_files` PDF, Excel,
Word (.docx; .doc/.wps/.odt converted by LibreOffice) and HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import ValidationError

from jixiao.ingest.decode import decode_bytes
from jixiao.ingest.errors import IngestError
from jixiao.limits import LimitExceeded, check_bytes, current
from jixiao.messages import os_reason
from jixiao.model import (
    FormFileError,
    SelfEvaluation,
    describe_validation_error,
    forms_from_json_text,
)
from jixiao.plans import Documents, documents_from_json_text

__all__ = [
    "IngestError",
    "read_bytes",
    "read_documents",
    "read_documents_bytes",
    "read_forms",
    "read_text",
]

PageProgress = Callable[[int, int], None]  # pages of a scan read, pages in all


@contextmanager
def _refusals(name: str) -> Iterator[None]:
    """Every refusal as an :class:`IngestError`: a limit of :mod:`jixiao.limits` exceeded,
    and a value the model refuses (a control character, a number of 10^999999999)."""
    try:
        yield
    except LimitExceeded as err:
        raise IngestError(str(err)) from None
    except ValidationError as err:  # a value the importer placed but the model refuses
        raise IngestError(f"{name}: {describe_validation_error(err)}") from None


def read_text(text: str, name: str = "<文本>") -> list[SelfEvaluation]:
    """Forms from already decoded text (JSON or flattened form text)."""
    with _refusals(name):
        return _read_text(text, name)


def _read_text(text: str, name: str) -> list[SelfEvaluation]:
    from jixiao.ingest.flattening import read_flattened
    from jixiao.ingest.plan_text import has_plan_title

    head = text.lstrip("\ufeff \t\r\n")[:1]
    if head in "{[" and head:
        try:
            forms = forms_from_json_text(text.lstrip("\ufeff"), name)
        except FormFileError as e:
            raise IngestError(str(e)) from None
        if not forms:
            raise IngestError(f"{name}: 文件中没有自评表（forms 为空列表）")
        return forms
    if has_plan_title(text):  # 申报表 / 监控表 beside the 自评表: only the 自评表
        from jixiao.ingest.documents import require_self_evaluations

        return require_self_evaluations(_text_documents(text, name), name, "文本").forms
    return read_flattened(text, name)


def _text_documents(text: str, name: str) -> Documents:
    """Flattened text sorted by kind (:mod:`jixiao.ingest.plan_text`)."""
    from jixiao.ingest.documents import require_documents
    from jixiao.ingest.flattening import read_flattened
    from jixiao.ingest.plan_text import text_documents

    return require_documents(text_documents(text, name, read_flattened), name, "文本")


def read_bytes(
    data: bytes, name: str, progress: PageProgress | None = None
) -> list[SelfEvaluation]:
    """Forms from the bytes of a file called ``name`` (used in messages and sources);
    ``progress(done, pages)`` is told after each page of a scan (OCR takes seconds a page)."""
    with _refusals(name):
        return _read_bytes(data, name, progress)


def _read_bytes(
    data: bytes, name: str, progress: PageProgress | None = None
) -> list[SelfEvaluation]:
    from jixiao.ingest.table_files import read_table_bytes  # PDF, Excel, HTML: by content

    check_bytes(len(data), current().max_file_bytes, name, "文件")
    forms = read_table_bytes(data, name, text_reader=_read_text, progress=progress)
    if forms is None:
        forms = _read_text(_untabled_text(data, name), name)
    _check_count(len(forms), name)
    return forms


def _untabled_text(data: bytes, name: str) -> str:
    """The decoded text of a file that holds no tables (JSON or flattened text), within the
    size limit of its kind."""
    limits = current()
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"{", b"["):
        check_bytes(len(data), limits.max_json_bytes, name, "JSON 文件")
    else:
        check_bytes(len(data), limits.max_text_bytes, name, "文本文件")
    text, _ = decode_bytes(data, name)
    return text


def _check_count(count: int, name: str) -> None:
    limit = current().max_forms
    if count > limit:
        raise LimitExceeded(f"{name}: 文件中有 {count} 张表，超过上限（每个文件最多 {limit} 张）")


def _file_bytes(path: str | Path) -> tuple[bytes, str]:
    """The bytes of the file at ``path`` and its name, refused before they are read into
    memory when the file is over the size limit."""
    p = Path(path)
    if p.is_dir():
        raise IngestError(f"{p}: 是目录，不是文件")
    try:
        size = p.stat().st_size
        with _refusals(str(p)):
            check_bytes(size, current().max_file_bytes, str(p), "文件")
        return p.read_bytes(), str(p)
    except OSError as e:
        raise IngestError(f"{p}: 无法读取文件（{os_reason(e)}）") from None


def read_forms(path: str | Path, progress: PageProgress | None = None) -> list[SelfEvaluation]:
    """All forms in one file; :class:`IngestError` (Chinese, naming the file) if none."""
    data, name = _file_bytes(path)
    return read_bytes(data, name, progress)


_PLAN_KEYS = ('"declarations"', '"monitorings"', '"kind"')


def _read_documents_text(text: str, name: str) -> Documents:
    """Documents from decoded text: JSON with 申报表 / 监控表 lists (or one with its
    ``kind``), else the forms of :func:`_read_text`."""
    head = text.lstrip("\ufeff \t\r\n")[:1]
    if head in ("{", "[") and any(key in text for key in _PLAN_KEYS):
        try:
            docs = documents_from_json_text(text.lstrip("\ufeff"), name)
        except FormFileError as e:
            raise IngestError(str(e)) from None
        if len(docs) == 0:
            raise IngestError(f"{name}: 文件中没有自评表、目标申报表或监控表")
        return docs
    from jixiao.ingest.plan_text import has_plan_title

    if head not in ("{", "[") and has_plan_title(text):
        return _text_documents(text, name)
    return Documents(forms=_read_text(text, name))


def read_documents_bytes(data: bytes, name: str, progress: PageProgress | None = None) -> Documents:
    """Every document of a file: 自评表, 绩效目标申报表, 绩效目标执行监控表, and the sheets
    skipped with why (a workbook's 项目支出计划 …). :func:`read_bytes` is its 自评表."""
    with _refusals(name):
        from jixiao.ingest.table_files import read_table_documents

        check_bytes(len(data), current().max_file_bytes, name, "文件")
        docs = read_table_documents(data, name, text_reader=_read_documents_text, progress=progress)
        if docs is None:
            docs = _read_documents_text(_untabled_text(data, name), name)
        _check_count(len(docs), name)
        return docs


def read_documents(path: str | Path, progress: PageProgress | None = None) -> Documents:
    """Every document of one file (:func:`read_documents_bytes`); :class:`IngestError`
    (Chinese, naming the file) when it holds none."""
    data, name = _file_bytes(path)
    return read_documents_bytes(data, name, progress)
