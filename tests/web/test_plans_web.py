"""The web's 申报表 / 监控表: stored per unit, 批复 by 财政, a 自评表 started from it with the
approved targets kept, and P09 reading the stored 申报表 when a form is saved."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jixiao.generate_plans import generate_year
from jixiao.plans import Documents
from jixiao.web import records
from jixiao.web.models import EvaluationForm, FormFinding
from jixiao.web.plans.models import PlanRecord

from ..workbooks import REAL_WORKBOOK
from .conftest import login, page_fields_of

pytestmark = pytest.mark.django_db


def _upload(client, tree, data: bytes, name: str):
    return client.post(
        reverse("plan-list"),
        {"unit": tree.chengyun.pk, "file": SimpleUploadedFile(name, data)},
    )


@pytest.fixture
def year() -> Documents:
    docs = generate_year(1, seed=21)
    docs.declarations[0].stage = None  # as filed
    return docs


def _plan_json(year: Documents) -> bytes:
    return Documents(declarations=year.declarations, monitorings=year.monitorings).dumps().encode()


def test_the_real_workbook_stores_its_two_plans(tree, users) -> None:
    client = login(users["filler"])
    response = _upload(client, tree, REAL_WORKBOOK.read_bytes(), "项目库.xls")
    assert response.status_code == 302
    stored = PlanRecord.objects.order_by("kind")
    assert [(p.kind, p.year, p.stage) for p in stored] == [
        ("declaration", 2020, "申报"),
        ("monitoring", 2019, ""),
    ]
    assert all(p.organisation == tree.chengyun for p in stored)
    follow = client.get(reverse("plan-list"))
    text = follow.content.decode()
    assert "已导入绩效目标申报表 1 张、绩效目标执行监控表 1 张。" in text
    assert "项目支出计划：不是绩效表，已跳过" in text
    assert "文件中另有 1 张自评表，未在此导入" in text
    watch = stored.get(kind="monitoring")
    page = client.get(reverse("plan-detail", args=[watch.pk])).content.decode()
    assert "项目支出绩效目标执行监控表" in page and "成本节约率" in page
    assert page.count("✔") == 14
    # its findings: 0.00 % executed by July, far behind the schedule of 58.33 %
    assert "错误 M01</b> 年度资金总额·执行率：1-7月执行率 0.00% 低于时间进度 58.33% 的60%" in page
    # the 实施单位 is the unit's as the tree names it
    assert watch.doc.unit == tree.chengyun.name


def test_upload_refusals_are_chinese(tree, users) -> None:
    client = login(users["filler"])
    response = _upload(client, tree, b"hello", "x.txt")
    assert response.status_code == 400
    assert "x.txt: 只能导入 JSON、Excel .xlsx/.xls 文件" in response.content.decode()
    forms_only = json.dumps({"forms": []}).encode()
    response = _upload(client, tree, forms_only, "f.json")
    assert response.status_code == 400 and "f.json" in response.content.decode()
    assert not PlanRecord.objects.exists()
    # a reviewer of the 主管部门 cannot upload
    assert (
        login(users["dept"]).post(reverse("plan-list"), {"unit": tree.chengyun.pk}).status_code
        == 403
    )


def _step(client, record, action: str, comment: str = "", **more):
    """One confirmed step of the review chain on a 申报表 or 监控表."""
    data = {"action": action, "confirm": "1", "comment": comment, **more}
    return client.post(reverse("plan-transition", args=[record.pk]), data)


def _through_the_chain(users, record) -> None:
    """送审 by the unit, then 审核通过 at each level of the default chain."""
    assert _step(login(users["filler"]), record, "submit").status_code == 302
    for who in ("unit_reviewer", "dept", "finance"):
        assert _step(login(users[who]), record, "approve").status_code == 302


def test_approve_then_start_a_self_evaluation(tree, users, year) -> None:
    filler = login(users["filler"])
    _upload(filler, tree, _plan_json(year), "plans.json")
    record = PlanRecord.objects.get(kind="declaration")
    assert (record.stage, record.status) == ("申报", "draft")
    # not approved: no 自评 from it, and a filler cannot approve
    assert filler.post(reverse("plan-start", args=[record.pk])).status_code == 403
    assert _step(filler, record, "approve").status_code == 403
    _through_the_chain(users, record)
    record.refresh_from_db()
    assert (record.stage, record.status) == ("批复", "approved")
    assert record.approved_by == users["finance"]
    assert record.doc.stage == "批复"
    response = filler.post(reverse("plan-start", args=[record.pk]))
    obj = EvaluationForm.objects.get()
    assert response.url == reverse("form-edit", args=[obj.pk])
    form = obj.form
    plan = year.declarations[0]
    assert (form.project, form.year) == (plan.project, plan.year)
    assert [(i.name, i.target) for i in form.indicators] == [
        (i.name, i.target) for i in plan.indicators
    ]
    assert form.funds.total.initial == plan.annual_funds.total
    assert form.goals.expected == plan.annual_goal
    # a second start goes to the form that exists
    again = filler.post(reverse("plan-start", args=[record.pk]))
    assert again.url == reverse("form-detail", args=[obj.pk])
    assert EvaluationForm.objects.count() == 1


def test_targets_stay_as_approved_and_p09_reads_the_stored_plan(tree, users, year) -> None:
    filler = login(users["filler"])
    _upload(filler, tree, _plan_json(year), "plans.json")
    record = PlanRecord.objects.get(kind="declaration")
    _through_the_chain(users, record)
    filler.post(reverse("plan-start", args=[record.pk]))
    obj = EvaluationForm.objects.get()
    approved = obj.form.indicators[0].target
    data = page_fields_of(obj)
    data["ind_target"] = ["≥1", *data["ind_target"][1:]]  # lowered on the page
    response = filler.post(reverse("form-edit", args=[obj.pk]), data)
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.form.indicators[0].target == approved
    page = filler.get(response.url).content.decode()
    assert "年度指标值按批复的绩效目标申报表保留" in page
    # an imported form of the project with another target: a P09 finding with both values
    imported = year.forms[0].model_copy(deep=True)
    imported.project = imported.project
    imported.indicators[0].target = "≥1"
    obj.delete()
    stored = records.create(tree.chengyun, imported, users["filler"])
    p09 = [f for f in stored.findings if f["rule"] == "P09"]
    assert [(f["declared"], f["expected"]) for f in p09] == [("≥1", approved)]
    assert FormFinding.objects.filter(form=stored, rule="P09").count() == 1


def test_other_units_plans_are_not_found(tree, users, year) -> None:
    _upload(login(users["filler"]), tree, _plan_json(year), "plans.json")
    record = PlanRecord.objects.get(kind="declaration")
    school = login(users["school_filler"])
    assert school.get(reverse("plan-detail", args=[record.pk])).status_code == 404
    assert _step(school, record, "submit").status_code == 404
    assert school.get(reverse("plan-transition", args=[record.pk])).status_code == 404
    assert "暂无申报表或监控表" in school.get(reverse("plan-list")).content.decode()


def _approved(tree, users, docs: Documents, year: int | None = None):
    """The generated year's 申报表 stored as approved (批复) for the seed unit."""
    from jixiao.web.plans.store import store

    plan = docs.declarations[0].model_copy(deep=True)
    plan.stage = "批复"
    if year is not None:
        plan.year = year
    return store(tree.chengyun, plan, users["finance"], "批复.json")


