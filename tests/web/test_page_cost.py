"""What the most used pages cost in SQL queries, the header's counts read in one query, and
the Jinja2 layer (web/jinja.py, web/header.py, templatetags/jinja_tags.py) giving what the
Django templates gave."""

from __future__ import annotations

import re
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import jinja2
import pytest
from django.db import connection
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import get_script_prefix, reverse, set_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from jixiao.web import access, jinja
from jixiao.web.header import header
from jixiao.web.jinja import id_url, local_date, output, plain
from jixiao.web.models import Organisation, Status
from jixiao.web.notifications.models import Notification
from jixiao.web.recheck.inbox import open_tasks
from jixiao.web.templatetags.plan_tags import waiting_plans
from jixiao.web.templatetags.unit_options import DEPTH, unit_options

from .conftest import login

# session, user (with profile and unit), the page's own queries, the header's one query
PAGES = [
    # years (filter + default), count, forms, units, header (the years' sizes that choose
    # how the page is found, views.year_sizes, are read at most once a minute: the warm-up)
    ("finance", "/forms/", 7),
    # form, which of 佐证材料 / 复核 tasks / 批注 it has (none here: not read), events (the
    # steps among them), district, header
    ("finance", "/forms/{pk}/", 7),
    # form (with its 主管部门), which of 批注 / 佐证材料 it has (none: not read), return, the
    # approved 申报表's targets, header
    ("filler", "/forms/{pk}/edit/", 7),
]


@pytest.mark.parametrize(("who", "url", "queries"), PAGES)
def test_the_most_used_pages_cost_few_queries(users, seed, who, url, queries) -> None:
    c = login(users[who])
    url = url.format(pk=seed[0].pk)
    assert c.get(url).status_code == 200  # warm: the first request may read more
    with CaptureQueriesContext(connection) as captured:
        assert c.get(url).status_code == 200
    assert len(captured.captured_queries) == queries, [q["sql"] for q in captured]


def test_the_header_counts_are_those_of_the_inbox_the_tasks_and_the_notifications(
    users, seed
) -> None:
    Notification.objects.create(recipient=users["filler"], text="甲")
    Notification.objects.create(recipient=users["filler"], text="乙", read=True)
    request = RequestFactory().get("/")
    for name, user in users.items():
        request = RequestFactory().get("/")
        request.user = user
        with CaptureQueriesContext(connection) as captured:
            h = header(request)
            assert header(request) is h  # once a request
        assert len(captured.captured_queries) == 1, name
        waiting = (
            access.inbox(user).count() + waiting_plans(user).count() + open_tasks(user).count()
        )
        unread = Notification.objects.filter(recipient=user, read=False).count()
        assert (h.waiting, h.unread, h.can_create) == (waiting, unread, access.can_create(user))
        assert h.profile == access.profile_of(user)
    assert header(request).profile is not None
    filler = RequestFactory().get("/")
    filler.user = users["filler"]
    assert header(filler).waiting == len(seed)  # the nine drafts
    assert header(filler).unread == 1


def test_a_django_page_is_laid_out_once_in_the_jinja2_layout(users, seed) -> None:
    page = login(users["filler"]).get("/forms/inbox/").content.decode()  # a Django template
    assert page.count("<!DOCTYPE html>") == 1 and page.count('<header class="top">') == 1
    assert "<title>待办 · jixiao 绩效</title>" in page
    assert f'<span class="badge" id="inbox-count">{len(seed)}</span>' in page
    assert page.index('<header class="top">') < page.index("<h1>待办</h1>") < page.index("</main>")


def test_a_page_masks_its_csrf_token_once(users, seed) -> None:
    page = login(users["finance"]).get(f"/forms/{seed[0].pk}/").content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', page)
    assert len(tokens) >= 2 and header_token
    assert set(tokens) == {header_token.group(1)}


def test_the_jinja2_helpers_give_what_the_django_templates_gave(seed) -> None:
    assert id_url("form-detail", seed[0].pk) == reverse("form-detail", args=[seed[0].pk])
    assert id_url("form-edit", 7) == reverse("form-edit", args=[7])
    at = datetime(2025, 12, 31, 17, 5, 9, tzinfo=UTC)  # 2026-01-01 01:05 in Shanghai
    django = engines["django"].from_string('{{ at|date:"Y-m-d H:i:s" }}').render({"at": at})
    assert local_date(at, "Y-m-d H:i:s") == django == "2026-01-01 01:05:09"
    assert local_date(None, "Y-m-d") == ""
    # the formats written directly (jinja._QUICK_FORMATS) give Django's text, aware or naive
    django_date = engines["django"].from_string("{{ at|date:f }}")
    times = [at, datetime(2024, 2, 29, 0, 0, 0), datetime(1, 1, 1, 9, 8, 7, tzinfo=UTC)]
    times += [datetime(2026, 6, 1, 23, 59, 59, 999999, tzinfo=UTC), datetime(999, 3, 4, 5, 6, 7)]
    for when in times:
        for fmt in ("Y-m-d H:i:s", "Y-m-d H:i", "Y-m-d", "Y年n月j日"):
            assert local_date(when, fmt) == django_date.render({"at": when, "f": fmt}), (when, fmt)
    assert local_date(date(2024, 1, 2), "Y-m-d") == "2024-01-02"
    assert plain(Decimal("1E+2")) == "100" and plain(Decimal("85.25")) == "85.25"
    assert plain(None) is None
    jinja = engines["jinja2"].from_string("{{ a }}|{{ b|default_if_none('-') }}|{{ c }}")
    assert jinja.render({"a": Decimal("1E+2"), "b": None, "c": "<b>"}) == "100|-|&lt;b&gt;"


