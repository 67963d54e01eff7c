"""Exporting many forms as one PDF: seconds and forms/s on one process and on every core.

Run: ``.venv/bin/python benchmarks/bench_export.py [--count 1000] [--seed 0]``. Input:
``generate_forms(count, seed)`` (realistic forms, 8–20 indicators each), rendered as one
batch PDF ("57 / 230" on every page) by ``jixiao.render.parallel.render_pdf_parallel`` with
1 process, then with every available core. Both PDFs must have the same number of pages.
Besides the wall-clock seconds it prints the CPU seconds (this process and the pool's) and
the load average: on a shared machine the wall clock depends on what else runs.
"""

from __future__ import annotations

import io
import os
import resource
import time

from pypdf import PdfReader

from jixiao.generate import generate_forms
from jixiao.render.parallel import available_cores, render_pdf_parallel
from machine import describe, generated_forms_parser  # benchmarks/machine.py


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the pool's processes)."""
    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(forms: list, processes: int) -> tuple[float, float, int, int]:
    """Wall-clock and CPU seconds, pages and bytes of one batch PDF on ``processes``."""
    start, cpu = time.perf_counter(), cpu_seconds()
    pdf = render_pdf_parallel(forms, processes=processes)
    seconds = time.perf_counter() - start
    return seconds, cpu_seconds() - cpu, len(PdfReader(io.BytesIO(pdf)).pages), len(pdf)


def main() -> None:
    args = generated_forms_parser(__doc__, count=1000).parse_args()
    forms = generate_forms(args.count, seed=args.seed)
    rows = sum(len(f.indicators) for f in forms)
    cores = available_cores()
    print(f"机器: {describe()}；可用 {cores} 核；开始时负载 {os.getloadavg()[0]:.2f}")
    print(f"输入: {len(forms)} 张生成的自评表（{rows} 个指标，seed {args.seed}），导出为一个 PDF")
    results = {}
    for processes in dict.fromkeys((1, cores)):
        seconds, cpu, pages, size = run(forms, processes)
        results[processes] = pages
        print(
            f"{processes} 个进程: {seconds:.1f} s，{len(forms) / seconds:.2f} 表/s"
            f"（CPU {cpu:.1f} s），{pages} 页，{size / 1e6:.1f} MB"
            f"（结束时负载 {os.getloadavg()[0]:.2f}）",
            flush=True,
        )
    if len(set(results.values())) != 1:
        raise SystemExit(f"页数不一致: {results}")


if __name__ == "__main__":
    main()
