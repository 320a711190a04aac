"""The monthly statistics in headless Chromium at phone width (390 px): the district picks
November 2568 and reads the month's figures and the targets, follows a village under it,
downloads the workbook; the health office's account reads its own office's figures."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cheepao.conftest import PHONE, go, sign_in_browser
from cheepao.core.context import Context
from cheepao.helpstats.services import month_compute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_side_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("page", [PHONE], indirect=True, ids=["phone"])
def test_district_and_agency_read_the_month(
    page, live_server, month_world, make_user, screenshot_dir
):
    w = month_world
    month_compute(ctx=Context.cli(), month="2568-10")
    month_compute(ctx=Context.cli(), month="2568-11")
    sign_in_browser(page, live_server, make_user("district", w["district"]))
    page.goto(f"{live_server.url}/stats/")
    expect(page.get_by_role("heading", level=1)).to_have_text("สถิติการช่วยเหลือรายเดือน")
    page.get_by_label("เดือน").select_option("2568-11")
    go(page, page.get_by_role("button", name="แสดง"))
    expect(page.locator("#stats-acts")).to_have_text("2")
    expect(page.locator("#stats-baht")).to_have_text("1,700")
    expect(page.locator("#stats-solved")).to_have_text("1")
    expect(page.locator("#stats-sent")).to_have_text("5")
    expect(page.locator("#stats-overdue")).to_have_text("1")
    expect(page.locator("#stats-escalated")).to_have_text("1")
    expect(page.locator('[data-target="recorded"] .stats-state')).to_have_text("ไม่บรรลุตามกำหนด")
    expect(page.locator('[data-target="helped_all"] .stats-state')).to_have_text("ยังไม่ถึงกำหนด")
    expect(page.locator("#stats-agencies")).to_contain_text("สำนักงานสาธารณสุขอำเภอทดสอบ")
    _no_side_scroll(page)
    page.screenshot(path=str(screenshot_dir / "helpstats-district.png"), full_page=True)
    with page.expect_download() as download:
        page.locator("#stats-xlsx").click()
    assert download.value.suggested_filename.endswith("_2568-11.xlsx")
    link = page.locator("#stats-children a").first
    go(page, link)
    page.wait_for_url("**/stats/area/*/?month=2568-11")
    _no_side_scroll(page)

    sign_in_browser(page, live_server, make_user("agency", w["district"], body=w["health"]))
    page.goto(f"{live_server.url}/stats/?month=2568-11")
    expect(page.locator("#stats-body")).to_have_text("สำนักงานสาธารณสุขอำเภอทดสอบ")
    expect(page.locator("#stats-sent")).to_have_text("3")
    expect(page.locator("#stats-agencies")).to_have_count(0)
    _no_side_scroll(page)
    page.screenshot(path=str(screenshot_dir / "helpstats-agency.png"), full_page=True)
