"""The pages of the review chain: the confirmation of every step (one form and in bulk), the
说明 of each 错误 on 送审, the 退回意见 reaching the 填报人, 批注 on indicator rows and a
district's chain settings."""

from __future__ import annotations

import pytest

from jixiao.web.models import EvaluationForm, Event, Organisation, RowComment
from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def status(obj: EvaluationForm) -> str:
    return EvaluationForm.objects.get(pk=obj.pk).status


def put(obj: EvaluationForm, state: str) -> None:
    EvaluationForm.objects.filter(pk=obj.pk).update(status=state)
    obj.status = state


def step(user, obj, action, comment="", **extra):
    data = {"action": action, "comment": comment, "confirm": "1", **extra}
    return login(user).post(f"/forms/{obj.pk}/transition/", data)


# --- 送审 with its 错误 and 警告 -------------------------------------------------------------


def test_submit_shows_errors_and_warnings_and_needs_an_explanation_for_each(seed, users):
    obj = seed[1]  # 活动经费: 3 错误 (F03, W03, W03) and some 警告
    errors = [f for f in obj.findings if f["severity"] == "error"]
    warnings = [f for f in obj.findings if f["severity"] == "warning"]
    assert len(errors) == 3 and len(warnings) > 0
    filler = login(users["filler"])
    r = filler.get(f"/forms/{obj.pk}/transition/?action=submit")
    assert r.status_code == 200
    page = r.content.decode()
    assert "错误（3 个，每个都须填写说明才能送审）" in page
    assert f"警告（{len(warnings)} 个）" in page
    for f in warnings:
        assert f"<b>{f['rule']}</b>" in page
    for f in errors:
        assert f["place"] in page and f["fix"] in page
    assert page.count('name="explain_') == 3
    # a POST without confirm shows the page again and does nothing
    r = filler.post(f"/forms/{obj.pk}/transition/", {"action": "submit"})
    assert r.status_code == 200 and "确认送审" in r.content.decode()
    assert status(obj) == "draft"
    # refused while an 错误 has no 说明
    r = step(users["filler"], obj, "submit", explain_0="单价按合同", explain_1="分值按文件")
    assert r.status_code == 400
    assert "表单有 3 个错误，其中 1 个尚未填写说明，不能送审" in r.content.decode()
    assert "单价按合同" in r.content.decode()  # what was typed stays
    assert status(obj) == "draft"
    explained = {"explain_0": "单价按合同", "explain_1": "分值按文件", "explain_2": "数量已核"}
    r = step(users["filler"], obj, "submit", **explained)
    assert r.status_code == 302 and status(obj) == "unit_review"
    event = Event.objects.get(form=obj, kind="transition")
    assert [(e["rule"], e["place"], e["explanation"]) for e in event.explanations] == [
        (f["rule"], f["place"], text) for f, text in zip(errors, explained.values(), strict=True)
    ]
    # the reviewers read the 说明 on the form
    page = login(users["unit_reviewer"]).get(f"/forms/{obj.pk}/").content.decode()
    assert "填报人对错误的说明" in page
    for text in explained.values():
        assert f"说明：{text}" in page


def test_resubmission_starts_from_the_last_explanations(seed, users):
    obj = seed[7]  # one 错误
    step(users["filler"], obj, "submit", explain_0="成本已按决算核实")
    step(users["unit_reviewer"], obj, "return", "请再核实")
    r = login(users["filler"]).get(f"/forms/{obj.pk}/transition/?action=submit")
    assert "成本已按决算核实</textarea>" in r.content.decode()


def test_the_success_message_names_the_step_once(seed, users):
    r = login(users["filler"]).post(
        f"/forms/{seed[0].pk}/transition/", {"action": "submit", "confirm": "1"}, follow=True
    )
    page = r.content.decode()
    assert "送审完成：表单现为“单位审核中”。" in page
    assert "已已" not in page


@pytest.mark.parametrize(
    ("action", "state", "who"),
    [("approve", "department_review", "dept"), ("return", "finance_review", "finance")],
)
def test_approve_and_return_are_confirmed_first(seed, users, action, state, who):
    obj = seed[1]
    put(obj, state)
    c = login(users[who])
    r = c.get(f"/forms/{obj.pk}/transition/?action={action}")
    page = r.content.decode()
    assert r.status_code == 200 and obj.project in page
    assert 'id="confirm-step"' in page and '<span class="sev-error">3</span>' in page
    r = c.post(f"/forms/{obj.pk}/transition/", {"action": action, "comment": "意见"})
    assert r.status_code == 200 and status(obj) == state  # nothing happened


