"""In a real browser: a unit imports its 申报表 and 监控表, the 申报表 goes through the review
chain (returned by the 主管部门 with a 批注, corrected, approved level by level: the last
审核通过 is the 批复), the unit starts its 自评表 from it, a lowered 年度指标值 is kept as
approved, and the year page shows the three documents side by side."""

from __future__ import annotations

import os

import pytest

from jixiao.generate_plans import generate_year
from jixiao.plans import Documents
from jixiao.web.models import EvaluationForm
from jixiao.web.plans.models import PlanRecord
from tests.web.test_e2e import CHROMIUM, browser, log_in, page  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium"),
]


def test_a_year_from_the_approved_declaration(page, browser, live_server, users, tree, tmp_path):  # noqa: F811
    docs = generate_year(1, seed=31)
    plan = docs.declarations[0]
    plan.stage = None
    upload = tmp_path / "目标.json"
    upload.write_text(Documents(declarations=[plan], monitorings=docs.monitorings).dumps(), "utf-8")

    log_in(page, "filler")
    page.goto("/plans/")
    page.set_input_files("#plan-upload input[name=file]", str(upload))
    page.click("#plan-upload button[type=submit]")
    page.wait_for_url("**/plans/")
    assert "已导入绩效目标申报表 1 张、绩效目标执行监控表 1 张。" in page.inner_text("body")
    rows = page.locator("#plans tbody tr")
    assert rows.count() == 2
    record = PlanRecord.objects.get(kind="declaration")
    page.click(f"#plans a[href='/plans/{record.pk}/']")
    assert "绩效目标申报表 · 申报" in page.inner_text("#plan-stage")
    assert page.locator("text=据此新建自评表").count() == 0  # not approved yet
    sheet = page.inner_text("#plan-sheet")
    assert plan.indicators[0].name in sheet and "中期资金总额" in sheet

    # 送审 by the unit, then level by level; the 主管部门 returns it with a 批注 on a row
    page.click("#plan-workflow button:has-text('送审')")
    page.click("#confirm-step")
    page.wait_for_selector("#status:has-text('单位审核中')")

    def reviewer(name: str):
        p = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
        log_in(p, name)
        p.goto(f"/plans/{record.pk}/")
        return p

    unit = reviewer("unitrev")
    unit.click("#plan-workflow button:has-text('审核通过')")
    unit.click("#confirm-step")
    unit.wait_for_selector("#status:has-text('主管部门审核中')")
    unit.context.close()
    dept = reviewer("dept")
    dept.select_option("form.new-note select[name=position]", "2")
    dept.fill("form.new-note textarea[name=text]", "请核对此指标值")
    dept.click("form.new-note button[type=submit]")
    dept.wait_for_selector("#note-row-2")
    dept.fill("#plan-workflow textarea[name=comment]", "目标偏松，请调整后再报")
    dept.click("#plan-workflow button:has-text('退回')")
    dept.click("#confirm-step")
    dept.wait_for_selector("#status:has-text('被退回')")
    dept.context.close()

    page.goto(f"/plans/{record.pk}/")
    assert "目标偏松，请调整后再报" in page.inner_text("#return-note")
    assert "请核对此指标值" in page.inner_text("#note-row-2")
    page.click("text=修改年度指标值")
    page.locator("#target-rows input[name=target]").nth(1).fill("不高于1%")
    page.click("#targets-form button[type=submit]")
    page.wait_for_selector("text=已保存，修改了 1 个年度指标值")
    page.click("#plan-workflow button:has-text('送审')")
    page.click("#confirm-step")
    page.wait_for_selector("#status:has-text('单位审核中')")
    for name in ("unitrev", "dept", "finance"):
        p = reviewer(name)
        p.click("#plan-workflow button:has-text('审核通过')")
        p.click("#confirm-step")
        p.wait_for_selector("text=审核通过完成")
        p.context.close()
    page.goto(f"/plans/{record.pk}/")
    assert "绩效目标申报表 · 批复" in page.inner_text("#plan-stage")
    assert page.inner_text("#status") == "审核通过"
    filed_second = plan.indicators[1].target
    plan.indicators[1].target = "不高于1%"  # as approved

    page.goto(f"/plans/{record.pk}/")
    page.click("button:has-text('据此新建自评表')")
    page.wait_for_url("**/edit/")
    assert "已据批复的申报表新建自评表" in page.inner_text("body")
    obj = EvaluationForm.objects.get()
    targets = page.locator("[name=ind_target]")
    assert targets.count() == len(plan.indicators)
    assert targets.nth(0).input_value() == plan.indicators[0].target
    assert targets.nth(0).get_attribute("readonly") is not None
    assert page.locator("nav a:has-text('绩效目标')").count() == 1
    obj.refresh_from_db()
    assert [i.target for i in obj.form.indicators] == [i.target for i in plan.indicators]

    # the year: 申报 (as approved) → July (监控表) → 自评, one row per indicator
    page.goto(f"/forms/{obj.pk}/")
    page.click("#year-link")
    page.wait_for_selector("#year-table")
    rows = page.locator("#year-table tbody tr.year-row")
    assert rows.count() == len(plan.indicators)
    second = rows.nth(1)
    assert "gap-changed" in second.get_attribute("class")
    assert f"监控表的年度指标值“{filed_second}”与批复的“不高于1%”不同" in second.inner_text()
    assert "不高于1%" in second.locator("td").nth(3).inner_text()
    assert rows.nth(0).get_attribute("class") in ("year-row", "year-row gap-doubtful")
    docs_text = page.inner_text("#year-docs")
    assert "批复" in docs_text and "1-7月" in docs_text and f"#{obj.pk}" in docs_text
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(tmp_path / "year.png"), full_page=True)
