"""The form page's parts (official layout with notes, panel of computed results) are kept with
the form when it is stored and per process, by what they are made of (web/form_cache.py): a
page is drawn from what was kept, identical to drawing it anew, the first view of a stored
form reads them instead of drawing them, and a save, a layout chosen in the editor, a
re-audit, another forced policy or another version of the code shows at once; a review
action changes the page around the kept parts."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.core.management import call_command

from jixiao.policy import load_policy
from jixiao.web import core, form_cache, records
from jixiao.web.models import EvaluationForm, FormView, Status
from jixiao.web.panel import panel_html

from .conftest import login
from .layout_forms import edit_post

pytestmark = pytest.mark.django_db


def forget() -> None:
    """As a server process that has not drawn or read any form page yet."""
    for kept in (form_cache.ASSESSMENTS, form_cache.PLAIN, form_cache.PAGES):
        kept.clear()


@pytest.fixture(autouse=True)
def empty_cache():
    forget()


def official_part(page: str) -> str:
    """The official layout as the form page shows it (its frame's document)."""
    found = re.search(r'<iframe title="自评表（官方格式）"[^>]* srcdoc="([^"]*)"', page)
    assert found, page[:3000]
    return html.unescape(found.group(1))


def panel_part(page: str) -> str:
    found = re.search(r"<aside>(.*?)</aside>", page, re.S)
    assert found, page[:3000]
    return found.group(1)


def drawn_anew(pk: int) -> str:
    """The official layout with notes, computed without anything kept."""
    obj = EvaluationForm.objects.select_related("body").get(pk=pk)
    form = obj.form
    a = core.stored_assessment(form, obj.findings, obj.inflation_value)
    return core.official_html(form, a, notes=True)


def panel_anew(pk: int) -> str:
    obj = EvaluationForm.objects.select_related("body").get(pk=pk)
    form = obj.form
    return str(panel_html(form, core.stored_assessment(form, obj.findings, obj.inflation_value)))


def detail(client, pk: int) -> str:
    r = client.get(f"/forms/{pk}/")
    assert r.status_code == 200
    return r.content.decode()


def no_drawing(monkeypatch) -> None:
    def refused(*args, **kwargs):
        raise AssertionError("drawn, not read")

    monkeypatch.setattr(form_cache, "draw", refused)


def test_a_stored_forms_first_view_reads_the_parts_kept_with_it(seed, users, monkeypatch):
    obj = seed[0]
    kept = FormView.objects.get(pk=obj.pk)
    stored = EvaluationForm.objects.select_related("body").get(pk=obj.pk)
    assert bytes(kept.key) == form_cache.content_key(stored)
    forget()  # another process: nothing drawn or read yet
    no_drawing(monkeypatch)
    c = login(users["filler"])
    first = detail(c, obj.pk)
    assert (form_cache.PAGES.hits, form_cache.PAGES.misses) == (0, 1)
    assert official_part(first) == drawn_anew(obj.pk)  # the same as drawn without anything kept
    assert panel_part(first) == panel_anew(obj.pk)
    second = detail(c, obj.pk)  # kept by the process now: the row is not read again
    assert (form_cache.PAGES.hits, form_cache.PAGES.misses) == (1, 1)
    assert official_part(second) == official_part(first)
    assert panel_part(second) == panel_part(first)
    plain = c.get(f"/forms/{obj.pk}/?view=plain").content.decode()
    assert official_part(plain) != official_part(first)  # without the notes: its own layout
    assert official_part(plain) == core.official_html(obj.form, notes=False)
    assert panel_part(plain) == panel_part(first)


def test_parts_kept_from_something_else_are_drawn_anew(seed, users, monkeypatch):
    """Parts kept under another key (another version of the code, another forced policy) or
    none at all: the page draws its own, the same, and ``jixiao_form_pages`` keeps them."""
    c = login(users["filler"])
    FormView.objects.filter(pk=seed[0].pk).update(key=b"\x00" * 20, panel=b"")
    FormView.objects.filter(pk=seed[1].pk).delete()
    forget()
    for obj in seed[:2]:
        page = detail(c, obj.pk)
        assert official_part(page) == drawn_anew(obj.pk)
        assert panel_part(page) == panel_anew(obj.pk)
    out = io.StringIO()
    call_command("jixiao_form_pages", "--batch-size", "4", stdout=out)
    assert "生成 2 张表的页面" in out.getvalue()
    forget()
    no_drawing(monkeypatch)
    for obj in seed[:2]:
        page = detail(c, obj.pk)
        assert official_part(page) == drawn_anew(obj.pk)
    assert form_cache.draw_missing() == 0  # nothing left to draw
    monkeypatch.setattr(form_cache, "code_digest", lambda: b"another version")
    assert form_cache.content_key(EvaluationForm.objects.get(pk=seed[0].pk)) not in {
        bytes(k) for k in FormView.objects.values_list("key", flat=True)
    }


def test_a_save_shows_at_once(seed, users):
    c = login(users["filler"])
    obj = seed[0]
    page = detail(c, obj.pk)
    data = edit_post(c.get(f"/forms/{obj.pk}/edit/").content.decode())
    data["goals.achieved"] = ["保存之后立即显示的完成情况"]
    assert c.post(f"/forms/{obj.pk}/edit/", data).status_code == 302
    again = detail(c, obj.pk)
    assert "保存之后立即显示的完成情况" not in page
    assert "保存之后立即显示的完成情况" in again
    assert official_part(again) == drawn_anew(obj.pk)


def test_a_save_draws_the_parts_from_the_scorecard_it_computed(seed, users, monkeypatch):
    """A save keeps the parts of what it stores drawn from the form and scorecard it has
    just computed (no second scoring), the same as drawn anew from the stored row: each seed
    form, each saved with one text changed."""
    c = login(users["filler"])
    for n, obj in enumerate(seed):
        data = edit_post(c.get(f"/forms/{obj.pk}/edit/").content.decode())
        data["goals.achieved"] = [f"第{n}次保存的完成情况"]
        with monkeypatch.context() as m:
            m.setattr(core, "audit_scorecard", lambda *a: pytest.fail("scored again"))
            assert c.post(f"/forms/{obj.pk}/edit/", data).status_code == 302
        stored = EvaluationForm.objects.select_related("body").get(pk=obj.pk)
        kept = FormView.objects.get(pk=obj.pk)
        assert bytes(kept.key) == form_cache.content_key(stored)
        anew = form_cache.draw(stored.body.document, stored.body.findings_json, stored.inflation)
        assert form_cache._text(kept.official) == anew.official == drawn_anew(obj.pk)
        assert form_cache._text(kept.panel) == anew.panel == panel_anew(obj.pk)
        assert f"第{n}次保存的完成情况" in anew.official


def test_a_layout_chosen_in_the_editor_shows_at_once(seed, users):
    c = login(users["filler"])
    obj = seed[0]
    before = official_part(detail(c, obj.pk))
    data = edit_post(c.get(f"/forms/{obj.pk}/edit/").content.decode())
    data["layout"] = ["hebei"]  # 河北's layout: its 权重占比 column
    assert c.post(f"/forms/{obj.pk}/edit/", data).status_code == 302
    assert EvaluationForm.objects.get(pk=obj.pk).form.layout == "hebei"
    after = official_part(detail(c, obj.pk))
    assert after.count("权重占比") > before.count("权重占比")
    assert after == drawn_anew(obj.pk)


def test_a_review_action_changes_the_page_around_the_kept_layout(seed, users):
    obj = seed[0]
    c = login(users["filler"])
    before = detail(c, obj.pk)
    assert Status.DRAFT.label in before
    r = c.post(f"/forms/{obj.pk}/transition/", {"action": "submit", "confirm": "1"})
    assert r.status_code == 302
    after = detail(c, obj.pk)
    assert EvaluationForm.objects.get(pk=obj.pk).status == "unit_review"
    assert Status.UNIT_REVIEW.label in after
    assert official_part(after) == official_part(before)  # the document did not change
    assert official_part(after) == drawn_anew(obj.pk)


def test_a_re_audit_or_another_forced_policy_shows_at_once(seed, users, settings):
    c = login(users["filler"])
    obj = EvaluationForm.objects.select_related("organisation", "body").get(pk=seed[0].pk)
    page = detail(c, obj.pk)
    version = obj.version
    # findings stored again under another policy, the document and its version unchanged
    assert records.reaudit(obj, load_policy("central-2021"))
    assert EvaluationForm.objects.get(pk=obj.pk).version == version
    again = detail(c, obj.pk)
    assert official_part(again) != official_part(page)
    assert official_part(again) == drawn_anew(obj.pk)
    settings.JIXIAO_POLICY = "central-2021"
    forced = detail(c, obj.pk)
    assert official_part(forced) == drawn_anew(obj.pk)
