"""Templates compiled by render/compiled.py (one call a value, the pieces between two tags
given out joined) write what Jinja2's own code writes: any value, anywhere in a template,
and the official layout of the oracle's and generated forms, with and without the reviewer's
notes, byte for byte."""

from __future__ import annotations

from datetime import date

import jinja2
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from jixiao.audit import audit_form
from jixiao.render import html
from jixiao.render.compiled import Environment, writer
from jixiao.render.reviewer import review_form

TEMPLATE = (
    "{{ v }}|{% if v is defined %}{{ v }}{% endif %}|{% macro m(x) %}[{{ x }}]{% endmacro %}"
    "{{ m(v) }}|{% set s %}<{{ v }}>{% endset %}{{ s }}|{% autoescape false %}{{ v }}"
    "{% endautoescape %}|{% filter upper %}{{ v }}{% endfilter %}|{{ v ~ v }}"
    "{% for i in [1, 2] %}<{{ i }}:{{ v }}>{% endfor %}"
)

VALUES = st.one_of(
    st.text(),
    st.integers(),
    st.decimals(),
    st.booleans(),
    st.none(),
    st.floats(),
    st.text().map(Markup),
    st.sampled_from([date(2024, 1, 2), [1, "<"], {"a": "&"}, b"<"]),
)


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_a_value_is_written_as_jinja2_writes_it(value) -> None:
    ours = Environment(autoescape=True).from_string(TEMPLATE)
    stock = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    assert ours.render(v=value) == stock.render(v=value)
    assert writer()(value) == str(escape(value))


def test_the_compiled_code_writes_a_value_in_one_call_and_joins_the_pieces() -> None:
    code = Environment(autoescape=True).compile(TEMPLATE, raw=True)
    stock = jinja2.Environment(autoescape=True).compile(TEMPLATE, raw=True)
    assert code.count("environment.output(") == 10 and "escape(" not in code
    assert (code.count("yield "), stock.count("yield ")) == (11, 19)
    # another finalize than the one ``output`` applies: compiled as Jinja2 compiles it
    other = Environment(autoescape=True, finalize=str).compile(TEMPLATE, raw=True)
    assert "environment.output(" not in other and "escape(environment.finalize(" in other


def test_the_official_layout_is_the_one_jinja2_writes(oracle_forms, generated_forms, mof) -> None:
    forms = oracle_forms + generated_forms[:40]
    reviews = [review_form(f, mof, audit_form(f, mof)) for f in forms]
    ours = [html.render_html([f]) for f in forms] + [html.render_html(forms, reviews)]
    assert "environment.output(" in html.environment().compile(
        html.environment().loader.get_source(html.environment(), "form.html.j2")[0], raw=True
    )
    html.environment.cache_clear()
    try:
        html.Environment = jinja2.Environment  # type: ignore[misc]
        stock = [html.render_html([f]) for f in forms] + [html.render_html(forms, reviews)]
    finally:
        html.Environment = Environment  # type: ignore[misc]
        html.environment.cache_clear()
    assert type(html.environment()) is Environment
    assert ours == stock
