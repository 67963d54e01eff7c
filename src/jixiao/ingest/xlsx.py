"""Excel workbooks as cell grids: .xlsx via openpyxl, .xls via xlrd.

Merged ranges become spans; formulas are read as their cached values (what Excel last
showed); numbers go ``Decimal(str(v))`` and are quantized (half-up) at the precision the
cell's number format shows — unless the stored value carries real digits beyond it,
which are kept (the declared value is never rounded away). Percent formats are read
as percent numbers (0.8525 shown "85.25%" → 85.25). Every sheet is scanned in order;
a sheet or a workbook may hold several forms.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import IO, Any

from jixiao.ingest.documents import require_self_evaluations, sheet_documents
from jixiao.ingest.errors import GridImportError
from jixiao.ingest.grid import Cell, Grid, check_extent, source_and_name, span_limit
from jixiao.limits import LimitExceeded, check_bytes, current, number_problem
from jixiao.model import SelfEvaluation
from jixiao.plans import Documents

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 compound document


def column_letter(col: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _address(row: int, col: int) -> str:
    return f"{column_letter(col)}{row + 1}"


_SECTION = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def shown_decimals(number_format: str | None) -> tuple[int | None, bool]:
    """(decimal places shown, is percent) of an Excel number format; None = General."""
    if not number_format or number_format.lower() == "general" or number_format == "@":
        return None, False
    first = _SECTION.sub("", number_format.split(";")[0])
    percent = "%" in first
    m = re.search(r"[0#?]\.([0#?]+)", first)
    if m:
        return len(m.group(1)), percent
    if re.search(r"[0#?]", first):
        return 0, percent
    return None, percent


def excel_number(v: float | int, number_format: str | None) -> tuple[Decimal, str]:
    """A stored Excel number as the Decimal the cell shows, and its display text."""
    places, percent = shown_decimals(number_format)
    exact = Decimal(str(v))
    # Float noise from formulas (0.30000000000000004) goes at 15 significant digits.
    clean = Decimal(f"{v:.15g}") if isinstance(v, float) else exact
    if percent:
        clean = clean.scaleb(2)
    if places is not None:
        exponent = clean.as_tuple().exponent
        if isinstance(exponent, int) and -exponent <= places:
            clean = clean.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    elif clean == clean.to_integral_value() and isinstance(v, float):
        clean = clean.quantize(Decimal(1))
    text = format(clean, "f")
    return clean, text + ("%" if percent else "")


def _date_text(value: dt.date, number_format: str | None) -> str:
    """A date as its cell shows it when the format spells 年/月/日, else ISO."""
    fmt = _SECTION.sub(lambda m: m.group(0).strip('"\\'), (number_format or "").lower())
    if "年" in fmt or "月" in fmt:
        text = f"{value.year}年" if "y" in fmt else ""
        text += f"{value.month}月" if "m" in fmt else ""
        text += f"{value.day}日" if "d" in fmt else ""
        return text
    return value.isoformat()


def _cell_text(value: Any, number_format: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return _date_text(value.date(), number_format)
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return _date_text(value, number_format)
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value)


def _make_cell(
    row: int, col: int, value: Any, number_format: str | None, name: str, origin: str
) -> Cell:
    """A grid cell from a stored value; a number beyond :mod:`jixiao.limits` (1e999999999
    is stored as infinity) is refused with its cell."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        problem = None if math.isfinite(value) else "数字超出范围（无穷大或 NaN）"
        if problem is None:
            number, text = excel_number(value, number_format)
            problem = number_problem(number)
        if problem:
            raise LimitExceeded(f"{name}: {origin}单元格 {_address(row, col)}：{problem}")
        return Cell(row, col, text=text, value=number)
    return Cell(row, col, text=_cell_text(value, number_format))


# --------------------------------------------------------------------------------- .xlsx


_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_CHUNK = 1 << 20


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters[:8]:  # beyond XFD anyway; a thousand letters must not make a bignum
        n = n * 26 + ch - 64
    return n - 1


def _row_index(digits: bytes) -> int:
    return int(digits[:12]) - 1


def _merged_ranges(stream: IO[bytes]) -> list[tuple[int, int, int, int]]:
    """(first row, first col, last row, last col), 0-based, of a sheet part's merges,
    read from the part in chunks (the part is never held whole)."""
    ranges = []
    tail = b""
    while chunk := stream.read(_CHUNK):
        data = tail + chunk
        last = 0
        for m in _MERGE_REF.finditer(data):
            c1, r1, c2, r2 = m.groups()
            ranges.append((_row_index(r1), _column_index(c1), _row_index(r2), _column_index(c2)))
            last = m.end()
        tail = data[max(last, len(data) - 256) :]  # a reference cut by the chunk's end
    return ranges


