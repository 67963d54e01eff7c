"""申报表 and 监控表 through the 自评表's review chain (送审, 审核通过 level by level, 退回 with
a reason and 批注 on rows, 说明 for each 错误), 调整 of approved targets, 待办, a round's
申报 / 监控 deadlines, and the page of a project's year."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from jixiao.generate_plans import generate_year
from jixiao.plans import Documents
from jixiao.web import access, records
from jixiao.web.header import header
from jixiao.web.models import EvaluationForm, Event, RowComment
from jixiao.web.notifications.models import Notification
from jixiao.web.plans.models import PlanRecord
from jixiao.web.plans.store import approved_targets, store
from jixiao.web.plans.year import year_url
from jixiao.web.rounds.export import progress_workbook
from jixiao.web.rounds.progress import compute
from jixiao.web.rounds.remind import remind, reminder_text

from .conftest import login
from .rounds_helpers import make_round
from .test_plans_web import _step, _through_the_chain

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def docs() -> Documents:
    return generate_year(1, seed=21)


@pytest.fixture
def filed(tree, users, docs) -> PlanRecord:
    """The generated 申报表 as the unit filed it (草稿)."""
    plan = docs.declarations[0].model_copy(deep=True)
    plan.stage = None
    return store(tree.chengyun, plan, users["filler"], "申报.json")


def test_a_declaration_is_returned_with_a_note_corrected_and_approved(tree, users, filed) -> None:
    filler, unit, dept = (login(users[k]) for k in ("filler", "unit_reviewer", "dept"))
    page = text_of(filler.get(reverse("plan-detail", args=[filed.pk])))
    assert "草稿" in page and "审核流程：单位审核 → 主管部门审核 → 财政审核" in page
    # the confirmation page first, then the step
    confirm = filler.post(reverse("plan-transition", args=[filed.pk]), {"action": "submit"})
    assert confirm.status_code == 200 and "确认送审" in text_of(confirm)
    assert _step(filler, filed, "submit").status_code == 302
    filed.refresh_from_db()
    assert filed.status == "unit_review"
    assert _step(unit, filed, "approve").status_code == 302
    # the 主管部门 returns it: a reason is required, and a 批注 goes on a row
    refused = _step(dept, filed, "return")
    assert refused.status_code == 400 and "退回需要填写意见" in text_of(refused)
    note = dept.post(
        reverse("plan-note", args=[filed.pk]), {"position": "2", "text": "投诉率目标偏松"}
    )
    assert note.status_code == 302 and note.url.endswith("#note-row-2")
    assert _step(dept, filed, "return", "群众投诉率目标应不高于1%").status_code == 302
    filed.refresh_from_db()
    assert (filed.status, filed.stage) == ("returned", "申报")
    [comment] = RowComment.objects.filter(plan=filed)
    assert (comment.position, comment.indicator) == (2, "群众投诉率")
    page = text_of(filler.get(reverse("plan-detail", args=[filed.pk])))
    assert "退回意见" in page and "群众投诉率目标应不高于1%" in page
    assert "第2行 群众投诉率" in page and "投诉率目标偏松" in page
    texts = list(Notification.objects.filter(recipient=users["filler"]).values_list("text", "url"))
    assert (
        f"2022年度“{filed.project}”绩效目标申报表（{tree.chengyun.name}）被退回，请修改后重新送审。"
        "意见：群众投诉率目标应不高于1%",
        f"/plans/{filed.pk}/",
    ) in texts
    # the unit answers the 批注 and corrects the target on the page
    filler.post(reverse("plan-note", args=[filed.pk]), {"reply_to": comment.pk, "text": "已改"})
    targets = [i.target for i in filed.doc.indicators]
    targets[1] = "不高于1%"
    saved = filler.post(reverse("plan-targets", args=[filed.pk]), {"target": targets})
    assert saved.status_code == 302
    filed.refresh_from_db()
    assert filed.doc.indicators[1].target == "不高于1%"
    # sent up again, it goes through every level; the last 审核通过 is the 批复
    _through_the_chain(users, filed)
    filed.refresh_from_db()
    assert (filed.status, filed.stage, filed.approved_by) == ("approved", "批复", users["finance"])
    assert approved_targets(tree.chengyun, filed.project, 2022) is not None
    steps = list(
        Event.objects.filter(plan=filed, kind="transition")
        .order_by("at", "id")
        .values_list("action", "to_status")
    )
    assert steps == [
        ("submit", "unit_review"),
        ("approve", "department_review"),
        ("return", "returned"),
        ("submit", "unit_review"),
        ("approve", "department_review"),
        ("approve", "finance_review"),
        ("approve", "approved"),
    ]
    # approved: the unit can no longer change it in place
    assert filler.get(reverse("plan-targets", args=[filed.pk])).status_code == 200  # an 调整
    history = text_of(filler.get(reverse("plan-detail", args=[filed.pk])))
    assert (
        "状态变更：财政审核中 → 审核通过" in history
        and "群众投诉率：不高于2% → 不高于1%" in history
    )


def test_a_monitoring_error_needs_a_reason_to_be_sent_up(tree, users, docs) -> None:
    watch = docs.monitorings[0].model_copy(deep=True)
    watch.funds.total.rate = watch.funds.total.rate.__class__("20.00")  # far behind July
    record = store(tree.chengyun, watch, users["filler"], "监控.json")
    assert record.errors == 1 and record.findings[0]["rule"] == "M01"
    filler = login(users["filler"])
    page = text_of(filler.post(reverse("plan-transition", args=[record.pk]), {"action": "submit"}))
    assert "每个都须填写说明才能送审" in page and "M01" in page
    refused = _step(filler, record, "submit")
    assert refused.status_code == 400
    assert "表单有 1 个错误，其中 1 个尚未填写说明，不能送审" in text_of(refused)
    assert _step(filler, record, "submit", explain_0="设备采购合同九月付款").status_code == 302
    record.refresh_from_db()
    assert record.status == "unit_review" and record.stage == ""
    reviewer = text_of(login(users["unit_reviewer"]).get(reverse("plan-detail", args=[record.pk])))
    assert "填报人对错误的说明" in reviewer and "设备采购合同九月付款" in reviewer


def test_reviewers_find_plans_waiting_at_their_level(tree, users, filed) -> None:
    inbox = text_of(login(users["filler"]).get(reverse("inbox")))
    assert "绩效目标申报表、执行监控表（1 张）" in inbox
    assert "绩效目标申报表、执行监控表" not in text_of(login(users["dept"]).get(reverse("inbox")))
    _step(login(users["filler"]), filed, "submit")
    _step(login(users["unit_reviewer"]), filed, "approve")
    dept_inbox = login(users["dept"]).get(reverse("inbox")).content.decode()
    assert f'<a href="/plans/{filed.pk}/">{filed.project}</a>' in dept_inbox
    assert "主管部门审核中" in dept_inbox
    # another 主管部门's reviewer neither sees nor can act on it
    assert f"/plans/{filed.pk}/" not in login(users["edu"]).get(reverse("inbox")).content.decode()
    assert _step(login(users["edu"]), filed, "approve").status_code == 404


def test_the_header_counts_the_plans_waiting_in_the_inbox(tree, users, filed) -> None:
    def waiting(who: str) -> int:
        request = RequestFactory().get("/")
        request.user = users[who]
        return header(request).waiting

    before = {who: waiting(who) for who in ("filler", "unit_reviewer", "dept", "edu")}
    assert before["filler"] == access.inbox(users["filler"]).count() + 1  # the 草稿 申报表
    _step(login(users["filler"]), filed, "submit")
    _step(login(users["unit_reviewer"]), filed, "approve")
    after = {who: waiting(who) for who in before}
    assert after == {
        "filler": before["filler"] - 1,
        "unit_reviewer": before["unit_reviewer"],
        "dept": before["dept"] + 1,  # now at the 主管部门's level
        "edu": before["edu"],
    }


def test_an_adjustment_is_recorded_approved_and_then_counts(tree, users, filed) -> None:
    _through_the_chain(users, filed)
    filler = login(users["filler"])
    targets = [i.target for i in filed.doc.indicators]
    targets[0] = "按新合同约定"
    no_reason = filler.post(reverse("plan-targets", args=[filed.pk]), {"target": targets})
    assert no_reason.status_code == 400 and "请填写调整说明" in text_of(no_reason)
    unchanged = [i.target for i in filed.doc.indicators]
    same = filler.post(
        reverse("plan-targets", args=[filed.pk]), {"target": unchanged, "reason": "无"}
    )
    assert same.status_code == 400 and "没有修改任何年度指标值" in text_of(same)
    r = filler.post(
        reverse("plan-targets", args=[filed.pk]),
        {"target": targets, "reason": "合同变更，经主管部门同意"},
    )
    adjustment = PlanRecord.objects.get(adjusts=filed)
    assert r.url == reverse("plan-detail", args=[adjustment.pk])
    assert (adjustment.stage, adjustment.status, adjustment.stage_label) == (
        "申报",
        "draft",
        "调整申请",
    )
    # not yet approved: the 批复 still counts, and a second adjustment goes to this one
    first = approved_targets(tree.chengyun, filed.project, 2022)
    assert first.projects[next(iter(first.projects))][0][1][0].target == "按合同约定"
    again = filler.get(reverse("plan-targets", args=[filed.pk]))
    assert again.url == reverse("plan-detail", args=[adjustment.pk])
    page = text_of(filler.get(r.url))
    assert "调整说明： 合同变更，经主管部门同意" in page
    _through_the_chain(users, adjustment)
    adjustment.refresh_from_db()
    assert (adjustment.stage, adjustment.status) == ("调整", "approved")
    assert adjustment.doc.stage == "调整"
    # now the 调整 counts: a new 自评 takes its targets
    filler.post(
        reverse("form-new"),
        {"unit": tree.chengyun.pk, "year": "2022", "project": filed.project},
    )
    form = EvaluationForm.objects.get().form
    assert form.indicators[0].target == "按新合同约定"
    # and the year page says what changed
    year = text_of(filler.get(year_url(tree.chengyun.pk, 2022, filed.project)))
    assert "已调整：批复为“按合同约定”，调整为“按新合同约定”" in year


def test_importing_a_corrected_file_replaces_a_returned_one(tree, users, filed, docs) -> None:
    _step(login(users["filler"]), filed, "submit")
    _step(login(users["unit_reviewer"]), filed, "return", "请核对")
    corrected = docs.declarations[0].model_copy(deep=True)
    corrected.stage = None
    corrected.indicators[0].target = "按合同约定完成"
    again = store(tree.chengyun, corrected, users["filler"], "申报-改.json")
    assert again.pk == filed.pk and PlanRecord.objects.count() == 1
    again.refresh_from_db()
    assert again.doc.indicators[0].target == "按合同约定完成" and again.status == "returned"
    assert Event.objects.filter(plan=filed, kind="import").count() == 2


def test_the_year_page_shows_the_three_documents_and_their_gaps(tree, users, docs) -> None:
    plan, watch, form = docs.declarations[0], docs.monitorings[0], docs.forms[0]
    watch.indicators[4].likelihood = "完全不可能"
    watch.indicators[4].reason = "设备未到货"
    store(tree.chengyun, plan, users["finance"], "申报.json")  # imported as 批复
    store(tree.chengyun, watch, users["filler"], "监控.json")
    form.indicators[0].target = "按合同约定执行"  # lowered at 自评
    obj = records.create(tree.chengyun, form, users["filler"])
    url = year_url(tree.chengyun.pk, 2022, plan.project)
    assert url == f"/plans/year/{tree.chengyun.pk}/2022/?project=" + (
        "%E6%95%99%E8%82%B2%E4%BF%A1%E6%81%AF%E5%8C%96%E8%AE%BE%E5%A4%87%E6%9B%B4%E6%96%B0"
    )
    filler = login(users["filler"])
    r = filler.get(url)
    assert r.status_code == 200
    html = r.content.decode()
    rows = re.findall(r'<tr class="year-row([^"]*)" data-name="([^"]+)">', html)
    assert len(rows) == len(plan.indicators)
    by_name = {name: cls.split() for cls, name in rows}
    assert by_name["教师培训经费支出"] == ["gap-changed"]
    assert by_name["校舍维修验收合格率"] == ["gap-contradiction"]
    assert by_name["学生体质健康监测督导检查次数"] == []
    page = text_of(r)
    assert "自评表的年度指标值“按合同约定执行”与批复的“按合同约定”不同" in page
    assert "监控时“完全不可能”完成，自评却得满分" in page and "设备未到货" in page
    assert f"#{obj.pk}" in page and "批复" in page
    assert 'class="num cell-contradiction">4.00</td>' in html
    # linked from the form page and the plan pages
    assert f'href="{url}"' in filler.get(reverse("form-detail", args=[obj.pk])).content.decode()
    watch_record = PlanRecord.objects.get(kind="monitoring")
    assert url in filler.get(reverse("plan-detail", args=[watch_record.pk])).content.decode()
    assert f'href="{url}"' in filler.get(reverse("plan-list")).content.decode()
    # other units and unknown projects: 404
    assert login(users["school_filler"]).get(url).status_code == 404
    assert filler.get(year_url(tree.chengyun.pk, 2022, "没有的项目")).status_code == 404
    assert filler.get(f"/plans/year/{tree.chengyun.pk}/2022/").status_code == 404


def test_a_year_with_only_a_form_names_what_is_missing(tree, users, seed) -> None:
    obj = seed[0]
    page = text_of(login(users["filler"]).get(year_url(tree.chengyun.pk, obj.year, obj.project)))
    assert "没有绩效目标申报表：自评的年度指标值无从核对" in page
    assert "没有绩效目标执行监控表" in page
    assert "未导入" in page


def test_a_round_has_declaration_and_monitoring_deadlines(tree, users, filed, docs) -> None:
    finance = login(users["finance"])
    today = datetime.date.today()
    r = finance.post(
        "/rounds/new/",
        {
            "title": "2022年度绩效",
            "year": "2022",
            "deadline": (today + datetime.timedelta(days=60)).isoformat(),
            "declaration_deadline": (today + datetime.timedelta(days=10)).isoformat(),
            "monitoring_deadline": "2022-13-01",
            "scope": [tree.chengyun.pk],
        },
    )
    assert r.status_code == 400 and "监控截止日期格式应为 2025-06-30" in text_of(r)
    rnd = make_round(tree.finance, {tree.chengyun: [filed.project, "另一个项目"]}, year=2022)
    rnd.declaration_deadline = today - datetime.timedelta(days=3)
    rnd.monitoring_deadline = today + datetime.timedelta(days=20)
    rnd.save()
    store(tree.chengyun, docs.monitorings[0], users["filler"], "监控.json")
    _step(login(users["filler"]), filed, "submit")
    page = finance.get(f"/rounds/{rnd.pk}/")
    html = page.content.decode()
    text = text_of(page)
    assert f"申报截止 {rnd.declaration_deadline:%Y-%m-%d}" in text
    assert f"监控截止 {rnd.monitoring_deadline:%Y-%m-%d}" in text
    assert re.search(r'id="total-declared">1 / 2<', html)
    assert re.search(r'id="total-monitored">0 / 2<', html)
    row = re.search(rf'data-unit="{tree.chengyun.pk}">(.*?)</tr>', html, re.S).group(1)
    assert re.search(r'class="num declared overdue">1 / 2 <span class="late">逾期</span>', row)
    assert re.search(r'class="num monitored">0 / 2</td>', row)
    unit = login(users["filler"]).get(f"/rounds/{rnd.pk}/units/{tree.chengyun.pk}/")
    unit_text = text_of(unit)
    assert f"{filed.project} 审核中 草稿 未开始" in unit_text  # 申报表, 监控表, 自评
    assert f'href="{year_url(tree.chengyun.pk, 2022, filed.project)}"' in unit.content.decode()


def test_reminders_and_the_progress_workbook_count_declarations_and_monitorings(
    tree, users, filed
) -> None:
    today = datetime.date.today()
    rnd = make_round(tree.finance, {tree.chengyun: [filed.project, "另一个项目"]}, year=2022)
    up = compute(rnd, list(rnd.units.all())).units[0]
    # a round without 申报 / 监控 deadlines: the 自评 counts alone, as before
    assert "申报表" not in reminder_text(rnd, up)
    plain = load_workbook(io.BytesIO(progress_workbook(rnd)))
    assert [c.value for c in plain["按单位"][2]][-1] == "名单外表单"
    rnd.declaration_deadline = today - datetime.timedelta(days=3)
    rnd.monitoring_deadline = today + datetime.timedelta(days=20)
    rnd.save()
    _step(login(users["filler"]), filed, "submit")
    up = compute(rnd, list(rnd.units.all())).units[0]
    assert reminder_text(rnd, up).endswith(
        f"申报表已送审 1/2 个项目（已过截止日期 {rnd.declaration_deadline:%Y-%m-%d}）。"
        f"监控表已送审 0/2 个项目（截止日期 {rnd.monitoring_deadline:%Y-%m-%d}）。"
    )
    assert remind(rnd) == 1
    sent = Notification.objects.filter(recipient=users["filler"]).latest("id").text
    assert "申报表已送审 1/2 个项目" in sent
    book = load_workbook(io.BytesIO(progress_workbook(rnd)))
    units = [[c.value for c in row] for row in book["按单位"].iter_rows(min_row=2)]
    assert units[0][-6:] == [
        *("申报截止日期", "申报已送审", "申报是否逾期"),
        *("监控截止日期", "监控已送审", "监控是否逾期"),
    ]
    assert units[1][-6:] == [
        f"{rnd.declaration_deadline:%Y-%m-%d}",
        1,
        "逾期",
        f"{rnd.monitoring_deadline:%Y-%m-%d}",
        0,
        None,
    ]
    assert units[2][-6:] == [None, 1, None, None, 0, None]  # 合计
    projects = [[c.value for c in row] for row in book["按项目"].iter_rows()]
    assert projects[0][-2:] == ["申报表状态", "监控表状态"]
    assert {p[3]: p[-2:] for p in projects[1:]} == {
        filed.project: ["审核中", "未导入"],
        "另一个项目": ["未导入", "未导入"],
    }