# --- bulk steps ----------------------------------------------------------------------------


def test_bulk_approval_lists_exactly_what_it_will_approve(seed, users, school_form):
    here = [seed[0], seed[1], seed[2]]
    for obj in here:
        put(obj, "department_review")
    put(seed[3], "finance_review")  # not at the 主管部门's level
    put(school_form, "department_review")  # another 主管部门's unit
    ids = [o.pk for o in [*here, seed[3], school_form]]
    dept = login(users["dept"])
    r = dept.post("/forms/inbox/step/", {"action": "approve", "ids": ids})
    assert r.status_code == 200
    assert [c.obj.pk for c in r.context["candidates"]] == [seed[1].pk, seed[0].pk, seed[2].pk]
    assert [c.obj.pk for c in r.context["with_errors"]] == [seed[1].pk]
    assert [c.target for c in r.context["candidates"]] == ["finance_review"] * 3
    page = r.content.decode()
    assert "将审核通过下列 <b>3</b> 张表" in page
    assert "注意：其中 1 张表有错误" in page and "活动经费" in page
    assert school_form.project not in page
    assert [status(o) for o in here] == ["department_review"] * 3  # nothing happened yet
    # confirming acts on the listed forms only
    confirm = {"action": "approve", "confirm": "1", "ids": [o.pk for o in here]}
    confirm |= {f"state_{o.pk}": "department_review" for o in here}
    r = dept.post("/forms/inbox/step/", confirm)
    assert r.status_code == 302
    assert [status(o) for o in here] == ["finance_review"] * 3
    assert status(seed[3]) == "finance_review" and status(school_form) == "department_review"


def test_bulk_steps_refuse_what_they_must(seed, users):
    for obj in seed[:3]:
        put(obj, "department_review")
    ids = [o.pk for o in seed[:3]]
    dept = login(users["dept"])
    # 退回 needs a comment
    dept.post("/forms/inbox/step/", {"action": "return", "confirm": "1", "ids": ids[:1]})
    assert status(seed[0]) == "department_review"
    dept.post(
        "/forms/inbox/step/",
        {"action": "return", "confirm": "1", "ids": ids[:1], "comment": "补充"},
    )
    assert status(seed[0]) == "returned"
    # a form whose state changed since the page was shown is left alone
    r = dept.post(
        "/forms/inbox/step/",
        {"action": "approve", "confirm": "1", "ids": ids[1:2], f"state_{ids[1]}": "unit_review"},
        follow=True,
    )
    assert status(seed[1]) == "department_review"
    assert "表单状态已变为" in r.content.decode()
    # a 填报人 may not approve; nobody bulk-withdraws
    assert (
        login(users["filler"])
        .post("/forms/inbox/step/", {"action": "approve", "ids": ids})
        .status_code
        == 403
    )
    assert dept.post("/forms/inbox/step/", {"action": "withdraw", "ids": ids}).status_code == 403


def test_bulk_submit_leaves_forms_with_errors_for_one_at_a_time(seed, users):
    clean, flawed = seed[0], seed[1]
    filler = login(users["filler"])
    r = filler.post("/forms/inbox/step/", {"action": "submit", "ids": [clean.pk, flawed.pk]})
    assert [c.obj.pk for c in r.context["candidates"]] == [clean.pk]
    assert [c.obj.pk for c in r.context["refused"]] == [flawed.pk]
    assert "有 3 个错误，请逐张送审并填写说明" in r.content.decode()
    filler.post(
        "/forms/inbox/step/", {"action": "submit", "confirm": "1", "ids": [clean.pk, flawed.pk]}
    )
    assert (status(clean), status(flawed)) == ("unit_review", "draft")


# --- the reviewer's word reaches the 填报人 ------------------------------------------------


def test_the_return_comment_stands_on_the_form_in_the_editor_and_in_the_inbox(seed, users):
    obj = seed[0]
    put(obj, "department_review")
    step(users["dept"], obj, "return", "请核实信息员数量")
    filler = login(users["filler"])
    detail = filler.get(f"/forms/{obj.pk}/").content.decode()
    assert 'id="return-note"' in detail and "请核实信息员数量" in detail
    edit = filler.get(f"/forms/{obj.pk}/edit/").content.decode()
    assert 'id="return-note"' in edit and "请核实信息员数量" in edit
    inbox = filler.get("/forms/inbox/").content.decode()
    assert "退回意见：请核实信息员数量" in inbox
    # once sent up again, the comment no longer stands at the top (it stays in the history)
    step(users["filler"], obj, "submit")
    detail = filler.get(f"/forms/{obj.pk}/").content.decode()
    assert 'id="return-note"' not in detail and "请核实信息员数量" in detail


