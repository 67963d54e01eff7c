"""The hostile corpus of issue 11 through the importers (not a test).

Builds each hostile file (``tests/hostile/corpus.py``) at the sizes the issue names —
a merge K1:XFD1048576, a cell at XFD1048576, a zip bomb whose sheet expands to 4.3 GB,
a 1.5 GB sharedStrings part, 20 M cells, HTML colspan=1000 and rowspan=65534, a 5,000-page
PDF, a PDF whose content stream inflates to 1 GB, 450,000 forms of JSON, deep JSON, a
lone surrogate, 1e999999999, and Word bombs (gridSpan 10^8, a vMerge down 30,000
rows, a 4.3 GB document.xml, tables nested 1,000 deep, 250,000 paragraphs, 800,000 empty
paragraphs in one cell, 1.6 M attributes on one tag) — then imports each in a fresh process
(``jixiao.ingest.read_forms``, what ``jixiao import`` and the web import call) and prints
the seconds, CPU seconds and peak resident memory of that process, and the outcome.
Goal: every file refused or read in < 5 s and < 300 MB. On a shared machine the wall
time follows the load (printed with the machine): the goal is judged on CPU seconds.

Usage: ``python benchmarks/bench_hostile.py [--small] [--keep DIR]``; ``--small`` builds
the files at the test sizes (seconds instead of minutes).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from tests.hostile import corpus  # noqa: E402

from machine import describe  # noqa: E402

GB = 1024**3
MB = 1024**2

# name → (builder, arguments at the size, arguments with --small)
FILES = {
    "merge K1:XFD1048576 (.xlsx)": (corpus.merge_bomb_xlsx, {}, {}),
    "cell at XFD1048576 (.xlsx)": (corpus.far_cell_xlsx, {}, {}),
    "zip bomb, sheet 4.3 GB (.xlsx)": (
        corpus.zip_bomb_xlsx,
        {"expanded": int(4.3 * GB)},
        {"expanded": 64 * MB},
    ),
    "sharedStrings 1.5 GB (.xlsx)": (
        corpus.shared_strings_bomb_xlsx,
        {"expanded": int(1.5 * GB)},
        {"expanded": 32 * MB},
    ),
    "20 M cells (.xlsx)": (corpus.many_cells_xlsx, {"cells": 20_000_000}, {"cells": 4_000_000}),
    "250,000 cells, streamed (.xlsx)": (
        corpus.many_cells_xlsx,
        {"cells": 250_000},
        {"cells": 250_000},
    ),
    "number 1e999999999 (.xlsx)": (corpus.huge_number_xlsx, {}, {}),
    "colspan=1000 × 2,000 rows (.html)": (corpus.colspan_html, {}, {}),
    "rowspan=65534 × 1,000 (.html)": (corpus.rowspan_html, {}, {}),
    "250,000 empty tables (.html)": (corpus.many_tables_html, {}, {}),
    "5,000 pages (.pdf)": (corpus.many_pages_pdf, {}, {}),
    "5,000 pages, /Count 1 (.pdf)": (corpus.many_pages_pdf, {"declared": 1}, {"declared": 1}),
    "ruled 300 × 300 on a page (.pdf)": (corpus.ruled_grid_pdf, {}, {}),
    "content stream 1 GB (.pdf)": (corpus.huge_stream_pdf, {"expanded": GB}, {"expanded": 32 * MB}),
    "450,000 forms (.json)": (corpus.many_forms_json, {}, {}),
    "nesting 100,000 deep (.json)": (corpus.deep_json, {}, {}),
    "lone surrogate (.json)": (corpus.surrogate_json, {}, {}),
    "amount 1e999999999 (.json)": (corpus.huge_amount_json, {}, {}),
    "NUL in a name (.json)": (corpus.nul_json, {}, {}),
    "gridSpan 100,000,000 (.docx)": (corpus.gridspan_docx, {}, {}),
    "vMerge down 30,000 rows (.docx)": (corpus.vmerge_docx, {}, {}),
    "zip bomb, document.xml 4.3 GB (.docx)": (
        corpus.zip_bomb_docx,
        {"expanded": int(4.3 * GB)},
        {"expanded": 64 * MB},
    ),
    "tables nested 1,000 deep (.docx)": (corpus.deep_docx, {}, {}),
    "250,000 paragraphs (.docx)": (corpus.many_paragraphs_docx, {}, {}),
    "1,600,000 attributes on one tag (.docx)": (corpus.attributes_docx, {}, {}),
    "800,000 paragraphs in one cell (.docx)": (
        corpus.crowded_cell_docx,
        {"paragraphs": 800_000},
        {"paragraphs": 800_000},
    ),
}

# Peak RSS from the kernel's high-water mark of this process (VmHWM; ru_maxrss would
# carry the parent's figure over the exec).
CHILD = """
import json, re, sys, time
from jixiao.ingest import IngestError, read_forms
start, cpu = time.perf_counter(), time.process_time()
try:
    outcome = f"read {len(read_forms(sys.argv[1]))} forms"
except IngestError as err:
    outcome = "refused: " + str(err).split(": ", 1)[-1]
print(json.dumps({
    "seconds": time.perf_counter() - start,
    "cpu": time.process_time() - cpu,
    "rss_mb": int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read())[1]) / 1024,
    "outcome": outcome,
}, ensure_ascii=False))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true", help="the test sizes")
    parser.add_argument("--keep", type=Path, help="build the files in this folder and keep them")
    args = parser.parse_args()
    print(describe())
    print("goal: every file refused or read in < 5 s and < 300 MB peak RSS (a fresh process)")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="hostile-"))
    folder.mkdir(parents=True, exist_ok=True)
    baseline = json.loads(
        subprocess.run(
            [sys.executable, "-c", CHILD.replace("read_forms(sys.argv[1])", "[]"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )["rss_mb"]
    print(f"an interpreter with jixiao.ingest loaded: {baseline:.0f} MB\n")
    head = (
        f"{'file':36} {'on disk':>9} {'build':>7} {'wall':>7} {'cpu':>6} {'peak RSS':>9}  outcome"
    )
    print(head)
    missed = 0
    for number, (name, (build, full, small)) in enumerate(FILES.items()):
        sub = folder / str(number)
        sub.mkdir(exist_ok=True)
        t = time.perf_counter()
        path = build(sub, **(small if args.small else full))
        built = time.perf_counter() - t
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, timeout=600
        )
        if done.returncode != 0:
            print(f"{name:36} crashed: {done.stderr.strip().splitlines()[-1:]}")
            missed += 1
            continue
        got = json.loads(done.stdout)
        ok = got["cpu"] < 5 and got["rss_mb"] < 300
        missed += not ok
        size = path.stat().st_size
        shown = f"{size / MB:.1f} MB" if size >= MB else f"{size / 1024:.0f} KB"
        print(
            f"{name:36} {shown:>9} {built:6.1f}s {got['seconds']:6.2f}s {got['cpu']:5.2f}s "
            f"{got['rss_mb']:6.0f} MB  {'' if ok else 'MISSED '}{got['outcome'][:70]}"
        )
    print(f"\n{len(FILES) - missed} of {len(FILES)} files within the goal")
    if args.keep is None:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
