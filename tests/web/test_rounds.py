"""填报任务: opening and editing a round, project lists typed and imported, progress counts,
overdue units, scoping, the Excel export, deadlines in 待办 and the demo round."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from jixiao.web.models import EvaluationForm, Job
from jixiao.web.rounds.export import progress_workbook
from jixiao.web.rounds.models import Round, RoundProject, RoundUnit
from jixiao.web.rounds.progress import compute
from tests.web.conftest import SEED_JSON, login
from tests.web.rounds_helpers import make_round, xlsx

pytestmark = pytest.mark.django_db
FUTURE = (datetime.date.today() + datetime.timedelta(days=20)).isoformat()


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- opening and editing ------------------------------------------------------------------


def test_only_finance_opens_rounds(tree, users):
    for who in ("filler", "unit_reviewer", "dept"):
        assert login(users[who]).get("/rounds/new/").status_code == 403
    assert login(users["finance"]).get("/rounds/new/").status_code == 200
    assert login(users["admin"]).get("/rounds/new/").status_code == 200


def test_open_round_validation_messages(tree, users):
    c = login(users["finance"])
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    r = c.post("/rounds/new/", {"title": " ", "year": "2024", "deadline": yesterday})
    assert r.status_code == 400
    page = text_of(r)
    assert "请填写任务名称" in page
    assert "截止日期不能早于今天" in page
    assert "请至少选择一个主管部门或预算单位，或导入项目清单" in page
    r = c.post("/rounds/new/", {"title": "任务", "year": "1800", "deadline": "2025-13-40"})
    page = text_of(r)
    assert "年度：请填写有效的年份（1990–2100）" in page
    assert "截止日期格式应为 2025-06-30" in page
    # a unit of the tree of another 财政局 cannot be chosen
    r = c.post(
        "/rounds/new/",
        {"title": "任务", "year": "2024", "deadline": FUTURE, "scope": ["999999"]},
    )
    assert "所选单位不在本财政局管辖范围内" in text_of(r)
    assert Round.objects.count() == 0


def test_open_round_whole_department_and_single_unit(tree, users):
    c = login(users["finance"])
    r = c.post(
        "/rounds/new/",
        {
            "title": "2024年度项目支出绩效自评",
            "year": "2024",
            "deadline": FUTURE,
            "scope": [str(tree.jiangqiao.pk), str(tree.school.pk)],
        },
    )
    rnd = Round.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/rounds/{rnd.pk}/"
    assert rnd.organisation == tree.finance
    assert rnd.created_by == users["finance"]
    units = set(rnd.units.values_list("organisation__name", flat=True))
    assert units == {tree.chengyun.name, tree.shequ.name, tree.school.name}


def test_edit_round_extends_deadline_and_removes_a_unit(tree, users):
    rnd = make_round(
        tree.finance,
        {tree.chengyun: ["甲项目"], tree.shequ: ["乙项目"]},
        deadline=datetime.date(2025, 3, 1),
    )
    c = login(users["finance"])
    page = c.get(f"/rounds/{rnd.pk}/edit/").content.decode()
    assert f'value="{tree.chengyun.pk}" checked' in page
    r = c.post(
        f"/rounds/{rnd.pk}/edit/",
        {
            "title": "延期后的任务",
            "year": "2024",
            "deadline": "2025-04-30",
            "scope": [tree.chengyun.pk],
        },
    )
    assert r.status_code == 302
    rnd.refresh_from_db()
    assert (rnd.title, rnd.deadline) == ("延期后的任务", datetime.date(2025, 4, 30))
    assert list(rnd.units.values_list("organisation", flat=True)) == [tree.chengyun.pk]
    assert list(rnd.projects.values_list("name", flat=True)) == ["甲项目"]
    # editing refuses what opening refuses, and nobody but 财政 may edit
    r = c.post(f"/rounds/{rnd.pk}/edit/", {"title": "", "year": "二〇二四", "deadline": ""})
    assert r.status_code == 400
    assert {"请填写任务名称", "年度须为整数", "请填写截止日期"} <= set(
        re.findall(r"<li>[^：<]*：([^<]*)</li>", r.content.decode())
    )
    assert login(users["dept"]).get(f"/rounds/{rnd.pk}/edit/").status_code == 403
    assert (
        login(users["filler"]).post(f"/rounds/{rnd.pk}/close/", {"closed": "1"}).status_code == 403
    )
    c.post(f"/rounds/{rnd.pk}/close/", {"closed": "1"})
    assert Round.objects.get(pk=rnd.pk).closed


# --- project lists --------------------------------------------------------------------------


def test_typed_project_list(tree, users):
    rnd = make_round(tree.finance, {tree.chengyun: []})
    url = f"/rounds/{rnd.pk}/units/{tree.chengyun.pk}/"
    c = login(users["finance"])
    r = c.post(url, {"projects": "道路保洁项目\n\n绿化养护项目\n 道路保洁项目 \n" + "长" * 301})
    assert r.status_code == 400
    page = text_of(r)
    assert f"{tree.chengyun.name} 第4行：项目“道路保洁项目”与第1行重复" in page
    assert f"{tree.chengyun.name} 第5行：项目名称不能超过 300 个字" in page
    assert not RoundProject.objects.exists()
    r = c.post(url, {"projects": "道路保洁项目\n绿化养护项目\n", "deadline": "2025-05-31"})
    assert r.status_code == 302
    assert list(rnd.projects.values_list("name", flat=True)) == ["道路保洁项目", "绿化养护项目"]
    assert RoundUnit.objects.get(round=rnd).deadline == datetime.date(2025, 5, 31)
    RoundProject.objects.filter(name="绿化养护项目").update(code="P-02")
    c.post(url, {"projects": "绿化养护项目\n河道整治项目"})
    got = list(rnd.projects.values_list("name", "code"))
    assert got == [("绿化养护项目", "P-02"), ("河道整治项目", "")]
    # only 财政 edits lists
    assert login(users["filler"]).post(url, {"projects": "x"}).status_code == 403


def upload(data: bytes, name: str = "项目清单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_import_project_list_from_xlsx(tree, users):
    data = xlsx(
        [
            ["2024年度自评项目清单"],
            ["单位名称", "项目名称", "项目编码", "金额（万元）"],
            [tree.chengyun.name, "道路保洁项目", "31011400001", 956.64],
            [tree.chengyun.name, " 绿化养护项目 ", None, "1,245.5"],
            [],
            [tree.school.name, "校园安保服务", 2024001, None],
        ]
    )
    c = login(users["finance"])
    r = c.post(
        "/rounds/new/",
        {"title": "清单导入", "year": "2024", "deadline": FUTURE, "project_file": upload(data)},
    )
    assert r.status_code == 302, text_of(r)
    rnd = Round.objects.get()
    assert set(rnd.units.values_list("organisation", flat=True)) == {
        tree.chengyun.pk,
        tree.school.pk,
    }
    got = {(p.organisation_id, p.name, p.code, p.amount) for p in rnd.projects.all()}
    assert got == {
        (tree.chengyun.pk, "道路保洁项目", "31011400001", 95664),
        (tree.chengyun.pk, "绿化养护项目", "", 124550),
        (tree.school.pk, "校园安保服务", "2024001", None),
    }
    # importing again updates 编码/金额 and adds, keeping what is there
    again = xlsx(
        [
            ["单位名称", "项目名称", "金额"],
            [tree.chengyun.name, "道路保洁项目", 1000],
            [tree.chengyun.name, "新项目", ""],
        ]
    )
    r = c.post(
        f"/rounds/{rnd.pk}/edit/",
        {
            "title": "清单导入",
            "year": "2024",
            "deadline": FUTURE,
            "scope": [tree.chengyun.pk, tree.school.pk],
            "project_file": upload(again),
        },
    )
    assert r.status_code == 302
    assert rnd.projects.get(name="道路保洁项目").amount == 100000
    assert rnd.projects.count() == 4


def test_import_bad_rows_are_named_and_nothing_is_saved(tree, users):
    data = xlsx(
        [
            ["单位名称", "项目名称", "金额"],
            [tree.chengyun.name, "道路保洁项目", 10],
            ["不存在的单位", "甲项目", 1],
            [tree.chengyun.name, "", 1],
            [tree.chengyun.name, "乙项目", "十万"],
            [tree.chengyun.name, "道路 保洁项目", 1],
            [tree.jiangqiao.name, "部门项目", 1],
        ]
    )
    c = login(users["finance"])
    r = c.post(
        "/rounds/new/",
        {
            "title": "清单导入",
            "year": "2024",
            "deadline": FUTURE,
            "project_file": upload(data, "清单.xlsx"),
        },
    )
    assert r.status_code == 400
    page = text_of(r)
    assert "清单.xlsx 第3行：找不到预算单位“不存在的单位”" in page
    assert "清单.xlsx 第4行：缺少项目名称" in page
    assert "清单.xlsx 第5行：金额“十万”不是有效的非负数" in page
    assert f"清单.xlsx 第6行：{tree.chengyun.name}的项目“道路 保洁项目”与第2行重复" in page
    assert "清单.xlsx 第7行：找不到预算单位“江桥镇”" in page  # a 主管部门 is not a 预算单位
    assert not Round.objects.exists() and not RoundProject.objects.exists()
    for content, message in (
        (b"not a workbook", "清单.xlsx：不是有效的 .xlsx 工作簿"),
        (xlsx([["名称", "金额"], ["a", 1]]), "清单.xlsx：前 10 行中找不到表头"),
        (xlsx([["项目名称"], ["a"]]), "清单.xlsx：第1行表头缺少“单位名称”或“单位编码”列"),
    ):
        r = c.post(
            "/rounds/new/",
            {
                "title": "x",
                "year": "2024",
                "deadline": FUTURE,
                "project_file": upload(content, "清单.xlsx"),
            },
        )
        assert message in text_of(r)
    r = c.post(
        "/rounds/new/",
        {
            "title": "x",
            "year": "2024",
            "deadline": FUTURE,
            "project_file": upload(b"a,b", "清单.csv"),
        },
    )
    assert "清单.csv：项目清单须为 .xlsx 文件" in text_of(r)
    assert not Round.objects.exists()


def test_template_workbook(tree, users):
    r = login(users["filler"]).get("/rounds/template.xlsx")
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["项目清单", "说明"]
    head = [c.value for c in book["项目清单"][1]]
    assert head == ["单位名称", "单位编码", "项目名称", "项目编码", "金额（万元）"]


# --- progress -------------------------------------------------------------------------------


@pytest.fixture
def staged(tree, seed):
    """A round over the seed unit: 8 of its 9 forms listed (in five states) plus one project
    without a form; the 9th form is 名单外. The 社区 unit lists a seed project name: another
    unit's form does not count for it."""
    states = {0: "unit_review", 1: "department_review", 2: "approved", 3: "returned"}
    for i, status in states.items():
        EvaluationForm.objects.filter(pk=seed[i].pk).update(status=status)
    names = [f.project for f in seed[:8]]
    names[4] = " " + names[4].replace("", " ").strip() + " "  # whitespace does not matter
    rnd = make_round(
        tree.finance,
        {tree.chengyun: [*names, "尚未填报的项目"], tree.shequ: [seed[0].project]},
        deadline=datetime.date(2025, 6, 30),
    )
    return rnd


