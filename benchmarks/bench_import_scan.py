"""Scan import speed and accuracy: seconds per page of ``read_bytes`` on scanned forms,
on one core and on all cores, beside the bare OCR engine (``RapidOCR()(page)``, detection,
angle classifier and recognition, as its users call it) on the same pages; the table step
(red seal dropped, skew corrected, rules and cells found) timed on its own.

Run: ``.venv/bin/python benchmarks/bench_import_scan.py [--forms N] [--dpi D] [--pages P]
[--diff]``. Each figure is printed with the load average at its end (the machine may be
shared) and the process's CPU time beside the wall-clock time.
Input: the nine seed forms plus N generated forms, rendered by jixiao, rasterised by
pdftoppm at D dpi and scanned in imitation (``jixiao.synthetic_scan``: a red seal, skew
within ±2°, blur, noise, JPEG); each page is read as a PNG (one form a page).
Targets: at most 5 s a page at 150 dpi; the table step under 10 % of the OCR's own time.
Accuracy: fields read exactly, fields flagged (gaps) or caught (audit), and fields wrong
that nothing flags (must be 0).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests.scans: the comparison the tests use

from tests.scans import compare  # noqa: E402

from jixiao.generate import generate_forms  # noqa: E402
from jixiao.ingest import ocr, read_bytes  # noqa: E402
from jixiao.ingest.scan_table import page_tables  # noqa: E402
from jixiao.model import SelfEvaluation, load_forms  # noqa: E402
from jixiao.policy import load_policy  # noqa: E402
from jixiao.render.pdf import layout  # noqa: E402
from jixiao.synthetic_scan import degrade, encode, rasterise  # noqa: E402
from machine import describe  # noqa: E402  benchmarks/machine.py

ORACLE = HERE.parent / "tests" / "data" / "expected.json"
TARGET_SECONDS = 5.0
TARGET_TABLE_SHARE = 0.10


def one_page_forms(extra: int) -> list[SelfEvaluation]:
    """The seed forms and ``extra`` generated ones that fit one page each."""
    seed = [f for f in load_forms(ORACLE) if len(layout(f).pages) == 1]
    generated = [f for f in generate_forms(extra * 4, seed=1) if len(layout(f).pages) == 1]
    return seed + generated[:extra]


def use_threads(n: int) -> None:
    os.environ["JIXIAO_OCR_THREADS"] = str(n)
    ocr._engine = None  # made again with n threads


def bare_engine(n: int):  # type: ignore[no-untyped-def]
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(intra_op_num_threads=n, inter_op_num_threads=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--forms", type=int, default=3, help="generated forms besides the seed")
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--pages", type=int, default=0, help="read only the first N pages")
    parser.add_argument("--diff", action="store_true", help="print every field not exact")
    args = parser.parse_args()

    from jixiao.render.pdf import render_pdf

    forms = one_page_forms(args.forms)
    if args.pages:
        forms = forms[: args.pages]
    pages = []
    for i, form in enumerate(forms):
        [page] = rasterise(render_pdf([form]), args.dpi)
        # the seal over the head on every third page, over the indicators on the others
        where = (0.7, 0.22) if i % 3 == 0 else (0.65, 0.6)
        pages.append(degrade(page, seed=i, seal=where))
    files = [encode(p, "png") for p in pages]
    h, w = pages[0].shape[:2]
    print(describe())
    print(f"input: {len(pages)} pages, A4 at {args.dpi} dpi ({w}×{h} pixels), sealed, skewed ±2°,")
    print("       blurred, noisy, JPEG-compressed; read as PNG files")
    policy = load_policy("mof-2020")
    cores = os.cpu_count() or 1
    results = {}
    for threads in sorted({1, cores}):
        use_threads(threads)
        engine = bare_engine(threads)
        engine(pages[0])  # warm both up
        read_bytes(files[0], "warm.png")
        bare = ours = table = 0.0
        bare_cpu = ours_cpu = 0.0
        readings = []
        for i, (page, data) in enumerate(zip(pages, files, strict=True)):
            start, cpu = time.perf_counter(), time.process_time()
            engine(page)
            bare += time.perf_counter() - start
            bare_cpu += time.process_time() - cpu
            start = time.perf_counter()
            page_tables(page)
            table += time.perf_counter() - start
            start, cpu = time.perf_counter(), time.process_time()
            got = read_bytes(data, f"page{i}.png")
            ours += time.perf_counter() - start
            ours_cpu += time.process_time() - cpu
            if threads == 1:
                readings.append(compare(got[0], forms[i], policy))
        n = len(pages)
        results[threads] = (ours / n, bare / n, table / n)
        load = os.getloadavg()[0]
        print(
            f"{threads} thread(s), load {load:.2f}: import {ours / n:.2f} s/page "
            f"(CPU {ours_cpu / n:.2f} s), bare OCR engine {bare / n:.2f} s/page "
            f"(CPU {bare_cpu / n:.2f} s), table step {table / n:.2f} s/page "
            f"({table / bare:.1%} of the bare OCR)"
        )
        if readings:
            fields = sum(r.fields for r in readings)
            exact = sum(r.exact for r in readings)
            flagged = sum(len(r.flagged) for r in readings)
            caught = sum(len(r.caught) for r in readings)
            silent = [s for r in readings for s in r.silent]
            print(
                f"accuracy: {exact}/{fields} fields exact ({exact / fields:.2%}); "
                f"{flagged} not exact and listed in gaps, {caught} caught by an audit rule, "
                f"{len(silent)} wrong and unflagged"
            )
            for line in silent:
                print(f"  unflagged: {line}")
            if args.diff:
                for i, r in enumerate(readings):
                    for line in r.flagged:
                        print(f"  page {i + 1} in gaps: {line}")
                    for line in r.caught:
                        print(f"  page {i + 1} caught: {line}")
    load = os.getloadavg()
    print(f"load average during the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    best = min(r[0] for r in results.values())
    share = max(r[2] / r[1] for r in results.values())
    print(
        f"target ≤ {TARGET_SECONDS:g} s/page: {'met' if best <= TARGET_SECONDS else 'NOT met'} "
        f"({best:.2f}); table step < {TARGET_TABLE_SHARE:.0%} of OCR: "
        f"{'met' if share < TARGET_TABLE_SHARE else 'NOT met'} ({share:.1%})"
    )


if __name__ == "__main__":
    main()
