"""PDF of the 财政项目支出绩效自评表: the HTML document printed by WeasyPrint on A4.

Each form is laid out as its own document (its pages numbered "第 i 页 共 n 页") and
the pages of a batch are joined into one PDF. A batch of more than one form also
numbers every page in the whole batch, "57 / 230" at the bottom right, so that a
printed stack can be collated: once every form is laid out, one document of as many
empty pages of the named page ``batch`` (``form.css``) is laid out, a cheap second pass
where WeasyPrint's own ``counter(page)`` and ``counter(pages)`` give the numbers, and
the box of each of its pages is moved onto the batch page of the same number. Fonts
are Debian's Noto CJK (``fonts-noto-cjk``); with ``libharfbuzz-subset0`` WeasyPrint
subsets them quickly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

from weasyprint import HTML, Document, Page
from weasyprint.formatting_structure.boxes import MarginBox
from weasyprint.text.fonts import FontConfiguration

from jixiao.model import SelfEvaluation
from jixiao.render.html import render_html, stylesheet
from jixiao.render.review import Review

Progress = Callable[[SelfEvaluation], None]

# The margin box of the named page ``batch`` in form.css that shows the batch number.
BATCH_NUMBER_BOX = "@bottom-right"


@cache
def font_configuration() -> FontConfiguration:
    """One font configuration per process (fontconfig lookups are cached inside)."""
    return FontConfiguration()


def layout(form: SelfEvaluation, review: Review | None = None) -> Document:
    """One form laid out on A4 pages."""
    html = render_html([form], [review])
    return HTML(string=html).render(font_config=font_configuration())


def batch_numbers(
    count: int, first: int = 1, total: int | None = None, wide: Sequence[bool] = ()
) -> Document:
    """``count`` A4 pages, each with only its number in the batch, "j / total", for
    j = first … first + count - 1 (by default the pages are the whole batch); the i-th
    landscape where ``wide[i]`` (a form printed landscape), so that its number sits in the
    same corner of the page it is moved onto."""
    total = count if total is None else total
    html = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<style>{stylesheet()}</style></head><body>"
        + "".join(
            f'<div class="batch-page{" wide" if i < len(wide) and wide[i] else ""}">'
            f"{j} / {total}</div>"
            for i, j in enumerate(range(first, first + count))
        )
        + "</body></html>"
    )
    return HTML(string=html).render(font_config=font_configuration())


def number_batch_pages(pages: Sequence[Page], first: int = 1, total: int | None = None) -> Document:
    """Give every page its number in the batch (``pages`` are changed in place): the
    pages are the batch's pages ``first`` … on, of ``total`` (by default all of them).

    The number's margin box is put before the page's own margin boxes: drawn first, it
    comes out of ``pdftotext -raw`` as a line just before "第 i 页 共 n 页", which is where
    the text importer's page chrome pattern expects it. Returns the numbers' document,
    to be kept until the PDF is written.
    """
    wide = [page.width > page.height for page in pages]
    numbers = batch_numbers(len(pages), first, total, wide)
    if len(numbers.pages) != len(pages):
        raise RuntimeError(f"batch numbering laid out {len(numbers.pages)} of {len(pages)} pages")
    for page, numbered in zip(pages, numbers.pages, strict=True):
        boxes = [
            box
            for box in numbered._page_box.children
            if isinstance(box, MarginBox) and box.at_keyword == BATCH_NUMBER_BOX
        ]
        if len(boxes) != 1:
            raise RuntimeError(f"batch page without its {BATCH_NUMBER_BOX} box")
        children = list(page._page_box.children)
        first_margin = next(
            (i for i, box in enumerate(children) if isinstance(box, MarginBox)), len(children)
        )
        page._page_box.children = [*children[:first_margin], *boxes, *children[first_margin:]]
    return numbers


def render_pdf(
    forms: Sequence[SelfEvaluation],
    reviews: Sequence[Review | None] | None = None,
    progress: Progress | None = None,
) -> bytes:
    """All forms in one A4 PDF, each starting on a new page; ``progress`` after each form.

    With more than one form every page also carries its number in the whole PDF.
    """
    if not forms:
        raise ValueError("no forms to render")
    if reviews is None:
        reviews = [None] * len(forms)
    documents = []
    for form, review in zip(forms, reviews, strict=True):
        documents.append(layout(form, review))
        if progress is not None:
            progress(form)
    pages = [page for document in documents for page in document.pages]
    if len(documents) > 1:
        documents.append(number_batch_pages(pages))  # kept alive until written
    return bytes(documents[0].copy(pages).write_pdf())