def test_progress_counts(staged, tree, seed):
    p = compute(staged, staged.units.all(), now=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC))
    by_unit = {u.unit.pk: u for u in p.units}
    cy = by_unit[tree.chengyun.pk]
    assert cy.counts == {"not_started": 1, "draft": 4, "review": 2, "returned": 1, "approved": 1}
    assert (cy.expected, cy.submitted, cy.percent) == (9, 3, 33)
    assert [i.form.pk for i in cy.unlisted] == [seed[8].pk]
    assert cy.items[4].form.pk == seed[4].pk
    assert cy.days_left == 29 and not cy.overdue
    sq = by_unit[tree.shequ.pk]
    assert sq.counts["not_started"] == 1 and sq.expected == 1
    assert (p.expected, p.submitted) == (10, 3)
    assert [d.department.name for d in p.departments] == ["江桥镇"]


def test_progress_page(staged, tree, users, seed):
    c = login(users["finance"])
    r = c.get(f"/rounds/{staged.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    row = re.search(
        rf'<tr class="unit overdue" data-unit="{tree.chengyun.pk}">(.*?)</tr>', html, re.S
    )
    assert row is not None
    cells = re.findall(r'<td class="num[^"]*">(\d+)</td>', row.group(1))
    assert cells == ["9", "1", "4", "2", "1", "1", "1"]  # 应报, five stages, 名单外
    assert "3 / 9" in row.group(1)
    r = c.get(f"/rounds/{staged.pk}/units/{tree.chengyun.pk}/")
    page = text_of(r)
    assert "尚未填报的项目 未导入 未导入 未开始" in page  # 申报表, 监控表, 自评
    assert f"{seed[8].project} 草稿 名单外" in page
    assert f'href="/forms/{seed[2].pk}/"' in r.content.decode()


