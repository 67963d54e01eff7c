""".xls (Excel 97-2003) within the same limits as .xlsx: hostile workbooks written by
LibreOffice (headless) from hostile .xlsx, since nothing in jixiao writes .xls. The BIFF
format holds at most 65,536 rows × 256 columns; a cell at the far corner, a merge over the
whole sheet and too many cells are each refused with the place and the limit, quickly and
in little memory."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from jixiao import limits
from jixiao.ingest import IngestError, read_forms
from jixiao.ingest.xlsx import column_letter

from ..forms import SOFFICE, lo_convert
from . import corpus
from .test_hostile_files import _peak_rss_growth

pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (Debian libreoffice-calc-nogui) is not installed"
)
MB = 1024 * 1024


def _cells(rows: range, columns: int) -> bytes:
    return b"".join(
        f'<row r="{r}">'.encode()
        + b"".join(f'<c r="{column_letter(c)}{r}"><v>{c}</v></c>'.encode() for c in range(columns))
        + b"</row>"
        for r in rows
    )


XLSX = {
    # one more cell at IV65536, the last position of a BIFF sheet
    "far_cell": {
        "rows": b'<row r="65536"><c r="IV65536" t="inlineStr"><is><t>x</t></is></c></row>'
    },
    # one merge over all of the sheet below the form's rows
    "merge_bomb": {"tail": b'<mergeCells count="1"><mergeCell ref="A5:IV65536"/></mergeCells>'},
    # 6,000 cells: beyond a lowered cell limit (a real limit would need a larger file)
    "many_cells": {"rows": _cells(range(5, 65), 100)},
}


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The three hostile .xls, converted by one LibreOffice run."""
    out = tmp_path_factory.mktemp("xls")
    sources = [corpus.write_xlsx(out / f"{k}.xlsx", corpus._sheet(**v)) for k, v in XLSX.items()]
    lo_convert(sources, "xls", out, timeout=240)
    books = {k: out / f"{k}.xls" for k in XLSX}
    assert all(p.read_bytes().startswith(b"\xd0\xcf\x11\xe0") for p in books.values())
    return books


@pytest.mark.parametrize(
    "key,lowered,expected",
    [
        ("far_cell", {}, "工作表“Sheet1”范围 A1:IV65536 超过上限（最多 200000 个单元格）"),
        ("merge_bomb", {}, "超过上限（最多 200000 个单元格）"),
        (
            "many_cells",
            {"max_cells": 5000},
            "工作表“Sheet1”范围 A1:CV64 超过上限（最多 5000 个单元格）",
        ),
        ("many_cells", {"max_rows": 50}, "有 64 行 100 列，超过上限（最多 50 行"),
    ],
)
def test_refused_with_the_place_and_the_limit(workbooks, key, lowered, expected):
    path = workbooks[key]
    tracemalloc.start()
    start = time.process_time()  # CPU: what the reading costs, however busy the machine is
    try:
        with limits.use(**lowered), pytest.raises(IngestError) as caught:
            read_forms(path)
        seconds = time.process_time() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and expected in message, message
    assert seconds < 5, f"{key}: {seconds:.1f} s CPU"  # before ragged rows: 4 s and 200 MB
    assert peak < 50 * MB, f"{key}: peak {peak / MB:.0f} MB"


def test_the_defaults_read_a_workbook_within_them(workbooks):
    # 6,000 cells are far below the defaults: the form's rows are read, nothing refused
    forms = read_forms(workbooks["many_cells"])
    assert [(f.project, f.unit, f.department) for f in forms] == [
        ("城市运行保障", "某中心", "某区城管局")
    ]
    assert forms[0].partial  # no funds, no indicators: each gap named


@pytest.mark.parametrize("key", ["far_cell", "merge_bomb"])
def test_peak_memory_of_a_hostile_xls_is_small(workbooks, key):
    # xlrd pads every row to the widest one unless asked not to: 65,536 × 256 cells
    assert _peak_rss_growth(workbooks[key]) < 100
