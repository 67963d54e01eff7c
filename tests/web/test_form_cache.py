"""The form page's official layout and scorecard are kept per process by what they are made
of (web/form_cache.py): a repeated page is drawn from what was kept, identical to drawing it
anew, and a save, a layout chosen in the editor, a re-audit or another forced policy shows at
once; a review action changes the page around the kept layout."""

from __future__ import annotations

import html
import re

import pytest

from jixiao.policy import load_policy
from jixiao.web import core, form_cache, records
from jixiao.web.models import EvaluationForm, Status

from .conftest import login
from .layout_forms import edit_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    form_cache.ASSESSMENTS.clear()
    form_cache.OFFICIAL.clear()


def official_part(page: str) -> str:
    """The official layout as the form page shows it (its frame's document)."""
    found = re.search(r'<iframe title="自评表（官方格式）"[^>]* srcdoc="([^"]*)"', page)
    assert found, page[:3000]
    return html.unescape(found.group(1))


def drawn_anew(pk: int) -> str:
    """The official layout with notes, computed without the cache."""
    obj = EvaluationForm.objects.select_related("body").get(pk=pk)
    form = obj.form
    a = core.stored_assessment(form, obj.findings, obj.inflation_value)
    return core.official_html(form, a, notes=True)


def detail(client, pk: int) -> str:
    r = client.get(f"/forms/{pk}/")
    assert r.status_code == 200
    return r.content.decode()


def test_a_repeated_form_page_is_drawn_from_what_was_kept(seed, users):
    c = login(users["filler"])
    first = detail(c, seed[0].pk)
    assert (form_cache.OFFICIAL.hits, form_cache.OFFICIAL.misses) == (0, 1)
    second = detail(c, seed[0].pk)
    assert (form_cache.OFFICIAL.hits, form_cache.OFFICIAL.misses) == (1, 1)
    assert form_cache.ASSESSMENTS.hits == 1
    assert official_part(first) == official_part(second)
    anew = drawn_anew(seed[0].pk)
    assert official_part(second) == anew  # the same layout as drawn without the cache
    detail(c, seed[1].pk)  # another form: its own
    assert form_cache.OFFICIAL.misses == 2
    plain = c.get(f"/forms/{seed[0].pk}/?view=plain").content.decode()
    assert official_part(plain) != anew  # without the notes: a layout of its own
    assert form_cache.OFFICIAL.misses == 3


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
    assert form_cache.OFFICIAL.misses == 3 and form_cache.OFFICIAL.hits == 0
