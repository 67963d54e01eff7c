"""The review chain 草稿 → 单位审核中 → 主管部门审核中 → 财政审核中 → 审核通过: every step for every
role, a district's own chain, 撤回, 重新打开, 待办 per role and level, and the migration of the
old 已送审 state."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied

from jixiao.web import records, workflow
from jixiao.web.models import EvaluationForm, Event, Organisation, Role
from tests.web.conftest import login, make_user

pytestmark = pytest.mark.django_db

ROLES = ("filler", "unit_reviewer", "dept", "finance", "admin")
# state → {action: (roles that may take it, where it goes with the default chain)}
MATRIX = {
    "draft": {"submit": ({"filler", "unit_reviewer", "admin"}, "unit_review")},
    "returned": {"submit": ({"filler", "unit_reviewer", "admin"}, "unit_review")},
    "unit_review": {
        "approve": ({"unit_reviewer", "admin"}, "department_review"),
        "return": ({"unit_reviewer", "admin"}, "returned"),
    },
    "department_review": {
        "approve": ({"dept", "admin"}, "finance_review"),
        "return": ({"dept", "admin"}, "returned"),
    },
    "finance_review": {
        "approve": ({"finance", "admin"}, "approved"),
        "return": ({"finance", "admin"}, "returned"),
    },
    "approved": {"reopen": ({"finance", "admin"}, "returned")},
}


def status(obj: EvaluationForm) -> str:
    return EvaluationForm.objects.get(pk=obj.pk).status


def put(obj: EvaluationForm, state: str) -> None:
    """Set the state directly, without history (as if it had always been there)."""
    EvaluationForm.objects.filter(pk=obj.pk).update(status=state)
    Event.objects.filter(form=obj, kind="transition").delete()
    obj.status = state


def step(user, obj, action, comment="", **extra):
    """Take a step through the confirmation page (confirmed)."""
    data = {"action": action, "comment": comment, "confirm": "1", **extra}
    return login(user).post(f"/forms/{obj.pk}/transition/", data)


def history(obj: EvaluationForm) -> list[tuple[str, str, str, str]]:
    events = Event.objects.filter(form=obj, kind="transition").order_by("at", "id")
    return [(e.action, e.from_status, e.to_status, e.user.username) for e in events]


def test_the_full_chain_one_level_at_a_time(seed, users):
    obj = seed[0]  # no 错误
    assert step(users["filler"], obj, "submit").status_code == 302
    assert status(obj) == "unit_review"
    # the filler may not approve; 主管部门 and 财政 must wait for 单位审核
    for who in ("filler", "dept", "finance"):
        r = step(users[who], obj, "approve")
        assert r.status_code == 403, who
        assert status(obj) == "unit_review"
    step(users["unit_reviewer"], obj, "approve")
    assert status(obj) == "department_review"
    r = step(users["unit_reviewer"], obj, "approve")
    assert r.status_code == 403 and "您的角色不能审核通过" in r.content.decode()
    assert step(users["finance"], obj, "approve").status_code == 403
    step(users["dept"], obj, "approve")
    assert status(obj) == "finance_review"
    step(users["finance"], obj, "approve")
    assert status(obj) == "approved"
    assert history(obj) == [
        ("submit", "draft", "unit_review", "filler"),
        ("approve", "unit_review", "department_review", "unitrev"),
        ("approve", "department_review", "finance_review", "dept"),
        ("approve", "finance_review", "approved", "finance"),
    ]
    page = login(users["filler"]).get(f"/forms/{obj.pk}/").content.decode()
    assert "主管部门审核中 → 财政审核中" in page
    assert "审核流程：单位审核 → 主管部门审核 → 财政审核" in page


@pytest.mark.parametrize("state", list(MATRIX))
def test_every_step_for_every_role(seed, users, state):
    obj = seed[0]
    for who in ROLES:
        put(obj, state)
        allowed = {a for a, (roles, _) in MATRIX[state].items() if who in roles}
        assert {t.name for t in workflow.available(users[who], obj)} == allowed, who
    for action in workflow.TRANSITIONS:
        roles, target = MATRIX[state].get(action, (set(), None))
        for who in ROLES:
            put(obj, state)
            r = step(users[who], obj, action, "意见")
            if who in roles:
                assert r.status_code == 302, (who, action)
                assert status(obj) == target, (who, action)
                event = Event.objects.get(form=obj, kind="transition")
                assert (event.user, event.comment) == (users[who], "意见")
            else:
                assert r.status_code in (400, 403), (who, action)
                assert status(obj) == state, (who, action)
                text = r.content.decode()
                assert "不能" in text or "只有上一步的操作人" in text
    # a unit outside the reviewer's part of the tree does not exist for them
    put(obj, state)
    for action in MATRIX[state]:
        assert step(users["edu"], obj, action, "x").status_code == 404
    assert status(obj) == state


def test_return_and_reopen_need_a_comment(seed, users):
    obj = seed[0]
    put(obj, "department_review")
    r = step(users["dept"], obj, "return", "  ")
    assert r.status_code == 400 and "退回需要填写意见" in r.content.decode()
    assert status(obj) == "department_review"
    step(users["dept"], obj, "return", "请补充偏差原因")
    assert status(obj) == "returned"
    put(obj, "approved")
    with pytest.raises(workflow.WorkflowError):
        workflow.apply(users["finance"], obj, "reopen", "")
    with pytest.raises(PermissionDenied):
        workflow.apply(users["dept"], obj, "reopen", "数据有误")
    workflow.apply(users["finance"], obj, "reopen", "数据有误")
    assert status(obj) == "returned"


def test_a_district_without_unit_review(seed, users, tree):
    tree.finance.review_unit = False
    tree.finance.save()
    obj = seed[0]
    assert workflow.chain_for(obj).description == "主管部门审核 → 财政审核"
    step(users["filler"], obj, "submit")
    assert status(obj) == "department_review"
    assert obj.pk not in {
        f.pk for f in login(users["unit_reviewer"]).get("/forms/inbox/").context["page"]
    }
    assert obj.pk in {f.pk for f in login(users["dept"]).get("/forms/inbox/").context["page"]}
    step(users["dept"], obj, "approve")
    step(users["finance"], obj, "approve")
    assert [h[2] for h in history(obj)] == ["department_review", "finance_review", "approved"]


def test_a_district_with_finance_review_only(seed, users, tree):
    tree.finance.review_unit = tree.finance.review_department = False
    tree.finance.save()
    obj = seed[0]
    step(users["filler"], obj, "submit")
    assert status(obj) == "finance_review"
    step(users["finance"], obj, "approve")
    assert status(obj) == "approved"


def test_return_goes_one_level_down_where_the_district_says(seed, users, tree):
    tree.finance.return_to = "previous"
    tree.finance.save()
    obj = seed[0]
    put(obj, "finance_review")
    step(users["finance"], obj, "return", "主管部门请再核")
    assert status(obj) == "department_review"
    step(users["dept"], obj, "return", "单位请再核")
    assert status(obj) == "unit_review"
    step(users["unit_reviewer"], obj, "return", "请修改")
    assert status(obj) == "returned"  # below the first level: back to the 填报人
    # without 单位审核, 主管部门's 退回 goes to the 填报人
    tree.finance.review_unit = False
    tree.finance.save()
    put(obj, "department_review")
    step(users["dept"], obj, "return", "请修改")
    assert status(obj) == "returned"


def names(user, obj: EvaluationForm) -> set[str]:
    """The steps ``user`` may take on the form as stored now."""
    return {t.name for t in workflow.available(user, EvaluationForm.objects.get(pk=obj.pk))}


def test_withdraw_until_the_next_level_acts(seed, users):
    obj = seed[0]
    step(users["filler"], obj, "submit")
    assert "withdraw" in names(users["filler"], obj)
    assert "withdraw" not in names(users["unit_reviewer"], obj)
    step(users["filler"], obj, "withdraw")
    assert status(obj) == "draft"
    step(users["filler"], obj, "submit")
    step(users["unit_reviewer"], obj, "approve")  # the next level acted
    r = step(users["filler"], obj, "withdraw")
    assert r.status_code == 403 and "只有上一步的操作人可以撤回" in r.content.decode()
    assert status(obj) == "department_review"
    # whoever took the last step may take it back, once
    step(users["unit_reviewer"], obj, "withdraw")
    assert status(obj) == "unit_review"
    assert "withdraw" not in names(users["unit_reviewer"], obj)
    r = step(users["unit_reviewer"], obj, "withdraw")
    assert r.status_code == 400 and status(obj) == "unit_review"
    assert [h[0] for h in history(obj)] == [
        "submit",
        "withdraw",
        "submit",
        "approve",
        "withdraw",
    ]


def test_a_step_on_a_state_that_changed_meanwhile_is_refused(seed, users):
    obj = seed[0]
    put(obj, "finance_review")
    r = step(users["admin"], obj, "approve", expected="department_review")
    assert r.status_code == 400 and "表单状态已变为“财政审核中”" in r.content.decode()
    assert status(obj) == "finance_review"


def test_the_form_is_read_only_while_under_review(seed, users):
    obj = seed[0]
    step(users["filler"], obj, "submit")
    for who in ("filler", "unit_reviewer"):
        c = login(users[who])
        assert c.get(f"/forms/{obj.pk}/edit/").status_code == 403
        r = c.post(f"/forms/{obj.pk}/edit/", {"year": "2024", "project": "改名"})
        assert r.status_code == 403
        assert c.post(f"/forms/{obj.pk}/preview/", {"project": "x"}).status_code == 403
    assert EvaluationForm.objects.get(pk=obj.pk).project == obj.project


def inbox_ids(user) -> set[int]:
    return {f.pk for f in login(user).get("/forms/inbox/").context["page"].paginator.object_list}


def test_inbox_holds_exactly_the_forms_at_my_level(seed, users, school_form):
    put(seed[0], "unit_review")
    put(seed[2], "department_review")
    put(seed[3], "finance_review")
    put(seed[4], "returned")
    put(seed[5], "approved")
    put(school_form, "department_review")
    drafts = {o.pk for o in seed[6:]} | {seed[1].pk}
    assert inbox_ids(users["filler"]) == drafts | {seed[4].pk}
    assert inbox_ids(users["sq_filler"]) == set()  # another unit's forms are not theirs
    assert inbox_ids(users["unit_reviewer"]) == {seed[0].pk}
    assert inbox_ids(users["dept"]) == {seed[2].pk}
    assert inbox_ids(users["edu"]) == {school_form.pk}
    assert inbox_ids(users["finance"]) == {seed[3].pk}
    assert inbox_ids(users["admin"]) == {seed[0].pk, seed[2].pk, seed[3].pk, school_form.pk}


def test_inbox_sorts_by_errors_then_inflation(seed, users):
    chosen = [seed[0], seed[1], seed[5], seed[7], seed[8]]
    for obj in chosen:
        put(obj, "department_review")
    page = login(users["dept"]).get("/forms/inbox/").context["page"]
    got = [(f.errors, f.inflation) for f in page.object_list]
    # 活动经费 has 3 错误; 城维工程类 and 信息化项目运维 1 each (inflation 20.57 > 14.27)
    assert [f.pk for f in page.object_list] == [
        seed[1].pk,
        seed[8].pk,
        seed[7].pk,
        seed[5].pk,
        seed[0].pk,
    ], got


def test_comments_without_a_step(seed, users):
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
    r = login(users["edu"]).post(
        f"/forms/{obj.pk}/transition/", {"action": "comment", "comment": "x"}
    )
    assert r.status_code == 404


# --- the migration of the old state 已送审 --------------------------------------------------


def test_migration_moves_submitted_forms_and_events(seed, users, seed_forms):
    migration = importlib.import_module("jixiao.web.migrations.0006_submitted_to_review")
    # a second district that has no 主管部门审核: its submitted forms wait at 财政审核
    other = Organisation.objects.create(
        name="宝山区财政局", kind="finance", review_department=False
    )
    dept = Organisation.objects.create(name="宝山区教育局", kind="department", parent=other)
    unit = Organisation.objects.create(name="宝山区某小学", kind="unit", parent=dept)
    filler = make_user("bs", unit, Role.FILLER)
    far = records.create(unit, seed_forms[2].model_copy(deep=True), filler)
    submitted, returned, approved = seed[0], seed[1], seed[2]
    old = [  # (form, from, to): the old states, as the old workflow recorded them
        (submitted, "draft", "submitted"),
        (returned, "draft", "submitted"),
        (returned, "submitted", "returned"),
        (approved, "draft", "submitted"),
        (approved, "submitted", "approved"),
        (approved, "approved", "returned"),
        (far, "returned", "submitted"),
    ]
    for form, before, after in old:
        Event.objects.create(form=form, kind="transition", from_status=before, to_status=after)
    EvaluationForm.objects.filter(pk__in=[submitted.pk, far.pk]).update(status="submitted")
    EvaluationForm.objects.filter(pk=returned.pk).update(status="returned")
    EvaluationForm.objects.filter(pk=approved.pk).update(status="returned")

    migration.move_submitted(apps, None)

    assert status(submitted) == "department_review"
    assert status(far) == "finance_review"
    assert status(returned) == "returned"
    got = [
        (e.form_id, e.action, e.from_status, e.to_status)
        for e in Event.objects.filter(kind="transition").order_by("id")
    ]
    assert got == [
        (submitted.pk, "submit", "draft", "department_review"),
        (returned.pk, "submit", "draft", "department_review"),
        (returned.pk, "return", "department_review", "returned"),
        (approved.pk, "submit", "draft", "department_review"),
        (approved.pk, "approve", "department_review", "approved"),
        (approved.pk, "reopen", "approved", "returned"),
        (far.pk, "submit", "returned", "finance_review"),
    ]
    assert not EvaluationForm.objects.filter(status="submitted").exists()
    # and the migrated form goes on up the chain of its district
    workflow.apply(users["dept"], submitted, "approve")
    assert status(submitted) == "finance_review"
