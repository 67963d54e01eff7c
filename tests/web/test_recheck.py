"""抽查复核 in the web (财预〔2020〕10号 第十九条): drawing per 主管部门 by share, count, seeded
random (reproducible), by rule and by hand; tasks and notifications for the named reviewer;
recording 复核得分 per row with Chinese validation; the gap figures; who may do what; the
results in the shape the department's summary takes."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from jixiao.audit import audit_forms
from jixiao.policy import load_policy
from jixiao.sampling import draw_sample
from jixiao.summary import sections, summarize
from jixiao.web.models import Attachment, EvaluationForm, Event, Status
from jixiao.web.notifications.models import Notification
from jixiao.web.recheck import draw as drawing
from jixiao.web.recheck.models import Draw, RecheckScore, RecheckTask
from jixiao.web.recheck.results import recheck_results
from tests.web.conftest import login
from tests.web.recheck_helpers import confirm, draw, draw_fields, preview, scores_of, send_up
from tests.web.rounds_helpers import make_round

pytestmark = pytest.mark.django_db
D = Decimal


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def sent(seed, school_form):
    """The nine seed forms (江桥镇) and the school's form (教育局), all sent up."""
    send_up(*seed, school_form)
    return {f.project: f for f in [*seed, school_form]}


def drawn_projects(d: Draw) -> list[tuple[str, int, str]]:
    return [(t.department.name, t.rank, t.form.project) for t in d.tasks.all()]


# --- drawing --------------------------------------------------------------------------------


def test_random_share_with_a_seed_is_the_core_sampler_and_reproducible(sent, users, tree):
    c = login(users["finance"])
    response = draw(c, users["finance"], share="30", seed="7")
    d = Draw.objects.get()
    assert response["Location"] == f"/recheck/{d.pk}/"
    assert (d.method, d.seed, d.share, d.count, d.year) == ("random", 7, D("30.00"), None, 2024)
    # 30 % of 9 is 2.7, rounded up to 3; of 1, at least 1 — as `jixiao sample` draws them
    assert drawn_projects(d) == [
        ("江桥镇", 1, "信息化项目运维"),
        ("江桥镇", 2, "城维工程类"),
        ("江桥镇", 3, "活动经费"),
        ("嘉定区教育局", 1, "实验小学校园安保服务"),
    ]
    assert [(x.department.name, x.population) for x in d.departments.all()] == [
        ("江桥镇", 9),
        ("嘉定区教育局", 1),
    ]
    # the same forms and seed through the core sampler directly
    forms = [f.form for f in EvaluationForm.objects.filter(organisation=tree.chengyun)]
    sample = draw_sample(
        audit_forms(forms, load_policy("shanghai")), "random", share=D("0.3"), seed=7
    )
    assert [x.project for x in sample.departments[0].drawn] == [
        "信息化项目运维",
        "城维工程类",
        "活动经费",
    ]
    # drawing again with the recorded seed gives the same forms; another seed others
    again = preview(c, users["finance"], share="30", seed="7")
    assert again.context["drawn_ids"] == [t.form_id for t in d.tasks.all()]
    others = {
        tuple(preview(c, users["finance"], share="30", seed=str(s)).context["drawn_ids"])
        for s in range(8)
    }
    assert len(others) > 3


def test_random_without_a_seed_records_the_one_it_drew_with(sent, users):
    c = login(users["finance"])
    shown = preview(c, users["finance"], count="2")
    seed = int(shown.context["form"].data["seed"])
    assert f"随机种子 {seed}" in text_of(shown)
    confirm(c, shown)
    d = Draw.objects.get()
    assert d.seed == seed and d.count == 2
    groups = drawing.by_department(list(drawing.population(d.organisation, 2024)))
    drawing.draw(groups, "random", count=2, seed=seed)
    assert [f.pk for g in groups for f in g.drawn] == [t.form_id for t in d.tasks.all()]


