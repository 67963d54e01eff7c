"""抽查复核 in a real browser under the site's real Content-Security-Policy: 财政 draws the most
inflated form of each department for a named reviewer, the reviewer finds it in 待办 and
records a 复核得分, and the form's page shows 自评 vs 复核 and the gap."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jixiao.web.recheck.models import Draw, RecheckTask
from tests.web.recheck_helpers import send_up
from tests.web.test_e2e import browser, log_in, log_out, strict_page  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_finance_draws_the_reviewer_records_the_form_shows_the_gap(strict_page, users, seed):  # noqa: F811
    page = strict_page
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    send_up(*seed)
    # 财政 draws: by rule, the most inflated form of each 主管部门, for 教育局's reviewer
    log_in(page, "finance")
    page.click("header nav >> text=抽查复核")
    page.click("text=新建抽查")
    page.select_option("select[name=method]", "inflation")
    page.fill("input[name=count]", "1")
    page.select_option("select[name=reviewer]", str(users["edu"].pk))
    page.click("#preview-draw")
    preview = page.locator("#draw-preview")
    expect(preview).to_contain_text("江桥镇（可抽 9 张，抽取 1 张）")
    expect(preview.locator("tr.drawn")).to_contain_text("活动经费")
    page.click("#confirm-draw")
    page.wait_for_url("**/recheck/*/")
    expect(page.locator(".messages")).to_contain_text("已抽取 1 张自评表")
    expect(page.locator("#draw-done")).to_have_text("0 / 1")
    expect(page.locator("#draw-rule")).to_contain_text("按自评虚高从大到小")
    draw = Draw.objects.get()
    task = RecheckTask.objects.get(draw=draw)
    log_out(page)

    # the reviewer finds the task in 待办 and records
    log_in(page, "edu")
    expect(page.locator("#inbox-count")).to_have_text("1")
    page.click("header nav >> text=待办")
    page.click("#recheck-tasks >> text=去复核")
    page.wait_for_url(f"**/recheck/tasks/{task.pk}/")
    page.fill("input[name=score_0]", "3.00")
    page.fill("textarea[name=opinion_0]", "执行率得分按复核口径调整")
    page.select_option("select[name=verdict]", "adjust")
    page.fill("textarea[name=conclusion]", "预算执行率得分偏高。")
    page.click("#save-recheck")
    expect(page.locator(".messages")).to_contain_text(
        "复核已保存：复核总分 93.00 分，与自评总分相差 -0.50 分。"
    )
    expect(page.locator("#recheck-gap")).to_have_text("-0.50")
    expect(page.locator("#recheck-rows tr[data-row='0']")).to_have_class("differs")
    log_out(page)

    # 财政 sees the draw done and the form's page shows 自评 vs 复核
    log_in(page, "finance")
    page.goto(f"/recheck/{draw.pk}/")
    expect(page.locator("#draw-done")).to_have_text("1 / 1")
    page.goto(f"/forms/{task.form_id}/")
    section = page.locator("#recheck")
    expect(section.locator(".self-total")).to_have_text("93.50")
    expect(section.locator(".recheck-total")).to_have_text("93.00")
    expect(section.locator(".gap").first).to_have_text("-0.50")
    expect(section.locator("tr.differs")).to_contain_text("执行率得分按复核口径调整")
    assert violations == []
