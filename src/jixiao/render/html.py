"""HTML export of the 财政项目支出绩效自评表 (the same document the PDF is printed from)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib.resources import files

from jinja2 import PackageLoader, StrictUndefined, Template

from jixiao.model import SelfEvaluation
from jixiao.render.compiled import Environment
from jixiao.render.layout import page_columns
from jixiao.render.review import Review
from jixiao.render.view import form_view, header_lines, show_value


@cache
def environment() -> Environment:
    """The Jinja2 environment; autoescaping is always on (form text is data). Its templates
    write each value in one call and give out the text between two tags joined
    (render/compiled.py)."""
    return Environment(
        loader=PackageLoader("jixiao.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )


@cache
def stylesheet(name: str = "form.css") -> str:
    """A stylesheet shipped with the templates."""
    return files("jixiao.render").joinpath("templates", name).read_text(encoding="utf-8")


def template(name: str) -> Template:
    return environment().get_template(name)


def document_title(forms: Sequence[SelfEvaluation]) -> str:
    if len(forms) == 1:
        return f"{forms[0].title}：{forms[0].label}"
    return f"财政项目支出绩效自评表（{len(forms)} 张）"


def render_html(
    forms: Sequence[SelfEvaluation], reviews: Sequence[Review | None] | None = None
) -> str:
    """One HTML document with every form, each starting on a new page when printed.

    ``reviews`` (one per form, or None) switches on the reviewer annotations; without
    it the document shows only what the forms declare.
    """
    if reviews is None:
        reviews = [None] * len(forms)
    if len(reviews) != len(forms):
        raise ValueError("reviews must match forms one to one")
    return template("form.html.j2").render(
        views=[form_view(f) for f in forms],
        reviews=list(reviews),
        css=stylesheet(),
        document_title=document_title(forms),
        header_lines=header_lines,
        show_value=show_value,
        page_columns=page_columns,
    )