def test_by_rule_most_inflated_and_most_errors_first(sent, users):
    c = login(users["finance"])
    draw(c, users["finance"], method="inflation", count="2", title="按虚高")
    d = Draw.objects.get(title="按虚高")
    assert d.seed is None
    assert drawn_projects(d) == [
        ("江桥镇", 1, "活动经费"),
        ("江桥镇", 2, "政府聘用辅助人员经费"),
        ("嘉定区教育局", 1, "实验小学校园安保服务"),
    ]
    assert [t.inflation_value for t in d.tasks.all()][:2] == [D("65.00"), D("59.04")]
    draw(c, users["finance"], method="errors", count="3", title="按错误", seed="99")
    d = Draw.objects.get(title="按错误")
    assert d.seed is None  # a ranked draw has no seed, whatever was typed
    assert [(t.form.project, t.errors) for t in d.tasks.all()][:3] == [
        ("活动经费", 3),
        ("信息化项目运维", 1),
        ("城维工程类", 1),
    ]


def test_by_hand_takes_exactly_the_ticked_forms(sent, users):
    c = login(users["finance"])
    shown = preview(c, users["finance"], method="manual")
    assert shown.context["drawn_ids"] == []
    assert shown.content.decode().count('name="ids"') == 10  # every submitted form offered
    refused = confirm(c, shown, ids=[])
    assert refused.status_code == 400
    assert "请勾选要复核的自评表" in text_of(refused)
    ids = [sent["宣传经费"].pk, sent["实验小学校园安保服务"].pk]
    done = confirm(c, shown, ids=ids)
    assert done.status_code == 302
    d = Draw.objects.get()
    assert (d.method, d.seed, d.size_label) == ("manual", None, "手工勾选")
    assert sorted(t.form_id for t in d.tasks.all()) == sorted(ids)
    assert [(x.department.name, x.population) for x in d.departments.all()] == [
        ("江桥镇", 9),
        ("嘉定区教育局", 1),
    ]


def test_confirm_sent_twice_stores_one_draw(sent, users):
    c = login(users["finance"])
    shown = preview(c, users["finance"], count="2", seed="5")
    first = confirm(c, shown)
    d = Draw.objects.get()
    again = confirm(c, shown)  # a double click, or the browser sending the POST again
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert Draw.objects.count() == 1 and RecheckTask.objects.count() == 3
    page = c.get(again["Location"])
    assert f"抽查批次“{d.title}”已经保存，未重复抽取。" in text_of(page)
    # a new preview is a new draw, even with the same fields
    assert preview(c, users["finance"], count="2", seed="5").context["form"].data["token"] != str(
        d.token
    )
    confirm(c, preview(c, users["finance"], count="2", seed="5"))
    assert Draw.objects.count() == 2
    # 确认 without the preview's key (a stale or forged page) stores nothing
    data = {k: v for k, v in shown.context["form"].data.lists()}
    data.update(
        confirm="1", token="not-a-key", expected=[str(i) for i in shown.context["drawn_ids"]]
    )
    stale = c.post("/recheck/new/", data)
    assert stale.status_code == 400 and "页面已过期" in text_of(stale)
    assert Draw.objects.count() == 2


def test_only_submitted_forms_and_the_rounds_units_are_drawn(sent, users, tree):
    send_up(sent["宣传经费"], status=Status.DRAFT)
    send_up(sent["活动经费"], status=Status.RETURNED)
    send_up(sent["城维工程类"], status=Status.APPROVED)
    c = login(users["finance"])
    shown = preview(c, users["finance"], method="manual")
    assert [g.population for g in shown.context["groups"]] == [7, 1]
    rnd = make_round(tree.finance, {tree.school: ["实验小学校园安保服务"]})
    shown = preview(c, users["finance"], method="errors", count="5", round=str(rnd.pk))
    assert [(g.department.name, g.population) for g in shown.context["groups"]] == [
        ("嘉定区教育局", 1)
    ]
    wrong_year = preview(c, users["finance"], count="5", round=str(rnd.pk), year="2023")
    assert "所选填报任务是 2024 年度的，与所填年度不符" in text_of(wrong_year)