def test_a_dicts_keys_are_read_without_a_failed_attribute_lookup(users, seed) -> None:
    """``x.name`` on a plain dict reads its key at once (jinja.Environment.getattr), with
    what Jinja2's own lookup gives: the key's value, a dict method, or undefined."""
    template = engines["jinja2"].from_string(
        "{{ d.name }}|{{ d.missing }}|{{ d.items()|list|length }}|{{ o.name }}|{{ o.gone }}"
    )

    class Mapping(dict):  # not a plain dict: Jinja2's lookup as before
        pass

    values = {"d": {"name": "<项目>", "items": "shadowed"}, "o": Mapping(name="子类")}
    assert template.render(values) == "&lt;项目&gt;||2|子类|"

    raised: list[str] = []  # AttributeErrors raised inside Jinja2's lookups

    def trace(frame, event, arg):  # type: ignore[no-untyped-def]
        if event == "exception" and frame.f_code.co_name == "getattr":
            raised.append(arg[0].__name__)
        return trace

    client = login(users["filler"])
    client.get(f"/forms/{seed[0].pk}/edit/")  # warm: templates compiled
    sys.settrace(trace)
    try:
        page = client.get(f"/forms/{seed[0].pk}/edit/")
    finally:
        sys.settrace(None)
    assert page.status_code == 200 and 'name="goals.achieved"' in page.content.decode()
    assert raised.count("AttributeError") == 0


_TEMPLATE = (
    "{{ v }}|{% if v is defined %}{{ v }}{% endif %}|{% macro m(x) %}[{{ x }}]{% endmacro %}"
    "{{ m(v) }}|{% set s %}<{{ v }}>{% endset %}{{ s }}|{% autoescape false %}{{ v }}"
    "{% endautoescape %}|{% filter upper %}{{ v }}{% endfilter %}|{{ v ~ v }}"
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.integers(),
        st.decimals(),
        st.booleans(),
        st.none(),
        st.floats(),
        st.text().map(Markup),
        st.text().map(mark_safe),
        st.sampled_from([*Status, gettext_lazy("草稿"), date(2024, 1, 2), [1, "<"], {"a": "&"}]),
    )
)
def test_a_value_is_written_as_jinja2_writes_it(value) -> None:
    """A value in a template is written by one call (jinja.output, the code that
    render/compiled.py compiles) as Jinja2's own code writes it (``finalize``, then
    ``escape``), in every place a template writes one: at the top, in a macro, a ``set``
    block, an ``autoescape false`` block, a filter block, a joined text."""
    ours = engines["jinja2"].env
    stock = jinja2.Environment(autoescape=True, finalize=plain)
    assert ours.from_string(_TEMPLATE).render(v=value) == stock.from_string(_TEMPLATE).render(
        v=value
    )
    assert output(value) == str(escape(plain(value)))


def test_a_value_is_written_in_one_call(users, seed) -> None:
    """The templates' code writes a value by ``environment.output`` alone, not by Jinja2's
    ``escape(environment.finalize(…))`` (two calls and a Markup object a value), except
    where escaping is off, and gives out the pieces between two tags joined; an edit page
    calls MarkupSafe's ``escape`` only for the few values that are neither texts, numbers
    nor Markup."""
    code = engines["jinja2"].env.compile(_TEMPLATE, raw=True)
    assert code.count("environment.output(") == 8
    assert "escape(" not in code and code.count("environment.finalize(") == 1  # autoescape off
    # a run of text and values between two tags is given out joined, in one yield
    stock = jinja2.Environment(autoescape=True, finalize=plain).compile(_TEMPLATE, raw=True)
    assert (code.count("yield "), stock.count("yield ")) == (10, 14)
    assert code.count("yield concat((") == 4

    calls: list[str] = []

    def trace(frame, event, arg):  # type: ignore[no-untyped-def]
        if event == "call" and frame.f_code is escape.__code__:
            calls.append(frame.f_code.co_name)

    client = login(users["filler"])
    client.get(f"/forms/{seed[0].pk}/edit/")  # warm: templates compiled
    sys.setprofile(trace)
    try:
        page = client.get(f"/forms/{seed[0].pk}/edit/")
    finally:
        sys.setprofile(None)
    assert page.status_code == 200 and 'name="goals.achieved"' in page.content.decode()
    assert len(calls) < 50, len(calls)


