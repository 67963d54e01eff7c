"""In a real browser, under the site's Content-Security-Policy: the editor of a scanned
form marks each uncertain field with the crop of the scan beside it, lists them at the
top with links to the fields, and a ticked 已核对 is gone after saving."""

from __future__ import annotations

import re

import pytest

from jixiao.web import scan_cells
from jixiao.web.models import UncertainCell
from tests.web.test_e2e import CHROMIUM, browser, log_in, strict_page  # noqa: F401  (fixtures)
from tests.web.test_scan_cells import _cells

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM, reason="needs Debian's chromium"),
]


def test_the_editor_shows_uncertain_fields_with_their_crops(strict_page, users, seed):  # noqa: F811
    page = strict_page
    obj = seed[0]
    scan_cells.keep(obj, _cells(obj))
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    crops: dict[str, int] = {}
    page.on("response", lambda r: crops.update({r.url: r.status}) if "/scan/" in r.url else None)
    log_in(page, "filler")
    page.goto(f"/forms/{obj.pk}/edit/")
    page.wait_for_load_state("networkidle")
    assert page.locator("#scan-doubts h2").inner_text() == "待核对的识别结果（4 处）"
    marked = page.locator("input.uncertain, textarea.uncertain")
    assert marked.count() == 3
    names = [marked.nth(i).get_attribute("name") for i in range(3)]
    assert names == ["project", "funds.total.executed", "ind_actual"]
    project = page.locator("input[name=project]")
    assert project.get_attribute("title") == "识别不确定：请对照扫描件核对（置信度 0.83）"
    # each crop is shown beside its field (and the unplaced one in the list), loaded
    images = page.locator(".scan-crop img")
    assert images.count() == 4
    for i in range(4):
        box = images.nth(i).bounding_box()
        assert box is not None and box["width"] > 20 and box["height"] > 10
    assert len(crops) == 4 and set(crops.values()) == {200}
    actual = (
        page.locator("#indicator-rows tr.indicator-row").nth(2).locator("input[name=ind_actual]")
    )
    beside = page.locator("#indicator-rows tr.indicator-row").nth(2).locator(".scan-crop img")
    field_box, crop_box = actual.bounding_box(), beside.bounding_box()
    assert abs(crop_box["x"] - field_box["x"]) < 200 and 0 <= crop_box["y"] - field_box["y"] < 80
    # the list links to the field
    pk = UncertainCell.objects.get(form=obj, path="funds.total.executed").pk
    page.click(f"#scan-doubts a[href='#scan-{pk}']")
    assert page.url.endswith(f"#scan-{pk}")
    # 已核对 on the project, then save: that mark is gone, the others stay
    page.locator(
        "#scan-note-" + str(UncertainCell.objects.get(form=obj, path="project").pk)
    ).locator("input[type=checkbox]").check()
    page.click("button:has-text('保存')")
    page.wait_for_url(re.compile(rf"/forms/{obj.pk}/(#.*)?$"))  # the link's #scan-… kept
    assert "已核对识别结果 1 处" in page.content()
    page.goto(f"/forms/{obj.pk}/edit/")
    assert page.locator("#scan-doubts h2").inner_text() == "待核对的识别结果（3 处）"
    assert page.locator("input[name=project]").get_attribute("class") is None
    page.screenshot(path="/tmp/se/editor.png", full_page=True)
    assert violations == []


def test_the_forms_page_says_cells_wait_and_an_added_fund_row_is_marked(
    strict_page,  # noqa: F811
    users,
    tree,
    seed_forms,
):
    """The form's page says how many cells wait, its link opens the editor's list; a cell
    of a fund row the layout adds is marked on its input with the crop beside it."""
    from decimal import Decimal

    from jixiao.model import FundRow
    from jixiao.web import records
    from tests.web.test_scan_cells import _cell

    page = strict_page
    form = seed_forms[0].model_copy(deep=True)
    form.funds.extras["财政专户管理资金"] = FundRow(initial=Decimal("10.00"))
    obj = records.create(tree.chengyun, form, users["filler"])
    cells = _cells(obj)
    cells.append(
        _cell(
            "funds.extras.财政专户管理资金.initial",
            "10.00",
            0.58,
            "第1页表格第9行第2列（财政专户管理资金·年初预算数）：文字识别存疑（置信度 0.58）",
        )
    )
    scan_cells.keep(obj, cells)
    log_in(page, "filler")
    page.goto(f"/forms/{obj.pk}/")
    notice = page.locator("#scan-pending")
    assert notice.is_visible()
    assert notice.inner_text().startswith("本表由扫描件文字识别读入，有 5 处识别结果待核对")
    notice.locator("a").click()
    page.wait_for_url(re.compile(rf"/forms/{obj.pk}/edit/#scan-doubts$"))
    assert page.locator("#scan-doubts h2").inner_text() == "待核对的识别结果（5 处）"
    added = page.locator("input[name='fundx.0.initial']")
    assert added.get_attribute("class") == "uncertain"
    assert added.get_attribute("title") == "识别不确定：请对照扫描件核对（置信度 0.58）"
    pk = UncertainCell.objects.get(form=obj, path__startswith="funds.extras.").pk
    crop = page.locator(f"#scan-note-{pk} img")
    crop.wait_for()
    field_box, crop_box = added.bounding_box(), crop.bounding_box()
    assert field_box and crop_box and crop_box["width"] > 20
    assert abs(crop_box["x"] - field_box["x"]) < 200 and 0 <= crop_box["y"] - field_box["y"] < 80
    page.click(f"#scan-doubts a[href='#scan-{pk}']")
    assert page.url.endswith(f"#scan-{pk}")
