"""The batch PDF laid out on several processes is the one-process PDF: the same pages, the
same text, the same page numbers ("j / T" and "第 i 页 共 n 页")."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from jixiao.model import SelfEvaluation
from jixiao.render import parallel
from jixiao.render.pdf import render_pdf
from jixiao.render.review import Review

from .test_render_pages import long_form, raw_pages


def page_texts(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() for page in doc.pages]


@pytest.fixture(scope="module")
def batch(oracle_forms: list[SelfEvaluation]) -> list[SelfEvaluation]:
    """Six forms on 1 + 3 + 1 + 2 + 1 + 1 = 9 pages, so that slices differ in pages."""
    return [
        oracle_forms[0],
        long_form(oracle_forms[6], 3),
        oracle_forms[1],
        long_form(oracle_forms[6], 2),
        oracle_forms[2],
        oracle_forms[3],
    ]


def test_three_processes_make_the_one_process_pdf(batch, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(parallel, "MIN_FORMS_PER_PROCESS", 1)
    seen: list[str] = []
    pdf = parallel.render_pdf_parallel(
        batch, progress=lambda f: seen.append(f.project), processes=3
    )
    one = render_pdf(batch)
    assert page_texts(pdf) == page_texts(one)
    assert sorted(seen) == sorted(f.project for f in batch)  # each form told once
    footers = [page[-2:] for page in raw_pages(pdf, tmp_path / "parallel.pdf")]
    assert footers == [
        ["1 / 9", "第 1 页 共 1 页"],
        ["2 / 9", "第 1 页 共 3 页"],
        ["3 / 9", "第 2 页 共 3 页"],
        ["4 / 9", "第 3 页 共 3 页"],
        ["5 / 9", "第 1 页 共 1 页"],
        ["6 / 9", "第 1 页 共 2 页"],
        ["7 / 9", "第 2 页 共 2 页"],
        ["8 / 9", "第 1 页 共 1 页"],
        ["9 / 9", "第 1 页 共 1 页"],
    ]


def test_a_small_batch_stays_in_this_process(oracle_forms, monkeypatch) -> None:
    def no_processes(*args, **kwargs):
        raise AssertionError("no process should start")

    monkeypatch.setattr(parallel.multiprocessing, "get_context", no_processes)
    forms = oracle_forms[:3]  # fewer than MIN_FORMS_PER_PROCESS per process
    assert page_texts(parallel.render_pdf_parallel(forms, processes=2)) == page_texts(
        render_pdf(forms)
    )


def test_a_failing_process_fails_the_whole_render(oracle_forms, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "MIN_FORMS_PER_PROCESS", 1)
    forms = oracle_forms[:4]
    broken: list[Review | None] = [None, None, "not a review", None]  # type: ignore[list-item]
    with pytest.raises(parallel.RenderFailed, match="渲染第 3–4 张表时出错"):
        parallel.render_pdf_parallel(forms, broken, processes=2)


def test_slices_cover_the_batch_in_order() -> None:
    assert parallel.slices(10, 3) == [range(0, 4), range(4, 7), range(7, 10)]
    assert [len(s) for s in parallel.slices(1000, 2)] == [500, 500]
