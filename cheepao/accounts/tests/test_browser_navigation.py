"""Moving between apps by the main menu (htmx-boosted links swap only the body): each
page's own stylesheet must still arrive, or a page reached by a click looks broken while
the same page opened directly looks right."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_menu_clicks_bring_each_apps_stylesheet(page, live_server, registry, make_user, sign_in):
    user = make_user("subdistrict", "340101")
    client = sign_in(Client(), user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + "/registry/")
    head = page.locator("head")
    assert head.locator("link[href*='css/households.css']").count() == 1

    menu = page.get_by_role("navigation", name="เมนูหลัก")
    menu.get_by_role("link", name="ตรวจสอบและรับรอง").click()
    page.wait_for_url("**/verification/**")
    head.locator("link[href*='css/verification.css']").wait_for(state="attached")
    assert head.locator("link[href*='css/households.css']").count() == 0

    menu.get_by_role("link", name="ครัวเรือนตกหล่น (ศจพ.2)").click()
    page.wait_for_url("**/new-households/**")
    head.locator("link[href*='css/newhouseholds.css']").wait_for(state="attached")
    # The stylesheet is loaded and in force, not only its tag.
    page.wait_for_function(
        # A function, not a bare expression: Playwright would poll a string with eval(),
        # which the Content-Security-Policy refuses.
        "() => [...document.styleSheets].some(s => (s.href || '').includes('newhouseholds.css'))"
    )
