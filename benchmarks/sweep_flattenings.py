"""Sweep for wrong values: generated forms of every declared layout, flattened by real PDF
producers and read back, each form judged as the tests judge it (``tests.forms.judge``):
``exact`` (every field equal, no gap), ``partial`` (every difference named by a gap) or
``wrong`` (a difference no gap names — what must never happen).

Run: ``.venv/bin/python benchmarks/sweep_flattenings.py [--sources jixiao-pdf,lo-xlsx,lo-docx]
[--modes default,layout,raw] [--layouts ID,…] [--seeds 100-129] [--count 4] [--cache DIR]
[--json OUT]``.
Input: ``layout_forms(count, layout, seed)`` for every layout and seed, written as jixiao's
PDF (``jixiao-pdf``) and as jixiao's workbook / Word file converted to PDF by LibreOffice
(``lo-xlsx``, ``lo-docx``), each PDF through ``pdftotext`` in its default, ``-layout`` and
``-raw`` modes. The PDFs and texts are kept in ``--cache`` (default ``var/sweep``): a text does
not depend on the reader, so a second run only reads; delete the cache after a change of the
renderer. LibreOffice converts about one file a second (540 files for every layout over 30
seeds); reading every text takes about five minutes on one core.
Prints, per source and mode, the forms exact / partial / wrong / missing, the fields written
on the forms found and the shares read right, left blank or read as something else
(``tests.forms.field_tally``), and each wrong form's text with its first unexplained
differences. Exits 1 when any form is wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests.forms: the judge the tests use

from tests.forms import SOFFICE, judge, lo_convert  # noqa: E402

from jixiao.flattenings import pdftotext  # noqa: E402
from jixiao.generate import layout_forms  # noqa: E402
from jixiao.ingest import read_text  # noqa: E402
from jixiao.layouts import builtin_ids  # noqa: E402
from jixiao.render import render_form_docx, render_xlsx  # noqa: E402
from jixiao.render.pdf import render_pdf  # noqa: E402
from machine import describe  # noqa: E402

MODES = {"default": "", "layout": "-layout", "raw": "-raw"}
SOURCES = ("jixiao-pdf", "lo-xlsx", "lo-docx")
SUFFIX = {"lo-xlsx": ".xlsx", "lo-docx": ".docx"}


def seeds_of(text: str) -> range:
    first, _, last = text.partition("-")
    return range(int(first), int(last or first) + 1)


def make_pdfs(cache: Path, layouts: list[str], seeds: range, sources: list[str], count: int) -> int:
    """Write the PDFs the cache lacks; LibreOffice converts its files in batches. Returns how
    many were written."""
    todo: list[tuple[Path, bytes, str]] = []
    written = 0
    for layout in layouts:
        for seed in seeds:
            forms = None
            for source in sources:
                pdf = cache / f"{layout}-{source}-{seed}-{count}.pdf"
                if pdf.exists():
                    continue
                forms = forms or layout_forms(count, layout, seed=seed)
                if source == "jixiao-pdf":
                    pdf.write_bytes(render_pdf(forms))
                    written += 1
                else:
                    doc = render_xlsx(forms) if source == "lo-xlsx" else render_form_docx(forms)
                    todo.append((pdf, doc, SUFFIX[source]))
    if todo and SOFFICE is None:
        sys.exit("LibreOffice (soffice) is not installed: leave out the lo-* sources")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for i in range(0, len(todo), 40):
            batch = todo[i : i + 40]
            names = []
            for pdf, doc, suffix in batch:
                (work / (pdf.stem + suffix)).write_bytes(doc)
                names.append(work / (pdf.stem + suffix))
            lo_convert(names, "pdf", work, timeout=3600)
            for pdf, _, _ in batch:
                pdf.write_bytes((work / (pdf.stem + ".pdf")).read_bytes())
                written += 1
            print(f"  LibreOffice: {written} PDFs", file=sys.stderr, flush=True)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", default=",".join(SOURCES))
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--layouts", default=",".join(builtin_ids()))
    parser.add_argument("--seeds", default="100-129")
    parser.add_argument("--count", type=int, default=4, help="forms a PDF")
    parser.add_argument("--cache", type=Path, default=HERE.parent / "var" / "sweep")
    parser.add_argument("--json", type=Path, help="every text's verdict, as JSON")
    args = parser.parse_args()
    sources, modes = args.sources.split(","), args.modes.split(",")
    layouts, seeds = args.layouts.split(","), seeds_of(args.seeds)
    args.cache.mkdir(parents=True, exist_ok=True)
    print(describe())
    start = time.perf_counter()
    made = make_pdfs(args.cache, layouts, seeds, sources, args.count)
    print(f"{made} PDFs written in {time.perf_counter() - start:.0f} s", flush=True)

    start = time.perf_counter()
    totals: dict[tuple[str, str], Counter[str]] = {}
    results = []
    for layout in layouts:
        for seed in seeds:
            forms = layout_forms(args.count, layout, seed=seed)
            for source in sources:
                pdf = args.cache / f"{layout}-{source}-{seed}-{args.count}.pdf"
                for mode in modes:
                    path = pdf.with_name(f"{pdf.stem}-{mode}.txt")
                    if not path.exists():
                        path.write_text(pdftotext(pdf.read_bytes(), MODES[mode]), "utf-8")
                    verdict = judge(read_text(path.read_text("utf-8"), path.name), forms)
                    tally = totals.setdefault((source, mode), Counter())
                    tally.update(
                        exact=verdict.exact,
                        partial=verdict.partial,
                        wrong=verdict.wrong + verdict.strays,
                        missing=verdict.missing,
                    )
                    tally.update({f"field {k}": n for k, n in verdict.fields.items()})
                    if verdict.outcome == "wrong":
                        print(f"wrong: {path}", *verdict.details[:3], sep="\n  ", flush=True)
                    results.append(
                        {"layout": layout, "seed": seed, "source": source, "mode": mode}
                        | {"outcome": verdict.outcome, "details": verdict.details}
                    )
    texts = len(results)
    print(
        f"\n{texts} texts, {texts * args.count} forms written, read in "
        f"{time.perf_counter() - start:.0f} s ({len(layouts)} layouts, seeds "
        f"{seeds.start}–{seeds.stop - 1}, {args.count} forms a PDF)"
    )
    print(
        f"{'source':12}{'mode':9}{'exact':>7}{'partial':>9}{'wrong':>7}{'missing':>9}"
        f"{'fields':>9}{'right':>9}{'blank':>8}{'other':>8}"
    )
    for (source, mode), tally in totals.items():
        written = sum(tally[f"field {k}"] for k in ("right", "blank", "other"))
        shares = (
            f"{100 * tally[f'field {k}'] / (written or 1):.2f}%"
            for k in ("right", "blank", "other")
        )
        print(
            f"{source:12}{mode:9}{tally['exact']:7}{tally['partial']:9}"
            f"{tally['wrong']:7}{tally['missing']:9}{written:9}",
            *(f"{s:>7}" for s in shares),
        )
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")
    return 1 if any(t["wrong"] for t in totals.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
