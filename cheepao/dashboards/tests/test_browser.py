"""The public pages in headless Chromium, on a phone-sized and a desktop viewport."""

from __future__ import annotations

import pytest

from cheepao.conftest import RUN_PROVINCE, RUN_YEAR
from cheepao.engine import api

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_drill_down_and_language_switch(
    page, live_server, runs_dir, geography, screenshot_dir, request
):
    viewport = request.node.callspec.id
    run = api.latest_run(runs_dir)
    provinces = run.register("province")

    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "th"
    table = page.get_by_role("table", name=f"ทะเบียนงบหน้าข้อมูล ระดับจังหวัด ปี {RUN_YEAR}")
    assert table.is_visible()
    headers = table.locator("thead th").all_inner_texts()
    assert headers[0] == "ที่" and headers[1] == "จังหวัด"
    assert headers[-1] == "จำนวนคนจนเป้าหมาย TPMAP (คน)"
    total = table.locator("tfoot tr")
    assert total.locator("th").inner_text() == "รวม"
    assert total.locator("td").nth(1).inner_text() == f"{int(provinces.target_households.sum()):,}"
    page.screenshot(path=str(screenshot_dir / f"home_th_{viewport}.png"), full_page=True)

    # The page never scrolls sideways; only the table's own box does.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_role("link", name=provinces.iloc[0]["area_name_th"]).click()
    page.wait_for_url(f"**/areas/{RUN_PROVINCE}/")
    assert page.get_by_role("heading", level=1).inner_text() == "จังหวัดอุบลราชธานี"
    districts = run.register("district", RUN_PROVINCE)
    first_district = districts.iloc[0]
    page.get_by_role("link", name=first_district["area_name_th"], exact=True).click()
    page.wait_for_url(f"**/areas/{first_district['area_code']}/")
    breadcrumb = page.get_by_role("navigation", name="ตำแหน่งปัจจุบัน")
    assert breadcrumb.get_by_role("link", name="จังหวัดอุบลราชธานี").is_visible()
    assert (
        page.locator("[aria-current=page]").inner_text() == f"อำเภอ{first_district['area_name_th']}"
    )
    page.screenshot(path=str(screenshot_dir / f"district_th_{viewport}.png"), full_page=True)

    page.get_by_role("button", name="English").click()
    # A function, not a bare expression (polling a string uses eval(), refused by the CSP).
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.url.endswith(f"/areas/{first_district['area_code']}/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        f"{first_district['area_name_en']} District"
    )
    assert page.locator("tfoot th").first.inner_text() == "Total"
    page.screenshot(path=str(screenshot_dir / f"district_en_{viewport}.png"), full_page=True)

    page.get_by_role("link", name="All provinces").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Summary register of target households"
    )
    assert page.get_by_role("heading", name="Multidimensional poverty (Alkire-Foster)").is_visible()


def test_no_run_page_in_the_browser(
    page, live_server, empty_runs_dir, geography, screenshot_dir, request
):
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="ยังไม่มีผลการคำนวณ").is_visible()
    assert page.get_by_text("cheepao compute --input SURVEY_DIR").is_visible()
    page.screenshot(
        path=str(screenshot_dir / f"no_run_{request.node.callspec.id}.png"), full_page=True
    )