class _Merges:
    """Merged ranges as rectangles: anchors, and per row the column intervals covered."""

    def __init__(self, ranges: list[tuple[int, int, int, int]]) -> None:
        self.anchors: dict[tuple[int, int], tuple[int, int]] = {}
        self.rows: dict[int, list[tuple[int, int]]] = {}
        for r1, c1, r2, c2 in ranges:
            self.anchors[(r1, c1)] = (r2 - r1 + 1, c2 - c1 + 1)
            for r in range(r1, r2 + 1):  # bounded: each range's area was checked
                self.rows.setdefault(r, []).append((c1, c2))

    def covered(self, row: int, col: int) -> bool:
        """Inside a merged range and not its top-left cell."""
        for c1, c2 in self.rows.get(row, ()):
            if c1 <= col <= c2 and (row, col) not in self.anchors:
                return True
        return False


def _checked_ranges(
    ranges: list[tuple[int, int, int, int]], name: str, origin: str
) -> list[tuple[int, int, int, int]]:
    """The merged ranges, each within the span limit and all within the cell limit."""
    limits = current()
    covered = 0
    for r1, c1, r2, c2 in ranges:
        rows, cols = r2 - r1 + 1, c2 - c1 + 1
        if rows < 1 or cols < 1:
            raise GridImportError(
                f"{name}: {origin}合并单元格 {_address(r1, c1)}:{_address(r2, c2)} 无效"
            )
        span_limit(name, origin, _address(r1, c1), _address(r2, c2), rows, cols)
        covered += rows * cols
        if covered > limits.max_cells:
            raise LimitExceeded(
                f"{name}: {origin}的合并单元格共覆盖超过 {limits.max_cells} 个单元格，超过上限"
            )
    return ranges


def check_xlsx_zip(data: bytes | Path, name: str) -> None:
    """Refuse a workbook whose parts would expand beyond the limits (a zip bomb), from
    the zip's directory, before any part is opened (:func:`check_zip`); worksheets are
    streamed, so only they may be larger than a part read whole."""
    check_zip(data, name, "Excel 工作簿", streamed=("xl/worksheets/",))


def check_zip(data: bytes | Path, name: str, kind: str, streamed: tuple[str, ...] = ()) -> None:
    """Refuse an Office zip (``kind``: "Excel 工作簿", "Word 文档") whose parts would expand
    beyond the limits, from its directory, before any part is opened: every part's size
    and compression ratio, the total, and XML parts read whole (all but those under a
    ``streamed`` folder) at ``max_shared_strings_bytes``. The sizes the directory declares
    bound what is read: Python's zip reader stops there (and a lie fails its CRC)."""
    import zipfile

    limits = current()
    try:
        with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise GridImportError(f"{name}: 无法打开 {kind}（{err}）") from None
    total = 0
    for info in infos:
        part = info.filename
        size = info.file_size
        total += size
        lower = part.lower()
        if lower.endswith("sharedstrings.xml"):
            check_bytes(
                size, limits.max_shared_strings_bytes, name, f"共享字符串部件 {part} 解压后"
            )
        elif lower.endswith((".xml", ".rels")) and not lower.startswith(streamed):
            check_bytes(size, limits.max_shared_strings_bytes, name, f"部件 {part} 解压后")
        check_bytes(size, limits.max_part_bytes, name, f"部件 {part} 解压后")
        ratio = size / max(info.compress_size, 1)
        if size > _CHUNK and ratio > limits.max_zip_ratio:
            raise LimitExceeded(
                f"{name}: 部件 {part} 的压缩比 {ratio:.0f}:1 超过上限"
                f"（最多 {limits.max_zip_ratio}:1，可能是压缩炸弹）"
            )
    check_bytes(total, limits.max_unzipped_bytes, name, f"{kind.split()[-1]}解压后总")


