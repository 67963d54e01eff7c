"""In a real browser: a unit imports its 申报表 and 监控表, 财政 批复 the 申报表, the unit starts
its 自评表 from it, and a lowered 年度指标值 is kept as approved."""

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

    finance = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    log_in(finance, "finance")
    finance.goto(f"/plans/{record.pk}/")
    finance.click("button:has-text('批复')")
    finance.wait_for_selector("text=已批复")
    assert "绩效目标申报表 · 批复" in finance.inner_text("#plan-stage")
    finance.context.close()

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
