"""The signed-in dashboard in headless Chromium at 390 px and 1280 px: the trend chart is
drawn by ECharts (a canvas), no console error (nor a refused script or style), no sideways
scroll; the district follows a subdistrict of its ranking, and switches to English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cheepao.conftest import PHONE, go, sign_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP_1280 = {"width": 1280, "height": 900}


@pytest.mark.parametrize("page", [PHONE, DESKTOP_1280], indirect=True, ids=["phone", "desktop"])
def test_the_district_dashboard_draws_its_trend(
    page, live_server, snapshots, make_user, screenshot_dir, request
):
    viewport = request.node.callspec.id
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in_browser(page, live_server, make_user("district", "3401"))
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("แดชบอร์ด")
    expect(page.locator(".dash-chart canvas").first).to_be_visible()
    expect(page.locator("#dash-trend-table tbody tr")).to_have_count(3)
    expect(page.locator('[data-target="recorded"] .dash-state')).to_have_text("บรรลุแล้ว")
    expect(page.locator('[data-target="helped_all"] .dash-state')).to_have_text("ไม่บรรลุตามกำหนด")
    expect(page.locator("#dash-ranking tbody tr")).to_have_count(2)
    expect(page.locator("#dash-ranking")).not_to_contain_text("ศรีเมืองใหม่")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if viewport == "desktop":
        # Key figures and targets side by side.
        figures = page.locator("#dash-figures").bounding_box()
        lights = page.locator("#dash-lights").bounding_box()
        assert lights["x"] > figures["x"] + figures["width"] - 1
    page.screenshot(path=str(screenshot_dir / f"dashboard-district-{viewport}.png"), full_page=True)

    page.get_by_label("เดือน", exact=True).select_option("2568-11")
    go(page, page.locator(".dash-month button").first)
    expect(page.locator("#dash-trend-table tbody tr")).to_have_count(2)
    go(page, page.locator("#dash-ranking a").first)
    page.wait_for_url("**/dashboard/3401*/?month=2568-11*")
    expect(page.locator(".dash-chart canvas").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_role("button", name="English").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.locator(".dash-chart canvas").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / f"dashboard-sub-en-{viewport}.png"), full_page=True)
    assert errors == []


def test_without_javascript_the_table_is_the_trend(browser, live_server, snapshots, make_user):
    context = browser.new_context(viewport=PHONE, locale="th-TH", java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in_browser(page, live_server, make_user("district", "3401"))
        page.goto(f"{live_server.url}/dashboard/")
        expect(page.locator(".dash-trend")).to_be_hidden()
        table = page.get_by_role("table", name="อัตรารายเดือน (ร้อยละของครัวเรือนเป้าหมาย)")
        expect(table.locator("tbody tr")).to_have_count(3)
        expect(table.locator("tbody tr").last.locator("th")).to_have_text("ธ.ค. 2568")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()
