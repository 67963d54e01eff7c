"""Background jobs in a real browser (Playwright, Debian's chromium, as in test_e2e.py) with
a real task worker in another process: a bulk export of 200 forms and an import of several
files wait in the queue, then the job page shows the progress as the worker goes and,
at the end, the download or each file's account."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from jixiao.generate import generate_forms
from jixiao.model import dump_forms
from jixiao.web import records
from jixiao.web.models import EvaluationForm, Job
from tests.web import test_e2e  # skips this module too when Playwright is missing
from tests.web.conftest import SEED_TEXT, SEED_UNIT
from tests.web.test_e2e import log_in
from tests.web.workers import DATABASE_BACKEND, task_worker

pytestmark = test_e2e.pytestmark
browser = test_e2e.browser
page = test_e2e.page

# Records, in the page, every state and progress line the polled job status shows.
WATCH = """
window.__seen = [];
document.addEventListener("DOMContentLoaded", () => {
  const note = () => {
    const box = document.getElementById("job-status");
    const line = document.getElementById("job-progress");
    if (!box || !line) return;
    const last = window.__seen[window.__seen.length - 1];
    const now = { state: box.dataset.state, text: line.textContent };
    if (!last || last.state !== now.state || last.text !== now.text) window.__seen.push(now);
  };
  note();
  new MutationObserver(note).observe(document.body, { childList: true, subtree: true });
});
"""


def test_a_bulk_export_of_200_forms_runs_as_a_task_with_progress(
    page, users, tree, settings, tmp_path
):
    settings.TASKS = DATABASE_BACKEND
    for form in generate_forms(200, seed=7):
        form.unit = SEED_UNIT
        records.create(tree.chengyun, form, users["filler"])
    page.add_init_script(WATCH)
    log_in(page, "dept")
    page.goto("/forms/?year=all")  # the generated forms span several years
    assert "共 200 张表" in page.locator("main").inner_text()
    page.click("#export-all button:has-text('PDF')")
    page.wait_for_url("**/jobs/*/")
    job = Job.objects.get()
    assert page.locator("h1").inner_text() == "导出PDF：筛选出的 200 张表"
    assert page.locator("#job-progress").inner_text() == "已完成 0 / 200"
    assert "排队中" in page.locator("#job-status").inner_text()  # no worker yet

    log = tmp_path / "worker.log"
    with task_worker(settings, log, stale_seconds=60):
        page.wait_for_selector("#job-status[data-state=running]", timeout=120_000)
        page.wait_for_selector("#job-download", timeout=600_000)
    seen = page.evaluate("window.__seen")
    assert seen[0] == {"state": "queued", "text": "已完成 0 / 200"}
    assert seen[-1] == {"state": "done", "text": "已完成 200 / 200"}
    middle = [int(s["text"].split()[1]) for s in seen if s["state"] == "running"]
    assert any(0 < done < 200 for done in middle), seen  # it showed the forms going by
    assert middle == sorted(middle)

    with page.expect_download() as info:
        page.click("#job-download")
    download = info.value
    assert download.suggested_filename == "自评表-200张.pdf"
    pdf = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    job.refresh_from_db()
    pages = len(pdf.pages)
    assert pages >= 200
    assert f"{pages} / {pages}" in pdf.pages[-1].extract_text()
    page.click("nav a:has-text('我的任务')")
    assert "已完成" in page.locator("table.jobs").inner_text()


def test_an_import_of_several_files_shows_each_files_account(
    page, users, tree, seed_forms, settings, tmp_path
):
    settings.TASKS = DATABASE_BACKEND
    extra = seed_forms[0].model_copy(deep=True)
    extra.project = "江桥镇新增试点项目"
    extra.unit = SEED_UNIT
    files = {
        "江桥镇自评表.txt": SEED_TEXT.read_bytes(),
        "新增项目.json": dump_forms([extra]).encode(),
        "坏文件.json": b"{not json",
        "说明.ppt": "不是自评表".encode(),
    }
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    page.add_init_script(WATCH)
    log_in(page, "filler")
    page.click("nav a:has-text('导入')")
    page.set_input_files("input[name=files]", paths)
    page.click("button:has-text('导入')")
    page.wait_for_url("**/jobs/*/")
    assert page.locator("#job-progress").inner_text() == "已完成 0 / 4"

    with task_worker(settings, tmp_path / "worker.log", stale_seconds=60):
        page.wait_for_selector("#job-status[data-state=done]", timeout=120_000)
    boxes = page.locator("#import-results .file-report")
    got = [
        (
            boxes.nth(i).locator("h3").inner_text(),
            boxes.nth(i).get_attribute("data-imported"),
            boxes.nth(i).get_attribute("data-failed"),
        )
        for i in range(boxes.count())
    ]
    assert got == [
        ("江桥镇自评表.txt", "9", "0"),
        ("新增项目.json", "1", "0"),
        ("坏文件.json", "0", "1"),
        ("说明.ppt", "0", "1"),
    ]
    assert "坏文件.json: " in boxes.nth(2).inner_text()
    assert "不支持的文件类型" in boxes.nth(3).inner_text()
    assert page.locator("#import-summary").inner_text() == "导入结果：成功 10 张，失败 2 项"
    assert page.evaluate("window.__seen")[-1] == {"state": "done", "text": "已完成 4 / 4"}
    assert EvaluationForm.objects.filter(organisation=tree.chengyun).count() == 10
    page.click("#import-results a:has-text('江桥镇新增试点项目')")
    obj = EvaluationForm.objects.get(project="江桥镇新增试点项目")
    page.wait_for_url(f"**/forms/{obj.pk}/")
