"""The reports page in headless Chromium at phone width (390 px): the district requests its
monthly report as XLSX, sees it done in its list and downloads it; no sideways scroll."""

from __future__ import annotations

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from cheepao.conftest import PHONE, go, sign_in_browser
from cheepao.reports.tests.conftest import DISTRICT, MONTH_CODE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_side_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("page", [PHONE], indirect=True, ids=["phone"])
def test_the_district_requests_and_downloads_its_monthly_report(
    page, live_server, snapshots, make_user, screenshot_dir
):
    sign_in_browser(page, live_server, make_user("district", DISTRICT))
    page.goto(f"{live_server.url}/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("รายงาน")
    expect(page.locator("#report-month")).to_have_value(MONTH_CODE)
    page.locator("#report-area").select_option(DISTRICT)
    page.locator("#report-fmt").select_option("xlsx")
    _no_side_scroll(page)
    go(page, page.get_by_role("button", name="จัดทำรายงาน"))
    link = page.locator("#report-list a")
    expect(link).to_have_text(f"cheepao_report_{DISTRICT}_{MONTH_CODE}.xlsx")
    expect(page.locator("#report-exports")).to_contain_text("สถิติการช่วยเหลือรายเดือนรายหน่วยงาน")
    _no_side_scroll(page)
    page.screenshot(path=str(screenshot_dir / "reports-district.png"), full_page=True)
    # The file, fetched with the browser's own session (Chromium's download event does not
    # fire for this link under the live server; the headers say it is an attachment).
    answer = page.request.get(live_server.url + link.get_attribute("href"))
    assert answer.status == 200
    assert answer.headers["content-disposition"] == (
        f'attachment; filename="cheepao_report_{DISTRICT}_{MONTH_CODE}.xlsx"'
    )
    ws = openpyxl.load_workbook(io.BytesIO(answer.body())).active
    assert ws["B8"].value == "รวม" and ws["C8"].value == snapshots["district"].targets
