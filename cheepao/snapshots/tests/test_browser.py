"""The snapshots page in headless Chromium at phone width (390 px): the subdistrict team
closes November 2568 with the page's button and reads who closed it; the district reads
which subdistricts under it are still open and gets no close button yet."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cheepao.conftest import PHONE, go, sign_in_browser
from cheepao.core.context import Context
from cheepao.snapshots.services import month_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_side_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("page", [PHONE], indirect=True, ids=["phone"])
def test_the_subdistrict_closes_the_month_and_the_district_sees_what_is_open(
    page, live_server, snapshot_world, make_user, screenshot_dir
):
    w = snapshot_world
    month_build(ctx=Context.cli(), month="2568-11")
    team = make_user("subdistrict", w["one"].subdistrict_code, first_name="ตำบล", last_name="ทดสอบ")
    sign_in_browser(page, live_server, team)
    page.goto(f"{live_server.url}/snapshots/")
    expect(page.get_by_role("heading", level=1)).to_have_text("สรุปผลรายเดือน")
    card = page.locator('[data-month="2568-11"]')
    expect(card.get_by_role("heading", level=2)).to_have_text("พ.ย. 2568")
    expect(card.locator(".snap-open")).to_have_text("ยังไม่ได้ปิดเดือน")
    _no_side_scroll(page)
    go(page, card.get_by_role("button", name="ปิดเดือนนี้"))
    card = page.locator('[data-month="2568-11"]')
    expect(card).to_have_attribute("data-closed", "yes")
    expect(card.locator(".snap-closed")).to_contain_text("ปิดเดือนโดย ตำบล ทดสอบ")
    expect(card.get_by_role("button", name="ปิดเดือนนี้")).to_have_count(0)
    _no_side_scroll(page)
    page.screenshot(path=str(screenshot_dir / "snapshots-subdistrict.png"), full_page=True)

    sign_in_browser(page, live_server, make_user("district", w["district"]))
    page.goto(f"{live_server.url}/snapshots/")
    card = page.locator('[data-month="2568-11"]')
    expect(card.locator(".snap-still-open")).to_contain_text("พื้นที่ในสังกัดที่ยังไม่ได้ปิดเดือน")
    expect(card.get_by_role("button", name="ปิดเดือนนี้")).to_have_count(0)
    expect(card.get_by_role("button", name="สร้างสรุปผลใหม่")).to_have_count(1)
    _no_side_scroll(page)
    page.screenshot(path=str(screenshot_dir / "snapshots-district.png"), full_page=True)
