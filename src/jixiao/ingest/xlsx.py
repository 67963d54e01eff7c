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
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from jixiao.ingest.grid import (
    Cell,
    Grid,
    GridImportError,
    map_forms,
    require_forms,
    source_and_name,
)
from jixiao.model import SelfEvaluation

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


def _make_cell(row: int, col: int, value: Any, number_format: str | None) -> Cell:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number, text = excel_number(value, number_format)
        return Cell(row, col, text=text, value=number)
    return Cell(row, col, text=_cell_text(value, number_format))


# --------------------------------------------------------------------------------- .xlsx


_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _merged_ranges(data: bytes) -> list[tuple[int, int, int, int]]:
    """(first row, first col, last row, last col), 0-based, of a sheet part's merges."""
    start = data.find(b"mergeCells")  # also with a namespace prefix (<x:mergeCells>)
    tail = data[max(start - 16, 0) :] if start >= 0 else b""
    return [
        (int(r1) - 1, _column_index(c1), int(r2) - 1, _column_index(c2))
        for c1, r1, c2, r2 in _MERGE_REF.findall(tail)
    ]


def _spans(
    ranges: list[tuple[int, int, int, int]],
) -> tuple[dict[tuple[int, int], tuple[int, int]], set[tuple[int, int]]]:
    """(top-left position → (rowspan, colspan), positions covered by a merge) of merged
    ranges given as (first row, first col, last row, last col)."""
    anchors: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for r1, c1, r2, c2 in ranges:
        anchors[(r1, c1)] = (r2 - r1 + 1, c2 - c1 + 1)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    covered.add((r, c))
    return anchors, covered


def xlsx_grids(source: Path | bytes, name: str) -> list[Grid]:
    """One grid per worksheet of an .xlsx workbook (cached formula values).

    Read-only mode (openpyxl's full mode spends seconds styling merged cells); the merged
    ranges are read from each sheet part directly.
    """
    from openpyxl import load_workbook

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
            part = getattr(ws, "_worksheet_path", None)
            ranges = _merged_ranges(book._archive.read(part)) if part else []
            anchors, covered = _spans(ranges)
            ws.reset_dimensions()
            cells = []
            for row in ws.iter_rows():
                for xc in row:
                    r, c = getattr(xc, "row", None), getattr(xc, "column", None)
                    if r is None or c is None:
                        continue
                    r, c = r - 1, c - 1
                    if (r, c) in covered:
                        continue
                    value = None if xc.data_type == "f" else xc.value
                    cell = _make_cell(r, c, value, xc.number_format)
                    if (r, c) in anchors:
                        cell.rowspan, cell.colspan = anchors.pop((r, c))
                    cells.append(cell)
            for (r, c), (rowspan, colspan) in anchors.items():  # merges over empty cells
                cells.append(Cell(r, c, rowspan, colspan))
            grids.append(Grid(cells, origin=f"工作表“{ws.title}”", address=_address))
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

    try:
        if isinstance(source, bytes):
            book = xlrd.open_workbook(file_contents=source, formatting_info=True)
        else:
            book = xlrd.open_workbook(str(source), formatting_info=True)
    except Exception as err:  # xlrd raises many kinds on a damaged workbook
        raise GridImportError(f"{name}: 无法打开 Excel 97-2003 工作簿（{err}）") from None
    grids = []
    for sheet in book.sheets():
        # xlrd's ranges end after their last row and column
        merged, covered = _spans(
            [(rlo, clo, rhi - 1, chi - 1) for rlo, rhi, clo, chi in sheet.merged_cells]
        )
        cells = []
        for r in range(sheet.nrows):
            for c in range(sheet.ncols):
                if (r, c) in covered:
                    continue
                xc = sheet.cell(r, c)
                try:
                    xf = book.xf_list[xc.xf_index]
                    fmt = book.format_map[xf.format_key].format_str
                except (IndexError, KeyError, TypeError):
                    fmt = None
                if xc.ctype == xlrd.XL_CELL_NUMBER:
                    cell = _make_cell(r, c, xc.value, fmt)
                elif xc.ctype == xlrd.XL_CELL_DATE:
                    try:
                        when = xlrd.xldate_as_datetime(xc.value, book.datemode)
                        cell = Cell(r, c, text=_cell_text(when, fmt))
                    except (ValueError, OverflowError):
                        cell = _make_cell(r, c, xc.value, fmt)
                elif xc.ctype == xlrd.XL_CELL_BOOLEAN:
                    cell = Cell(r, c, text=_cell_text(bool(xc.value)))
                elif xc.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    cell = Cell(r, c)
                else:
                    cell = Cell(r, c, text=str(xc.value))
                if (r, c) in merged:
                    cell.rowspan, cell.colspan = merged[(r, c)]
                cells.append(cell)
        grids.append(Grid(cells, origin=f"工作表“{sheet.name}”", address=_address))
    return grids


def read_xlsx(source: str | Path | bytes, name: str | None = None) -> list[SelfEvaluation]:
    """Every form in an .xlsx workbook (a path, or its bytes called ``name``)."""
    data, name = source_and_name(source, name, "<Excel>")
    return require_forms(map_forms(xlsx_grids(data, name), name), name, "工作簿")


def read_xls(source: str | Path | bytes, name: str | None = None) -> list[SelfEvaluation]:
    """Every form in an .xls (Excel 97-2003) workbook (a path, or its bytes)."""
    data, name = source_and_name(source, name, "<Excel>")
    return require_forms(map_forms(xls_grids(data, name), name), name, "工作簿")


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
        return "ods"
    return "zip"


def is_xls(head: bytes) -> bool:
    return head.startswith(XLS_MAGIC)
