"""PDF import speed: pages per second of ``jixiao.ingest.pdf.read_pdf`` against bare
pdfplumber table extraction (``page.extract_tables()`` on every page) of the same file,
measured in one run, alternating, best of ``--repeat``.

Run: ``.venv/bin/python benchmarks/bench_import_pdf.py [--forms N] [--repeat R]``.
Input: the nine seed forms plus N generated forms (``generate_forms(N, seed=0)``), rendered
once by jixiao (WeasyPrint, A4) into one PDF — rendering is not timed.
Target: the import takes at most 1.5× the bare extraction (ratio ≤ 1.5).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pdfplumber

from jixiao.generate import generate_forms
from jixiao.ingest.pdf import read_pdf
from jixiao.model import load_forms
from jixiao.render.pdf import render_pdf
from machine import describe  # benchmarks/machine.py

ORACLE = Path(__file__).resolve().parent.parent / "tests" / "data" / "expected.json"
TARGET = 1.5


def bare(path: Path) -> int:
    """What every PDF table import has to do at least: find and extract each page's tables."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
        return len(pdf.pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--forms", type=int, default=60, help="generated forms besides the seed")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    forms = load_forms(ORACLE) + generate_forms(args.forms, seed=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "forms.pdf"
        path.write_bytes(render_pdf(forms))
        pages = bare(path)  # warm-up: imports, font caches
        size = path.stat().st_size
        bare_times, import_times = [], []
        imported = 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            bare(path)
            bare_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            imported = len(read_pdf(path))
            import_times.append(time.perf_counter() - start)
    b, m = min(bare_times), min(import_times)
    ratio = m / b
    print(f"机器: {describe()}")
    print(f"pdfplumber {pdfplumber.__version__}")
    print(
        f"输入: {len(forms)} 张表（9 张种子表 + {args.forms} 张生成表，"
        f"{sum(len(f.indicators) for f in forms)} 个指标），{pages} 页，{size / 1e6:.1f} MB"
    )
    print(f"裸 pdfplumber 抽表: {b:.2f} s，{pages / b:.1f} 页/秒（{args.repeat} 次取最快）")
    print(f"jixiao PDF 导入: {m:.2f} s，{pages / m:.1f} 页/秒，读回 {imported} 张表")
    verdict = "达标" if ratio <= TARGET else "未达标"
    print(f"比值（导入/裸抽表）: {ratio:.2f}×  {verdict}（目标 ≤ {TARGET}×）")


if __name__ == "__main__":
    main()
