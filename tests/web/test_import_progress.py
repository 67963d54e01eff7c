"""The import page with JavaScript: several files go one request each, with progress.

Playwright drives Debian's chromium against a live server, as in test_e2e.py: pick several
files, watch the progress line and bar, get every file's result in its place (a bad file and
a failed request among them), and the summary; the forms are in the list afterwards.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.sessions.models import Session

from jixiao.model import dump_forms
from jixiao.web.models import EvaluationForm
from tests.web import test_e2e  # skips this module too when Playwright is missing
from tests.web.conftest import SEED_TEXT, SEED_UNIT
from tests.web.test_e2e import log_in

pytestmark = test_e2e.pytestmark
# test_e2e.py's fixtures: chromium (for this module) and a page on the live server.
browser = test_e2e.browser
page = test_e2e.page

# Records, in the page, every progress line with the button's state and whether leaving the
# page would ask first (a cancelable beforeunload the page prevents).
WATCH = """
window.__seen = [];
document.addEventListener("DOMContentLoaded", () => {
  const line = document.getElementById("import-status");
  if (!line) return;
  new MutationObserver(() => {
    const leave = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(leave);
    window.__seen.push({
      text: line.textContent,
      disabled: document.querySelector("#import-form button[type=submit]").disabled,
      asks: leave.defaultPrevented,
    });
  }).observe(line, { childList: true, characterData: true, subtree: true });
});
"""


def write_files(tmp_path: Path, seed_forms, names: dict[str, str]) -> list[Path]:
    """The seed text, a JSON file with one new form, and what ``names`` adds (name → text)."""
    extra = seed_forms[0].model_copy(deep=True)
    extra.project = "江桥镇新增试点项目"
    extra.unit = SEED_UNIT
    files = [tmp_path / "江桥镇自评表.txt", tmp_path / "新增项目.json"]
    files[0].write_bytes(SEED_TEXT.read_bytes())
    files[1].write_text(dump_forms([extra]), encoding="utf-8")
    for name, text in names.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(tmp_path / name)
    return files


def import_files(page, files: list[Path]) -> None:
    page.add_init_script(WATCH)
    log_in(page, "filler")
    page.click("nav a:has-text('导入')")
    page.set_input_files("input[name=files]", [str(f) for f in files])
    page.click("button:has-text('导入')")
    page.wait_for_selector("#import-summary:not([hidden])")


def results_of(page) -> list[tuple[str, str, str]]:
    boxes = page.locator("#import-results .file-report")
    return [
        (
            boxes.nth(i).locator("h3").inner_text(),
            boxes.nth(i).get_attribute("data-imported") or "",
            boxes.nth(i).get_attribute("data-failed") or "",
        )
        for i in range(boxes.count())
    ]


def test_several_files_are_imported_one_by_one_with_progress(
    page, users, tree, seed_forms, tmp_path
):
    files = write_files(
        tmp_path, seed_forms, {"坏文件.json": "{not json", "说明.doc": "不是自评表"}
    )
    import_files(page, files)

    assert page.url.endswith("/import/")  # no page load: the results came one by one
    seen = page.evaluate("window.__seen")
    progress = [s for s in seen if s["text"].startswith("正在导入")]
    assert [s["text"] for s in progress] == [
        f"正在导入 {i} / 4：{f.name}…" for i, f in enumerate(files, start=1)
    ]
    assert all(s["disabled"] and s["asks"] for s in progress)
    assert seen[-1] == {"text": "已处理 4 / 4 个文件", "disabled": False, "asks": False}
    assert page.locator("#import-bar").evaluate("bar => [bar.value, bar.max]") == [4, 4]

    assert results_of(page) == [
        ("江桥镇自评表.txt", "9", "0"),
        ("新增项目.json", "1", "0"),
        ("坏文件.json", "0", "1"),
        ("说明.doc", "0", "1"),
    ]
    assert "坏文件.json: " in page.locator("#import-results .file-report").nth(2).inner_text()
    assert "不支持的文件类型" in page.locator("#import-results .file-report").nth(3).inner_text()
    assert page.locator("#import-summary").inner_text() == "导入完成：成功 10 张，失败 2 项"
    assert page.locator("button:has-text('导入')").is_enabled()

    stored = EvaluationForm.objects.filter(organisation=tree.chengyun)
    assert stored.count() == 10
    page.click("#import-results a:has-text('江桥镇新增试点项目')")
    obj = stored.get(project="江桥镇新增试点项目")
    page.wait_for_url(f"**/forms/{obj.pk}/")
    page.goto("/forms/")
    listed = page.locator("main").inner_text()
    assert "江桥镇新增试点项目" in listed
    assert "其他人员经费" in listed


def test_a_failed_request_is_reported_in_its_place_and_the_rest_go_on(
    page, users, tree, seed_forms, tmp_path
):
    names = {n: "{not sent}" for n in ("断网.json", "出错.json", "过期.json", "之后.json")}
    files = write_files(tmp_path, seed_forms, names)
    sent: list[str] = []

    def flaky(route) -> None:
        sent.append(route.request.method)
        if len(sent) == 3:
            route.abort("connectionreset")
        elif len(sent) == 4:
            route.fulfill(status=500, content_type="text/html", body="<h1>Server Error</h1>")
        else:
            if len(sent) == 5:  # the session ends: Django sends the browser to log in
                Session.objects.all().delete()
            route.continue_()

    page.route(lambda url: urlsplit(url).path == "/import/file/", flaky)
    import_files(page, files)

    assert results_of(page) == [
        ("江桥镇自评表.txt", "9", "0"),
        ("新增项目.json", "1", "0"),
        ("断网.json", "0", "1"),
        ("出错.json", "0", "1"),
        ("过期.json", "0", "1"),
        ("之后.json", "0", "1"),
    ]
    assert sent == ["POST"] * 5  # nothing more is sent once the session has ended
    failed = page.locator("#import-results .file-report")
    assert "断网.json: 网络错误，未能上传" in failed.nth(2).inner_text()
    assert "出错.json: 服务器出错（HTTP 500），未导入" in failed.nth(3).inner_text()
    assert "过期.json: 登录已过期" in failed.nth(4).inner_text()
    assert "之后.json: 登录已过期" in failed.nth(5).inner_text()
    assert page.locator("#import-summary").inner_text() == "导入完成：成功 10 张，失败 4 项"
    assert EvaluationForm.objects.filter(organisation=tree.chengyun).count() == 10


def test_one_file_is_posted_with_the_form_as_before(page, users, tree):
    log_in(page, "filler")
    page.goto("/import/")
    page.set_input_files("input[name=files]", str(SEED_TEXT))
    page.click("button:has-text('导入')")
    assert page.locator("#import-report h2").inner_text() == "导入结果：成功 9 张，失败 0 项"
    assert page.locator("#import-progress").is_hidden()