def test_overdue_units(staged, tree, users, seed):
    after = datetime.datetime(2025, 7, 3, 12, tzinfo=datetime.UTC)
    p = compute(staged, staged.units.all(), now=after)
    cy = next(u for u in p.units if u.unit == tree.chengyun)
    assert cy.overdue and cy.days_late == 3
    assert p.overdue_units == 2
    # a unit with everything submitted is not overdue; a unit's own later deadline counts
    RoundProject.objects.filter(round=staged, organisation=tree.shequ).delete()
    RoundUnit.objects.filter(round=staged, organisation=tree.chengyun).update(
        deadline=datetime.date(2025, 7, 10)
    )
    p = compute(staged, staged.units.all(), now=after)
    assert [u.overdue for u in p.units] == [False, False]
    # the page marks the overdue unit (its deadline in the past today)
    RoundUnit.objects.filter(round=staged, organisation=tree.chengyun).update(deadline=None)
    html = login(users["finance"]).get(f"/rounds/{staged.pk}/").content.decode()
    assert f'<tr class="unit overdue" data-unit="{tree.chengyun.pk}">' in html
    assert f'<tr class="unit" data-unit="{tree.shequ.pk}">' in html


def exported(client, pk: int) -> bytes:
    """The progress workbook through its job (tests run jobs in the request)."""
    r = client.post(f"/rounds/{pk}/export.xlsx")
    assert r.status_code == 302
    job = Job.objects.get(pk=int(r["Location"].strip("/").split("/")[-1]))
    assert job.state == "done" and job.result_name.endswith("-进度.xlsx"), job.error
    download = client.get(f"/jobs/{job.pk}/download/")
    return b"".join(download.streaming_content)


