"""Import throughput of the flattened-text importer (not a test).

Generates ≥ 10,000 forms (``jixiao.generate``), writes them as seed-style text with the
writer (``jixiao.textform``) in files of 10 forms at a few layouts, then imports every file
from its bytes (``jixiao.ingest.read_bytes``: decode, detect, parse) on one core. Beside
it, the floor measured in the same run over the same bytes: decode + split into lines +
one regex scan for numbers. Prints both, their ratio, the input size and the machine.

Then each other flattening (``jixiao.flattenings``: cells one a line, pipes, glued
numbers, page chrome, doc-site splits) of the generated forms, and ``pdftotext`` (default,
-layout, -raw) of jixiao's PDF of the first ``PDF_FORMS``, read by the same ``read_bytes``
after a warm-up file of other forms, in passes over sets of forms until at least a second of
CPU time (``MIN_CPU``, three passes at least) or every set is read: forms/s over all passes,
× the 2,500 forms/s floor (goal ≤ 8×), × the seed import of this run, how many forms came
back partial, and the slowest and fastest pass. Each pass reads forms no pass has read
before, as a batch of new forms comes: the readers keep the answers for texts that recur
from form to form (labels, common numbers), and passes over the same forms again would find
every text of them known.

Usage: ``python benchmarks/bench_import_text.py [FORMS]`` (default 10000).

``python benchmarks/bench_import_text.py --instructions`` counts instead the instructions a
seed-layout form costs, a figure the machine's load does not move (CPU time moves by a
tenth and more on the shared machine): the script runs itself again under valgrind's
callgrind, reads the benchmark's files of forms 100–299 to warm up, then switches
collection on only while it reads the files of forms 0–99 (all four layouts), and prints
instructions a form. About a minute.

``python benchmarks/bench_import_text.py --instructions pdftotext`` counts the same way the
instructions a form of ``pdftotext`` default and ``-layout`` of jixiao's PDF: the PDFs of
forms 0–119 and their texts are made first, outside callgrind (rendering under it would take
an hour); then, mode by mode, the texts of forms 60–119 are read to warm up and those of
forms 0–59 (the benchmark's) counted. ``--instructions seed pdftotext`` counts both. A few
minutes.
"""

from __future__ import annotations

import gc
import os
import pickle
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from jixiao import flattenings as F
from jixiao.generate import generate_forms
from jixiao.ingest import read_bytes
from jixiao.textform import TextLayout, write_forms
from machine import (
    callgrind,
    callgrind_output,
    callgrind_total,
    describe,
    load,
    one_core,
    rerun_under_callgrind,
)

PER_FILE = 10
LAYOUTS = (
    TextLayout(),
    TextLayout(name_width=20, target_width=8, actual_width=8, page_lines=30, newline="\r\n"),
    TextLayout(level1_width=8, level2_width=12, name_width=40, deviation_width=30, thousands=False),
    TextLayout(fullwidth=False, expected_width=30, achieved_width=28, page_lines=70),
)
NUMBER = re.compile(rb"\d[\d,]*(?:\.\d+)?")


def floor(files: list[bytes]) -> int:
    n = 0
    for data in files:
        text = data.decode("utf-8")
        text.splitlines()
        n += len(NUMBER.findall(data))
    return n