def test_draw_form_messages(sent, users):
    c = login(users["finance"])
    cases = [
        ({"count": "", "share": ""}, "请填写抽取张数或抽取比例（二选一）"),
        ({"count": "2", "share": "10"}, "抽取张数和抽取比例只能填一项"),
        ({"share": "120"}, "抽取比例须大于 0 且不超过 100"),
        ({"share": "0"}, "抽取比例须大于 0 且不超过 100"),
        ({"share": "abc"}, "抽取比例须为数字，如 20"),
        ({"count": "0"}, "抽取张数至少为 1"),
        ({"count": "2", "seed": "-1"}, "随机种子须为非负整数"),
        ({"count": "2", "year": "1800"}, "年度：请填写有效的年份（1990–2100）"),
        ({"count": "2", "title": " "}, "请填写批次名称"),
        ({"count": "2", "reviewer": "999999"}, "所选复核人不可用"),
        ({"count": "2", "method": "lottery"}, "请选择抽取方式"),
    ]
    for fields, message in cases:
        r = c.post("/recheck/new/", draw_fields(users["finance"]) | fields)
        assert r.status_code == 400, fields
        assert message in text_of(r), fields
    assert Draw.objects.count() == 0


def test_a_changed_population_between_preview_and_confirm_is_shown_again(sent, users):
    c = login(users["finance"])
    shown = preview(c, users["finance"], method="inflation", count="1")
    send_up(sent["活动经费"], status=Status.RETURNED)  # the top form goes back to its unit
    r = confirm(c, shown)
    assert r.status_code == 400
    assert "自预览以来，可抽取的表已有变化" in text_of(r)
    assert Draw.objects.count() == 0


# --- tasks and notifications ------------------------------------------------------------------


def test_the_reviewer_is_told_and_finds_the_tasks_in_the_inbox(sent, users):
    c = login(users["finance"])
    draw(c, users["admin"], method="inflation", count="1")
    note = Notification.objects.get(recipient=users["admin"])
    assert note.text == "抽查批次“2024年度抽查复核”：请您复核 2 张自评表。"
    assert note.url == "/forms/inbox/#recheck-tasks"
    page = login(users["admin"]).get("/forms/inbox/")
    assert page.status_code == 200
    section = text_of(page).split("抽查复核任务")[1]
    assert "活动经费" in section and "实验小学校园安保服务" in section
    assert re.search(r'id="inbox-count">(\d+)<', page.content.decode())
    # the finance user is not the reviewer: no task in their inbox
    assert "抽查复核任务" not in text_of(login(users["finance"]).get("/forms/inbox/"))


def test_a_department_reviewer_may_not_recheck_their_own_department(sent, users):
    c = login(users["finance"])
    r = preview(c, users["dept"], method="inflation", count="1")
    assert r.status_code == 400
    assert "复核人“dept”属于“江桥镇”，不能复核本部门的自评表（回避），请另选复核人" in text_of(r)
    # 教育局's reviewer may check 江桥镇's forms (drawn by hand: only those)
    shown = preview(c, users["edu"], method="manual")
    confirm(c, shown, ids=[sent["宣传经费"].pk])
    assert RecheckTask.objects.get().reviewer == users["edu"]


def test_reassigning_a_task(sent, users):
    c = login(users["finance"])
    draw(c, users["finance"], method="manual", ids=[sent["宣传经费"].pk])
    task = RecheckTask.objects.get()
    r = c.post(f"/recheck/tasks/{task.pk}/reviewer/", {"reviewer": str(users["dept"].pk)})
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.reviewer == users["finance"]  # refused: 回避
    c.post(f"/recheck/tasks/{task.pk}/reviewer/", {"reviewer": str(users["edu"].pk)})
    task.refresh_from_db()
    assert task.reviewer == users["edu"]
    note = Notification.objects.get(recipient=users["edu"])
    assert note.url == f"/recheck/tasks/{task.pk}/"
    assert "宣传经费" in note.text
    # only 财政 reassigns
    assert (
        login(users["edu"])
        .post(f"/recheck/tasks/{task.pk}/reviewer/", {"reviewer": str(users["admin"].pk)})
        .status_code
        == 403
    )


