"""Seconds per form for rendering: PDF (single and a batch of 100), xlsx, docx and HTML.

Run: ``.venv/bin/python benchmarks/bench_render.py [--batch N]``. Input: the nine seed
forms of tests/data/expected.json (10–15 indicators each), cycled to the batch size.
Target: ≤ 0.5 s per form in a batch PDF.
"""

from __future__ import annotations

import argparse
import ctypes.util
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import weasyprint

from jixiao.model import SelfEvaluation, load_forms
from jixiao.render.form_docx import render_form_docx
from jixiao.render.html import render_html
from jixiao.render.pdf import render_pdf
from jixiao.render.xlsx import render_xlsx
from machine import describe  # benchmarks/machine.py

ORACLE = Path(__file__).resolve().parent.parent / "tests" / "data" / "expected.json"


def timed(run: Callable[[], object], repeat: int = 1) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    seed = load_forms(ORACLE)
    batch: list[SelfEvaluation] = [seed[i % len(seed)] for i in range(args.batch)]
    rows = sum(len(f.indicators) for f in batch)
    hb = ctypes.util.find_library("harfbuzz-subset")
    print(f"机器: {describe()}；开始时负载 {os.getloadavg()[0]:.2f}")
    print(f"WeasyPrint {weasyprint.__version__}, libharfbuzz-subset: {hb or '未安装'}")
    print(f"输入: {len(seed)} 张种子表（{sum(len(f.indicators) for f in seed)} 个指标）")

    first = timed(lambda: render_pdf(seed[:1]))[0]
    print(f"PDF 首次（含字体加载）: {first:.3f} s")
    singles = [timed(lambda f=f: render_pdf([f]))[0] for f in seed]
    print(
        f"PDF 单表: 中位 {statistics.median(singles):.3f} s/表"
        f"（{len(seed)} 张，最快 {min(singles):.3f}，最慢 {max(singles):.3f}）"
    )
    pdf_bytes: list[int] = []
    total = timed(lambda: pdf_bytes.append(len(render_pdf(batch))))[0]
    print(
        f"PDF 批量: {len(batch)} 张表（{rows} 个指标）{total:.2f} s，"
        f"{total / len(batch):.3f} s/表，{pdf_bytes[0] / 1e6:.1f} MB"
        f"  {'达标' if total / len(batch) <= 0.5 else '未达标'}（目标 ≤ 0.5 s/表）"
    )
    x_single = statistics.median(timed(lambda: render_xlsx(seed[:1]), repeat=5))
    print(f"xlsx 单表: {x_single:.3f} s/表")
    x_batch = timed(lambda: render_xlsx(batch))[0]
    print(f"xlsx 批量: {len(batch)} 张表 {x_batch:.2f} s，{x_batch / len(batch):.4f} s/表")
    d_single = statistics.median(timed(lambda: render_form_docx(seed[:1]), repeat=5))
    print(f"docx 单表: {d_single:.3f} s/表")
    d_batch = timed(lambda: render_form_docx(batch))[0]
    print(f"docx 批量: {len(batch)} 张表 {d_batch:.2f} s，{d_batch / len(batch):.4f} s/表")
    h_batch = timed(lambda: render_html(batch))[0]
    print(f"HTML 批量: {len(batch)} 张表 {h_batch:.2f} s，{h_batch / len(batch):.4f} s/表")
    print(f"结束时负载 {os.getloadavg()[0]:.2f}（其他进程占用 CPU 时各项数字偏大）")


if __name__ == "__main__":
    main()
