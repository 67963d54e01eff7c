"""Background jobs: exports of many forms and imports of many files, their pages (我的任务,
the job page with its progress and download, 重试) and who may see them.

Tasks run inside the request here (conftest.py); test_worker.py runs a real worker.
"""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pdfplumber
import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import load_workbook

from jixiao.model import dump_forms
from jixiao.web import jobs, transfer
from jixiao.web.models import EvaluationForm, Job
from tests.web.conftest import SEED_TEXT, login

pytestmark = pytest.mark.django_db


def export(client, data: dict) -> Job:
    r = client.post("/forms/export/", data)
    assert r.status_code == 302, r.content.decode()[:300]
    job = Job.objects.get(pk=int(r["Location"].strip("/").split("/")[-1]))
    assert r["Location"] == f"/jobs/{job.pk}/"
    return job


def download(client, job: Job) -> bytes:
    r = client.get(f"/jobs/{job.pk}/download/")
    assert r.status_code == 200
    assert "attachment" in r["Content-Disposition"]
    return b"".join(r.streaming_content)


def test_a_selection_exported_as_json_by_a_job_with_its_page(seed, users):
    c = login(users["dept"])
    ids = [seed[0].pk, seed[3].pk, seed[5].pk]
    job = export(c, {"to": "json", "ids": ids})
    assert job.state == "done" and job.kind == "export"
    assert (job.done, job.total) == (3, 3)
    assert job.title == "导出JSON：所选 3 张表"
    assert job.org_path == users["dept"].profile.organisation.path
    assert job.result_name == "自评表-3张.json"
    page = c.get(f"/jobs/{job.pk}/").content.decode()
    assert "已完成 3 / 3" in page and "状态：<strong>已完成</strong>" in page
    assert f'href="/jobs/{job.pk}/download/"' in page
    assert "hx-get" not in page  # finished: no more polling
    forms = json.loads(download(c, job))["forms"]
    assert [f["project"] for f in forms] == sorted(seed[i].project for i in (0, 3, 5))
    listing = c.get("/jobs/").content.decode()
    assert "导出JSON：所选 3 张表" in listing and "我的任务" in listing


def test_excel_pdf_html_and_report_exports(seed, users):
    c = login(users["filler"])
    ids = [o.pk for o in seed]
    wb = load_workbook(io.BytesIO(download(c, export(c, {"to": "xlsx", "ids": ids}))))
    text = " ".join(str(cell.value) for ws in wb for row in ws.iter_rows() for cell in row)
    for obj in seed:
        assert obj.project in text
    pdf_job = export(c, {"to": "pdf", "ids": ids})
    assert pdf_job.result_name == "自评表-9张.pdf"
    with pdfplumber.open(io.BytesIO(download(c, pdf_job))) as pdf:
        assert len(pdf.pages) == 9  # one A4 page per seed form
        assert pdf.pages[8].extract_text().count("9 / 9") == 1
    word_job = export(c, {"to": "docx", "ids": ids})
    assert word_job.result_name == "自评表-9张.docx"
    word = Document(io.BytesIO(download(c, word_job)))
    assert len(word.tables) == 18  # two tables a form, each form on its own page
    assert {p.text for p in word.paragraphs} >= {"财政项目支出绩效自评表"}
    html = download(c, export(c, {"to": "html", "ids": ids[:2]})).decode()
    assert seed[0].project in html and seed[1].project in html
    report_job = export(c, {"to": "report", "ids": ids[:3]})
    assert report_job.result_name == "审核意见书-3张.pdf"
    with pdfplumber.open(io.BytesIO(download(c, report_job))) as pdf:
        first = pdf.pages[0].extract_text()
    assert "审核意见书" in first and seed[0].project in first.replace("\n", "")


