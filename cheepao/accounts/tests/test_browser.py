"""A new district account's first sign-in, in headless Chromium on a phone and a desktop."""

from __future__ import annotations

import re

import pytest

from cheepao.accounts import services
from cheepao.accounts.models import User
from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "ข้าวเหนียว-มะม่วง-2568"
PASSWORD_PAGE = re.compile(r"/accounts/password/\?next=")


def test_first_sign_in_forces_a_new_password_then_lands_on_the_registry(
    page, live_server, geography, screenshot_dir, request, home_url
):
    viewport = request.node.callspec.id
    province = User.objects.create(
        username="somsri-p", role="province", area_code="34", must_change_password=False
    )
    account, one_time = services.account_create(
        ctx=Context.cli(province),
        username="somchai.d",
        full_name="นายสมชาย ใจดี",
        role="district",
        area_code="3401",
        new_body_name="ศจพ.อ.เมืองอุบลราชธานี",
    )

    page.goto(live_server.url + "/accounts/sign-in/")
    assert page.locator("html").get_attribute("lang") == "th"
    page.get_by_label("ชื่อผู้ใช้").fill("somchai.d")
    page.get_by_label("รหัสผ่าน", exact=True).fill(one_time)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()

    page.wait_for_url(PASSWORD_PAGE)
    assert page.get_by_role("heading", level=1).inner_text() == "ตั้งรหัสผ่านของท่านเอง"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / f"password_th_{viewport}.png"), full_page=True)

    # Any other page sends the person back here until the password is changed.
    page.goto(live_server.url + "/accounts/")
    page.wait_for_url(re.compile(r"/accounts/password/\?next=/accounts/$"))
    page.goto(live_server.url + home_url)
    page.wait_for_url(PASSWORD_PAGE)

    page.get_by_label("รหัสผ่านปัจจุบัน").fill(one_time)
    page.get_by_label("รหัสผ่านใหม่", exact=True).fill("short")
    page.get_by_label("ยืนยันรหัสผ่านใหม่อีกครั้ง").fill("short")
    page.get_by_role("button", name="บันทึกรหัสผ่านใหม่").click()
    alert = page.get_by_role("alert")
    assert "รหัสผ่านสั้นเกินไป" in alert.inner_text()
    account.refresh_from_db()
    assert account.must_change_password

    page.get_by_label("รหัสผ่านปัจจุบัน").fill(one_time)
    page.get_by_label("รหัสผ่านใหม่", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("ยืนยันรหัสผ่านใหม่อีกครั้ง").fill(NEW_PASSWORD)
    page.keyboard.press("Enter")

    page.wait_for_url(live_server.url + home_url)
    assert "เมืองอุบลราชธานี" in page.get_by_role("heading", level=1).inner_text()
    page.screenshot(path=str(screenshot_dir / f"registry_home_{viewport}.png"), full_page=True)
    account.refresh_from_db()
    assert not account.must_change_password and account.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(
        actor=account, summary="account somchai.d password changed (first sign-in)"
    ).exists()


def _sign_in_browser(page, live_server, user) -> None:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
    )


def test_a_district_creates_a_mentor_team_by_picking_the_village_then_deactivates_it(
    page, live_server, geography, screenshot_dir, request
):
    """The area is picked from lists (the village list appears when the subdistrict is
    picked, without leaving the page); deactivation asks on its own page first."""
    viewport = request.node.callspec.id
    district = User.objects.create(
        username="somsri-d",
        first_name="สมศรี",
        role="district",
        area_code="3401",
        must_change_password=False,
    )
    _sign_in_browser(page, live_server, district)
    page.goto(live_server.url + "/accounts/new/")
    page.get_by_label("ชื่อ-นามสกุล").fill("นายพี่เลี้ยง ใจดี")
    page.get_by_label("ชื่อผู้ใช้").fill("mentor-5")
    page.get_by_label("บทบาท").select_option("mentor")
    village = page.get_by_label("หมู่บ้าน")
    assert village.locator("option").all_inner_texts() == ["— โปรดเลือกตำบลก่อน —"]
    page.get_by_label("ตำบล", exact=True).select_option("340101")
    page.wait_for_function("() => document.querySelectorAll('#id_area_village option').length > 1")
    assert page.get_by_label("ชื่อผู้ใช้").input_value() == "mentor-5"  # nothing lost
    page.get_by_label("หมู่บ้าน").select_option(label="หมู่ที่ 5")
    page.get_by_label("ชื่อหน่วยงานใหม่").fill("ทีมพี่เลี้ยงหมู่ 5")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / f"account_create_{viewport}.png"), full_page=True)
    page.get_by_role("button", name="สร้างบัญชี").click()
    page.wait_for_selector("#one-time-password")
    account = User.objects.get(username="mentor-5")
    assert account.area_code == "34010105" and "หมู่ที่ 5 ตำบลในเมือง" in page.content()

    page.goto(live_server.url + f"/accounts/{account.pk}/")
    page.get_by_role("link", name="ระงับบัญชี").click()
    page.wait_for_url(re.compile(rf"/accounts/{account.pk}/deactivate/$"))
    assert "ระงับบัญชีของ นายพี่เลี้ยง ใจดี ใช่หรือไม่" in page.get_by_role("heading", level=1).inner_text()
    account.refresh_from_db()
    assert account.is_active
    page.get_by_role("button", name="ยืนยัน ระงับบัญชี").click()
    page.wait_for_url(re.compile(rf"/accounts/{account.pk}/$"))
    account.refresh_from_db()
    assert not account.is_active
