"""PDF of the 财政项目支出绩效自评表: the HTML document printed by WeasyPrint on A4.

Each form is laid out as its own document (its pages numbered "第 i 页 共 n 页") and
the pages of a batch are joined into one PDF. Fonts are Debian's Noto CJK
(``fonts-noto-cjk``); with ``libharfbuzz-subset0`` WeasyPrint subsets them quickly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

from weasyprint import HTML, Document
from weasyprint.text.fonts import FontConfiguration

from jixiao.model import SelfEvaluation
from jixiao.render.html import render_html
from jixiao.render.review import Review

Progress = Callable[[SelfEvaluation], None]


@cache
def font_configuration() -> FontConfiguration:
    """One font configuration per process (fontconfig lookups are cached inside)."""
    return FontConfiguration()


def layout(form: SelfEvaluation, review: Review | None = None) -> Document:
    """One form laid out on A4 pages."""
    html = render_html([form], [review])
    return HTML(string=html).render(font_config=font_configuration())


def render_pdf(
    forms: Sequence[SelfEvaluation],
    reviews: Sequence[Review | None] | None = None,
    progress: Progress | None = None,
) -> bytes:
    """All forms in one A4 PDF, each starting on a new page; ``progress`` after each form."""
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
    return bytes(documents[0].copy(pages).write_pdf())
