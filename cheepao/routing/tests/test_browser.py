"""Routing's path in headless Chromium at phone width (390 px): the mentor routes the
household's problems from its folder and refers one to the lead office, the agency finds
it in its inbox, accepts it, records the help it gave and marks its part done, and the
mentor confirms the problem solved on that help."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cheepao.conftest import PHONE, go, sign_in_browser
from cheepao.households.models import Problem
from cheepao.routing.models import Case, Referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_side_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("page", [PHONE], indirect=True, ids=["phone"])
def test_route_refer_accept_help_done_solve(page, live_server, world, screenshot_dir):
    h, problem = world["household"], world["problem"]

    # The mentor routes the household's problems from its folder.
    sign_in_browser(page, live_server, world["mentor"])
    page.goto(f"{live_server.url}/registry/household/{h.pk}/")
    go(page, page.locator("#routing-section").get_by_role("link"))
    go(page, page.get_by_role("button", name="ส่งต่อปัญหาของครัวเรือนนี้"))
    case = Case.objects.get(household=h, indicator=problem.indicator)
    expect(page.locator(f'[data-case="{case.pk}"]')).to_contain_text(world["office"].name)
    go(page, page.locator(f'[data-case="{case.pk}"] a'))
    page.locator("#refer summary").click()
    page.locator("#refer-agency").select_option(str(world["office"].pk))
    go(page, page.get_by_role("button", name="ส่งต่อเรื่อง"))
    expect(page.locator("#referrals")).to_contain_text("รอตอบรับ")
    _no_side_scroll(page)

    # The agency finds it in its inbox, accepts it, records help and marks its part done.
    sign_in_browser(page, live_server, world["agency"])
    page.goto(f"{live_server.url}/routing/inbox/")
    expect(page.locator("#tab-pending")).to_contain_text("(1)")
    _no_side_scroll(page)
    page.screenshot(path=str(screenshot_dir / "routing_inbox_phone.png"), full_page=True)
    go(page, page.locator("#inbox-rows a").first)
    go(page, page.get_by_role("button", name="รับเรื่อง", exact=True))
    expect(page.locator("#my-referral")).to_have_attribute("data-state", "accepted")
    page.get_by_label("มูลค่า (บาท)").fill("1200")
    page.locator("#id_note").fill("มอบอุปกรณ์และให้คำแนะนำ")
    _no_side_scroll(page)
    page.screenshot(path=str(screenshot_dir / "routing_case_phone.png"), full_page=True)
    go(page, page.get_by_role("button", name="บันทึกความช่วยเหลือและแจ้งว่าเสร็จแล้ว"))
    expect(page.locator("#my-referral")).to_have_attribute("data-state", "done")
    page.goto(f"{live_server.url}/routing/inbox/?tab=done")
    expect(page.locator("#tab-done")).to_contain_text("(1)")
    referral = Referral.objects.get(case=case)
    assert referral.state == "done" and referral.done_entry.agency == world["office"]

    # The mentor confirms the problem solved on that help.
    sign_in_browser(page, live_server, world["mentor"])
    page.goto(f"{live_server.url}/routing/case/{case.pk}/")
    page.locator("#solve summary").click()
    page.locator("#solve-entry").select_option(str(referral.done_entry_id))
    go(page, page.get_by_role("button", name="ยืนยันว่าแก้ไขแล้ว"))
    expect(page.locator("#case-state")).to_have_attribute("data-state", "solved")
    _no_side_scroll(page)
    problem.refresh_from_db()
    assert problem.status == Problem.Status.SOLVED