def test_row_comments_and_answers(seed, users):
    obj = seed[0]
    name = obj.form.indicators[1].name
    dept = login(users["dept"])
    r = dept.post(f"/forms/{obj.pk}/notes/", {"position": "2", "text": "请附佐证"})
    assert r.status_code == 302 and r.url.endswith("#note-row-2")
    note = RowComment.objects.get(form=obj)
    assert (note.position, note.indicator, note.user, note.reply_to) == (
        2,
        name,
        users["dept"],
        None,
    )
    # the 填报人 sees it on that row, on the form and in the editor, and answers
    filler = login(users["filler"])
    detail = filler.get(f"/forms/{obj.pk}/").content.decode()
    row = detail[detail.index('id="note-row-2"') :]
    assert f"第2行 {name}" in row[:200] and "请附佐证" in row
    edit = filler.get(f"/forms/{obj.pk}/edit/")
    assert [len(r["notes"]) for r in edit.context["rows"]][:3] == [0, 1, 0]
    assert "请附佐证" in edit.content.decode()
    assert filler.post(f"/forms/{obj.pk}/notes/", {"position": "3", "text": "x"}).status_code == 403
    filler.post(f"/forms/{obj.pk}/notes/", {"reply_to": note.pk, "text": "已补充合同扫描件"})
    answer = RowComment.objects.get(reply_to=note)
    assert (answer.position, answer.user) == (2, users["filler"])
    # the history shows the whole exchange
    history = dept.get(f"/forms/{obj.pk}/").content.decode().split('id="history"')[1]
    assert f"批注：第2行 {name}" in history and "请附佐证" in history
    assert f"回复批注：第2行 {name}" in history and "已补充合同扫描件" in history
    # not for other units: the form does not exist for them
    for who in ("edu", "school_filler"):
        c = login(users[who])
        assert c.get(f"/forms/{obj.pk}/").status_code == 404
        assert (
            c.post(f"/forms/{obj.pk}/notes/", {"reply_to": note.pk, "text": "x"}).status_code == 404
        )
    assert RowComment.objects.count() == 2
    # empty text or a row that is not there: nothing stored
    dept.post(f"/forms/{obj.pk}/notes/", {"position": "2", "text": "  "})
    dept.post(f"/forms/{obj.pk}/notes/", {"position": "99", "text": "x"})
    assert RowComment.objects.count() == 2


def test_an_answer_must_belong_to_the_same_form(seed, users):
    note = RowComment.objects.create(form=seed[0], position=1, text="a", user=users["dept"])
    r = login(users["filler"]).post(
        f"/forms/{seed[1].pk}/notes/", {"reply_to": note.pk, "text": "x"}
    )
    assert r.status_code == 404


# --- a district's chain ------------------------------------------------------------------


def test_chain_settings_page(tree, users):
    finance = login(users["finance"])
    r = finance.get("/review-chain/")
    assert r.status_code == 302 and r.url == f"/review-chain/{tree.finance.pk}/"
    page = finance.get(r.url).content.decode()
    assert "单位审核 → 主管部门审核 → 财政审核" in page
    r = finance.post(
        r.url, {"review_department": "on", "review_finance": "on", "return_to": "previous"}
    )
    assert r.status_code == 302
    district = Organisation.objects.get(pk=tree.finance.pk)
    assert (district.review_unit, district.review_department, district.review_finance) == (
        False,
        True,
        True,
    )
    assert district.return_to == "previous"
    r = finance.post(f"/review-chain/{tree.finance.pk}/", {"return_to": "filler"})
    assert r.status_code == 400 and "至少保留一级审核" in r.content.decode()
    assert Organisation.objects.get(pk=tree.finance.pk).review_department is True
    assert login(users["admin"]).get(f"/review-chain/{tree.finance.pk}/").status_code == 200
    for who in ("dept", "filler", "unit_reviewer"):
        assert login(users[who]).get(f"/review-chain/{tree.finance.pk}/").status_code == 403
    other = Organisation.objects.create(name="宝山区财政局", kind="finance")
    assert finance.get(f"/review-chain/{other.pk}/").status_code == 404
