"""系统管理 in a real browser, under the site's real Content-Security-Policy: a 管理员 creates a
unit and a user there, the user logs in, the unit is 撤销 after the confirmation."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from jixiao.web.models import Organisation
from tests.web.test_e2e import browser, log_in, log_out, strict_page  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_admin_creates_a_unit_and_a_user_who_logs_in(strict_page, users, tree):  # noqa: F811
    page = strict_page
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    log_in(page, "admin")
    page.click("header a:has-text('系统管理')")
    page.wait_for_url("**/manage/units/")
    row = page.locator(f"#unit-tree tr[data-unit='{tree.education.pk}']")
    row.locator("a:has-text('新建下级')").click()
    expect(page.locator("select[name=kind]")).to_have_value("unit")  # fits the parent
    page.fill("input[name=name]", "上海市嘉定区第二中学")
    page.fill("input[name=code]", "30100102009")
    page.click("button:has-text('保存')")
    page.wait_for_url("**/manage/units/")
    expect(page.locator(".messages")).to_contain_text("已新建预算单位“上海市嘉定区第二中学”")
    unit = Organisation.objects.get(code="30100102009")
    assert unit.parent == tree.education

    page.locator(f"#unit-tree tr[data-unit='{unit.pk}'] a:has-text('新建用户')").click()
    page.fill("input[name=username]", "erzhong")
    page.fill("input[name=first_name]", "二中填报")
    page.select_option("select[name=role]", "filler")
    page.fill("input[name=password1]", "Erzhong-pw-2024")
    page.fill("input[name=password2]", "Erzhong-pw-2024")
    page.click("button:has-text('保存')")
    page.wait_for_url("**/manage/users/")
    expect(page.locator("#user-list")).to_contain_text("上海市嘉定区第二中学")
    assert get_user_model().objects.get(username="erzhong").profile.organisation == unit

    # 撤销 asks first: dismissed, nothing happens; accepted, the unit is closed
    row = page.locator(f"#unit-tree tr[data-unit='{unit.pk}']")
    page.goto("/manage/units/")
    page.once("dialog", lambda d: d.dismiss())
    row.locator("button:has-text('撤销')").click()
    expect(row).to_contain_text("正常")
    page.once("dialog", lambda d: d.accept())
    row.locator("button:has-text('撤销')").click()
    expect(row).to_contain_text("已撤销")
    assert Organisation.objects.get(pk=unit.pk).closed
    log_out(page)

    page.goto("/login/")
    page.fill("input[name=username]", "erzhong")
    page.fill("input[name=password]", "Erzhong-pw-2024")
    page.click("button[type=submit]")
    page.wait_for_url("**/forms/")
    expect(page.locator("header")).to_contain_text("二中填报")
    assert violations == []
