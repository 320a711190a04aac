"""Duplicate checks in headless Chromium, phone and desktop: the district that holds the
record decides from its menu, and the team that asked sees the decision and nothing else."""

from __future__ import annotations

import pytest
from django.test import Client

from cheepao.accounts.roles import Role
from cheepao.households.models import Member
from cheepao.households.pii import mask_pin
from cheepao.newhouseholds.models import DuplicateCase
from cheepao.newhouseholds.tests.helpers import SUBDISTRICT, member, post_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_district_decides_and_the_team_sees_only_the_decision(
    page, live_server, registry, make_user, screenshot_dir, request
):
    viewport = request.node.callspec.id
    person = (
        Member.objects.filter(household__registry=registry, pin__regex=r"^\d{13}$")
        .exclude(household__subdistrict_code=SUBDISTRICT)
        .select_related("household")
        .first()
    )
    team = make_user(Role.SUBDISTRICT, SUBDISTRICT)
    asking = Client()
    asking.force_login(team)
    form = post_data(registry, [member(pin=person.pin, income_year="1000")])
    response = asking.post("/new-households/new/", {**form, "action": "preview"})
    assert "ระบบได้ส่งเรื่องให้อำเภอที่ถือข้อมูลแล้ว" in response.content.decode()
    case = DuplicateCase.objects.get()

    _signed_in(page, live_server, make_user(Role.DISTRICT, person.household.district_code))
    page.goto(live_server.url + "/registry/")
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role(
        "link", name="ตรวจสอบรายชื่อซ้ำ (ศจพ.2)"
    ).click()
    page.wait_for_url("**/new-households/duplicates/")
    assert page.get_by_role("heading", level=1).inner_text() == "ตรวจสอบรายชื่อซ้ำ (แบบ ศจพ.2)"
    assert "สมชาย ใจดี" in page.locator("main").inner_text()
    assert _fits(page)
    page.locator(f"a[href='/new-households/duplicates/{case.pk}/']").click()
    page.wait_for_url(f"**/new-households/duplicates/{case.pk}/")
    main = page.locator("main").inner_text()
    assert person.household.hh_id in main and person.first_name in main
    assert _fits(page)
    page.screenshot(path=str(screenshot_dir / f"duplicate_check_{viewport}.png"), full_page=True)
    page.get_by_label("เป็นคนละคน หรือย้ายที่อยู่มาแล้ว: ทีมเพิ่มเป็นครัวเรือนใหม่ได้").check()
    page.get_by_role("button", name="บันทึกผลการพิจารณา").click()
    page.wait_for_url("**/new-households/duplicates/")
    assert "บันทึกผลการพิจารณาแล้ว" in page.locator("body").inner_text()
    case.refresh_from_db()
    assert case.status == "may_add"

    _signed_in(page, live_server, team)
    page.goto(live_server.url + "/new-households/")
    checks = page.get_by_role("region", name="เรื่องที่ส่งให้อำเภอที่ถือข้อมูลตรวจสอบ")
    text = checks.inner_text()
    assert "พิจารณาแล้ว: เพิ่มเป็นครัวเรือนใหม่ได้" in text and mask_pin(person.pin) in text
    assert person.household.hh_id not in text and person.first_name not in text
    assert _fits(page)
    page.screenshot(path=str(screenshot_dir / f"duplicate_team_{viewport}.png"), full_page=True)