def test_export_everything_the_filter_matches_within_the_users_scope(seed, school_form, users):
    c = login(users["finance"])  # sees both units
    job = export(c, {"to": "json", "all": "1", "q": "经费", "sort": "project"})
    forms = json.loads(download(c, job))["forms"]
    expected = sorted(o.project for o in seed if "经费" in o.project)
    assert expected and [f["project"] for f in forms] == expected
    assert job.title == f"导出JSON：筛选出的 {len(expected)} 张表"
    # the 主管部门 of the seed unit: the school's form is not in its export of everything
    d = login(users["dept"])
    everything = json.loads(download(d, export(d, {"to": "json", "all": "1"})))["forms"]
    assert len(everything) == len(seed)
    assert school_form.project not in {f["project"] for f in everything}
    # a filter that matches nothing stays in the list with a message
    r = d.post("/forms/export/", {"to": "json", "all": "1", "q": "没有这样的项目"}, follow=True)
    assert "没有符合筛选条件的表单" in r.content.decode()
    assert r.request["PATH_INFO"] == "/forms/"


def test_export_with_nothing_ticked_or_someone_elses_form(seed, school_form, users):
    c = login(users["filler"])
    r = c.post("/forms/export/", {"to": "pdf"}, follow=True)
    assert r.request["PATH_INFO"] == "/forms/"
    assert "请先勾选要导出的表单" in r.content.decode()
    r = c.post("/forms/export/", {"to": "pdf", "ids": [seed[0].pk, school_form.pk]})
    assert r.status_code == 403
    assert c.post("/forms/export/", {"to": "exe", "ids": [seed[0].pk]}).status_code == 400
    assert not Job.objects.exists()


def test_a_job_is_its_users_alone(seed, users):
    job = export(login(users["dept"]), {"to": "json", "ids": [seed[0].pk]})
    for other in ("finance", "filler"):
        c = login(users[other])
        assert c.get(f"/jobs/{job.pk}/").status_code == 404
        assert c.get(f"/jobs/{job.pk}/download/").status_code == 404
        assert c.post(f"/jobs/{job.pk}/retry/").status_code == 404
        assert job.title not in c.get("/jobs/").content.decode()
    c = login(users["dept"])
    assert c.get("/jobs/99999999999999999999999/").status_code == 404


