"""The issue's main path, as people do it, in headless Chromium (phone and desktop): each
person signs in on the sign-in page (the province with a backup code as second step), moves
by the menu and the links on the pages, and signs out by the account bar.

subdistrict team: registry → village register → household folder → verify (ศจพ.1) →
verification of the village → send to the district; district: certify; province: approve;
then the registry (village register and household folder) shows the change.
"""

from __future__ import annotations

import re

import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from cheepao.conftest import TEST_PASSWORD
from cheepao.households.models import Problem
from cheepao.verification.models import Batch
from cheepao.verification.tests.conftest import marks_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BACKUP_CODE = "cheepao1"


def sign_in(page, live_server, user, backup_code: str | None = None) -> None:
    page.goto(live_server.url + "/accounts/sign-in/")
    page.get_by_label("ชื่อผู้ใช้").fill(user.username)
    page.get_by_label("รหัสผ่าน", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    if backup_code:
        page.get_by_role("heading", name="ยืนยันตัวตนสองขั้นตอน").wait_for()
        page.get_by_label("รหัส").fill(backup_code)
        page.get_by_role("button", name="ดำเนินการต่อ").click()
    page.wait_for_url(re.compile(r"/registry/"))


def sign_out(page) -> None:
    page.get_by_role("button", name="ออกจากระบบ").click()
    page.wait_for_url(re.compile(r"/accounts/sign-in/"))


def menu(page, name: str) -> None:
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name=name).click()
    # The menu may open the page already shown (the registry, right after signing in):
    # wait for it to arrive before clicking in it, or the click lands on the page it replaces.
    page.wait_for_load_state("networkidle")


def test_team_verifies_district_certifies_province_approves(
    page, live_server, household, team, district, province, screenshot_dir, request
):
    viewport = request.node.callspec.id
    codes = sorted(marks_for(household))
    wrong, confirmed = codes[0], codes[1:]
    catalogue = {i.code: i for i in household.registry.catalogue.indicators}
    device = StaticDevice.objects.create(user=province, name="backup", confirmed=True)
    StaticToken.objects.create(device=device, token=BACKUP_CODE)
    village_no = int(household.village_code[6:])

    # The operations team: registry → village → folder → verify.
    sign_in(page, live_server, team)
    menu(page, "ทะเบียนครัวเรือนเป้าหมาย")
    page.get_by_role("link", name=re.compile(rf"^หมู่ที่ {village_no}\b")).first.click()
    page.wait_for_url(f"**/registry/village/{household.village_code}/")
    register = page.locator("#register-results")
    register.get_by_role(
        "link", name=re.compile(re.escape(household.house_no or "–"))
    ).first.click()
    page.wait_for_url(f"**/registry/household/{household.pk}/")
    page.get_by_role("link", name="ตรวจสอบข้อมูล (ศจพ.1)").click()
    page.get_by_role("group", name=catalogue[wrong].th).get_by_role(
        "radio", name="ไม่พบปัญหา (✗)"
    ).check()
    for code in confirmed:
        page.get_by_role("group", name=catalogue[code].th).get_by_role(
            "radio", name="ถูกต้อง (✓)"
        ).check()
    page.get_by_label("จำนวนคนที่อาศัยอยู่ในครัวเรือนปัจจุบัน").fill("3")
    page.get_by_label("รายได้รวมของครัวเรือนต่อปี (บาท)").fill("150,000")
    page.get_by_role("group", name="ประเภทครัวเรือน").get_by_role("radio", name="พัฒนาได้").check()
    page.get_by_role("button", name="บันทึกผลการตรวจสอบ").click()
    page.locator("[data-result]").wait_for()
    assert page.locator("[data-result]").inner_text() == "ถูกต้องบางส่วน"

    # …back to the village register, then the village's verification page, and send it.
    page.goto(live_server.url + f"/registry/village/{household.village_code}/")
    page.get_by_role("link", name="ตรวจสอบข้อมูลพื้นที่นี้ (ศจพ.1)").click()
    page.get_by_role("button", name="ส่ง 1 ครัวเรือนให้ ศจพ.อ. รับรอง").click()
    page.get_by_text("ส่งให้ ศจพ.อ. รับรองแล้ว").wait_for()
    batch = Batch.objects.get()
    sign_out(page)

    # The district certifies, from its menu.
    sign_in(page, live_server, district)
    menu(page, "ตรวจสอบและรับรอง")
    page.get_by_role("link", name=f"ชุดที่ {batch.pk}").click()
    page.get_by_role("button", name="รับรองข้อมูล").click()
    page.get_by_text("รับรองชุดข้อมูลแล้ว รอ ศจพ.จ. เห็นชอบ").wait_for()
    assert Problem.objects.get(household=household, indicator=wrong).status == "open"
    sign_out(page)

    # The province signs in with its second step and approves: now the registry changes.
    sign_in(page, live_server, province, backup_code=BACKUP_CODE)
    menu(page, "ตรวจสอบและรับรอง")
    page.get_by_role("link", name=f"ชุดที่ {batch.pk}").click()
    page.get_by_role("button", name="เห็นชอบและปรับปรุงทะเบียน").click()
    page.get_by_text("เห็นชอบชุดข้อมูลแล้ว ปรับปรุงทะเบียนเรียบร้อย").wait_for()
    assert Problem.objects.get(household=household, indicator=wrong).status == "removed"

    # The registry shows it: the folder marks the indicator passing and tells the history…
    page.goto(live_server.url + f"/registry/household/{household.pk}/")
    assert "is-passing" in page.locator(f"#indicator-{wrong}").get_attribute("class")
    for code in confirmed:
        assert "is-failing" in page.locator(f"#indicator-{code}").get_attribute("class")
    history = page.locator("#history-heading").locator("..")
    assert province.username in history.inner_text() or "เห็นชอบ" in history.inner_text()
    # …and the village register shows the household as verified and approved.
    page.goto(live_server.url + f"/registry/village/{household.village_code}/")
    assert "ถูกต้องบางส่วน" in page.locator("#register-results").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / f"main_path_{viewport}.png"), full_page=True)