def test_scoping(staged, tree, users, school_form):
    pk = staged.pk
    # a unit sees only its own list
    c = login(users["filler"])
    html = c.get(f"/rounds/{pk}/").content.decode()
    assert tree.chengyun.name in html and tree.shequ.name not in html
    assert c.get(f"/rounds/{pk}/units/{tree.shequ.pk}/").status_code == 404
    assert c.get(f"/rounds/{pk}/units/{tree.chengyun.pk}/").status_code == 200
    book = load_workbook(io.BytesIO(exported(c, pk)))
    assert [r[1] for r in book["按单位"].iter_rows(min_row=3, values_only=True)][:-1] == [
        tree.chengyun.name
    ]
    # the 主管部门 sees its units; another department's users see nothing of the round
    html = login(users["dept"]).get(f"/rounds/{pk}/").content.decode()
    assert tree.chengyun.name in html and tree.shequ.name in html
    for who in ("edu", "school_filler"):
        c = login(users[who])
        assert c.get(f"/rounds/{pk}/").status_code == 404
        assert c.get(f"/rounds/{pk}/units/{tree.chengyun.pk}/").status_code == 404
        assert c.post(f"/rounds/{pk}/export.xlsx").status_code == 404
        assert "2024年度项目支出绩效自评" not in c.get("/rounds/").content.decode()
    # a unit of the round outside the viewer's tree, asked for in the URL: 404
    RoundUnit.objects.create(round=staged, organisation=tree.school)
    assert login(users["dept"]).get(f"/rounds/{pk}/units/{tree.school.pk}/").status_code == 404
    assert login(users["finance"]).get(f"/rounds/{pk}/units/{tree.school.pk}/").status_code == 200