def test_a_queued_job_is_polled_and_shows_its_state(seed, users, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    c = login(users["dept"])
    job = export(c, {"to": "pdf", "ids": [seed[0].pk, seed[1].pk]})
    assert job.state == "queued" and job.task_id
    fragment = c.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<section id="job-status"')  # the fragment alone
    assert f'hx-get="/jobs/{job.pk}/" hx-trigger="every 1s"' in fragment
    assert "排队中" in fragment and "已完成 0 / 2" in fragment
    assert c.get(f"/jobs/{job.pk}/download/").status_code == 404  # nothing yet
    # the task runs (as a worker would): the next poll shows the download
    jobs.execute(job.pk, job.attempt)
    fragment = c.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-get" not in fragment and "已完成 2 / 2" in fragment
    assert f'href="/jobs/{job.pk}/download/"' in fragment


def test_a_stale_running_job_is_interrupted_and_can_be_retried(seed, users, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    c = login(users["dept"])
    job = export(c, {"to": "json", "ids": [seed[0].pk]})
    old = job.created_at - timedelta(hours=1)
    Job.objects.filter(pk=job.pk).update(state="running", heartbeat_at=old)  # a dead worker's
    page = c.get(f"/jobs/{job.pk}/").content.decode()
    assert "已中断" in page and "任务中断" in page and 'id="job-retry"' in page
    assert not storages["default"].exists(f"jobs/{job.pk}")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    r = c.post(f"/jobs/{job.pk}/retry/", follow=True)
    job.refresh_from_db()
    assert job.state == "done" and job.attempt == 2 and job.error == ""
    assert "已重新排队执行" in r.content.decode()
    assert json.loads(download(c, job))["forms"][0]["project"] == seed[0].project
    # a finished job is not retried
    r = c.post(f"/jobs/{job.pk}/retry/", follow=True)
    assert "只有失败或已中断的任务可以重试" in r.content.decode()


def test_a_late_run_of_a_retried_job_writes_nothing(seed, users, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = export(login(users["dept"]), {"to": "json", "ids": [seed[0].pk]})
    Job.objects.filter(pk=job.pk).update(attempt=2)  # retried meanwhile
    jobs.execute(job.pk, 1)
    job.refresh_from_db()
    assert job.state == "queued" and not job.result


# --- imports ------------------------------------------------------------------------------


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def start_import(client, files) -> Job:
    r = client.post("/import/", {"files": files})
    assert r.status_code == 302
    return Job.objects.get(pk=int(r["Location"].strip("/").split("/")[-1]))


def test_each_file_is_imported_whole_or_not_at_all(tree, users, seed_forms, monkeypatch, settings):
    """A file that fails while its forms are stored leaves none of them; the files before
    it stay imported; a retry goes on from that file."""
    two = [seed_forms[0].model_copy(deep=True), seed_forms[1].model_copy(deep=True)]
    for i, form in enumerate(two):
        form.project = f"第二个文件的项目{i}"
    real_create = transfer.records.create
    calls = []

    def failing_create(unit, form, user, **kw):
        calls.append(form.project)
        if form.project == "第二个文件的项目1":
            raise RuntimeError("disk full")
        return real_create(unit, form, user, **kw)

    monkeypatch.setattr(transfer.records, "create", failing_create)
    c = login(users["filler"])
    job = start_import(
        c,
        [
            upload("seed.txt", SEED_TEXT.read_bytes()),
            upload("two.json", dump_forms(two).encode()),
            upload("later.json", b"{}"),
        ],
    )
    job.refresh_from_db()
    assert "第二个文件的项目0" in calls  # it was stored, then rolled back with its file
    assert job.state == "failed"
    assert "内部错误（RuntimeError）" in job.error
    assert [r["name"] for r in job.report] == ["seed.txt"]
    assert job.done == 1
    assert EvaluationForm.objects.count() == 9
    assert not EvaluationForm.objects.filter(project__startswith="第二个文件").exists()
    page = c.get(f"/jobs/{job.pk}/").content.decode()
    assert "未导入的文件" in page and "two.json" in page and "later.json" in page
    assert "导入结果：成功 9 张，失败 0 项" in page

    monkeypatch.setattr(transfer.records, "create", real_create)
    c.post(f"/jobs/{job.pk}/retry/")
    job.refresh_from_db()
    assert job.state == "done" and job.attempt == 2
    assert [r["name"] for r in job.report] == ["seed.txt", "two.json", "later.json"]
    assert len(job.report[1]["imported"]) == 2
    assert EvaluationForm.objects.count() == 11
    uploads = Path(settings.MEDIA_ROOT) / "imports"
    assert [p for p in uploads.rglob("*") if p.is_file()] == []  # gone once imported


def test_a_poisoned_file_fails_its_own_entry_only(tree, users, settings, tmp_path):
    """A file that sends the reader into a loop (one cell at XFD1048576) is stopped by the
    time limit of its child process; the other files are imported."""
    import xlsxwriter

    path = tmp_path / "poison.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write(0, 0, "财政项目支出绩效自评表")
    sheet.write(1048575, 16383, "x")
    book.close()
    settings.JIXIAO_IMPORT_SECONDS = 8
    c = login(users["filler"])
    job = start_import(
        c, [upload("poison.xlsx", path.read_bytes()), upload("seed.txt", SEED_TEXT.read_bytes())]
    )
    job.refresh_from_db()
    assert job.state == "done"
    poison, seed = job.report
    assert poison["imported"] == [] and poison["failed"][0].startswith("poison.xlsx: ")
    assert len(seed["imported"]) == 9
