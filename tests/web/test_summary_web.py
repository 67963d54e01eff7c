"""The 部门项目支出绩效自评总结报告 on the web: chosen by node, year, 填报任务 and states, made by
a job, downloaded as Word and PDF with the right figures; who may have it (403 / 404).

Tasks run inside the request here (conftest.py), so the job is done when the POST returns.
"""

from __future__ import annotations

import io

import pdfplumber
import pytest
from docx import Document

from jixiao.summary import HEADINGS
from jixiao.web.models import EvaluationForm, Job, Status
from jixiao.web.recheck.models import RecheckTask
from tests.web.conftest import SEED_UNIT, login, make_user
from tests.web.recheck_helpers import draw, scores_of, send_up
from tests.web.rounds_helpers import make_round

pytestmark = pytest.mark.django_db

MISSING = "未报项目甲"
SQ_PROJECT = "社区事务受理项目"


@pytest.fixture
def states(seed):
    """Six seed forms 审核通过, two 主管部门审核中, one 草稿 (the last by project name)."""
    ordered = sorted(seed, key=lambda o: o.project)
    for obj in ordered[:6]:
        obj.status = Status.APPROVED
    for obj in ordered[6:8]:
        obj.status = Status.DEPARTMENT_REVIEW
    for obj in ordered:
        obj.save(update_fields=["status"])
    return ordered


@pytest.fixture
def rnd(tree, seed, seed_forms):
    """The 2024 round: the seed unit's nine projects and one not reported; one project of
    江桥镇's other unit (not reported); the school's one project."""
    return make_round(
        tree.finance,
        {
            tree.chengyun: [f.project for f in seed_forms] + [MISSING],
            tree.shequ: [SQ_PROJECT],
            tree.school: ["实验小学校园安保服务"],
        },
    )


