"""Round trip: render → PDF → ``pdftotext`` → text importer → the identical form.

PDF text comes from Debian's ``pdftotext -raw`` (content-stream order: WeasyPrint draws a
table row by row, so rows stay whole; the default mode regroups this layout's widely
spaced cells into column blocks). The text then goes through the flattened-text
importer, meeting real wrapping, page breaks, page numbers and repeated table headers.
Comparison follows DESIGN §3 (tests/forms.py). The PDF cell, Excel, HTML and LibreOffice
round trips are in tests/test_ingest_grid*.py.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from jixiao.ingest import read_text
from jixiao.model import SelfEvaluation
from jixiao.render.pdf import render_pdf

from .forms import assert_identical, differences

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)


def pdf_to_text(pdf: bytes, path: Path) -> str:
    path.write_bytes(pdf)
    run = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True)
    return run.stdout.decode("utf-8")


def test_the_comparison_sees_a_changed_value(oracle_forms: list[SelfEvaluation]) -> None:
    changed = oracle_forms[0].model_copy(deep=True)
    changed.indicators[3].score = changed.indicators[3].score + 1
    changed.goals.achieved += "。"
    assert [d.split(":")[0] for d in differences(changed, oracle_forms[0])] == [
        "goals.achieved",
        "indicators[3].score",
    ]
    assert differences(changed, oracle_forms[0])[1].endswith("Decimal('6.00') != Decimal('5.00')")
    assert differences(oracle_forms[0], oracle_forms[0]) == []


def test_seed_forms_through_pdf_text(oracle_forms: list[SelfEvaluation], tmp_path) -> None:
    text = pdf_to_text(render_pdf(oracle_forms), tmp_path / "seed.pdf")
    assert_identical(oracle_forms, read_text(text, "seed.pdf.txt"))


@pytest.fixture(scope="module")
def generated_back(generated_pdfs, tmp_path_factory) -> tuple[list[SelfEvaluation], list[int]]:
    """The generated forms through PDF → pdftotext → text importer (one pdftotext call per
    PDF); also each form's page count."""
    folder = tmp_path_factory.mktemp("generated")
    text = "".join(
        pdf_to_text(pdf, folder / f"g{i}.pdf") for i, (pdf, _) in enumerate(generated_pdfs)
    )
    pages = [n for _, counts in generated_pdfs for n in counts]
    return read_text(text, "generated.pdf.txt"), pages


def test_generated_forms_through_pdf_text(
    generated_forms: list[SelfEvaluation], generated_back
) -> None:
    """All ≥ 200 generated forms: multi-page forms and 偏差原因 texts included."""
    got, pages = generated_back
    assert len(got) == len(generated_forms) >= 200
    assert sum(1 for n in pages if n > 1) >= 20
    assert sum(1 for f in generated_forms if any(r.deviation for r in f.indicators)) >= 20
    assert_identical(generated_forms, got)