def test_new_form_takes_the_approved_targets(tree, users) -> None:
    docs = generate_year(1, seed=21)
    plan = docs.declarations[0]
    _approved(tree, users, docs)
    filler = login(users["filler"])
    r = filler.post(
        reverse("form-new"),
        {"unit": tree.chengyun.pk, "year": str(plan.year), "project": plan.project},
    )
    obj = EvaluationForm.objects.get()
    assert r.url == reverse("form-edit", args=[obj.pk])
    form = obj.form
    assert [(i.level1, i.level2, i.name, i.target) for i in form.indicators] == [
        (i.level1, i.level2, i.name, i.target) for i in plan.indicators
    ]
    assert form.funds.total.initial == plan.annual_funds.total
    assert obj.events.get().comment == "据批复的绩效目标申报表新建：指标与年度指标值沿用批复"
    page = filler.get(r.url).content.decode()
    assert "已据批复的申报表新建自评表" in page
    # the approved 年度指标值 are read-only on the edit page
    for i in plan.indicators:
        assert (
            f'<input name="ind_target" value="{i.target}" size="10" aria-label="年度指标值" '
            'readonly class="approved" title="批复的年度指标值，不能修改">'
        ) in page
    # another project of the same year: a blank form, as before
    filler.post(
        reverse("form-new"), {"unit": tree.chengyun.pk, "year": str(plan.year), "project": "别的"}
    )
    assert EvaluationForm.objects.get(project="别的").form.indicators == []


def test_next_year_takes_that_years_approved_targets(tree, users, seed) -> None:
    last = seed[0]
    docs = generate_year(1, seed=21)
    plan = docs.declarations[0]
    plan.project = last.project
    _approved(tree, users, docs, year=last.year + 1)
    filler = login(users["filler"])
    r = filler.post(reverse("form-next-year", args=[last.pk]))
    nxt = EvaluationForm.objects.get(year=last.year + 1, project=last.project)
    assert r.url == reverse("form-edit", args=[nxt.pk])
    assert [(i.name, i.target) for i in nxt.form.indicators] == [
        (i.name, i.target) for i in plan.indicators
    ]
    assert [i.name for i in nxt.form.indicators] != [i.name for i in last.form.indicators]