def post(client, data: dict) -> Job:
    r = client.post("/summary/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    job = Job.objects.get(pk=int(r["Location"].strip("/").split("/")[-1]))
    assert r["Location"] == f"/jobs/{job.pk}/"
    return job


def download(client, job: Job) -> bytes:
    job.refresh_from_db()
    assert job.state == "done", job.error
    r = client.get(f"/jobs/{job.pk}/download/")
    assert r.status_code == 200
    assert "attachment" in r["Content-Disposition"]
    return b"".join(r.streaming_content)


def docx_texts(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "".join("".join((page.extract_text() or "").split()) for page in pdf.pages)


def test_department_report_as_word_with_the_rounds_coverage(tree, users, states, rnd):
    c = login(users["dept"])
    job = post(
        c,
        {
            "node": tree.jiangqiao.pk,
            "year": 2024,
            "round": rnd.pk,
            "states": "submitted",
            "to": "docx",
        },
    )
    assert job.title == "总结报告（Word）：江桥镇 2024年度"
    assert job.result_name == "江桥镇2024年度项目支出绩效自评总结报告.docx"
    assert (job.done, job.total) == (8, 8)
    texts = docx_texts(download(c, job))
    assert texts[0] == "江桥镇2024年度部门项目支出绩效自评总结报告"
    assert [t for t in texts if t in HEADINGS] == list(HEADINGS)
    # expected: the round's projects of 江桥镇's two units (10 + 1); covered: 8 sent for review
    assert "应开展绩效自评的项目 11 个，已提交自评表 8 张，自评覆盖率 72.73%。" in texts
    assert (
        "纳入本报告的自评表：江桥镇及其下属单位中填报任务“2024年度项目支出绩效自评”所列单位"
        "2024年度的自评表，状态为审核中或审核通过（已送审），共 8 张。"
    ) in texts
    missing = next(t for t in texts if t.startswith("尚未提交自评表的项目"))
    assert missing == (
        f"尚未提交自评表的项目 3 个：{states[8].project}（{SEED_UNIT}，草稿）、"
        f"{MISSING}（{SEED_UNIT}，未开始）、{SQ_PROJECT}（江桥镇社区事务受理服务中心，未开始）。"
    )
    assert "实验小学" not in "".join(texts)  # the other 主管部门's unit is not in the subtree


def test_the_states_chosen_change_forms_and_coverage(tree, users, states, rnd):
    c = login(users["finance"])
    approved = docx_texts(
        download(
            c,
            post(
                c,
                {
                    "node": tree.jiangqiao.pk,
                    "year": 2024,
                    "round": rnd.pk,
                    "states": "approved",
                    "to": "docx",
                },
            ),
        )
    )
    assert "应开展绩效自评的项目 11 个，已提交自评表 6 张，自评覆盖率 54.55%。" in approved
    assert any(t.startswith("本报告汇总江桥镇2024年度项目支出绩效自评表 6 张") for t in approved)
    every = docx_texts(
        download(
            c,
            post(
                c,
                {
                    "node": tree.jiangqiao.pk,
                    "year": 2024,
                    "round": rnd.pk,
                    "states": "all",
                    "to": "docx",
                },
            ),
        )
    )
    assert "应开展绩效自评的项目 11 个，已提交自评表 9 张，自评覆盖率 81.82%。" in every
    assert any("全部状态（含草稿和被退回），共 9 张" in t for t in every)


def test_leaf_unit_report_as_pdf(tree, users, states, rnd):
    c = login(users["unit_reviewer"])
    job = post(
        c,
        {
            "node": tree.chengyun.pk,
            "year": 2024,
            "round": rnd.pk,
            "states": "submitted",
            "to": "pdf",
        },
    )
    assert job.result_name == f"{SEED_UNIT}2024年度项目支出绩效自评总结报告.pdf"
    text = pdf_text(download(c, job))
    assert f"{SEED_UNIT}2024年度部门项目支出绩效自评总结报告" in text
    for heading in HEADINGS:
        assert heading in text
    assert "应开展绩效自评的项目10个，已提交自评表8张，自评覆盖率80.00%。" in text
    assert "江桥镇社区事务受理服务中心" not in text  # not the leaf's


def test_all_nine_seed_forms_without_a_round_give_the_seed_totals(tree, users, states):
    c = login(users["filler"])
    data = download(
        c, post(c, {"node": tree.chengyun.pk, "year": 2024, "states": "all", "to": "pdf"})
    )
    text = pdf_text(data)
    assert "全年预算数合计4265.08万元" in text
    assert "全年执行数合计3950.85万元，总体预算执行率92.63%" in text
    assert "已提交自评表9张（未提供应开展自评的项目数，覆盖率无法计算）" in text
    words = docx_texts(
        download(
            c, post(c, {"node": tree.chengyun.pk, "year": 2024, "states": "all", "to": "docx"})
        )
    )
    assert (
        f"纳入本报告的自评表：{SEED_UNIT}2024年度的自评表，全部状态（含草稿和被退回），共 9 张。"
        in words
    )


def test_the_page_starts_from_the_button_and_names_the_choices(tree, users, rnd):
    c = login(users["finance"])
    page = c.get(f"/summary/?round={rnd.pk}&year=2024&node={tree.jiangqiao.pk}").content.decode()
    assert f'<option value="{tree.jiangqiao.pk}" selected>' in page
    assert (
        f'<option value="{rnd.pk}" selected>2024年度项目支出绩效自评（2024年度）</option>' in page
    )
    assert 'value="submitted" id="id_states_0" required checked> 已送审的表' in page
    for label in ("已送审的表（审核中和审核通过）", "仅审核通过的表", "全部表（含草稿和被退回）"):
        assert label in page
    assert "生成 Word（.docx）" in page and "生成 PDF" in page
    assert "<script>" not in page  # strict CSP: no inline script
    # from a node alone: the year's newest round with a unit under it is chosen
    page = c.get(f"/summary/?node={tree.chengyun.pk}").content.decode()
    assert f'<option value="{rnd.pk}" selected>' in page
    page = c.get(f"/summary/?node={tree.chengyun.pk}&year=2023").content.decode()
    assert '<option value="" selected>不按填报任务（不计算覆盖率）</option>' in page
    # where the buttons are
    assert (
        f'href="/summary/?node={users["finance"].profile.organisation.pk}'
        in c.get("/dashboard/").content.decode()
    )
    progress = c.get(f"/rounds/{rnd.pk}/").content.decode()
    assert f"/summary/?round={rnd.pk}&amp;year=2024&amp;node={tree.jiangqiao.pk}" in progress
    units = c.get("/manage/units/").content.decode()
    assert f'href="/summary/?node={tree.school.pk}"' in units
    assert 'href="/summary/">总结报告</a>' in c.get("/forms/").content.decode()


def test_scope_refusals(tree, users, states, rnd, school_form):
    dept = login(users["dept"])
    # another 主管部门's node, by link or by POST: 404, no job
    assert dept.get(f"/summary/?node={tree.education.pk}").status_code == 404
    assert dept.get(f"/summary/?node={tree.school.pk}").status_code == 404
    data = {"node": tree.school.pk, "year": 2024, "states": "all", "to": "pdf"}
    assert dept.post("/summary/", data).status_code == 404
    assert dept.post("/summary/", {**data, "node": tree.finance.pk}).status_code == 404
    # a unit: its own node only
    filler = login(users["filler"])
    assert filler.get(f"/summary/?node={tree.jiangqiao.pk}").status_code == 404
    assert filler.post("/summary/", {**data, "node": tree.shequ.pk}).status_code == 404
    # ids no row can have
    for bad in ("abc", "０１", "99999999999999999999", "-1", "0"):
        assert dept.get(f"/summary/?node={bad}").status_code == 404
        assert dept.post("/summary/", {**data, "node": bad}).status_code == 404
    assert dept.get(f"/summary/?round={rnd.pk + 1}").status_code == 404
    # a user with no place in the tree: 403
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", password="x-pw-0")
    assert login(root).get("/summary/").status_code == 403
    assert not Job.objects.exists()
    # 财政 sees every node; another user's job stays theirs
    job = post(login(users["finance"]), {**data, "node": tree.school.pk})
    assert dept.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert login(users["edu"]).get(f"/jobs/{job.pk}/").status_code == 404


def test_choices_that_give_no_report_are_explained(tree, users, states, rnd):
    c = login(users["dept"])
    base = {"node": tree.jiangqiao.pk, "year": 2024, "states": "submitted", "to": "docx"}
    r = c.post("/summary/", {**base, "year": 2023})
    assert r.status_code == 400
    assert "年度：" in r.content.decode()  # 2023 is not one of the offered years
    r = c.post("/summary/", {**base, "round": rnd.pk, "year": 2025})
    assert r.status_code == 400
    other = make_round(tree.finance, {tree.school: ["x"]}, title="教育局专项任务")
    r = c.post("/summary/", {**base, "round": other.pk})
    assert r.status_code == 404  # a round with none of 江桥镇's units is not 江桥镇's to see
    fin = login(users["finance"])
    r = fin.post("/summary/", {**base, "round": other.pk})
    assert r.status_code == 400
    assert "填报任务“教育局专项任务”中没有“江桥镇”或其下属单位" in r.content.decode()
    EvaluationForm.objects.update(status=Status.DRAFT)
    r = c.post("/summary/", {**base, "states": "approved"})
    assert r.status_code == 400
    assert "没有符合条件的表，请换一个年度，或选择统计全部表" in r.content.decode()
    r = c.post("/summary/", {**base, "to": "xlsx"})
    assert "格式只能是 Word 或 PDF" in r.content.decode()
    assert not Job.objects.exists()


def test_the_job_fails_in_chinese_when_the_forms_are_gone(tree, users, states, settings):
    from jixiao.web import summaries
    from jixiao.web.summaries import Selection

    user = users["dept"]
    selection = Selection(tree.jiangqiao, 2024, None, "approved")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = summaries.start(user, selection, "pdf", 6)
    assert job.state == "queued" and job.params == {
        "node": tree.jiangqiao.pk,
        "year": 2024,
        "round": None,
        "states": "approved",
        "to": "pdf",
    }
    EvaluationForm.objects.update(status=Status.RETURNED)
    from jixiao.web import jobs

    jobs.execute(job.pk, job.attempt)
    job.refresh_from_db()
    assert job.state == "failed"
    assert job.error.startswith("没有符合条件的自评表")
    # the user moved away from 江桥镇: the node is no longer theirs
    other = make_user("moved", tree.education, "department_reviewer")
    late = summaries.start(other, selection, "docx", 6)
    jobs.execute(late.pk, late.attempt)
    late.refresh_from_db()
    assert late.error == "单位或填报任务已不存在，或已不在您的管辖范围内"


def test_the_report_counts_the_rechecks_of_its_forms(tree, users, seed, school_form):
    """A 复核 recorded on one of the report's forms appears in section 四 with its gap; a
    report without that form (another node) says no 复核 is done."""
    send_up(*seed)
    xuanchuan = next(o for o in seed if o.project == "宣传经费")
    draw(login(users["finance"]), users["edu"], method="manual", ids=[xuanchuan.pk])
    task = RecheckTask.objects.get()
    data = scores_of(xuanchuan, {0: "9.00", 3: "15.5"})  # 99.99 → 94.50
    data.update(verdict="adjust", conclusion="执行率得分和契合率偏高。")
    assert login(users["edu"]).post(f"/recheck/tasks/{task.pk}/", data).status_code == 302
    c = login(users["finance"])
    fields = {"year": 2024, "round": "", "states": "all", "to": "docx"}
    texts = docx_texts(download(c, post(c, {**fields, "node": tree.jiangqiao.pk})))
    line = next(t for t in texts if t.startswith("财政抽查复核"))
    assert "已完成 1 张自评表" in line and "复核总分低于自评总分的 1 张" in line
    assert "差异最大的是宣传经费（自评 99.99 分，复核 94.50 分，差 -5.49 分）" in line
    other = docx_texts(download(c, post(c, {**fields, "node": tree.school.pk})))
    assert any("尚无已完成复核的自评表" in t for t in other)
