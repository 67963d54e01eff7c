"""填报任务 in a real browser, under the site's real Content-Security-Policy: 财政 opens a
round with a whole 主管部门 and types a unit's list; the 填报人 finds the missing project in
待办, creates its form from there and submits it; the reviewer is notified; the progress page
counts it; the Excel export downloads."""

from __future__ import annotations

import datetime

import pytest

from jixiao.web import workflow
from jixiao.web.models import EvaluationForm
from jixiao.web.notifications.models import Notification
from jixiao.web.rounds.models import Round
from tests.web.test_e2e import CHROMIUM, browser, log_in, log_out, strict_page  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_round_from_opening_to_progress(strict_page, users, seed, tree):  # noqa: F811
    page = strict_page
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    log_in(page, "finance")
    page.click("header nav >> text=填报任务")
    page.click("text=发起填报任务")
    page.fill("input[name=title]", "2024年度项目支出绩效自评")
    page.fill("input[name=year]", "2024")
    deadline = datetime.date.today() + datetime.timedelta(days=10)
    page.fill("input[name=deadline]", deadline.isoformat())
    page.check(f"input[name=scope][value='{tree.jiangqiao.pk}']")
    page.click("button:has-text('发起')")
    page.wait_for_url("**/rounds/*/")
    rnd = Round.objects.get()
    assert rnd.units.count() == 2  # both units of 江桥镇
    page.click(f"a:has-text('{tree.chengyun.name}')")
    names = [f.project for f in seed[:3]] + ["新增的项目"]
    page.fill("textarea[name=projects]", "\n".join(names))
    page.click("button:has-text('保存清单')")
    page.wait_for_selector("text=已保存项目清单：新增 4 个，删除 0 个。")
    log_out(page)

    log_in(page, "filler")
    page.goto("/forms/inbox/")
    section = page.locator("#round-deadlines")
    assert "还剩 10 天" in section.inner_text()
    assert "0 / 4" in section.inner_text()
    section.locator("li:has-text('新增的项目') button").click()
    page.wait_for_url("**/edit/")
    new = EvaluationForm.objects.get(project="新增的项目")
    assert (new.organisation, new.year) == (tree.chengyun, 2024)
    # (the workflow's own pages are tested apart) a blank form has 错误, each needs a 说明
    notes = ["内容待补充"] * len(workflow.errors_of(new))
    workflow.apply(users["filler"], new, "submit", explanations=notes)
    log_out(page)

    # the reviewer at the level the form reached is told, and follows the link
    reviewer = Notification.objects.get(form=new).recipient
    log_in(page, reviewer.username)
    assert page.locator("#unread-count").inner_text() == "1"
    page.click("header >> text=通知")
    page.click("text=新增的项目")
    page.wait_for_url(f"**/forms/{new.pk}/")
    page.goto(f"/rounds/{rnd.pk}/")
    row = page.locator(f"tr[data-unit='{tree.chengyun.pk}']")
    assert "1 / 4" in row.locator("td.submitted").inner_text()
    page.click("button:has-text('导出 Excel')")  # a background job; its page offers the file
    with page.expect_download() as download:
        page.click("#job-download")
    assert download.value.suggested_filename.endswith(".xlsx")
    assert violations == []