# --- recording ---------------------------------------------------------------------------------


@pytest.fixture
def task(sent, users):
    """宣传经费 drawn by hand for 教育局's reviewer (outside their own part of the tree)."""
    draw(login(users["finance"]), users["edu"], method="manual", ids=[sent["宣传经费"].pk])
    return RecheckTask.objects.get()


def test_recording_computes_the_totals_and_the_gap(task, users):
    obj = task.form
    c = login(users["edu"])
    page = c.get(f"/recheck/tasks/{task.pk}/")
    assert page.status_code == 200
    assert "宣传物资采购单价" in text_of(page)  # the rows to score, and the form itself
    # 预算执行率 9.99 → 9.00, row 3 (宣传内容与主题契合率, 20 分) 20 → 15.5
    data = scores_of(obj, {0: "9.00", 3: "15.5"})
    data.update(verdict="adjust", conclusion="执行率得分和契合率偏高，按复核调整。")
    r = c.post(f"/recheck/tasks/{task.pk}/", data)
    assert r.status_code == 302
    task.refresh_from_db()
    assert (task.self_total, task.recheck_total, task.gap) == (
        D("99.99"),
        D("94.50"),
        D("-5.49"),
    )
    assert task.done and task.verdict == "adjust" and task.form_version == obj.version
    rows = {s.position: s for s in task.scores.all()}
    assert len(rows) == 8  # 预算执行率 and seven indicators
    assert (rows[0].name, rows[0].weight, rows[0].self_score, rows[0].score, rows[0].gap) == (
        "预算执行率",
        D("10.00"),
        D("9.99"),
        D("9.00"),
        D("-0.99"),
    )
    assert (rows[3].name, rows[3].self_score, rows[3].score, rows[3].gap) == (
        "宣传内容与主题契合率",
        D("20.00"),
        D("15.50"),
        D("-4.50"),
    )
    assert rows[3].opinion == "第3行复核调整"
    assert all(rows[i].gap == 0 for i in (1, 2, 4, 5, 6, 7))
    event = Event.objects.get(form=obj, kind=Event.Kind.RECHECK)
    assert event.comment.startswith(
        "完成抽查复核（批次“2024年度抽查复核”）："
        "复核总分 94.50 分，自评总分 99.99 分，差 -5.49 分。"
    )
    # 财政, who drew it, hears of it
    assert Notification.objects.filter(recipient=users["finance"], form=obj).exists()
    # the form's page, for whoever sees the form, shows 自评 vs 复核 and the gap
    detail = text_of(login(users["filler"]).get(f"/forms/{obj.pk}/"))
    section = detail.split("财政抽查复核")[1]
    assert "自评总分 99.99 复核总分 94.50 差异（复核 − 自评） -5.49" in section
    assert "3 宣传内容与主题契合率 20.00 20.00 15.50 -4.50 第3行复核调整" in section
    assert "- 预算执行率 10.00 9.99 9.00 -0.99" in section
    # the draw's page counts it done
    draw_page = text_of(login(users["finance"]).get(f"/recheck/{task.draw_id}/"))
    assert "1 / 1 已复核" in draw_page
    assert "99.99 94.50 -5.49" in draw_page


