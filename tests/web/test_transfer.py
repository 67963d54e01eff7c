"""Import (several files, an account of each, through a background job) and export (one
form in the request; a selection as a job: tests/web/test_jobs.py)."""

from __future__ import annotations

import io
import json
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from jixiao.audit import Finding
from jixiao.model import dump_forms
from jixiao.web.models import EvaluationForm, Event
from tests.test_render_pdf import pdf_text
from tests.web.conftest import SEED_TEXT, login

pytestmark = pytest.mark.django_db


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def import_files(client: Client, files: list[SimpleUploadedFile]):
    """Post files to the import page: the job page it leads to (the job ran at once)."""
    r = client.post("/import/", {"files": files})
    assert r.status_code == 302, r.content.decode()[:300]
    assert r["Location"].startswith("/jobs/")
    page = client.get(r["Location"])
    assert page.status_code == 200
    return page


def reports_of(page) -> dict[str, dict]:
    return {rep["name"]: rep for rep in page.context["job"].report}


def imported_forms(report: dict) -> list[EvaluationForm]:
    return [EvaluationForm.objects.get(pk=f["pk"]) for f in report["imported"]]


def test_import_the_seed_text_and_report_each_file(tree, users, seed_forms):
    other = seed_forms[0].model_copy(deep=True)
    other.unit = "某个不存在的单位"
    files = [
        upload("seed.txt", SEED_TEXT.read_bytes()),
        upload("other.json", dump_forms([other]).encode()),
        upload("broken.json", b"{not json"),
        upload("virus.exe", b"MZ..."),
    ]
    r = import_files(login(users["filler"]), files)
    job = r.context["job"]
    assert job.state == "done" and (job.done, job.total) == (4, 4)
    assert [rep["name"] for rep in job.report] == [
        "seed.txt",
        "other.json",
        "broken.json",
        "virus.exe",
    ]
    reports = reports_of(r)
    assert len(reports["seed.txt"]["imported"]) == 9
    assert reports["seed.txt"]["failed"] == []
    assert "实施单位“某个不存在的单位”不在您的管辖范围内" in reports["other.json"]["failed"][0]
    assert reports["broken.json"]["failed"][0].startswith("broken.json")
    assert "不支持的文件类型" in reports["virus.exe"]["failed"][0]
    stored = EvaluationForm.objects.filter(organisation=tree.chengyun)
    assert stored.count() == 9
    by_project = {o.project: o.form for o in stored}
    for form in seed_forms:
        assert by_project[form.project].funds == form.funds
        got = by_project[form.project].indicators
        assert [(i.name, i.weight, i.score) for i in got] == [
            (i.name, i.weight, i.score) for i in form.indicators
        ]
    assert Event.objects.filter(kind="import", comment="导入自 seed.txt").count() == 9
    page = r.content.decode()
    assert "导入结果：成功 9 张，失败 3 项" in page
    assert "已完成 4 / 4" in page
    obj = stored.get(project="其他人员经费")
    assert f'<a href="/forms/{obj.pk}/">' in page
    # the same file again: nothing duplicated, and the report says why
    again = import_files(login(users["filler"]), [upload("seed.txt", SEED_TEXT.read_bytes())])
    assert again.context["job"].report[0]["imported"] == []
    assert "未重复导入" in again.context["job"].report[0]["failed"][0]
    assert stored.count() == 9


def test_import_into_someone_elses_unit_is_refused(tree, users, seed_forms):
    r = import_files(login(users["school_filler"]), [upload("seed.txt", SEED_TEXT.read_bytes())])
    [report] = r.context["job"].report
    assert report["imported"] == []
    assert len(report["failed"]) == 9
    assert not EvaluationForm.objects.exists()