def _sheet_cells(book: Any, ws: Any, name: str, origin: str) -> list[Cell]:
    """The cells of one read-only worksheet, streamed from its part with the limits
    checked as they come (openpyxl's row iterator would pad every gap with empty cells)."""
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.worksheet._reader import WorkSheetParser

    limits = current()
    part = ws._worksheet_path
    with book._archive.open(part) as stream:
        merges = _Merges(_checked_ranges(_merged_ranges(stream), name, origin))
    budget = limits.max_cells - sum(r * c for r, c in merges.anchors.values())
    cells: list[Cell] = []
    with book._archive.open(part) as src:
        parser = WorkSheetParser(
            src,
            ws._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for _, row in parser.parse():
            for raw in row:
                r, c = raw["row"] - 1, raw["column"] - 1
                if r >= limits.max_rows or c >= limits.max_cols:
                    which = (
                        f"{limits.max_rows} 行" if r >= limits.max_rows else f"{limits.max_cols} 列"
                    )
                    raise LimitExceeded(
                        f"{name}: {origin}单元格 {_address(r, c)} 超出上限（最多 {which}）"
                    )
                if merges.covered(r, c):
                    continue
                budget -= 1
                if budget < 0:
                    raise LimitExceeded(
                        f"{name}: {origin}的单元格超过上限（最多 {limits.max_cells} 个）"
                    )
                xc = ReadOnlyCell(ws, **raw)
                value = None if xc.data_type == "f" else xc.value
                cell = _make_cell(r, c, value, xc.number_format, name, origin)
                if (r, c) in merges.anchors:
                    cell.rowspan, cell.colspan = merges.anchors.pop((r, c))
                cells.append(cell)
    for (r, c), (rowspan, colspan) in merges.anchors.items():  # merges over empty cells
        cells.append(Cell(r, c, rowspan, colspan))
    check_extent(cells, name, origin, _address)
    return cells


def xlsx_grids(source: Path | bytes, name: str) -> list[Grid]:
    """One grid per worksheet of an .xlsx workbook (cached formula values).

    The zip's directory is checked first (:func:`check_xlsx_zip`); sheets are streamed
    in read-only mode, their merged ranges read from the part in chunks.
    """
    from openpyxl import load_workbook

    check_xlsx_zip(source, name)
    try:
        data = io.BytesIO(source) if isinstance(source, bytes) else source
        book = load_workbook(data, data_only=True, read_only=True)
    except Exception as err:  # openpyxl raises many kinds on a damaged workbook
        raise GridImportError(
            f"{name}: 无法打开 Excel 工作簿（{type(err).__name__}: {err}）"
        ) from None
    grids = []
    where = ""
    try:
        for ws in book.worksheets:
            where = f"工作表“{ws.title}”"
            if getattr(ws, "_worksheet_path", None) is None:
                continue  # a chart sheet
            cells = _sheet_cells(book, ws, name, where)
            grids.append(Grid(cells, origin=where, address=_address))
    except (LimitExceeded, GridImportError):
        raise
    except Exception as err:  # damaged sheet parts (bad XML, bad references)
        raise GridImportError(
            f"{name}: Excel 工作簿已损坏，{where or '工作表'}无法读取"
            f"（{type(err).__name__}: {err}）"
        ) from None
    finally:
        book.close()
    return grids


# ---------------------------------------------------------------------------------- .xls


def xls_grids(source: Path | bytes, name: str) -> list[Grid]:
    """One grid per sheet of a BIFF .xls workbook (xlrd, with merges and formats)."""
    import xlrd

    # ragged_rows: a row holds its own cells only (not padded to the widest row: one cell
    # at IV65536 would otherwise make 65,536 × 256 cells before any limit is looked at)
    options = {"formatting_info": True, "on_demand": True, "ragged_rows": True}
    try:
        if isinstance(source, bytes):
            book = xlrd.open_workbook(file_contents=source, **options)
        else:
            book = xlrd.open_workbook(str(source), **options)
    except Exception as err:  # xlrd raises many kinds on a damaged workbook
        raise GridImportError(f"{name}: 无法打开 Excel 97-2003 工作簿（{err}）") from None
    limits = current()
    grids = []
    for index in range(book.nsheets):
        try:
            sheet = book.sheet_by_index(index)  # one sheet in memory at a time
        except Exception as err:  # a damaged sheet stream
            raise GridImportError(f"{name}: 第 {index + 1} 个工作表无法读取（{err}）") from None
        origin = f"工作表“{sheet.name}”"
        if sheet.nrows > limits.max_rows or sheet.ncols > limits.max_cols:
            raise LimitExceeded(
                f"{name}: {origin}有 {sheet.nrows} 行 {sheet.ncols} 列，超过上限"
                f"（最多 {limits.max_rows} 行 {limits.max_cols} 列）"
            )
        if sheet.nrows * sheet.ncols > limits.max_cells:
            raise LimitExceeded(
                f"{name}: {origin}范围 A1:{_address(sheet.nrows - 1, sheet.ncols - 1)} "
                f"超过上限（最多 {limits.max_cells} 个单元格）"
            )
        # xlrd's ranges end after their last row and column
        merges = _Merges(
            _checked_ranges(
                [(rlo, clo, rhi - 1, chi - 1) for rlo, rhi, clo, chi in sheet.merged_cells],
                name,
                origin,
            )
        )
        merged = merges.anchors
        cells = []
        for r in range(sheet.nrows):
            for c in range(sheet.row_len(r)):
                if merges.covered(r, c):
                    continue
                xc = sheet.cell(r, c)
                try:
                    xf = book.xf_list[xc.xf_index]
                    fmt = book.format_map[xf.format_key].format_str
                except (IndexError, KeyError, TypeError):
                    fmt = None
                if xc.ctype == xlrd.XL_CELL_NUMBER:
                    cell = _make_cell(r, c, xc.value, fmt, name, origin)
                elif xc.ctype == xlrd.XL_CELL_DATE:
                    try:
                        when = xlrd.xldate_as_datetime(xc.value, book.datemode)
                        cell = Cell(r, c, text=_cell_text(when, fmt))
                    except (ValueError, OverflowError):
                        cell = _make_cell(r, c, xc.value, fmt, name, origin)
                elif xc.ctype == xlrd.XL_CELL_BOOLEAN:
                    cell = Cell(r, c, text=_cell_text(bool(xc.value)))
                elif xc.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    cell = Cell(r, c)
                else:
                    cell = Cell(r, c, text=str(xc.value))
                if (r, c) in merged:
                    cell.rowspan, cell.colspan = merged.pop((r, c))
                cells.append(cell)
        for (r, c), (rowspan, colspan) in merged.items():  # merges beyond the used range
            cells.append(Cell(r, c, rowspan, colspan))
        book.unload_sheet(index)
        check_extent(cells, name, origin, _address)
        grids.append(Grid(cells, origin=origin, address=_address))
    book.release_resources()
    return grids


def xlsx_documents(source: str | Path | bytes, name: str | None = None) -> Documents:
    """The documents of an .xlsx workbook, sheet by sheet (:mod:`jixiao.ingest.documents`):
    自评表, 申报表, 监控表, and the other sheets named as skipped."""
    data, name = source_and_name(source, name, "<Excel>")
    return sheet_documents(xlsx_grids(data, name), name)


def xls_documents(source: str | Path | bytes, name: str | None = None) -> Documents:
    """The documents of an .xls (Excel 97-2003) workbook, sheet by sheet."""
    data, name = source_and_name(source, name, "<Excel>")
    return sheet_documents(xls_grids(data, name), name)


def read_xlsx(source: str | Path | bytes, name: str | None = None) -> list[SelfEvaluation]:
    """Every 自评表 in an .xlsx workbook (a path, or its bytes called ``name``)."""
    shown = name or (str(source) if not isinstance(source, bytes) else "<Excel>")
    return require_self_evaluations(xlsx_documents(source, name), shown, "工作簿").forms


def read_xls(source: str | Path | bytes, name: str | None = None) -> list[SelfEvaluation]:
    """Every 自评表 in an .xls (Excel 97-2003) workbook (a path, or its bytes)."""
    shown = name or (str(source) if not isinstance(source, bytes) else "<Excel>")
    return require_self_evaluations(xls_documents(source, name), shown, "工作簿").forms


def zip_kind(data: bytes) -> str | None:
    """ "xlsx" for an OOXML workbook, "docx"/"pptx"/"ods"/"odt"/"zip" for other zips,
    None for what is not a zip at all."""
    import zipfile

    if not data.startswith(XLSX_MAGIC):
        return None
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "zip"
    if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("ppt/") for n in names):
        return "pptx"
    if "content.xml" in names:
        return "odt" if _odf_mimetype(data) == "application/vnd.oasis.opendocument.text" else "ods"
    return "zip"


def _odf_mimetype(data: bytes) -> str:
    """An OpenDocument file's ``mimetype`` part (stored first, uncompressed, by the spec)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("mimetype")
            if info.file_size > 200:
                return ""
            return zf.read(info).decode("ascii", "replace").strip()
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return ""


# Streams that name what an OLE2 compound document holds (WPS writes Word's own).
_OLE_STREAMS = (("WordDocument", "doc"), ("Workbook", "xls"), ("Book", "xls"))


def ole_kind(data: bytes) -> str:
    """ "doc" for a Word 97-2003 (or WPS .wps) compound document, "ppt" for PowerPoint,
    else "xls" (whose reader names what is wrong with a damaged workbook)."""
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception:  # a damaged container: the workbook reader explains it
        return "xls"
    try:
        for stream, kind in _OLE_STREAMS:
            if ole.exists(stream):
                return kind
        if ole.exists("PowerPoint Document"):
            return "ppt"
        if ole.exists("CONTENTS"):
            return "doc"  # Microsoft Works / old WPS text, which LibreOffice reads
    finally:
        ole.close()
    return "xls"


def is_xls(head: bytes) -> bool:
    return head.startswith(XLS_MAGIC)
