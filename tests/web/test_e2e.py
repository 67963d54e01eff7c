"""End to end in a real browser: Playwright driving Debian's chromium against a live server.

Log in, import the seed file, open a form, change an indicator's 实际完成值 and watch the
score and findings change as you type, save, submit, return with a comment, resubmit,
approve, export the PDF; and the dashboard's charts draw.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

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


def take(page, action: str, comment: str = "") -> None:
    if comment:
        page.fill("form.workflow textarea[name=comment]", comment)
    page.click(f"form.workflow button:has-text('{action}')")
    page.wait_for_load_state()


def test_the_whole_review_cycle(page, users, tree):
    # log in and import the seed file
    log_in(page, "filler")
    page.click("nav a:has-text('导入')")
    page.set_input_files("input[name=files]", str(SEED_TEXT))
    page.click("button:has-text('导入')")
    report = page.locator("#import-report h2")
    assert report.inner_text() == "导入结果：成功 9 张，失败 0 项"
    assert EvaluationForm.objects.filter(organisation=tree.chengyun).count() == 9

    # open a form: the official layout beside the findings
    page.click("#import-report a:has-text('其他人员经费')")
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

    # submit; the unit can no longer edit
    take(page, "送审")
    assert page.locator("#status").inner_text() == "已送审"
    assert page.locator("a:has-text('编辑')").count() == 0
    log_out(page)

    # the 主管部门 returns it with a comment
    log_in(page, "dept")
    assert "1" in page.locator("#inbox-count").inner_text()
    open_form(page, obj.pk)
    take(page, "退回修改", "请核实信息员数量并说明偏差原因")
    assert page.locator("#status").inner_text() == "被退回"
    log_out(page)

    # the unit sees it in its inbox, reads the comment, resubmits
    log_in(page, "filler")
    page.click("nav a:has-text('待办')")
    page.click(f"a[href='/forms/{obj.pk}/']")
    assert "请核实信息员数量并说明偏差原因" in page.locator("#history").inner_text()
    take(page, "送审")
    assert page.locator("#status").inner_text() == "已送审"
    log_out(page)

    # approve, look at the dashboard, export the PDF
    log_in(page, "dept")
    open_form(page, obj.pk)
    take(page, "审核通过")
    assert page.locator("#status").inner_text() == "审核通过"
    with page.expect_download() as info:
        page.click("a:has-text('导出 PDF')")
    download = info.value
    assert download.suggested_filename == "其他人员经费.pdf"
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    page.click("nav a:has-text('统计分析')")
    page.wait_for_selector("#chart-scatter[data-ready='1']")
    page.wait_for_selector("#chart-scatter canvas")
    assert page.locator("#tile-total").inner_text() == "9"

    steps = [
        (e.from_status, e.to_status, e.user.username)
        for e in Event.objects.filter(form=obj, kind="transition").order_by("at", "id")
    ]
    assert steps == [
        ("draft", "submitted", "filler"),
        ("submitted", "returned", "dept"),
        ("returned", "submitted", "filler"),
        ("submitted", "approved", "dept"),
    ]


def test_rows_are_added_removed_and_reordered_in_the_browser(page, users, seed):
    obj = seed[0]
    names = [i.name for i in obj.form.indicators]
    log_in(page, "filler")
    page.goto(f"/forms/{obj.pk}/edit/")
    rows = page.locator("#indicator-rows tr.indicator-row")
    assert rows.count() == len(names)
    rows.nth(1).locator("[data-action=row-up]").click()  # row 2 to the top
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
