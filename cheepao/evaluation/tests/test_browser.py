"""The evaluation in headless Chromium at phone width (390 px): the district (3401) reads
the figures of the two known years and the caveat, downloads the report, follows a
subdistrict under it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cheepao.conftest import PHONE, go, sign_in_browser
from cheepao.core.context import Context
from cheepao.evaluation.services import evaluation_compute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_side_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("page", [PHONE], indirect=True, ids=["phone"])
def test_the_district_reads_the_evaluation(
    page, live_server, known_help, make_user, screenshot_dir
):
    w = known_help
    evaluation_compute(ctx=Context.cli(), registry=w["registry"], after_run_path=w["after"])
    sign_in_browser(page, live_server, make_user("district", "3401"))
    page.goto(f"{live_server.url}/evaluation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("ประเมินผลการช่วยเหลือ")
    expect(page.locator("#eval-caveat")).to_contain_text("ไม่ใช่ข้อพิสูจน์")
    expect(page.locator("#eval-followed")).to_have_text("6")
    expect(page.locator("#eval-escaped")).to_have_text("3 (60.0 %)")
    expect(page.locator("#eval-sufficient")).to_have_text("3")
    expect(page.locator('#eval-indicators tr[data-subject="I3"]')).to_contain_text("50.0 % (1/2)")
    expect(page.locator("#eval-agencies")).to_contain_text("8,000")
    _no_side_scroll(page)
    page.screenshot(path=str(screenshot_dir / "evaluation-province.png"), full_page=True)
    with page.expect_download() as download:
        page.locator("#eval-xlsx").click()
    assert download.value.suggested_filename == "cheepao_evaluation_2567_2568_3401.xlsx"
    go(page, page.locator("#eval-children a").first)
    page.wait_for_url("**/evaluation/340101/?evaluation=*")
    expect(page.locator("#eval-followed")).to_have_text("6")
    _no_side_scroll(page)