def test_export_content(staged, tree, seed):
    data = progress_workbook(staged, now=datetime.datetime(2025, 7, 3, tzinfo=datetime.UTC))
    book = load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames == ["按单位", "按项目"]
    units = list(book["按单位"].iter_rows(values_only=True))
    assert units[1][:4] == ("主管部门", "预算单位", "截止日期", "应报项目数")
    assert units[2] == (
        "江桥镇",
        tree.chengyun.name,
        "2025-06-30",
        9,
        1,
        4,
        2,
        1,
        1,
        3,
        33,
        "逾期",
        1,
    )
    assert units[3][:4] == ("江桥镇", tree.shequ.name, "2025-06-30", 1)
    assert units[4][:4] == ("合计", "2 个单位", None, 10)
    projects = list(book["按项目"].iter_rows(values_only=True))
    assert projects[0][3] == "项目名称"
    rows = {r[3]: r for r in projects[1:]}
    assert rows[seed[2].project][5:] == ("审核通过", seed[2].pk, "是")
    assert rows["尚未填报的项目"][5:] == ("未开始", None, "是")
    assert rows[seed[8].project][5:] == ("草稿", seed[8].pk, "名单外")
    assert len(projects) == 1 + 9 + 1 + 1  # header, the seed unit's list and 名单外, 社区's one


def test_export_writes_no_formula_from_a_project_name(staged, tree):
    from jixiao.web.rounds.models import RoundProject

    RoundProject(round=staged, organisation=tree.chengyun, name='=HYPERLINK("x","点我")').save()
    data = progress_workbook(staged)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in z.read(n) for n in sheets)
    rows = list(
        load_workbook(io.BytesIO(data), read_only=True)["按项目"].iter_rows(values_only=True)
    )
    assert '=HYPERLINK("x","点我")' in {r[3] for r in rows}


# --- 待办 ---------------------------------------------------------------------------------