def test_recording_again_replaces_the_scores(task, users):
    c = login(users["edu"])
    data = scores_of(task.form, {2: "8"})
    data.update(verdict="adjust", conclusion="初次")
    c.post(f"/recheck/tasks/{task.pk}/", data)
    data = scores_of(task.form)
    data.update(verdict="agree", conclusion="复查后认可")
    c.post(f"/recheck/tasks/{task.pk}/", data)
    task.refresh_from_db()
    assert (task.recheck_total, task.gap, task.verdict) == (D("99.99"), D("0.00"), "agree")
    assert RecheckScore.objects.filter(task=task).count() == 8
    latest = Event.objects.filter(kind=Event.Kind.RECHECK).first()  # newest first
    assert latest is not None and latest.comment.startswith("修改抽查复核")


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({1: "20.01"}, "第1行“宣传物资采购单价” 复核得分：须在 0 到 20.00 之间"),
        ({0: "10.5"}, "预算执行率 复核得分：须在 0 到 10.00 之间"),
        ({1: "-1"}, "第1行“宣传物资采购单价” 复核得分：不能为负数"),
        ({1: "abc"}, "第1行“宣传物资采购单价” 复核得分：“abc”不是有效的数字"),
        ({1: "19.555"}, "第1行“宣传物资采购单价” 复核得分：最多保留 2 位小数"),
        ({1: ""}, "第1行“宣传物资采购单价” 复核得分：请填写"),
    ],
)
def test_score_validation_messages(task, users, changed, message):
    data = scores_of(task.form, changed)
    data.update(verdict="adjust", conclusion="意见")
    r = login(users["edu"]).post(f"/recheck/tasks/{task.pk}/", data)
    assert r.status_code == 400
    assert message in text_of(r)
    task.refresh_from_db()
    assert not task.done and not task.scores.exists()


def test_a_changed_score_needs_an_opinion_and_the_form_a_conclusion(task, users):
    data = scores_of(task.form)
    data["score_2"] = "9"
    r = login(users["edu"]).post(f"/recheck/tasks/{task.pk}/", data)
    assert r.status_code == 400
    page = text_of(r)
    assert "第2行“制作宣传品数量”：复核得分与自评得分不同，请填写复核意见" in page
    assert "请选择复核结论" in page
    assert "请填写对本表的复核意见" in page
    assert 'value="9"' in r.content.decode()  # what was typed stays


def test_a_form_changed_since_the_page_opened_is_refused_once(task, users):
    data = scores_of(task.form)
    data.update(verdict="agree", conclusion="认可", version=str(task.form.version - 1))
    c = login(users["edu"])
    r = c.post(f"/recheck/tasks/{task.pk}/", data)
    assert r.status_code == 409
    assert "表单在您打开本页后已被修改" in text_of(r)
    assert not RecheckTask.objects.get().done
    data["version"] = str(task.form.version)
    assert c.post(f"/recheck/tasks/{task.pk}/", data).status_code == 302


# --- who may do what ---------------------------------------------------------------------------


def test_only_finance_draws(sent, users):
    for who in ("filler", "unit_reviewer", "dept", "edu"):
        c = login(users[who])
        assert c.get("/recheck/").status_code == 403, who
        assert c.get("/recheck/new/").status_code == 403, who
        assert preview(c, users["finance"], count="1").status_code == 403, who
    assert login(users["admin"]).get("/recheck/new/").status_code == 200
    assert Draw.objects.count() == 0


def test_scoping_of_draws_and_tasks(task, users, sent):
    obj = task.form
    edu = login(users["edu"])
    # the named reviewer sees the task's form on the task page, not elsewhere
    assert edu.get(f"/recheck/tasks/{task.pk}/").status_code == 200
    assert edu.get(f"/forms/{obj.pk}/").status_code == 404
    assert edu.get(f"/recheck/{task.draw_id}/").status_code == 404
    # someone not named sees no task; 财政 sees it and may not record
    for who in ("dept", "filler", "school_filler"):
        assert login(users[who]).get(f"/recheck/tasks/{task.pk}/").status_code == 404, who
    fin = login(users["finance"])
    page = fin.get(f"/recheck/tasks/{task.pk}/")
    assert page.status_code == 200 and 'name="score_1"' not in page.content.decode()
    data = scores_of(obj)
    data.update(verdict="agree", conclusion="认可")
    assert fin.post(f"/recheck/tasks/{task.pk}/", data).status_code == 403
    assert login(users["admin"]).post(f"/recheck/tasks/{task.pk}/", data).status_code == 403
    assert not RecheckTask.objects.get().done


