"""The open data page in headless Chromium at phone width (390 px), anonymous: choose the
month and the level, read a hidden cell's mark, switch to English, download the CSV."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from cheepao.conftest import PHONE, go
from cheepao.opendata.tests.conftest import TINY, make_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_side_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("page", [PHONE], indirect=True, ids=["phone"])
def test_a_visitor_reads_the_open_data(page, live_server, geography, screenshot_dir):
    make_rows(TINY)
    make_rows(TINY, month=date(2026, 10, 1))
    page.goto(f"{live_server.url}/")
    go(page, page.locator("#footer-open-data"))
    expect(page.get_by_role("heading", level=1)).to_have_text("ข้อมูลเปิด")
    expect(page.locator('#opendata-table tr[data-area="34"] th')).to_have_text("อุบลราชธานี")
    _no_side_scroll(page)
    page.get_by_label("เดือน").select_option("2569-10")
    page.get_by_label("ระดับ").select_option("subdistrict")
    go(page, page.get_by_role("button", name="แสดง"))
    page.wait_for_url("**/open-data/?month=2569-10&level=subdistrict&within=")
    row = page.locator('#opendata-table tr[data-area="340201"] td')
    expect(row.nth(1)).to_have_text("x")  # targets: 2, hidden
    expect(page.locator('#opendata-table tr[data-area="340101"] td').nth(1)).to_have_text("10")
    expect(page.locator("#opendata-rule")).to_contain_text("น้อยกว่า 5")
    _no_side_scroll(page)
    page.screenshot(path=str(screenshot_dir / "opendata-phone.png"), full_page=True)
    with page.expect_download() as download:
        page.locator("#download-csv").click()
    assert download.value.suggested_filename == "cheepao_open_2569-10_subdistrict.csv"

    go(page, page.get_by_role("button", name="English"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Open data")
    expect(page.locator('#opendata-table tr[data-area="340201"] th')).to_have_text("Na Kham")
    _no_side_scroll(page)