def test_deadlines_and_missing_projects_in_inbox(staged, tree, users):
    c = login(users["filler"])
    html = c.get("/forms/inbox/").content.decode()
    section = html.split('id="round-deadlines"')[1].split("</section>")[0]
    assert "2025-06-30" in section
    assert re.search(r'<tr class="overdue">', section)  # the deadline is in the past
    assert "已逾期" in section and "3 / 9" in section
    assert "尚未填报的项目" in section
    assert '<input type="hidden" name="project" value="尚未填报的项目">' in section
    # the button posts its hidden fields to the ordinary 新建 page
    button = re.search(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', section, re.S)
    assert button is not None and button.group(1) == "/forms/new/"
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', button.group(2)))
    assert fields.pop("csrfmiddlewaretoken")
    assert fields == {"unit": str(tree.chengyun.pk), "year": "2024", "project": "尚未填报的项目"}
    r = c.post(button.group(1), fields)
    assert r.status_code == 302
    assert EvaluationForm.objects.get(project="尚未填报的项目").organisation == tree.chengyun
    p = compute(staged, staged.units.filter(organisation=tree.chengyun))
    assert p.counts["not_started"] == 0 and p.counts["draft"] == 5
    # reviewers see the round and its progress but no create buttons
    html = login(users["dept"]).get("/forms/inbox/").content.decode()
    assert "round-deadlines" in html and "新建此表" not in html
    # the future deadline: days left, not red
    Round.objects.filter(pk=staged.pk).update(
        deadline=datetime.date.today() + datetime.timedelta(days=5)
    )
    section = login(users["filler"]).get("/forms/inbox/").content.decode()
    assert "还剩 5 天" in section and '<tr class="overdue">' not in section
    # a closed round leaves 待办
    Round.objects.filter(pk=staged.pk).update(closed=True)
    assert "round-deadlines" not in login(users["filler"]).get("/forms/inbox/").content.decode()


def test_demo_round(db):
    from jixiao.web.demo import OVERDUE_UNIT, SEED_UNIT, load_demo

    load_demo(SEED_JSON, generated_count=20)
    rnd = Round.objects.get()
    assert rnd.year == 2024 and rnd.deadline > datetime.date.today() and not rnd.closed
    p = compute(rnd, rnd.units.select_related("organisation", "organisation__parent"))
    by_name = {u.unit.name: u for u in p.units}
    seed_unit = by_name[SEED_UNIT]
    assert seed_unit.expected == 10 and seed_unit.counts["not_started"] == 1
    assert [i.name for i in seed_unit.missing] == ["江桥镇城市运行应急保障项目"]
    assert not seed_unit.overdue
    assert by_name[OVERDUE_UNIT].overdue
    load_demo(SEED_JSON, generated_count=20)  # once only
    assert Round.objects.count() == 1


def test_import_by_unit_code(tree, users):
    """单位编码 names a unit where the tree has codes; until it does, the row says so."""
    from jixiao.web.rounds.projects import _has_unit_codes

    data = xlsx([["单位编码", "项目名称"], ["JQ001", "道路保洁项目"]])
    c = login(users["finance"])
    form = {"title": "按编码", "year": "2024", "deadline": FUTURE}
    if not _has_unit_codes():
        r = c.post("/rounds/new/", {**form, "project_file": upload(data, "清单.xlsx")})
        assert "清单.xlsx 第2行：系统中的单位尚无单位编码，请改用“单位名称”列" in text_of(r)
        return
    type(tree.chengyun).objects.filter(pk=tree.chengyun.pk).update(code="JQ001")
    r = c.post("/rounds/new/", {**form, "project_file": upload(data, "清单.xlsx")})
    assert r.status_code == 302
    assert Round.objects.get().projects.get().organisation == tree.chengyun


def test_closed_units_are_not_offered(tree, users):
    from django.utils import timezone

    type(tree.shequ).objects.filter(pk=tree.shequ.pk).update(closed_at=timezone.now())
    c = login(users["finance"])
    page = c.get("/rounds/new/").content.decode()
    assert tree.chengyun.name in page and tree.shequ.name not in page
    data = xlsx([["单位名称", "项目名称"], [tree.shequ.name, "甲项目"]])
    form = {"title": "任务", "year": "2024", "deadline": FUTURE}
    r = c.post("/rounds/new/", {**form, "project_file": upload(data, "清单.xlsx")})
    assert f"清单.xlsx 第2行：找不到预算单位“{tree.shequ.name}”" in text_of(r)
    # a whole 主管部门 brings its open units only
    c.post("/rounds/new/", {**form, "scope": [tree.jiangqiao.pk]})
    assert list(Round.objects.get().units.values_list("organisation", flat=True)) == [
        tree.chengyun.pk
    ]


def test_progress_filters(staged, tree, users):
    RoundUnit.objects.create(round=staged, organisation=tree.school)
    RoundProject.objects.filter(round=staged, organisation=tree.shequ).delete()  # not overdue
    c = login(users["finance"])
    units = r'data-unit="(\d+)"'
    html = c.get(f"/rounds/{staged.pk}/").content.decode()
    assert re.findall(units, html) == [str(u.pk) for u in (tree.chengyun, tree.shequ, tree.school)]
    html = c.get(f"/rounds/{staged.pk}/?dept={tree.jiangqiao.pk}").content.decode()
    assert re.findall(units, html) == [str(tree.chengyun.pk), str(tree.shequ.pk)]
    html = c.get(f"/rounds/{staged.pk}/?overdue=1").content.decode()
    assert re.findall(units, html) == [str(tree.chengyun.pk)]  # the school lists nothing
    assert '<b id="total-submitted">3 / 9</b>' in html  # the totals stay the round's
    html = c.get(f"/rounds/{staged.pk}/?dept={tree.education.pk}&overdue=1").content.decode()
    assert re.findall(units, html) == [] and "没有符合筛选条件的单位。" in html