@pytest.mark.parametrize(
    "url",
    [
        "/recheck/99999999999999999999/",
        "/recheck/0/",
        "/recheck/tasks/abc/",
        "/recheck/tasks/123456/",
        "/recheck/tasks/99999999999999999999/reviewer/",
    ],
)
def test_bad_ids_are_404(sent, users, url):
    c = login(users["finance"])
    response = c.post(url, {}) if url.endswith("reviewer/") else c.get(url)
    assert response.status_code == 404


def test_pages_are_in_chinese(task, users):
    fin = login(users["finance"])
    for url in ("/recheck/", "/recheck/new/", f"/recheck/{task.draw_id}/"):
        page = text_of(fin.get(url))
        assert "抽查" in page
        assert not re.search(r"None|True|False|Submit", page), url
    page = text_of(login(users["edu"]).get(f"/recheck/tasks/{task.pk}/"))
    assert "复核得分" in page and "None" not in page


# --- the department's summary ------------------------------------------------------------------


def test_results_in_the_shape_the_summary_takes(task, users, tree, sent):
    data = scores_of(task.form, {0: "9.00", 3: "15.5"})
    data.update(verdict="adjust", conclusion="调整")
    login(users["edu"]).post(f"/recheck/tasks/{task.pk}/", data)
    (result,) = recheck_results(tree.jiangqiao, 2024)
    assert (result.project, result.unit, result.self_total, result.recheck_total, result.gap) == (
        "宣传经费",
        tree.chengyun.name,
        D("99.99"),
        D("94.50"),
        D("-5.49"),
    )
    assert result.largest_row is not None
    assert (result.largest_row.name, result.largest_row.gap) == ("宣传内容与主题契合率", D("-4.50"))
    assert result.conclusion == "部分认可，复核调整得分"
    assert recheck_results(tree.education) == []
    assert recheck_results(tree.jiangqiao, 2023) == []
    assert len(recheck_results(tree.finance)) == 1
    assert len(recheck_results(tree.finance, 2024, forms=[task.form_id])) == 1
    assert recheck_results(tree.finance, 2024, forms=[sent["活动经费"].pk]) == []
    # into the summary
    shanghai = load_policy("shanghai")
    forms = [f.form for f in EvaluationForm.objects.filter(organisation=tree.chengyun)]
    s = summarize(audit_forms(forms, shanghai), shanghai, rechecks=recheck_results(tree.jiangqiao))
    four = [b for b in sections(s)[3].blocks if isinstance(b, str)]
    assert any(
        "财政抽查复核（财预〔2020〕10号 第十九条）已完成 1 张自评表" in b and "-5.49" in b
        for b in four
    )


def test_the_reviewer_reads_the_forms_evidence_through_the_task(task, users, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    att = Attachment(
        form=task.form,
        row=3,
        indicator="宣传内容与主题契合率",
        name="问卷调查报告.pdf",
        kind="pdf",
        content_type="application/pdf",
        size=len(pdf),
        sha256="0" * 64,
    )
    att.file.save("x.pdf", ContentFile(pdf), save=True)
    edu = login(users["edu"])
    page = text_of(edu.get(f"/recheck/tasks/{task.pk}/"))
    assert "佐证材料 第3行“宣传内容与主题契合率” 问卷调查报告.pdf" in page
    r = edu.get(f"/recheck/tasks/{task.pk}/evidence/{att.pk}/")
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == pdf
    assert r["Content-Security-Policy"] == "default-src 'none'; sandbox"
    # not through the form's own pages, and not for someone not named
    assert edu.get(f"/forms/{task.form_id}/evidence/{att.pk}/").status_code == 404
    other = login(users["dept"])
    assert other.get(f"/recheck/tasks/{task.pk}/evidence/{att.pk}/").status_code == 404
    assert edu.get(f"/recheck/tasks/{task.pk}/evidence/{att.pk + 1}/").status_code == 404
