"""In a real browser: a 湖北 20-point form in the editor — its 一级 weights, check boxes and
added column, a new row with that column, the live panel scoring 预算执行 as 20 × 执行率
under the 湖北 policy — saved back into the form."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from jixiao.web import records
from jixiao.web.models import EvaluationForm, Role
from tests.web.conftest import make_user
from tests.web.layout_forms import hebei_form, hubei_form, regions
from tests.web.test_e2e import CHROMIUM, browser, log_in, page  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM, reason="needs Debian's chromium"),
]


def test_editing_a_hubei_form(page, users, tree):  # noqa: F811
    places = regions(tree.finance)
    make_user("hubei", places.hubei, Role.FILLER)
    obj = records.create(places.hubei, hubei_form(), users["admin"])
    count = len(obj.form.indicators)
    log_in(page, "hubei")
    page.goto(f"/forms/{obj.pk}/edit/")
    assert "评分口径：湖北省口径（预算执行 20 分）" in page.inner_text("#policy-basis")
    assert page.inner_text("#execution-weight").startswith("本版式预算执行分值：20 分")

    # 执行数 120 of 150: 执行率 80 %, 预算执行得分 20 × 80 % = 16 (no threshold)
    page.fill("input[name='funds.total.executed']", "120.00")
    page.wait_for_selector("#live button[name=adopt][value='funds.total.score']")
    assert page.inner_text("#live [data-field=rate]") == "80.00"
    assert page.inner_text("#live [data-field=execution_score]") == "16.00"
    page.click("#live button[name=adopt][value='funds.total.rate']")
    page.click("#live button[name=adopt][value='funds.total.score']")
    assert page.input_value("input[name='funds.total.score']") == "16.00"

    # 一级 weights, check boxes, the layout's added column
    page.fill("#level1-weights input[aria-label='产出指标·分值']", "45")
    page.uncheck("input[name='cb.0'][value='经常性项目']")
    page.check("input[name='cb.0'][value='一次性项目']")
    page.click("button[data-action=add-row]")
    new = page.locator("#indicator-rows tr.indicator-row").nth(count)
    new.locator("input[name=ind_level1]").fill("产出指标")
    new.locator("input[name=ind_level2]").fill("质量指标")
    new.locator("input[name=ind_name]").fill("设备验收合格率")
    new.locator("input[name=ind_target]").fill("100%")
    new.locator("input[name=ind_actual]").fill("100%")
    new.locator("input[name=ind_weight]").fill("5")
    new.locator("input[name=ind_score]").fill("5")
    new.locator("input[name=ind_x_measures]").fill("按季度抽查验收")
    page.click("button:has-text('保存')")
    page.wait_for_url(f"**/forms/{obj.pk}/")

    saved = EvaluationForm.objects.get(pk=obj.pk)
    form = saved.form
    assert (form.funds.total.executed, form.funds.total.rate) == (D("120.00"), D("80.00"))
    assert form.funds.total.score == D("16.00") and form.funds.total.weight == D("20")
    assert (form.level1_weights[0].label, form.level1_weights[0].weight) == ("产出指标", D(45))
    assert form.checkboxes[0].checked == ["一次性项目"]
    assert form.checkboxes[1].checked == ["延续项目"]  # untouched
    last = form.indicators[-1]
    assert (last.name, last.weight, last.extras) == (
        "设备验收合格率",
        D("5"),
        {"改进措施及结果应用方案": "按季度抽查验收"},
    )
    # the stored scores are the 湖北 rules': 16.00 for 预算执行
    assert saved.rate == 8000
    page.goto(f"/forms/{obj.pk}/")
    frame = page.frame_locator("iframe.official-frame")
    assert "产出指标(45分)" in frame.locator("body").inner_text()
    assert "☑一次性项目" in frame.locator("body").inner_text()


def test_the_regional_editors_fit_a_390_px_phone(browser, live_server, users, tree):  # noqa: F811
    places = regions(tree.finance)
    make_user("hubei", places.hubei, Role.FILLER)
    make_user("hebei", places.hebei, Role.FILLER)
    forms = {"hubei": hubei_form(), "hebei": hebei_form()}
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15000)
    phone = context.new_page()
    for who, form in forms.items():
        obj = records.create(getattr(places, who), form, users["admin"])
        log_in(phone, who)
        for url in (f"/forms/{obj.pk}/edit/", f"/forms/{obj.pk}/"):
            phone.goto(url)
            phone.wait_for_load_state("load")
            width = phone.evaluate("document.scrollingElement.scrollWidth")
            assert width <= 390, f"{who} {url}: {width} px wide"
        phone.click("header button:has-text('退出')")
        phone.wait_for_url("**/login/")
    context.close()
