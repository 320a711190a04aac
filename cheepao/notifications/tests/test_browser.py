"""The notification path in headless Chromium at phone width (390 px): the subdistrict team
returns a plan, the mentor sees the bell count it, opens the inbox, opens the notification
(it leads to the plan's page and is marked read) and the bell goes back to nought."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cheepao.conftest import PHONE, go, sign_in_browser
from cheepao.core.context import Context
from cheepao.notifications.models import Notification
from cheepao.plans import services as plans
from cheepao.plans.tests.helpers import household_failing, put_in_care
from cheepao.plans.tests.test_services import drafted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_side_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("page", [PHONE], indirect=True, ids=["phone"])
def test_bell_inbox_open_marked_read(page, live_server, registry, make_user, screenshot_dir):
    h = household_failing(registry)
    mentor = make_user("mentor", h.village_code)
    team = make_user("subdistrict", h.subdistrict_code)
    put_in_care(h, mentor)
    cared = {"household": h, "mentor": mentor}
    plan = drafted(cared)
    plan = plans.plan_step(
        ctx=Context.cli(mentor), plan_id=plan.pk, step="submit", version=plan.version
    )
    plans.plan_step(
        ctx=Context.cli(team),
        plan_id=plan.pk,
        step="return",
        version=plan.version,
        comment="กรุณาระบุหน่วยงาน",
    )

    sign_in_browser(page, live_server, mentor)
    page.goto(f"{live_server.url}/registry/")
    bell = page.locator("a.bell")
    expect(bell.locator(".bell-count")).to_have_text("1")
    _no_side_scroll(page)
    go(page, bell)
    page.wait_for_url("**/notifications/")
    item = page.locator("li.notification.unread")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(f"แผนพัฒนาครัวเรือนฉบับที่ 1 ของครัวเรือน {h.hh_id}")
    _no_side_scroll(page)
    page.screenshot(path=str(screenshot_dir / "notifications_inbox_phone.png"), full_page=True)
    go(page, item.get_by_role("button"))
    page.wait_for_url(f"**/plans/household/{h.pk}/")
    expect(page.locator("a.bell .bell-count")).to_have_text("0")
    assert Notification.objects.get(user=mentor).read_at is not None
    go(page, page.locator("a.bell"))
    expect(page.locator("li.notification.unread")).to_have_count(0)
    expect(page.locator("li.notification")).to_have_count(1)
    _no_side_scroll(page)
