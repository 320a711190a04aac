"""The mentoring path in headless Chromium at phone width (390 px): the district appoints a
team in two steps and assigns a village to it; a mentor of the team signs in and lands on
"my households", which lists the household in their care."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from cheepao.conftest import PHONE, TEST_PASSWORD
from cheepao.households.models import Household
from cheepao.mentoring.models import Assignment, MentorTeam
from cheepao.mentoring.tests.conftest import busiest_village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="th-TH")
    p = context.new_page()
    p.set_default_timeout(15_000)
    yield p
    context.close()


def _cookie_sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
    )


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_appoint_assign_then_my_households(phone, live_server, registry, make_user, screenshot_dir):
    page = phone
    # a village of two target households, so that each of the two carers takes one
    village = busiest_village(registry)
    assert Household.objects.filter(village_code=village).count() == 2
    district = make_user("district", village[:4])
    lead = make_user("mentor", village, first_name="สมชาย", last_name="ใจดี")
    mate = make_user("mentor", village, first_name="สมหญิง", last_name="ใจดี")
    _cookie_sign_in(page, live_server, district)

    page.goto(live_server.url + "/mentoring/appoint/")
    assert page.get_by_role("heading", level=1).inner_text() == "แต่งตั้งทีมพี่เลี้ยง"
    page.get_by_label("ตำบล").select_option(village[:6])
    page.get_by_label("ชื่อทีม").fill(f"ทีมพี่เลี้ยง หมู่ {village[6:]}")
    page.get_by_label("เลขที่คำสั่ง").fill("12/2568")
    assert _fits(page)
    page.get_by_role("button", name="ถัดไป: สมาชิกทีม").click()
    page.get_by_text("ขั้นตอนที่ 2 จาก 2").wait_for()
    page.locator("#id_m0-user").select_option(str(lead.pk))
    page.locator("#id_m0-kind").select_option("civil_servant")
    page.locator("#id_m0-position").fill("พัฒนากร")
    page.locator("#id_m1-user").select_option(str(mate.pk))
    page.locator("#id_m1-kind").select_option("civil_servant")
    page.locator("#id_m2-name").fill("นางสาวนักศึกษา ฝึกงาน")
    page.locator("#id_m2-kind").select_option("student")
    assert _fits(page)
    page.screenshot(path=str(screenshot_dir / "mentoring_appoint_phone.png"), full_page=True)
    page.get_by_role("button", name="แต่งตั้งทีม").click()
    page.wait_for_url(re.compile(r"/mentoring/team/\d+/$"))
    team_url = f"**/mentoring/team/{MentorTeam.objects.get().pk}/"
    assert page.get_by_role("heading", level=1).inner_text() == f"ทีมพี่เลี้ยง หมู่ {village[6:]}"

    page.get_by_role("link", name="มอบหมายครัวเรือนทั้งหมู่บ้าน").click()
    page.get_by_label("หมู่บ้าน").select_option(village)
    page.get_by_role("button", name="มอบหมาย", exact=True).click()
    page.wait_for_url(team_url)
    n = Household.objects.filter(village_code=village).count()
    assert Assignment.objects.filter(ended_at__isnull=True).count() == n
    assert _fits(page)

    # The mentor signs in with the form and lands on "my households".
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/sign-in/")
    page.get_by_label("ชื่อผู้ใช้").fill(mate.username)
    page.get_by_label("รหัสผ่าน", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/mentoring/mine/")
    assert page.get_by_role("heading", level=1).inner_text() == "ครัวเรือนในความดูแลของฉัน"
    cards = page.get_by_role("list", name="ครัวเรือนในความดูแลของฉัน").get_by_role("listitem")
    assert cards.count() == n
    mine = Assignment.objects.get(mentor__user=mate).household
    assert mine.hh_id in cards.first.inner_text()
    assert "ติดต่อล่าสุด" in cards.first.inner_text()
    assert _fits(page)
    page.screenshot(path=str(screenshot_dir / "mentoring_mine_phone.png"), full_page=True)


def test_my_households_with_folder_and_plan_at_phone_width(
    phone, live_server, mentors, care_state, screenshot_dir
):
    """The lead's "my households" at 390 px: each card says the family folder's and the
    plan's state with links to them; the filter "returned plans" keeps the returned one."""
    page = phone
    folder_h, plan_h, bare_h = care_state
    _cookie_sign_in(page, live_server, mentors[0])
    page.goto(live_server.url + "/mentoring/mine/")
    cards = page.get_by_role("list", name="ครัวเรือนในความดูแลของฉัน").get_by_role("listitem")
    assert cards.count() == 3
    folder_card = page.locator(f'[data-household="{folder_h.pk}"]')
    assert "แบบสรุปข้อมูลครัวเรือน: ฉบับที่ 1" in folder_card.inner_text()
    plan_card = page.locator(f'[data-household="{plan_h.pk}"]')
    assert "แผนพัฒนา: ส่งคืนให้แก้ไข · 50%" in plan_card.inner_text()
    bare_text = page.locator(f'[data-household="{bare_h.pk}"]').inner_text()
    assert "ยังไม่ได้กรอก" in bare_text and "ยังไม่มีแผน" in bare_text
    assert _fits(page)
    page.screenshot(path=str(screenshot_dir / "mentoring_mine_states_phone.png"), full_page=True)

    page.get_by_role("link", name="แผนที่ส่งคืนให้แก้ไข").click()
    page.wait_for_url("**/mentoring/mine/?only=returned")
    assert cards.count() == 1
    assert plan_h.hh_id in cards.first.inner_text()
    assert _fits(page)
    plan_card = page.locator(f'[data-household="{plan_h.pk}"]')
    plan_card.get_by_role("link", name="แผนพัฒนา").click()
    page.wait_for_url(f"**/plans/household/{plan_h.pk}/")
    assert page.get_by_role("heading", level=1).is_visible()
