"""Workbooks for the import tests: sheets (cell grids) written in any order.

``REAL_WORKBOOK`` is the central 项目库 export of tests/data/workbooks (README there):
one project's 11 sheets, of which three are performance forms. :func:`workbook_of` writes
grids (of any reader) back into an .xlsx, each as a sheet with its merges, every cell as
its text, so tests can shuffle, add and fill sheets.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter

from jixiao.ingest.grid import Grid
from jixiao.ingest.kinds import sheet_name

REAL_WORKBOOK = (
    Path(__file__).parent / "data" / "workbooks" / "central-moe-pku-2019-project-library.xls"
)
# The sheets of REAL_WORKBOOK that are no performance form, in the workbook's order.
REAL_OTHER_SHEETS = (
    "项目基本信息",
    "项目支出立项依据",
    "项目支出实施方案",
    "项目支出计划",
    "项目支出明细",
    "部门评审报告",
    "财政评审报告",
    "监管局审核意见报告",
)


def workbook_of(sheets: Sequence[tuple[str, Grid]]) -> bytes:
    """An .xlsx holding each grid as a sheet of the given name (cells as text, merges kept)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    for name, grid in sheets:
        ws = book.add_worksheet(name)
        covered: set[tuple[int, int]] = set()
        for cell in grid.cells:
            area = {
                (r, c)
                for r in range(cell.row, cell.last_row + 1)
                for c in range(cell.col, cell.last_col + 1)
            }
            if area & covered:
                continue  # hidden under an earlier merge (real files hold such ranges)
            covered |= area
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_range(cell.row, cell.col, cell.last_row, cell.last_col, cell.text)
            else:
                ws.write_string(cell.row, cell.col, cell.text)
    book.close()
    return buffer.getvalue()


def named(grids: Sequence[Grid]) -> list[tuple[str, Grid]]:
    """Each grid with its sheet's name."""
    return [(sheet_name(g), g) for g in grids]
