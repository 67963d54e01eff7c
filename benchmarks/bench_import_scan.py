"""Scan import speed and accuracy: seconds per page of ``read_bytes`` on scanned forms,
on one core (the process pinned to one CPU, one ONNX Runtime thread) and on all cores (one
process with a thread a core, and one process a core reading pages side by side), beside
the bare OCR engine (``RapidOCR()(page)``, detection,
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
import multiprocessing
import os
import sys
import time
from dataclasses import dataclass
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
from machine import describe, one_core  # noqa: E402  benchmarks/machine.py

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


@dataclass
class Timing:
    """Seconds a page: wall clock and CPU of the import, of the bare engine, the table step."""

    ours: float
    ours_cpu: float
    bare: float = 0.0
    bare_cpu: float = 0.0
    table: float = 0.0


def _load() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def run_in_process(threads: int, pages: list, files: list[bytes], forms, policy) -> tuple:  # type: ignore[no-untyped-def]
    """Every page in this process with ``threads`` ONNX Runtime threads: the import, the
    bare engine and the table step, each page in turn; and the readings (for accuracy)."""
    use_threads(threads)
    engine = bare_engine(threads)
    engine(pages[0])  # warm both up
    read_bytes(files[0], "warm.png")
    t = Timing(0.0, 0.0)
    readings = []
    for i, (page, data) in enumerate(zip(pages, files, strict=True)):
        start, cpu = time.perf_counter(), time.process_time()
        engine(page)
        t.bare += time.perf_counter() - start
        t.bare_cpu += time.process_time() - cpu
        start = time.perf_counter()
        page_tables(page)
        t.table += time.perf_counter() - start
        start, cpu = time.perf_counter(), time.process_time()
        got = read_bytes(data, f"page{i}.png")
        t.ours += time.perf_counter() - start
        t.ours_cpu += time.process_time() - cpu
        readings.append(compare(got[0], forms[i], policy))
    n = len(pages)
    return Timing(t.ours / n, t.ours_cpu / n, t.bare / n, t.bare_cpu / n, t.table / n), readings


def _warm(data: bytes) -> None:
    use_threads(1)
    read_bytes(data, "warm.png")


def _ready(_: int) -> None:
    time.sleep(0.3)  # each worker takes one: all are warm before the clock starts


def _timed_read(data: bytes) -> float:
    cpu = time.process_time()
    read_bytes(data, "page.png")
    return time.process_time() - cpu


def run_in_processes(count: int, files: list[bytes]) -> Timing:
    """The pages read by ``count`` processes side by side, one thread each (each warmed up
    first): wall clock a page over the whole run, CPU a page summed over the processes."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(count, initializer=_warm, initargs=(files[0],)) as pool:
        pool.map(_ready, range(count), chunksize=1)
        start = time.perf_counter()
        cpus = pool.map(_timed_read, files, chunksize=1)
        wall = time.perf_counter() - start
    return Timing(wall / len(files), sum(cpus) / len(files))


def _accuracy(readings: list, diff: bool) -> None:  # type: ignore[type-arg]
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
    if diff:
        for i, r in enumerate(readings):
            for line in r.flagged:
                print(f"  page {i + 1} in gaps: {line}")
            for line in r.caught:
                print(f"  page {i + 1} caught: {line}")


def _figures(t: Timing) -> str:
    """One run's seconds a page: the import, the bare OCR engine, the table step."""
    return (
        f"import {t.ours:.2f} s/page (CPU {t.ours_cpu:.2f} s/page), bare OCR engine "
        f"{t.bare:.2f} s/page (CPU {t.bare_cpu:.2f} s), table step {t.table:.2f} s/page "
        f"({t.table / t.bare:.1%} of the bare OCR)"
    )


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
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cores = cores or 1
    print(f"load average before: {_load()}")
    best: list[float] = []
    shares: list[float] = []
    if cores > 1:  # all cores first: the one-core run pins this process
        t, _ = run_in_process(cores, pages, files, forms, policy)
        best.append(t.ours)
        shares.append(t.table / t.bare)
        print(f"all cores, one process, {cores} threads (load {_load()}): {_figures(t)}")
        t = run_in_processes(cores, files)
        best.append(t.ours)
        print(
            f"all cores, {cores} processes × 1 thread, pages side by side (load {_load()}): "
            f"import {t.ours:.2f} s/page wall (CPU {t.ours_cpu:.2f} s/page)"
        )
    print(f"one core ({one_core()}), 1 thread:")
    t, readings = run_in_process(1, pages, files, forms, policy)
    best.append(t.ours)
    shares.append(t.table / t.bare)
    print(f"  (load {_load()}) {_figures(t)}")
    _accuracy(readings, args.diff)
    print(f"load average after: {_load()}")
    fastest, share = min(best), max(shares)
    print(
        f"target ≤ {TARGET_SECONDS:g} s/page: {'met' if fastest <= TARGET_SECONDS else 'NOT met'} "
        f"({fastest:.2f}); table step < {TARGET_TABLE_SHARE:.0%} of OCR: "
        f"{'met' if share < TARGET_TABLE_SHARE else 'NOT met'} ({share:.1%})"
    )


if __name__ == "__main__":
    main()