def test_upload_size_limit(tree, users, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    r = import_files(login(users["filler"]), [upload("big.txt", b"x" * 2000)])
    assert "big.txt：文件超过 0 MB，未导入" in r.context["job"].report[0]["failed"][0]
    r = login(users["filler"]).post("/import/", {})
    assert r.status_code == 400
    assert "请选择要导入的文件" in r.content.decode()


def test_import_needs_a_log_in_a_role_that_creates_and_the_csrf_token(tree, users):
    data = {"files": [upload("seed.txt", SEED_TEXT.read_bytes())]}
    r = Client().post("/import/", data)
    assert r.status_code == 302
    assert r["Location"].startswith("/login/?next=/import/")
    assert login(users["dept"]).post("/import/", data).status_code == 403
    c = Client(enforce_csrf_checks=True)
    c.force_login(users["filler"])
    assert (
        c.post("/import/", {"files": [upload("seed.txt", SEED_TEXT.read_bytes())]}).status_code
        == 403
    )
    assert not EvaluationForm.objects.exists()
    c.get("/import/")
    r = c.post(
        "/import/",
        {"files": [upload("seed.txt", SEED_TEXT.read_bytes())]},
        headers={"X-CSRFToken": c.cookies["csrftoken"].value},
    )
    assert r.status_code == 302
    assert EvaluationForm.objects.count() == 9


def test_export_one_form_in_every_format(seed, users, seed_forms):
    c = login(users["filler"])
    pk = seed[0].pk
    r = c.get(f"/forms/{pk}/export/json/")
    assert r.status_code == 200
    assert "attachment" in r["Content-Disposition"]
    back = json.loads(r.content)["forms"][0]
    assert back == seed_forms[0].to_json_dict() | {}  # exact canonical JSON
    r = c.get(f"/forms/{pk}/export/html/")
    assert "财政项目支出绩效自评表" in r.content.decode()
    r = c.get(f"/forms/{pk}/export/xlsx/")
    wb = load_workbook(io.BytesIO(r.content))
    assert any("815.59" in str(c.value) for ws in wb for row in ws.iter_rows() for c in row)
    r = c.get(f"/forms/{pk}/export/docx/")
    assert r["Content-Type"].endswith("wordprocessingml.document")
    assert ".docx" in r["Content-Disposition"]
    word = Document(io.BytesIO(r.content))
    assert word.paragraphs[0].text == "财政项目支出绩效自评表"
    assert any("815.59" in cell.text for t in word.tables for row in t.rows for cell in row.cells)
    r = c.get(f"/forms/{pk}/export/pdf/")
    assert r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert c.get(f"/forms/{pk}/export/exe/").status_code == 404


def test_exported_files_import_back(seed, users, tree):
    """A form exported as Excel and as PDF comes back in through the import page."""
    c = login(users["filler"])
    original = seed[0].form
    xlsx = c.get(f"/forms/{seed[0].pk}/export/xlsx/").content
    pdf = c.get(f"/forms/{seed[0].pk}/export/pdf/").content
    EvaluationForm.objects.all().delete()
    reports = reports_of(import_files(c, [upload("a.xlsx", xlsx), upload("a.pdf", pdf)]))
    assert len(reports["a.xlsx"]["imported"]) == 1, reports["a.xlsx"]["failed"]
    back = imported_forms(reports["a.xlsx"])[0].form
    assert back.project == original.project
    assert back.funds.total == original.funds.total
    assert [(i.name, i.weight, i.score) for i in back.indicators] == [
        (i.name, i.weight, i.score) for i in original.indicators
    ]
    # the PDF is the same form: reported as already there, not stored twice
    assert reports["a.pdf"]["imported"] == []
    assert "未重复导入" in reports["a.pdf"]["failed"][0]
    assert EvaluationForm.objects.count() == 1


def test_an_oversized_request_is_refused_before_reading(tree, users, settings):
    settings.UPLOAD_MAX_BYTES = 100
    settings.UPLOAD_MAX_FILES = 2
    files = [upload("a.json", b"x" * 150), upload("b.json", b"x" * 150)]
    r = login(users["filler"]).post("/import/", {"files": files})
    assert r.status_code == 413
    assert "请分批导入" in r.content.decode()


def test_a_form_without_a_year_shows_no_none(tree, users, seed_forms):
    form = seed_forms[0].model_copy(deep=True)
    form.year = None
    client = login(users["filler"])
    r = import_files(client, [upload("no-year.json", dump_forms([form]).encode())])
    [stored] = imported_forms(r.context["job"].report[0])
    assert stored.year is None
    assert "None" not in r.content.decode()
    detail = client.get(f"/forms/{stored.pk}/").content.decode()
    assert "年度未填" in detail and "None 年度" not in detail


def test_a_form_without_a_project_name_is_not_stored(tree, users):
    text = "2024年度\n年度资金总额 10.00 10.00 9.00 10 90.00 9.00\n三级指标 一些文字\n"
    r = import_files(login(users["filler"]), [upload("残缺.txt", text.encode())])
    [report] = r.context["job"].report
    assert report["imported"] == []
    assert report["failed"][0].startswith("“第1张表”：没有读到项目名称，未导入（")
    assert "缺少“项目名称”" in report["failed"][0]
    assert EvaluationForm.objects.count() == 0


def test_xlsx_export_has_the_summary_sheet(seed, users):
    from jixiao.web import exports

    objs = [EvaluationForm.objects.get(pk=seed[i].pk) for i in (0, 3, 5)]
    book = load_workbook(io.BytesIO(exports.stored_bytes(objs, "xlsx")))
    assert len(book.worksheets) == 5  # 汇总, three forms, 指标明细
    summary = [[c.value for c in row] for row in book["汇总"].iter_rows(min_row=2)]
    by_project = {row[3]: row for row in summary}
    assert set(by_project) == {seed[i].project for i in (0, 3, 5)}
    first = by_project[seed[0].project]
    stored = objs[0]
    assert first[1:3] == [stored.form.unit, 2024]
    assert (first[5], first[10]) == (85.25, "草稿")
    assert first[11] == stored.errors and first[12] == stored.warnings
    flat = book["指标明细"]
    assert [c.value for c in flat[1]][1:4] == ["单位", "年度", "项目名称"]
    one = login(users["filler"]).get(f"/forms/{seed[0].pk}/export/xlsx/")
    assert load_workbook(io.BytesIO(one.content)).sheetnames[0] == "汇总"


def test_export_with_nothing_ticked_goes_back_with_a_message(seed, users):
    c = login(users["filler"])
    back = "http://testserver/forms/?q=%E7%BB%8F%E8%B4%B9&year=2024"
    r = c.post("/forms/export/", {"to": "xlsx"}, HTTP_REFERER=back, follow=True)
    assert r.redirect_chain == [(back, 302)]
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/html")
    assert '<li class="msg-error">请先勾选要导出的表单</li>' in r.content.decode()
    elsewhere = c.post("/forms/export/", {"to": "xlsx"}, HTTP_REFERER="https://evil.example/")
    assert elsewhere["Location"] == "/forms/"


def test_review_documents_download_from_the_form(seed, users, tmp_path):
    c = login(users["dept"])
    obj = seed[1]  # 活动经费: findings to show
    first = Finding.from_dict(obj.findings[0])
    detail = c.get(f"/forms/{obj.pk}/").content.decode()
    for kind, name, heading in (
        ("report", "活动经费-审核意见书.pdf", "审核结论"),
        ("reviewer", "活动经费-审核视图.pdf", "审核意见（"),
    ):
        assert f'href="/forms/{obj.pk}/review/{kind}/"' in detail
        r = c.get(f"/forms/{obj.pk}/review/{kind}/")
        assert r.status_code == 200
        assert quote(name) in r["Content-Disposition"]
        text = "".join(pdf_text(r.content, tmp_path).split())
        assert heading in text
        assert "".join(first.place.split()) in text  # the place in words, as on the page
        assert "indicators[" not in text and "funds." not in text
    assert c.get(f"/forms/{obj.pk}/review/other/").status_code == 404
    school = login(users["school_filler"])
    assert school.get(f"/forms/{obj.pk}/review/report/").status_code == 404


def test_print_page_is_the_form_alone(seed, users):
    r = login(users["filler"]).get(f"/forms/{seed[0].pk}/print/")
    html = r.content.decode()
    assert r.status_code == 200 and "财政项目支出绩效自评表" in html
    assert "其他人员经费" in html
    assert "<nav" not in html and "退出" not in html


def test_word_files_import_through_the_page(seed, users, tree, tmp_path):
    """A form exported as Word comes back in as .docx, and (LibreOffice converting it in
    the import's child process, under its limits) as .doc and as .wps."""
    from jixiao.layouts import layout_of
    from tests.forms import SOFFICE, lo_convert

    c = login(users["filler"])
    original = seed[0].form
    docx = c.get(f"/forms/{seed[0].pk}/export/docx/").content
    page = c.get("/import/").content.decode()
    assert 'accept=".txt,.pdf,.xlsx,.xls,.docx,.doc,.wps,.json,.png,.jpg,.jpeg,.tif,.tiff"' in page
    files = [upload("表.docx", docx)]
    if SOFFICE is not None:
        (tmp_path / "表.docx").write_bytes(docx)
        lo_convert([tmp_path / "表.docx"], "doc", tmp_path)
        doc = (tmp_path / "表.doc").read_bytes()
        files += [upload("表.doc", doc), upload("旧表.wps", doc)]
    EvaluationForm.objects.all().delete()
    reports = reports_of(import_files(c, files))
    assert len(reports["表.docx"]["imported"]) == 1, reports["表.docx"]["failed"]
    back = imported_forms(reports["表.docx"])[0].form
    # the importer names the layout it recognised (the seed's: shanghai-2024)
    assert back.layout == layout_of(original).layout.id == "shanghai-2024"
    same = {"source": None, "layout": None}
    assert back.to_json_dict() | same == original.to_json_dict() | same
    if SOFFICE is not None:  # the same form again: recognised, not stored twice
        for name in ("表.doc", "旧表.wps"):
            assert reports[name]["imported"] == []
            assert "未重复导入" in reports[name]["failed"][0], reports[name]
    assert EvaluationForm.objects.count() == 1


def test_a_scan_imports_by_ocr_in_the_background(tree, users, seed_forms, monkeypatch):
    """A photo of a stamped form (JPEG, named .jpg) is read by OCR in the import job: the
    form is stored, and its uncertain cells are in the report's notes with their place."""
    from jixiao.render.pdf import render_pdf
    from jixiao.synthetic_scan import degrade, encode, rasterise

    monkeypatch.setenv("JIXIAO_OCR_THREADS", "1")
    [page] = rasterise(render_pdf(seed_forms[:1]), 150)
    photo = encode(degrade(page, seed=3, skew=-1.2), "jpeg")
    r = import_files(login(users["filler"]), [upload("盖章扫描件.jpg", photo)])
    job = r.context["job"]
    assert job.state == "done" and (job.done, job.total) == (1, 1)
    [report] = job.report
    assert report["failed"] == []
    [obj] = imported_forms(report)
    assert obj.project == "其他人员经费"
    assert obj.form.funds.total.executed == seed_forms[0].funds.total.executed
    assert obj.form.source.file == "盖章扫描件.jpg"
    doubts = [g for g in obj.form.gaps if "请对照扫描件核对" in g]
    assert all(g.startswith("第1页") for g in doubts)


def test_the_import_job_stores_each_kind_and_names_what_it_skipped(tree, users):
    """The central 项目库 workbook: its 自评表, 申报表 and 监控表 each stored as its own kind,
    its eight other sheets named as skipped; the same file again stores nothing twice."""
    from jixiao.web.models import Organisation, Profile
    from jixiao.web.plans.models import PlanRecord
    from tests.workbooks import REAL_OTHER_SHEETS, REAL_WORKBOOK

    pku = Organisation.objects.create(name="北京大学", kind="unit", parent=tree.jiangqiao)
    filler = users["filler"]
    Profile.objects.filter(user=filler).update(organisation=pku)
    client = login(filler)
    r = import_files(client, [upload("项目库.xls", REAL_WORKBOOK.read_bytes())])
    [report] = r.context["job"].report
    assert report["failed"] == []
    assert report["kinds"] == "自评表 1 张、绩效目标申报表 1 张、绩效目标执行监控表 1 张"
    assert report["skipped"] == [f"{name}：不是绩效表，已跳过" for name in REAL_OTHER_SHEETS]
    [form] = imported_forms(report)
    assert (form.organisation, form.year) == (pku, 2019)
    stored = PlanRecord.objects.order_by("kind")
    assert [(p.kind, p.year, p.stage, p.organisation) for p in stored] == [
        ("declaration", 2020, "申报", pku),
        ("monitoring", 2019, "", pku),
    ]
    assert [p["pk"] for p in sorted(report["plans"], key=lambda p: p["kind"])] == [
        p.pk for p in stored
    ]
    assert all(p.source == "项目库.xls" for p in stored)
    page = r.content.decode()
    assert "导入结果：成功 1 张，另有绩效目标申报表、执行监控表 2 张，失败 0 项" in page
    assert "已导入：自评表 1 张、绩效目标申报表 1 张、绩效目标执行监控表 1 张" in page
    assert "项目支出计划：不是绩效表，已跳过" in page
    watch = stored.get(kind="monitoring")
    assert f'<a href="/plans/{watch.pk}/">2019 2019年210青少年校园足球扶持资金</a>' in page
    # the same file again: nothing stored twice, and each refusal says why
    again = import_files(client, [upload("项目库.xls", REAL_WORKBOOK.read_bytes())])
    [report] = again.context["job"].report
    assert report["kinds"] == "" and report["plans"] == []
    assert len(report["failed"]) == 3
    assert "已有相同的 2020 年度绩效目标申报表" in report["failed"][1]
    assert "未重复导入" in report["failed"][2]
    assert PlanRecord.objects.count() == 2


def test_plans_of_a_unit_outside_the_scope_are_refused(tree, users):
    from jixiao.generate_plans import generate_year
    from jixiao.plans import Documents
    from jixiao.web.plans.models import PlanRecord

    docs = generate_year(1, seed=5)
    docs.declarations[0].unit = tree.school.name
    docs.monitorings[0].unit = ""  # no unit named: the filler's own
    data = Documents(declarations=docs.declarations, monitorings=docs.monitorings).dumps()
    r = import_files(login(users["filler"]), [upload("目标.json", data.encode())])
    [report] = r.context["job"].report
    assert report["kinds"] == "绩效目标执行监控表 1 张"
    assert report["failed"] == [
        f"项目支出绩效目标申报表“{docs.declarations[0].project}”："
        f"实施单位“{tree.school.name}”不在您的管辖范围内，未导入"
    ]
    assert PlanRecord.objects.get().organisation == tree.chengyun
