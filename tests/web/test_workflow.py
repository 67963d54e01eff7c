"""Workflow 草稿 → 已送审 → 审核通过 | 被退回: who may do what, read-only, history, inbox."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from jixiao.web import workflow
from jixiao.web.models import EvaluationForm, Event
from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def status(obj: EvaluationForm) -> str:
    return EvaluationForm.objects.get(pk=obj.pk).status


def step(user, obj, action, comment=""):
    return login(user).post(f"/forms/{obj.pk}/transition/", {"action": action, "comment": comment})


def test_full_cycle_with_history(seed, users):
    obj = seed[0]
    assert step(users["filler"], obj, "submit").status_code == 302
    assert status(obj) == "submitted"
    # the filler may not approve their own form
    assert step(users["filler"], obj, "approve").status_code == 403
    assert status(obj) == "submitted"
    # returning needs a comment
    step(users["dept"], obj, "return")
    assert status(obj) == "submitted"
    step(users["dept"], obj, "return", "请补充偏差原因")
    assert status(obj) == "returned"
    step(users["filler"], obj, "submit")
    step(users["finance"], obj, "approve")
    assert status(obj) == "approved"
    events = list(Event.objects.filter(form=obj, kind="transition").order_by("at", "id"))
    assert [(e.from_status, e.to_status) for e in events] == [
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "approved"),
    ]
    assert events[1].comment == "请补充偏差原因"
    assert events[1].user == users["dept"]
    page = login(users["filler"]).get(f"/forms/{obj.pk}/").content.decode()
    assert "请补充偏差原因" in page
    assert "已送审 → 被退回" in page


def test_submitted_form_is_read_only_for_its_unit(seed, users):
    obj = seed[0]
    step(users["filler"], obj, "submit")
    for who in ("filler", "unit_reviewer"):
        c = login(users[who])
        assert c.get(f"/forms/{obj.pk}/edit/").status_code == 403
        r = c.post(f"/forms/{obj.pk}/edit/", {"year": "2024", "project": "改名"})
        assert r.status_code == 403
        assert c.post(f"/forms/{obj.pk}/preview/", {"project": "x"}).status_code == 403
    assert EvaluationForm.objects.get(pk=obj.pk).project == obj.project


def test_roles_and_transitions(seed, users):
    obj = seed[0]
    names = {t.name for t in workflow.available(users["filler"], obj)}
    assert names == {"submit"}
    assert workflow.available(users["dept"], obj) == []
    with pytest.raises(PermissionDenied):
        workflow.apply(users["dept"], obj, "submit")
    workflow.apply(users["unit_reviewer"], obj, "submit")
    assert {t.name for t in workflow.available(users["dept"], obj)} == {"approve", "return"}
    assert workflow.available(users["filler"], obj) == []
    with pytest.raises(PermissionDenied):
        workflow.apply(users["unit_reviewer"], obj, "approve")
    with pytest.raises(workflow.WorkflowError):  # already submitted
        workflow.apply(users["admin"], obj, "submit")
    workflow.apply(users["dept"], obj, "approve")
    # only finance or admin may reopen an approved form, with a reason
    with pytest.raises(PermissionDenied):
        workflow.apply(users["dept"], obj, "reopen", "x")
    with pytest.raises(workflow.WorkflowError):
        workflow.apply(users["finance"], obj, "reopen", "  ")
    workflow.apply(users["finance"], obj, "reopen", "数据有误")
    assert status(obj) == "returned"


def test_inbox_shows_what_waits_for_me(seed, users):
    step(users["filler"], seed[0], "submit")
    step(users["filler"], seed[1], "submit")
    step(users["dept"], seed[1], "return", "重填")
    dept = login(users["dept"]).get("/forms/inbox/")
    assert {f.pk for f in dept.context["page"].object_list} == {seed[0].pk}
    filler = login(users["filler"]).get("/forms/inbox/")
    assert {f.pk for f in filler.context["page"].object_list} == {seed[1].pk}
    unit = login(users["unit_reviewer"]).get("/forms/inbox/")
    assert seed[0].pk not in {f.pk for f in unit.context["page"].object_list}
    assert len(unit.context["page"].object_list) == len(seed) - 1
    assert login(users["edu"]).get("/forms/inbox/").context["page"].paginator.count == 0


def test_comments_without_a_transition(seed, users):
    obj = seed[0]
    r = login(users["dept"]).post(
        f"/forms/{obj.pk}/transition/", {"action": "comment", "comment": "第5行请补充佐证"}
    )
    assert r.status_code == 302
    assert status(obj) == "draft"
    event = Event.objects.get(form=obj, kind="comment")
    assert event.user == users["dept"] and event.comment == "第5行请补充佐证"
    page = login(users["filler"]).get(f"/forms/{obj.pk}/").content.decode()
    assert "第5行请补充佐证" in page
    login(users["dept"]).post(f"/forms/{obj.pk}/transition/", {"action": "comment"})
    assert Event.objects.filter(form=obj, kind="comment").count() == 1  # empty: refused
    # a unit outside the tree cannot comment
    r = login(users["edu"]).post(
        f"/forms/{obj.pk}/transition/", {"action": "comment", "comment": "x"}
    )
    assert r.status_code == 404


def test_bulk_actions_from_the_inbox(seed, users, school_form):
    ids = [o.pk for o in seed[:3]]
    r = login(users["unit_reviewer"]).post(
        "/forms/inbox/", {"action": "submit", "ids": [*ids, school_form.pk]}
    )
    assert r.status_code == 302
    assert [status(o) for o in seed[:4]] == ["submitted"] * 3 + ["draft"]
    assert status(school_form) == "draft"  # not in the unit reviewer's tree: ignored
    dept = login(users["dept"])
    dept.post("/forms/inbox/", {"action": "return", "ids": ids[:1]})  # no comment: refused
    assert status(seed[0]) == "submitted"
    dept.post("/forms/inbox/", {"action": "return", "ids": ids[:1], "comment": "请补充"})
    assert status(seed[0]) == "returned"
    dept.post("/forms/inbox/", {"action": "approve", "ids": ids})
    assert [status(o) for o in seed[:3]] == ["returned", "approved", "approved"]
    # a filler may not approve in bulk
    assert (
        login(users["filler"]).post("/forms/inbox/", {"action": "approve", "ids": ids}).status_code
        == 403
    )
