"""The pages pass their Content-Security-Policy in a real browser: no violation on any page,
and the scripts still work (htmx live recalculation, the dashboard's charts)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.test_e2e import browser, log_in, strict_page  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e


def test_no_page_violates_the_policy(strict_page, users, seed):  # noqa: F811
    page = strict_page
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    log_in(page, "filler")
    obj = seed[0]
    for url in ["/forms/", f"/forms/{obj.pk}/", "/forms/inbox/", "/import/", "/dashboard/"]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    page.goto(f"/forms/{obj.pk}/edit/")
    total = page.locator("#live [data-field=total]")
    before = total.inner_text()
    page.locator("input[name=ind_actual]").nth(4).fill("6.00(个)")
    expect(total).not_to_have_text(before)  # htmx ran: the live panel was recomputed
    page.goto("/dashboard/")
    expect(page.locator("#chart-grades canvas")).to_have_count(1)  # ECharts drew
    for url in [
        f"/forms/{obj.pk}/transition/?action=submit",  # the confirmation page
        f"/forms/{obj.pk}/evidence/",
        "/rounds/",
        "/notifications/",
        "/jobs/",
        "/forms/new/",
        "/account/password/",
    ]:
        assert page.goto(url).status == 200, url
        page.wait_for_load_state("networkidle")
    # the pages of 财政 and of the 管理员
    page.click("header button:has-text('退出')")
    log_in(page, "admin")
    for url in ["/manage/", "/manage/users/", "/review-chain/", "/rounds/new/"]:
        assert page.goto(url).status == 200, url
        page.wait_for_load_state("networkidle")
    assert violations == []