def seed_files(forms) -> list[bytes]:
    """The seed layout's files: ``PER_FILE`` forms each, the layouts in turn."""
    return [
        write_forms(forms[k : k + PER_FILE], LAYOUTS[(k // PER_FILE) % len(LAYOUTS)]).encode()
        for k in range(0, len(forms), PER_FILE)
    ]


def main(count: int) -> None:
    pinned = one_core()
    t0 = time.perf_counter()
    forms = generate_forms(count, seed=2024)
    t_gen = time.perf_counter() - t0
    flat_forms = forms[: max(min(count, FLAT_FORMS), 2 * PER_FILE)]
    others = {name: in_sets(flat_files(flat_forms, how), FLAT_SET) for name, how in FLAT}
    others.update(
        {
            name: in_sets(files, PDF_SET)
            for name, files in pdftotext_files(forms[:PDF_FORMS]).items()
        }
    )
    files = seed_files(forms)
    del forms  # the generated objects are not part of the import: free them first
    gc.collect()
    gc.freeze()  # and what is left of the set-up is not the importer's garbage to walk
    size = sum(len(b) for b in files)
    lines = sum(b.count(b"\n") for b in files)

    floor(files[:50])  # warm up both paths
    read_bytes(files[0], "warmup.txt")
    t_floor, c_floor = timed(lambda: floor(files))
    results: list[int] = []
    t_import, c_import = timed(lambda: results.extend(import_all(files)))
    imported, partial = len(results), sum(results)

    assert imported == count, (imported, count)
    print(f"machine: {describe()}; nproc {os.cpu_count()}; {pinned}; load {load()}")
    print(
        f"input: {count} forms, {len(files)} files, {size / 1e6:.1f} MB UTF-8, {lines} lines "
        f"({len(LAYOUTS)} layouts; generated in {t_gen:.1f} s)"
    )
    print(
        f"import: {c_import:.2f} s CPU ({t_import:.2f} s wall) = {count / c_import:,.0f} forms/s, "
        f"{size / 1e6 / c_import:.1f} MB/s ({partial} partial)"
    )
    print(
        f"floor (decode + split lines + regex numbers): {c_floor:.3f} s CPU "
        f"({t_floor:.3f} s wall) = {count / c_floor:,.0f} forms/s, {size / 1e6 / c_floor:.1f} MB/s"
    )
    verdict = "met" if count / c_import >= SEED_FLOOR else "missed"
    print(
        f"ratio import/floor: {c_import / c_floor:.1f}x (CPU), {t_import / t_floor:.1f}x (wall); "
        f"target ≥ {SEED_FLOOR:,} forms/s on one core: {verdict}"
    )
    seed_rate = count / c_import
    print(
        f"other flattenings (the writer's: {len(flat_forms)} forms in sets of {FLAT_SET}; "
        f"pdftotext: {PDF_FORMS} in sets of {PDF_SET}; a file of {PER_FILE} forms first to warm "
        f"up): forms/s; × the {SEED_FLOOR:,} forms/s floor (goal ≤ 8x); × this run's seed import"
    )
    for name, (warm, *sets) in others.items():
        import_all(warm)
        got: list[int] = []  # partial or not, each form read
        passes: list[tuple[int, float]] = []  # forms and CPU seconds of each pass
        for files in sets:
            if len(passes) >= MIN_PASSES and sum(c for _, c in passes) >= MIN_CPU:
                break
            before = len(got)
            cpu = timed(lambda files=files, got=got: got.extend(import_all(files)))[1]
            passes.append((len(got) - before, cpu))
        n, cpu = len(got), sum(c for _, c in passes)
        assert n == sum(len(files) for files in sets[: len(passes)]) * PER_FILE, (name, n)
        rate = n / cpu
        print(
            f"  {name:<20} {rate:>8,.0f} forms/s  {SEED_FLOOR / rate:>5.1f}x floor "
            f"({'met' if SEED_FLOOR / rate <= 8 else 'missed'})  {seed_rate / rate:>5.1f}x seed"
            f"  ({sum(got)} partial of {n}; {len(passes)} passes"
            f"{'' if len(passes) < len(sets) else ', every set'}, {cpu:.2f} s CPU, "
            f"passes {min(k / c for k, c in passes):,.0f}–{max(k / c for k, c in passes):,.0f} "
            "forms/s)"
        )


COUNTED_FORMS = 100  # forms counted by --instructions, after WARM_FORMS others
WARM_FORMS = 200
COUNTED_MODES = ("pdftotext default", "pdftotext -layout")  # --instructions pdftotext
PDF_TEXTS = "JIXIAO_BENCH_PDF_TEXTS"  # the pickled texts the run under callgrind reads


def instructions(what: list[str]) -> None:
    """Instructions a form of each of ``what`` ("seed", "pdftotext"), run under callgrind by
    ``rerun_under_callgrind``: each counted in a dump of its own, after a warm-up on other
    forms."""
    out = callgrind_output()
    assert out is not None
    dumps = 0

    def counted(name: str, warm: list[bytes], files: list[bytes], forms: int) -> None:
        nonlocal dumps
        import_all(warm)
        gc.collect()
        gc.freeze()
        callgrind("--instr=on")
        imported = import_all(files)
        callgrind(f"--dump={name.replace(' ', '_')}")  # one word: callgrind_control's
        callgrind("--instr=off")
        dumps += 1
        assert len(imported) == forms, (name, len(imported))
        total = callgrind_total(f"{out}.{dumps}")
        print(
            f"{name}: {total / forms / 1e6:.3f} M instructions a form ({forms} forms in "
            f"{len(files)} files, {sum(imported)} partial, after {len(warm) * PER_FILE} forms "
            f"of warm-up; callgrind, {describe()})"
        )

    if "seed" in what:
        files = seed_files(generate_forms(COUNTED_FORMS + WARM_FORMS, seed=2024))
        n = COUNTED_FORMS // PER_FILE
        counted("seed layout", files[n:], files[:n], COUNTED_FORMS)
    if "pdftotext" in what:
        with open(os.environ[PDF_TEXTS], "rb") as f:
            warm, texts = pickle.load(f)
        for name in COUNTED_MODES:
            counted(name, warm[name], texts[name], COUNTED_PDF_FORMS)


def pdftotext_texts(folder: str) -> dict[str, str]:
    """Before the run under callgrind: pdftotext's modes of jixiao's PDF of forms
    ``COUNTED_PDF_FORMS``–``2 × COUNTED_PDF_FORMS`` (the warm-up) and of the benchmark's first
    ``COUNTED_PDF_FORMS``,
    pickled in ``folder``; the run's environment that names the file."""
    forms = generate_forms(2 * COUNTED_PDF_FORMS, seed=2024)
    path = os.path.join(folder, "pdftotext.pickle")
    with open(path, "wb") as f:
        n = COUNTED_PDF_FORMS
        pickle.dump((pdftotext_files(forms[n:]), pdftotext_files(forms[:n])), f)
    return {PDF_TEXTS: path}


SEED_FLOOR = 2500  # forms/s the seed layout must keep on one core (#15)
FLAT = (
    ("cells a line", F.cell_per_line),
    ("cells a paragraph", lambda forms: F.paragraphs(forms, 24)),
    ("pipes, a row a line", F.pipes),
    ("pipes, HTML rows", lambda forms: F.pipes(forms, lead=True)),
    ("pipes, reflowed", lambda forms: F.pipes(forms, per_line=6)),
    ("glued numbers", F.glued),
    ("lines + pdf chrome", lambda forms: F.paginate(F.cell_per_line(forms), 40, "pdf")),
    ("lines + doc-site", lambda forms: F.paginate(F.cell_per_line(forms), 40, "site")),
)


# Each other flattening is read in passes over sets of forms, a set a pass, until the passes
# took MIN_CPU seconds of CPU time, MIN_PASSES at least, or every set was read: one pass over
# a few forms (0.1 s) moved by a tenth and more from run to run. Its rate is all the forms
# read over all that time. No form is read twice (the readers keep answers by text).
MIN_CPU = 1.0
MIN_PASSES = 3
FLAT_SET = 100  # forms a pass of the writer's flattenings
FLAT_FORMS = 1510  # the forms written in each of them: a file to warm up, 15 sets
PDF_SET = 60  # forms a pass of pdftotext's modes
PDF_FORMS = 490  # forms rendered to PDF (jixiao's renderer): a file to warm up, 8 sets
COUNTED_PDF_FORMS = 60  # forms of pdftotext's modes counted by --instructions


def pdftotext_files(forms) -> dict[str, list[bytes]]:
    """pdftotext's modes of jixiao's PDF of ``forms``, 10 forms a PDF (set-up, not timed)."""
    from jixiao.render.pdf import render_pdf

    pdfs = [render_pdf(forms[k : k + PER_FILE]) for k in range(0, len(forms), PER_FILE)]
    return {
        f"pdftotext {mode or 'default'}": [F.pdftotext(pdf, mode).encode("utf-8") for pdf in pdfs]
        for mode in ("", "-layout", "-raw")
    }


def in_sets(files: list[bytes], forms: int) -> list[list[bytes]]:
    """The first file (the warm-up), then the others in sets of ``forms`` forms."""
    per_set = forms // PER_FILE
    return [files[:1]] + [files[k : k + per_set] for k in range(1, len(files), per_set)]


def flat_files(forms, how) -> list[bytes]:
    return [
        ("\n".join(how(forms[k : k + PER_FILE])) + "\n").encode("utf-8")
        for k in range(0, len(forms), PER_FILE)
    ]


def import_all(files: list[bytes]) -> list[int]:
    return [form.partial for n, data in enumerate(files) for form in read_bytes(data, f"f{n}")]


def timed(work) -> tuple[float, float]:
    """(wall, CPU) seconds of ``work()``; CPU time is what one core spent on it."""
    w0, c0 = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - w0, time.process_time() - c0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--instructions"]:
        what = sys.argv[2:] or ["seed"]
        if not set(what) <= {"seed", "pdftotext"}:
            raise SystemExit(f"--instructions counts seed and/or pdftotext, not {what}")
        if callgrind_output() is None:
            with tempfile.TemporaryDirectory() as folder:
                rerun_under_callgrind(pdftotext_texts(folder) if "pdftotext" in what else None)
        instructions(what)
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
