"""Escalation's path in headless Chromium at phone width (390 px): the district sees a
problem's clock and escalates it with a reason; the province finds it waiting for
assignment, assigns it to a provincial agency and, once done, returns it to the district,
whose clock runs again."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from cheepao.conftest import PHONE, go, sign_in_browser
from cheepao.escalation.models import Clock, Escalation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_side_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("page", [PHONE], indirect=True, ids=["phone"])
def test_district_escalates_province_assigns_and_returns(
    page, live_server, world, sign_in, screenshot_dir
):
    case, h = world["case"], world["household"]
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )

    sign_in_browser(page, live_server, world["district"])
    page.goto(f"{live_server.url}/escalation/case/{case.pk}/")
    expect(page.locator("#clock-left")).to_contain_text("เหลืออีก 30 วัน")
    _no_side_scroll(page)
    page.get_by_label("เหตุผลที่ส่งต่อไปยังจังหวัด").fill("ต้องใช้งบประมาณของจังหวัด")
    go(page, page.get_by_role("button", name="ส่งต่อไปยังจังหวัด"))
    expect(page.get_by_text("ส่งต่อปัญหาไปยังจังหวัดแล้ว")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "escalation-district.png"), full_page=True)

    # The province role needs its second factor: a session that passed it.
    page.context.clear_cookies()
    client = sign_in(Client(), world["province"])
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/escalation/")
    _no_side_scroll(page)
    go(page, page.locator("#waiting").get_by_role("link", name=h.hh_id))
    expect(page.locator("#escalation-reason")).to_contain_text("ต้องใช้งบประมาณของจังหวัด")
    _no_side_scroll(page)  # the assign form's office names held to the phone's width
    page.get_by_label("หน่วยงาน/ส่วนราชการ").select_option(label=world["office"].name)
    page.get_by_label("ข้อความถึงหน่วยงาน").fill("โปรดช่วยเหลือภายในเดือนนี้")
    go(page, page.get_by_role("button", name="มอบหมาย", exact=True))
    expect(page.locator("#escalation-agency")).to_contain_text(world["office"].name)
    _no_side_scroll(page)
    page.get_by_label("สิ่งที่หน่วยงานได้ดำเนินการ").fill("ได้รับเงินสงเคราะห์แล้ว")
    go(page, page.get_by_role("button", name="ส่งคืนอำเภอ"))
    expect(page.locator("#escalation-returned")).to_contain_text("ได้รับเงินสงเคราะห์แล้ว")
    page.screenshot(path=str(screenshot_dir / "escalation-province.png"), full_page=True)

    assert violations == []
    escalation = Escalation.objects.get(case=case)
    assert escalation.assigned_agency == world["office"] and escalation.returned_at
    assert Clock.objects.get(case=case, stopped_at__isnull=True).step == "district"