def test_m04_on_save_a_target_impossible_in_july_scored_full(tree, users) -> None:
    from jixiao.web.plans.store import store

    docs = generate_year(1, seed=21)
    watch = docs.monitorings[0]
    watch.indicators[4].likelihood = "完全不可能"
    watch.indicators[4].reason = "设备未到货"
    sent = store(tree.chengyun, watch, users["filler"], "监控.json")
    form = docs.forms[0]
    assert form.indicators[4].score == form.indicators[4].weight == 4
    # a 草稿 监控表 is not yet what the unit said in July
    draft = records.create(tree.chengyun, form, users["filler"])
    assert not [f for f in draft.findings if f["rule"] == "M04"]
    draft.delete()
    assert _step(login(users["filler"]), sent, "submit").status_code == 302
    # a newer 草稿 saying nothing is impossible does not replace the one sent up
    newer = watch.model_copy(deep=True)
    newer.indicators[4].likelihood = "有可能"
    later = store(tree.chengyun, newer, users["filler"], "监控-改.json")
    assert later.pk > sent.pk and later.status == "draft"
    obj = records.create(tree.chengyun, form, users["filler"])
    m04 = [f for f in obj.findings if f["rule"] == "M04"]
    assert [(f["indicator"], f["declared"], f["severity"]) for f in m04] == [
        ("校舍维修验收合格率", "4.00", "warning")
    ]
    assert m04[0]["message"] == (
        "1-7月监控时标为“完全不可能”完成，自评却得满分 4.00；"
        f"依据第 {sent.pk} 号绩效目标执行监控表（单位审核中，来源文件：监控.json）"
    )
    assert FormFinding.objects.filter(form=obj, rule="M04").count() == 1
    # a save with the score lowered clears it
    data = page_fields_of(obj)
    data["ind_score"] = [*data["ind_score"][:4], "2", *data["ind_score"][5:]]
    login(users["filler"]).post(reverse("form-edit", args=[obj.pk]), data)
    obj.refresh_from_db()
    assert not [f for f in obj.findings if f["rule"] == "M04"]
    assert not FormFinding.objects.filter(form=obj, rule="M04").exists()


def test_m04_takes_its_severity_from_the_forms_policy(tree, users, settings, tmp_path) -> None:
    """A policy that makes M04 an error: the web's M04 on save is an error too."""
    from jixiao.web.plans.store import store

    strict = tmp_path / "strict.toml"
    strict.write_text(
        'name = "strict"\nbase = "mof-2020"\n[audit.severity]\nM04 = "error"\n', encoding="utf-8"
    )
    settings.JIXIAO_POLICY = str(strict)
    docs = generate_year(1, seed=21)
    watch = docs.monitorings[0]
    watch.indicators[4].likelihood = "完全不可能"
    sent = store(tree.chengyun, watch, users["filler"], "监控.json")
    assert _step(login(users["filler"]), sent, "submit").status_code == 302
    obj = records.create(tree.chengyun, docs.forms[0], users["filler"])
    assert [(f["indicator"], f["severity"]) for f in obj.findings if f["rule"] == "M04"] == [
        ("校舍维修验收合格率", "error")
    ]


def test_m04_when_the_monitoring_is_sent_up_after_the_self_evaluation(tree, users) -> None:
    """A 自评表 saved before its 监控表 was sent up: the 送审 of the 监控表 audits the year's
    自评表 again (M04 found, naming the 监控表 in its new state); each later step again (审核通过
    names the new state; 退回 leaves no 监控表 sent up, and M04 goes)."""
    from jixiao.web.plans.store import store

    docs = generate_year(1, seed=21)
    watch = docs.monitorings[0]
    watch.indicators[4].likelihood = "完全不可能"
    watch.indicators[4].reason = "设备未到货"
    sent = store(tree.chengyun, watch, users["filler"], "监控.json")
    obj = records.create(tree.chengyun, docs.forms[0], users["filler"])
    other_year = docs.forms[0].model_copy(update={"year": 2001})
    elsewhere = records.create(tree.chengyun, other_year, users["filler"])
    assert not [f for f in obj.findings if f["rule"] == "M04"]
    assert _step(login(users["filler"]), sent, "submit").status_code == 302
    obj = EvaluationForm.objects.get(pk=obj.pk)
    m04 = [f for f in obj.findings if f["rule"] == "M04"]
    assert [(f["indicator"], f["declared"]) for f in m04] == [("校舍维修验收合格率", "4.00")]
    assert m04[0]["message"].endswith(
        f"依据第 {sent.pk} 号绩效目标执行监控表（单位审核中，来源文件：监控.json）"
    )
    assert FormFinding.objects.filter(form=obj, rule="M04").count() == 1
    assert obj.warnings == sum(1 for f in obj.findings if f["severity"] == "warning")
    # another year's 自评表 of the project is not the 监控表's
    elsewhere = EvaluationForm.objects.get(pk=elsewhere.pk)
    assert not [f for f in elsewhere.findings if f["rule"] == "M04"]
    assert _step(login(users["unit_reviewer"]), sent, "approve").status_code == 302
    sent.refresh_from_db()
    assert sent.status == "department_review", sent.status
    obj = EvaluationForm.objects.get(pk=obj.pk)
    [m04] = [f for f in obj.findings if f["rule"] == "M04"]
    assert m04["message"].endswith("号绩效目标执行监控表（主管部门审核中，来源文件：监控.json）")
    assert _step(login(users["dept"]), sent, "return", comment="请补充").status_code == 302
    obj = EvaluationForm.objects.get(pk=obj.pk)
    assert not [f for f in obj.findings if f["rule"] == "M04"]
    assert not FormFinding.objects.filter(form=obj, rule="M04").exists()