def _options_as_before(rows, chosen) -> str:  # type: ignore[no-untyped-def]
    """The unit filter's options as unit_options wrote them before they were kept."""
    top = min((DEPTH.get(kind, 0) for _, kind, _ in rows), default=0)
    return "".join(
        f'<option value="{pk}"{" selected" if str(pk) == str(chosen or "") else ""}>'
        f"{chr(0x3000) * (DEPTH.get(kind, 0) - top)}{escape(name)}</option>"
        for pk, kind, name in rows
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 10**6), st.sampled_from(["finance", "department", "unit"]), st.text()
        ),
        max_size=8,
    ),
    st.one_of(st.none(), st.integers(0, 10**6).map(str), st.text(max_size=3)),
)
def test_the_unit_options_are_written_as_before(rows, chosen) -> None:
    assert unit_options(rows, chosen) == _options_as_before(rows, chosen)
    assert unit_options(list(rows), chosen) == _options_as_before(rows, chosen)  # kept


def test_the_unit_filter_shows_a_unit_renamed_or_added_at_once(users, tree, seed) -> None:
    """The unit filter's options are kept under the units read for the request, so the next
    list page shows a change of the tree at once, and each user's own units."""
    finance = login(users["finance"])
    dept = login(users["dept"])

    def options(client) -> str:  # type: ignore[no-untyped-def]
        page = client.get("/forms/").content.decode()
        return re.search(r'<select name="unit".*?</select>', page, re.S).group(0)

    assert tree.school.name in options(finance) and tree.school.name not in options(dept)
    Organisation.objects.filter(pk=tree.school.pk).update(name="改名后的<实验小学>")
    assert "改名后的&lt;实验小学&gt;" in options(finance)
    assert "改名后的" not in options(dept)
    Organisation.objects.create(name="新设单位", kind="unit", parent=tree.jiangqiao)
    assert "新设单位" in options(finance) and "新设单位" in options(dept)
    shown = options(finance)
    page = finance.get(f"/forms/?unit={tree.shequ.pk}").content.decode()
    assert f'<option value="{tree.shequ.pk}" selected>' in page
    assert f'<option value="{tree.shequ.pk}" selected>' not in shown


def test_a_page_reads_the_script_prefix_once(users, seed, monkeypatch) -> None:
    """The paths a page builds (url, id_url: the header's links, a list's rows) take the
    script prefix the page read once (Template.render), and it is the request's own."""
    reads: list[str] = []

    def counted() -> str:
        reads.append(get_script_prefix())
        return reads[-1]

    monkeypatch.setattr(jinja, "get_script_prefix", counted)
    c = login(users["finance"])
    for prefix in ("", "/jixiao"):
        reads.clear()
        set_script_prefix(f"{prefix}/")  # as the WSGI handler sets it (the test client does not)
        try:
            page = c.get("/forms/").content.decode()
        finally:
            set_script_prefix("/")
        rows = re.findall(r'<td><a href="([^"]+)">', page)
        assert len(rows) == len(seed) and all(r.startswith(f"{prefix}/forms/") for r in rows)
        assert f'<a href="{prefix}/forms/inbox/">待办' in page
        assert reads == [f"{prefix}/"]


def test_a_form_pages_links_with_an_id_and_a_text_are_resolved_once(
    users, seed, monkeypatch
) -> None:
    """The form page's ``form-export`` / ``form-review`` links (an id and a text) are cut
    around the id once per name and text (jinja._around_id): another form's page resolves
    none of them again, and each is what ``reverse`` gives, under a script prefix too."""
    resolved: list[tuple[str, tuple[object, ...]]] = []

    def counted(name: str, args: list[object] | None = None) -> str:
        resolved.append((name, tuple(args or ())))
        return reverse(name, args=args)

    monkeypatch.setattr(jinja, "reverse", counted)
    jinja._around_id.cache_clear()
    c = login(users["finance"])
    for prefix in ("", "/jixiao"):
        set_script_prefix(f"{prefix}/")
        try:
            first = c.get(f"/forms/{seed[0].pk}/").content.decode()
            resolved.clear()
            page = c.get(f"/forms/{seed[1].pk}/").content.decode()
            links = {
                reverse(name, args=[seed[1].pk, text])
                for name, texts in (
                    ("form-export", ("pdf", "xlsx", "docx", "html", "json")),
                    ("form-review", ("report", "reviewer")),
                )
                for text in texts
            }
        finally:
            set_script_prefix("/")
        assert f'href="{prefix}/forms/{seed[0].pk}/export/pdf/"' in first
        assert all(link.startswith(f"{prefix}/forms/") for link in links)
        assert all(f'href="{link}"' in page for link in links), links
        assert not [r for r in resolved if r[0] in ("form-export", "form-review")], resolved
    # a text that needs quoting, as reverse quotes it
    context = SimpleNamespace(parent={jinja.SCRIPT_PREFIX: "/"})
    assert jinja.url(context, "form-export", [7, "a b?"]) == reverse(
        "form-export", args=[7, "a b?"]
    )
