"""In a real browser: the editor's 采用计算值, the questions before leaving with unsaved
changes and before deleting a row, the print stylesheet, and every page on a 390 px phone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jixiao.web.models import EvaluationForm
from tests.web.test_e2e import CHROMIUM, browser, log_in, page  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM, reason="needs Debian's chromium"),
]


def test_adopt_the_computed_values(page, users, seed):  # noqa: F811
    obj = seed[0]
    log_in(page, "filler")
    page.goto(f"/forms/{obj.pk}/edit/")
    assert page.locator("#live button[name=adopt]").count() == 0  # the seed form agrees
    page.fill("input[name='funds.total.executed']", "956.64")  # all spent: 执行率 100.00
    page.wait_for_selector("#live button[name=adopt][value='funds.total.rate']")
    page.click("#live button[name=adopt][value='funds.total.rate']")
    assert page.input_value("input[name='funds.total.rate']") == "100.00"
    page.click("#live button[name=adopt][value='funds.total.score']")
    assert page.input_value("input[name='funds.total.score']") == "10.00"
    page.click("#live button[name=adopt][value='total_score']")
    page.wait_for_selector("#live button[name=adopt][value='total_score']", state="detached")
    total = page.locator("#live [data-field=total]").inner_text()
    assert page.input_value("input[name=total_score]") == total == "100.00"
    page.click("button:has-text('保存')")
    page.wait_for_url(f"**/forms/{obj.pk}/")
    saved = EvaluationForm.objects.get(pk=obj.pk).form
    assert (saved.funds.total.rate, saved.funds.total.score, saved.total_score) == (100, 10, 100)


def test_leaving_with_unsaved_changes_and_deleting_a_row_ask_first(page, users, seed):  # noqa: F811
    obj = seed[0]
    count = len(obj.form.indicators)
    log_in(page, "filler")
    page.goto(f"/forms/{obj.pk}/edit/")
    asked: list[tuple[str, str]] = []

    def answer(no: bool):
        def handle(dialog) -> None:
            asked.append((dialog.type, dialog.message))
            dialog.dismiss() if no else dialog.accept()

        return handle

    rows = page.locator("#indicator-rows tr.indicator-row")
    page.once("dialog", answer(no=True))
    rows.nth(0).locator("[data-action=row-remove]").click()
    assert asked[-1][0] == "confirm" and "删除指标“" in asked[-1][1]
    assert rows.count() == count  # kept
    page.once("dialog", answer(no=False))
    rows.nth(0).locator("[data-action=row-remove]").click()
    assert rows.count() == count - 1
    # unsaved: leaving asks; staying keeps the page
    page.once("dialog", answer(no=True))
    page.click("a.button:has-text('返回')", no_wait_after=True)
    page.wait_for_timeout(500)
    assert asked[-1][0] == "beforeunload"
    assert page.url.endswith(f"/forms/{obj.pk}/edit/")
    # saving does not ask
    n = len(asked)
    page.click("button:has-text('保存')")
    page.wait_for_url(f"**/forms/{obj.pk}/")
    assert len(asked) == n
    assert len(EvaluationForm.objects.get(pk=obj.pk).form.indicators) == count - 1


def test_print_shows_just_the_form(page, users, seed):  # noqa: F811
    log_in(page, "filler")
    page.goto(f"/forms/{seed[0].pk}/")
    page.emulate_media(media="print")
    for hidden in ("header.top", "aside", "form.workflow", ".history", ".actions"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator("iframe.official-frame").is_visible()
    page.emulate_media(media="screen")
    assert page.locator("header.top").is_visible()
    page.goto(f"/forms/{seed[0].pk}/print/")
    assert page.locator("h1").first.inner_text() == "财政项目支出绩效自评表"
    assert page.locator("header.top, nav, aside").count() == 0


@pytest.fixture
def phone(browser, live_server) -> Iterator[object]:  # noqa: F811
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15000)
    yield context.new_page()
    context.close()


def test_every_page_fits_a_390_px_phone(phone, users, seed):
    obj = seed[0]
    pages = ["/forms/", f"/forms/{obj.pk}/", f"/forms/{obj.pk}/edit/", "/forms/inbox/",
             "/dashboard/", "/forms/new/", "/import/"]  # fmt: skip
    for who, urls in (("filler", pages), ("dept", ["/forms/inbox/", "/dashboard/"])):
        log_in(phone, who)
        for url in urls:
            phone.goto(url)
            phone.wait_for_load_state("load")
            width = phone.evaluate("document.scrollingElement.scrollWidth")
            assert width <= 390, f"{who} {url}: {width} px wide"
        phone.click("header button:has-text('退出')")
        phone.wait_for_url("**/login/")
