"""Table import speed without PDF parsing: forms per second of the label mapper
(``jixiao.ingest.mapper.map_forms``) on the grids of an Excel workbook, a Word document and
an HTML page, and of the whole ``read_xlsx`` / ``read_docx`` / ``read_html`` (reading the
file and mapping), best of
``--repeat``, in CPU time of the process (one core).

Run: ``.venv/bin/python benchmarks/bench_map_grids.py [--forms N] [--repeat R]``.
Input: the nine seed forms plus N generated forms (``generate_forms(N, seed=0)``), rendered
once by jixiao into one .xlsx, one .docx and one HTML page (rendering and grid extraction are not
timed in the mapper figures). The mapper is a small part of a PDF import
(``bench_import_pdf.py``, where pdfplumber dominates); this is where its own cost shows.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from jixiao.generate import generate_forms
from jixiao.ingest.html import html_grids, read_html
from jixiao.ingest.mapper import map_forms
from jixiao.ingest.word import docx_grids, read_docx
from jixiao.ingest.xlsx import read_xlsx, xlsx_grids
from jixiao.model import load_forms
from jixiao.render import render_form_docx, render_html, render_xlsx
from machine import describe  # benchmarks/machine.py

ORACLE = Path(__file__).resolve().parent.parent / "tests" / "data" / "expected.json"


def timed(repeat: int, run: Callable[[], int]) -> tuple[float, float, int]:
    """The first of ``repeat`` runs (CPU seconds of this process, so that other work on a
    shared machine counts less; the label caches empty), the fastest, and what the last one
    returned."""
    times, result = [], 0
    for _ in range(repeat):
        start = time.process_time()
        result = run()
        times.append(time.process_time() - start)
    return times[0], min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--forms", type=int, default=300, help="generated forms besides the seed")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    forms = load_forms(ORACLE) + generate_forms(args.forms, seed=0)
    xlsx = render_xlsx(forms)
    html = render_html(forms)
    docx = render_form_docx(forms)
    grids = {
        "xlsx": xlsx_grids(xlsx, "bench.xlsx"),
        "docx": docx_grids(docx, "bench.docx"),
        "html": html_grids(html, "bench.html"),
    }
    cells = {k: sum(len(g.cells) for g in v) for k, v in grids.items()}
    print(f"机器: {describe()}")
    print(
        f"输入: {len(forms)} 张表（9 张种子表 + {args.forms} 张生成表，"
        f"{sum(len(f.indicators) for f in forms)} 个指标）；"
        f"xlsx {len(xlsx) / 1e6:.1f} MB {cells['xlsx']} 个单元格，"
        f"docx {len(docx) / 1e6:.1f} MB {cells['docx']} 个单元格，"
        f"HTML {len(html) / 1e6:.1f} MB {cells['html']} 个单元格"
    )
    for kind, gs in grids.items():
        first, fastest, count = timed(args.repeat, lambda gs=gs: len(map_forms(gs, "bench")))
        print(
            f"映射 {kind} 单元格网格 → 表: 首次 {first * 1000:.0f} ms，"
            f"最快 {fastest * 1000:.0f} ms，{count / fastest:,.0f} 张/秒"
            f"（读回 {count} 张，{args.repeat} 次）"
        )
    _, fastest, count = timed(args.repeat, lambda: len(read_xlsx(xlsx, "bench.xlsx")))
    print(f"read_xlsx 整体: {fastest:.2f} s，{count / fastest:,.0f} 张/秒")
    _, fastest, count = timed(args.repeat, lambda: len(read_docx(docx, "bench.docx")))
    print(f"read_docx 整体: {fastest:.2f} s，{count / fastest:,.0f} 张/秒")
    data = html.encode("utf-8")
    _, fastest, count = timed(args.repeat, lambda: len(read_html(data, "bench.html")))
    print(f"read_html 整体: {fastest:.2f} s，{count / fastest:,.0f} 张/秒")


if __name__ == "__main__":
    main()
