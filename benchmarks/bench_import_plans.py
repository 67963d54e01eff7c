"""Three-document import of generated projects: 申报表 + 监控表 + 自评表 each (not a test).

Generates ``--count`` projects' years (``jixiao.generate_plans.generate_year``: each its
approved 申报表, July 监控表 and 自评表) and writes them as files the importer reads by
kind (``jixiao.ingest.read_documents_bytes``):

- ``json``: the canonical JSON (``{"forms", "declarations", "monitorings"}``), 10 projects a
  file;
- ``xlsx``: one workbook per project, its three documents a sheet each (as the 项目库 export
  holds them), written by ``jixiao.render.plans.render_plans_xlsx``;
- ``html``: one page per project, its three tables with their titles above them;
- ``text``: ``pdftotext`` of each project's three documents as one PDF (only the
  ``--text-count`` first projects: writing PDFs is slow);

then imports every file from its bytes on one core and prints, per format: CPU and wall
time, projects/s and documents (forms)/s, input size, and checks that every document came
back, each kind in its own list. Prints the machine and load first (the machine may be busy:
CPU time is the figure to compare).

Usage: ``python benchmarks/bench_import_plans.py [--count 1000] [--formats json,xlsx,html]``.
"""

from __future__ import annotations

import gc
import io
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from jixiao.generate_plans import generate_year
from jixiao.ingest import read_documents_bytes
from jixiao.plans import Documents
from jixiao.render import render_html
from jixiao.render.plans import render_plans_html, render_plans_pdf, render_plans_xlsx
from machine import describe, generated_forms_parser

PER_JSON_FILE = 10


def one_core() -> str:
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):
        return "not pinned"


def load() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def projects(year: Documents) -> list[Documents]:
    return [
        Documents(forms=[f], declarations=[d], monitorings=[m])
        for f, d, m in zip(year.forms, year.declarations, year.monitorings, strict=True)
    ]


def json_files(year: Documents) -> list[bytes]:
    each = projects(year)
    files = []
    for k in range(0, len(each), PER_JSON_FILE):
        batch = Documents()
        for p in each[k : k + PER_JSON_FILE]:
            batch.extend(p)
        files.append(batch.dumps().encode("utf-8"))
    return files


def xlsx_files(year: Documents) -> list[bytes]:
    return [
        render_plans_xlsx([p.declarations[0], p.monitorings[0], p.forms[0]]) for p in projects(year)
    ]


def html_files(year: Documents) -> list[bytes]:
    files = []
    for p in projects(year):
        plans = render_plans_html([p.declarations[0], p.monitorings[0]])
        form = render_html(p.forms)
        body = form[form.index("<body>") + 6 : form.rindex("</body>")]
        files.append(plans.replace("</body>", body + "</body>").encode("utf-8"))
    return files


def text_files(year: Documents) -> list[bytes]:
    from pypdf import PdfReader, PdfWriter

    from jixiao.render import render_pdf

    files = []
    for p in projects(year):
        writer = PdfWriter()
        for pdf in (render_plans_pdf(p.declarations), render_plans_pdf(p.monitorings)):
            for page in PdfReader(io.BytesIO(pdf)).pages:
                writer.add_page(page)
        for page in PdfReader(io.BytesIO(render_pdf(p.forms))).pages:
            writer.add_page(page)
        out = io.BytesIO()
        writer.write(out)
        done = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"],
            input=out.getvalue(),
            capture_output=True,
            check=True,
        )
        files.append(done.stdout)
    return files


WRITERS: dict[str, Callable[[Documents], list[bytes]]] = {
    "json": json_files,
    "xlsx": xlsx_files,
    "html": html_files,
    "text": text_files,
}
SUFFIX = {"json": "json", "xlsx": "xlsx", "html": "html", "text": "txt"}


def import_all(files: list[bytes], suffix: str) -> tuple[int, int, int]:
    counts = [0, 0, 0]
    for n, data in enumerate(files):
        docs = read_documents_bytes(data, f"p{n}.{suffix}")
        counts[0] += len(docs.forms)
        counts[1] += len(docs.declarations)
        counts[2] += len(docs.monitorings)
    return counts[0], counts[1], counts[2]


def main() -> None:
    parser = generated_forms_parser(__doc__, 1000)
    parser.add_argument("--formats", default="json,xlsx,html,text")
    parser.add_argument("--text-count", type=int, default=30)
    args = parser.parse_args()
    pinned = one_core()
    print(f"machine: {describe()}; nproc {os.cpu_count()}; {pinned}; load {load()}")
    t0 = time.perf_counter()
    year = generate_year(args.count, args.seed)
    print(
        f"input: {args.count} generated projects (申报表 + 监控表 + 自评表 each, "
        f"{sum(len(f.indicators) for f in year.forms)} indicators in the 自评表; "
        f"generated in {time.perf_counter() - t0:.1f} s)"
    )
    for fmt in args.formats.split(","):
        count = min(args.count, args.text_count) if fmt == "text" else args.count
        part = Documents(
            forms=year.forms[:count],
            declarations=year.declarations[:count],
            monitorings=year.monitorings[:count],
        )
        t_write = time.perf_counter()
        files = WRITERS[fmt](part)
        t_write = time.perf_counter() - t_write
        size = sum(len(b) for b in files)
        read_documents_bytes(files[0], f"warmup.{SUFFIX[fmt]}")
        gc.collect()
        w0, c0 = time.perf_counter(), time.process_time()
        forms, declarations, monitorings = import_all(files, SUFFIX[fmt])
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        assert (forms, declarations, monitorings) == (count, count, count), fmt
        documents = forms + declarations + monitorings
        print(
            f"{fmt:<5} {count} projects, {len(files)} files, {size / 1e6:.1f} MB "
            f"(written in {t_write:.1f} s): {cpu:.2f} s CPU ({wall:.2f} s wall) = "
            f"{count / cpu:,.1f} projects/s, {documents / cpu:,.1f} forms/s "
            f"({forms} 自评表, {declarations} 申报表, {monitorings} 监控表)"
        )


if __name__ == "__main__":
    main()
