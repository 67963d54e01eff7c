"""Round trip: render → read back → the identical form.

PDF text comes from Debian's ``pdftotext -raw`` (content-stream order: WeasyPrint draws a
table row by row, so rows stay whole; the default mode regroups this layout's widely
spaced cells into column blocks). The text then goes through the flattened-text
importer, meeting real wrapping, page breaks, page numbers and repeated table headers.
Comparison follows DESIGN §3: text with whitespace removed, numbers as decimals.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from jixiao.generate import generate_forms
from jixiao.ingest import read_text
from jixiao.ingest.pdf import read_pdf
from jixiao.ingest.xlsx import read_xlsx
from jixiao.model import FUND_COLUMNS, FUND_ROWS, SelfEvaluation
from jixiao.render.pdf import layout, render_pdf
from jixiao.render.xlsx import render_xlsx

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)

GENERATED = 200
TEXTS = ("title", "project", "department", "unit", "amount_unit", "grade")
ROW_TEXTS = ("level1", "level2", "name", "target", "actual", "deviation")


def squash(text: str | None) -> str:
    return re.sub(r"\s", "", text or "")


def same_number(a, b) -> bool:
    return (a is None) == (b is None) and (a is None or a == b)


def differences(got: SelfEvaluation, want: SelfEvaluation) -> list[str]:
    """Every field that differs, as ``field: got != want``; empty for the identical form."""
    out = []
    if got.year != want.year:
        out.append(f"year: {got.year} != {want.year}")
    out += [f"{n}" for n in TEXTS if squash(getattr(got, n)) != squash(getattr(want, n))]
    for n in ("total_weight", "total_score"):
        if not same_number(getattr(got, n), getattr(want, n)):
            out.append(f"{n}: {getattr(got, n)} != {getattr(want, n)}")
    for row in FUND_ROWS:
        for col in FUND_COLUMNS:
            a, b = getattr(getattr(got.funds, row), col), getattr(getattr(want.funds, row), col)
            if not same_number(a, b):
                out.append(f"funds.{row}.{col}: {a} != {b}")
    for n in ("expected", "achieved"):
        if squash(getattr(got.goals, n)) != squash(getattr(want.goals, n)):
            out.append(f"goals.{n}")
    if len(got.indicators) != len(want.indicators):
        out.append(f"indicators: {len(got.indicators)} rows != {len(want.indicators)}")
    for i, (x, y) in enumerate(zip(got.indicators, want.indicators, strict=False)):
        for n in ROW_TEXTS:
            if squash(getattr(x, n)) != squash(getattr(y, n)):
                out.append(f"indicators[{i}].{n}: {getattr(x, n)!r} != {getattr(y, n)!r}")
        for n in ("weight", "score"):
            if not same_number(getattr(x, n), getattr(y, n)):
                out.append(f"indicators[{i}].{n}: {getattr(x, n)} != {getattr(y, n)}")
    return out


def assert_round_trip(got: list[SelfEvaluation], want: list[SelfEvaluation]) -> None:
    assert [f.project for f in got] == [f.project for f in want]
    report = {
        f"{w.index} {w.project}": d[:3]
        for g, w in zip(got, want, strict=True)
        if (d := differences(g, w))
    }
    assert not report, f"{len(report)} of {len(want)} forms differ: {report}"
    assert not [f.gaps for f in got if f.gaps]


def pdf_to_text(pdf: bytes, path: Path) -> str:
    path.write_bytes(pdf)
    run = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True)
    return run.stdout.decode("utf-8")


def _render_chunk(forms: list[SelfEvaluation]) -> tuple[bytes, list[int]]:
    """One PDF of ``forms`` (as :func:`render_pdf` makes it) and each form's page count."""
    documents = [layout(form) for form in forms]
    pages = [page for document in documents for page in document.pages]
    return bytes(documents[0].copy(pages).write_pdf()), [len(d.pages) for d in documents]


def test_differences_sees_a_changed_value(oracle_forms: list[SelfEvaluation]) -> None:
    changed = oracle_forms[0].model_copy(deep=True)
    changed.indicators[3].score = changed.indicators[3].score + 1
    changed.goals.achieved += "。"
    assert differences(changed, oracle_forms[0]) == [
        "goals.achieved",
        "indicators[3].score: 6.00 != 5.00",
    ]
    assert differences(oracle_forms[0], oracle_forms[0]) == []


def test_seed_forms_through_pdf_text(oracle_forms: list[SelfEvaluation], tmp_path) -> None:
    text = pdf_to_text(render_pdf(oracle_forms), tmp_path / "seed.pdf")
    assert_round_trip(read_text(text, "seed.pdf.txt"), oracle_forms)


def test_seed_forms_through_pdf_cells(oracle_forms: list[SelfEvaluation], tmp_path) -> None:
    path = tmp_path / "seed.pdf"
    path.write_bytes(render_pdf(oracle_forms))
    assert_round_trip(read_pdf(path), oracle_forms)


def test_seed_forms_through_xlsx(oracle_forms: list[SelfEvaluation], tmp_path) -> None:
    path = tmp_path / "seed.xlsx"
    path.write_bytes(render_xlsx(oracle_forms))
    assert_round_trip(read_xlsx(path), oracle_forms)


@pytest.fixture(scope="module")
def generated() -> list[SelfEvaluation]:
    return generate_forms(GENERATED, seed=0)


def test_generated_forms_through_xlsx(generated: list[SelfEvaluation], tmp_path) -> None:
    path = tmp_path / "generated.xlsx"
    path.write_bytes(render_xlsx(generated))
    assert_round_trip(read_xlsx(path), generated)


@pytest.fixture(scope="module")
def generated_back(
    generated: list[SelfEvaluation], tmp_path_factory
) -> tuple[list[SelfEvaluation], list[int]]:
    """The generated forms through PDF → pdftotext → text importer, in two PDFs rendered in
    parallel (one pdftotext call each); also each form's page count."""
    half = len(generated) // 2
    with ProcessPoolExecutor(max_workers=2) as pool:
        chunks = list(pool.map(_render_chunk, [generated[:half], generated[half:]]))
    folder = tmp_path_factory.mktemp("generated")
    text = "".join(pdf_to_text(pdf, folder / f"g{i}.pdf") for i, (pdf, _) in enumerate(chunks))
    pages = [n for _, counts in chunks for n in counts]
    return read_text(text, "generated.pdf.txt"), pages


def test_generated_forms_through_pdf_text(generated: list[SelfEvaluation], generated_back) -> None:
    """All ≥ 200 generated forms: multi-page forms and 偏差原因 texts included."""
    got, pages = generated_back
    assert len(got) == len(generated) >= 200
    assert sum(1 for n in pages if n > 1) >= 20
    assert sum(1 for f in generated if any(r.deviation for r in f.indicators)) >= 20
    assert_round_trip(got, generated)
