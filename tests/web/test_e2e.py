"""End to end in a real browser: Playwright driving Debian's chromium against a live server.

Log in, import the seed file, open a form, change an indicator's 实际完成值 and watch the
score and findings change as you type, save, submit (explaining each 错误), pass it up the
chain, return with a comment, resubmit, approve at every level, export the PDF; and the
dashboard's charts draw.
"""

from __future__ import annotations

import datetime
import os
import shutil
from collections.abc import Iterator

import pytest
from docx import Document

from jixiao.web.models import EvaluationForm, Event
from tests.web.conftest import PASSWORD, SEED_TEXT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium"),
]
# Playwright's sync API runs an event loop in this thread; the ORM calls below are plain
# synchronous test code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--headless",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    # Playwright's own string waits (wait_for_function) are eval'd in the page, which the
    # site's CSP forbids; test_csp_e2e.py checks the pages under their real policy.
    context = browser.new_context(base_url=live_server.url, accept_downloads=True, bypass_csp=True)
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def strict_page(browser, live_server) -> Iterator[object]:
    """A page under the site's real Content-Security-Policy (``page`` bypasses it)."""
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    context.close()


def log_in(page, username: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/forms/")


def log_out(page) -> None:
    page.click("header button:has-text('退出')")
    page.wait_for_url("**/login/")


def open_form(page, pk: int) -> None:
    page.goto(f"/forms/{pk}/")


def take(page, action: str, comment: str = "", explain: str = "") -> None:
    """Take a step: the button leads to the confirmation page, which takes it on 确认."""
    if comment:
        page.fill("form.workflow textarea[name=comment]", comment)
    page.click(f"form.workflow button:has-text('{action}')")
    page.wait_for_selector("#confirm-step")
    for box in page.locator("#explain textarea").all():
        box.fill(explain)
    page.click("#confirm-step")
    page.wait_for_load_state()


def test_the_whole_review_cycle(page, users, tree):
    # 财政 opens the 2024 round for the seed unit, with two projects to report
    log_in(page, "finance")
    page.click("header nav >> text=填报任务")
    page.click("text=发起填报任务")
    page.fill("input[name=title]", "2024年度项目支出绩效自评")
    page.fill("input[name=year]", "2024")
    deadline = datetime.date.today() + datetime.timedelta(days=20)
    page.fill("input[name=deadline]", deadline.isoformat())
    page.check(f"input[name=scope][value='{tree.chengyun.pk}']")
    page.click("button:has-text('发起')")
    page.wait_for_url("**/rounds/*/")
    progress_url = page.url
    page.click(f"a:has-text('{tree.chengyun.name}')")
    page.fill("textarea[name=projects]", "其他人员经费\n宣传经费")
    page.click("button:has-text('保存清单')")
    page.wait_for_selector("text=已保存项目清单：新增 2 个，删除 0 个。")
    log_out(page)

    # the unit sees its deadline in 待办, then imports the seed file
    log_in(page, "filler")
    page.click("nav a:has-text('待办')")
    assert "还剩 20 天" in page.locator("#round-deadlines").inner_text()
    page.click("nav a:has-text('导入')")
    page.set_input_files("input[name=files]", str(SEED_TEXT))
    page.click("button:has-text('导入')")
    report = page.locator("#import-summary")  # the import job ran: its page
    assert report.inner_text() == "导入结果：成功 9 张，失败 0 项"
    assert EvaluationForm.objects.filter(organisation=tree.chengyun).count() == 9

    # open a form: the official layout beside the findings
    page.click("#import-results a:has-text('其他人员经费')")
    obj = EvaluationForm.objects.get(project="其他人员经费")
    page.wait_for_url(f"**/forms/{obj.pk}/")
    official = page.frame_locator("iframe.official-frame")
    assert "财政项目支出绩效自评表" in official.locator("h1").inner_text()
    assert page.locator("#findings li").count() == obj.findings_count > 0

    # change an indicator's actual value and see the score and findings change as we type
    page.click("a:has-text('编辑')")
    total_before = page.locator("#live [data-field=total]").inner_text()
    findings_before = page.locator("#live [data-field=findings-count]").inner_text()
    assert page.locator("#live [data-field=recommended-5]").inner_text() == "5.00"
    actual = page.locator("input[name=ind_actual]").nth(4)
    assert actual.input_value() == "12.00(个)"
    actual.fill("6.00(个)")
    page.wait_for_function(
        "document.querySelector('#live [data-field=\"recommended-5\"]').textContent === '2.50'"
    )
    total_after = page.locator("#live [data-field=total]").inner_text()
    assert float(total_before) - float(total_after) == pytest.approx(2.5)
    assert page.locator("#live [data-field=findings-count]").inner_text() != findings_before
    page.click("button:has-text('保存')")
    page.wait_for_url(f"**/forms/{obj.pk}/")
    assert "已保存，修改了 1 处" in page.locator(".messages").inner_text()
    assert "第5行指标·实际完成值" in page.locator("#history").inner_text()

    # submit, explaining each 错误; the unit can no longer edit
    take(page, "送审", explain="已核实：信息员按实际到岗人数计")
    assert page.locator("#status").inner_text() == "单位审核中"
    assert page.locator("a:has-text('编辑')").count() == 0
    log_out(page)

    # 单位审核 passes it up; the 主管部门 leaves a 批注 on row 5 and returns it with a comment
    log_in(page, "unitrev")
    open_form(page, obj.pk)
    take(page, "审核通过")
    assert page.locator("#status").inner_text() == "主管部门审核中"
    log_out(page)
    log_in(page, "dept")
    assert "1" in page.locator("#inbox-count").inner_text()
    open_form(page, obj.pk)
    page.select_option("form.new-note select[name=position]", "5")
    page.fill("form.new-note textarea[name=text]", "请附信息员名册")
    page.click("form.new-note button:has-text('添加批注')")
    page.wait_for_url(f"**/forms/{obj.pk}/#note-row-5")
    assert "请附信息员名册" in page.locator("#note-row-5").inner_text()
    take(page, "退回", "请核实信息员数量并说明偏差原因")
    assert page.locator("#status").inner_text() == "被退回"
    log_out(page)

    # the unit sees the comment in its inbox and on the form, resubmits
    log_in(page, "filler")
    page.click("nav a:has-text('待办')")
    assert "请核实信息员数量并说明偏差原因" in page.locator("table.list").last.inner_text()
    page.click(f"a[href='/forms/{obj.pk}/']")
    assert "请核实信息员数量并说明偏差原因" in page.locator("#return-note").inner_text()
    page.click("a:has-text('编辑')")  # the editor shows the comment and the row's 批注
    assert "请核实信息员数量并说明偏差原因" in page.locator("#return-note").inner_text()
    row5 = page.locator("#indicator-rows tr.indicator-row").nth(4)
    assert "请附信息员名册" in row5.locator(".row-notes").inner_text()
    open_form(page, obj.pk)
    page.fill("#note-row-5 form.reply textarea[name=text]", "已补充名册")
    page.click("#note-row-5 form.reply button")
    page.wait_for_url(f"**/forms/{obj.pk}/#note-row-5")
    assert "已补充名册" in page.locator("#note-row-5").inner_text()
    take(page, "送审", explain="已核实")
    assert page.locator("#status").inner_text() == "单位审核中"
    log_out(page)

    # every level approves; export the PDF, look at the dashboard
    for who in ("unitrev", "dept", "finance"):
        log_in(page, who)
        open_form(page, obj.pk)
        take(page, "审核通过")
        log_out(page)
    log_in(page, "dept")
    open_form(page, obj.pk)
    assert page.locator("#status").inner_text() == "审核通过"
    with page.expect_download() as info:
        page.click("a:has-text('导出 PDF')")
    download = info.value
    assert download.suggested_filename == "其他人员经费.pdf"
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    with page.expect_download() as info:
        page.click("a:has-text('导出 DOCX')")
    assert info.value.suggested_filename == "其他人员经费.docx"
    word = Document(info.value.path())
    assert word.paragraphs[0].text == "财政项目支出绩效自评表" and len(word.tables) == 2
    page.click("nav a:has-text('统计分析')")
    page.wait_for_selector("#chart-scatter[data-ready='1']")
    page.wait_for_selector("#chart-scatter canvas")
    assert page.locator("#tile-total").inner_text() == "9"

    # the round's progress: one of the two listed projects approved
    page.goto(progress_url)
    row = page.locator(f"tr[data-unit='{tree.chengyun.pk}']")
    assert row.locator("td.st-count-approved").inner_text() == "1"
    assert "1 / 2" in row.locator("td.submitted").inner_text()

    steps = [
        (e.from_status, e.to_status, e.user.username)
        for e in Event.objects.filter(form=obj, kind="transition").order_by("at", "id")
    ]
    assert steps == [
        ("draft", "unit_review", "filler"),
        ("unit_review", "department_review", "unitrev"),
        ("department_review", "returned", "dept"),
        ("returned", "unit_review", "filler"),
        ("unit_review", "department_review", "unitrev"),
        ("department_review", "finance_review", "dept"),
        ("finance_review", "approved", "finance"),
    ]


def test_rows_are_added_removed_and_reordered_in_the_browser(page, users, seed):
    obj = seed[0]
    names = [i.name for i in obj.form.indicators]
    log_in(page, "filler")
    page.goto(f"/forms/{obj.pk}/edit/")
    rows = page.locator("#indicator-rows tr.indicator-row")
    assert rows.count() == len(names)
    rows.nth(1).locator("[data-action=row-up]").click()  # row 2 to the top
    page.once("dialog", lambda dialog: dialog.accept())  # 删除指标…？
    rows.nth(len(names) - 1).locator("[data-action=row-remove]").click()  # drop the last
    page.click("[data-action=add-row]")
    new = page.locator("#indicator-rows tr.indicator-row").last
    new.locator("input[name=ind_level1]").fill("产出指标")
    new.locator("input[name=ind_level2]").fill("数量指标")
    new.locator("input[name=ind_name]").fill("新增巡查次数")
    new.locator("input[name=ind_target]").fill("≥10(次)")
    new.locator("input[name=ind_actual]").fill("12(次)")
    new.locator("input[name=ind_weight]").fill("0")
    new.locator("input[name=ind_score]").fill("0")
    page.wait_for_function(
        "[...document.querySelectorAll('#live td')].some(td => td.textContent === '新增巡查次数')"
    )
    page.click("button:has-text('保存')")
    page.wait_for_url(f"**/forms/{obj.pk}/")
    saved = [i.name for i in EvaluationForm.objects.get(pk=obj.pk).form.indicators]
    assert saved == [names[1], names[0], *names[2:-1], "新增巡查次数"]


def test_evidence_is_uploaded_per_row_in_the_editor_without_losing_edits(
    page, users, seed, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    obj = seed[0]
    log_in(page, "filler")
    page.goto(f"/forms/{obj.pk}/edit/")
    page.fill("input[name=project]", "尚未保存的项目名称")
    row = page.locator("#evidence-3")
    row.locator("input[type=file]").set_input_files(
        {"name": "满意度问卷.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    row.locator("button:has-text('上传')").click()
    page.locator("#evidence-3 a:has-text('满意度问卷.pdf')").wait_for()
    assert page.input_value("input[name=project]") == "尚未保存的项目名称"  # no reload
    assert (tmp_path / obj.attachments.get().file.name).read_bytes() == b"%PDF-1.4\n%%EOF\n"
    page.once("dialog", lambda dialog: dialog.accept())  # 确定删除佐证材料…？
    page.locator("#evidence-3 button:has-text('删除')").click()
    page.locator("#evidence-3 .muted:has-text('无')").wait_for()
    assert not obj.attachments.exists()
    assert not list(tmp_path.rglob("*.pdf"))  # the stored file went with it
