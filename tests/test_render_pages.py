"""Page numbers of the PDF: each form's own "第 i 页 共 n 页" and, in a PDF of several forms,
every page's number in the whole batch ("j / T", bottom right) for collating a printed stack.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from jixiao.ingest import read_text
from jixiao.ingest import vocabulary as V
from jixiao.ingest.pdf import read_pdf
from jixiao.model import SelfEvaluation
from jixiao.render.pdf import layout, render_pdf

from .forms import assert_identical

MM = 72 / 25.4  # PDF points per millimetre

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)


def long_form(form: SelfEvaluation, times: int) -> SelfEvaluation:
    longer = form.model_copy(deep=True)
    longer.indicators = longer.indicators * times
    return longer


@pytest.fixture(scope="module")
def batch(oracle_forms: list[SelfEvaluation]) -> list[SelfEvaluation]:
    """Four forms on 1 + 3 + 1 + 2 = 7 pages."""
    return [
        oracle_forms[0],
        long_form(oracle_forms[6], 3),
        oracle_forms[1],
        long_form(oracle_forms[6], 2),
    ]


@pytest.fixture(scope="module")
def batch_pdf(batch: list[SelfEvaluation]) -> bytes:
    return render_pdf(batch)


def raw_pages(pdf: bytes, path: Path) -> list[list[str]]:
    """The non-blank lines of each page, as ``pdftotext -raw`` gives them."""
    path.write_bytes(pdf)
    run = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True)
    pages = run.stdout.decode("utf-8").split("\f")
    assert pages[-1].strip() == ""  # pdftotext ends every page, the last too, with \f
    return [[line for line in page.splitlines() if line.strip()] for page in pages[:-1]]


def test_every_batch_page_shows_form_page_and_batch_page(batch_pdf: bytes, tmp_path) -> None:
    pages = raw_pages(batch_pdf, tmp_path / "batch.pdf")
    footers = [page[-2:] for page in pages]
    assert footers == [
        ["1 / 7", "第 1 页 共 1 页"],
        ["2 / 7", "第 1 页 共 3 页"],
        ["3 / 7", "第 2 页 共 3 页"],
        ["4 / 7", "第 3 页 共 3 页"],
        ["5 / 7", "第 1 页 共 1 页"],
        ["6 / 7", "第 1 页 共 2 页"],
        ["7 / 7", "第 2 页 共 2 页"],
    ]
    # The form's last rows stay just above the numbers.
    assert pages[0][-3] == "评分等级 优"
    assert pages[6][-3].startswith("评分等级")


def test_batch_number_is_bottom_right_above_the_form_page_number(batch_pdf: bytes) -> None:
    form_pages = ["1 / 1", "1 / 3", "2 / 3", "3 / 3", "1 / 1", "1 / 2", "2 / 2"]
    with pdfplumber.open(io.BytesIO(batch_pdf)) as pdf:
        assert len(pdf.pages) == 7
        for number, (page, form_page) in enumerate(zip(pdf.pages, form_pages, strict=True), 1):
            margin = [w for w in page.extract_words() if w["top"] > page.height - 16 * MM]
            mark = [w for w in margin if w["x0"] > page.width * 0.75]
            footer = [w for w in margin if page.width * 0.3 < w["x0"] < page.width * 0.7]
            assert " ".join(w["text"] for w in mark) == f"{number} / 7"
            i, n = form_page.split(" / ")
            assert " ".join(w["text"] for w in footer) == f"第 {i} 页 共 {n} 页"
            # A line of its own, above the form's page number (both importers rely on it).
            assert max(w["bottom"] for w in mark) < min(w["top"] for w in footer)


def test_single_form_pdf_has_no_batch_number(oracle_forms: list[SelfEvaluation], tmp_path) -> None:
    form = long_form(oracle_forms[6], 3)
    pdf = render_pdf([form])
    pages = raw_pages(pdf, tmp_path / "single.pdf")
    assert [page[-1] for page in pages] == ["第 1 页 共 3 页", "第 2 页 共 3 页", "第 3 页 共 3 页"]
    assert not any("/ 3" in line for page in pages for line in page)
    # Exactly the PDF of the form's own document, as before batch numbers existed.
    assert pdf == bytes(layout(form).write_pdf())


def test_batch_reads_back_identical_through_text_and_cells(
    batch: list[SelfEvaluation], batch_pdf: bytes, tmp_path
) -> None:
    path = tmp_path / "batch.pdf"
    path.write_bytes(batch_pdf)
    run = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True)
    assert_identical(batch, read_text(run.stdout.decode("utf-8"), "batch.pdf.txt"))
    cells = read_pdf(batch_pdf, "batch.pdf")
    assert_identical(batch, cells)  # no page number left over in ``unmapped``
    assert [f.source.page for f in cells if f.source] == [1, 2, 5, 6]


def test_page_chrome_takes_a_batch_number_only_before_a_page_number() -> None:
    text = "评分等级 优\n57 / 230\n第 1 页 共 2 页\n\f一级\n3 / 4\n乙\r\n12/30\r\n第2页共3页\r\n"
    assert V.PAGE_NUMBER_LINE.sub("#", text) == (
        "评分等级 优\n#\n#\n\f一级\n3 / 4\n乙\r\n#\r\n#\r\n"
    )
    # Line numbers stay those of the text: each chrome line is replaced on its own.
    assert V.PAGE_NUMBER_LINE.sub(V.PAGE_END, text).count("\n") == text.count("\n")
