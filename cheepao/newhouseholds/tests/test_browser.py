"""Form ศจพ.2 in headless Chromium: fill a household of two, preview, save."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from cheepao.accounts.roles import Role
from cheepao.households.models import Household
from cheepao.newhouseholds.tests.helpers import SUBDISTRICT, new_pin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(page, live_server, user) -> None:
    """The session of a test client, handed to the browser (the login page is another's)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_record_a_new_household(page, live_server, registry, make_user, screenshot_dir, request):
    viewport = request.node.callspec.id
    _signed_in(page, live_server, make_user(Role.SUBDISTRICT, SUBDISTRICT))
    page.goto(live_server.url + "/new-households/new/")
    assert page.get_by_role("heading", level=1).inner_text() == "ครัวเรือนใหม่ (แบบ ศจพ.2)"

    page.get_by_label("หมู่ที่").fill("7")
    page.get_by_label("บ้านเลขที่", exact=True).fill("45/2")
    page.get_by_role("group", name="ข้อมูลที่พักอาศัย").get_by_label("ที่ดินของตนเอง").check()
    for radio in page.locator("fieldset.question input[type=radio][value='1']").all():
        radio.check()

    head = page.locator("fieldset.member").nth(0)
    head.get_by_label("คำนำหน้า").fill("นาง")
    head.get_by_label("ชื่อ", exact=True).fill("บุญมี")
    head.get_by_label("นามสกุล").fill("ศรีสุข")
    head.get_by_label("เลขประจำตัวประชาชน").fill(new_pin())
    head.get_by_label("เพศ").select_option("F")
    head.get_by_label("วันเกิด (วัน/เดือน/ปี พ.ศ.)").fill("3/4/2520")
    head.get_by_label("อาชีพ (เว้นว่างถ้าไม่มีอาชีพ)").fill("รับจ้างทั่วไป")
    head.get_by_label("รายได้รวมต่อปี (บาท)").fill("150000.50")  # satang, on a phone keypad
    head.get_by_label("ออกกำลังกาย").select_option("1")
    head.get_by_label("อ่านเขียนภาษาไทยและคิดเลขได้").select_option("1")
    # Questions for other ages are hidden once the birth date says who this is.
    assert not head.get_by_label("ได้รับการศึกษาภาคบังคับ").is_visible()

    page.get_by_role("button", name="เพิ่มแถวสมาชิก").click()
    kid = page.locator("fieldset.member").nth(1)
    assert kid.locator("legend").first.inner_text() == "สมาชิกคนที่ 2"
    kid.get_by_label("ชื่อ", exact=True).fill("ต้นกล้า")
    kid.get_by_label("นามสกุล").fill("ศรีสุข")
    kid.get_by_label("ความสัมพันธ์กับหัวหน้าครัวเรือน").select_option("child")
    kid.get_by_label("เพศ").select_option("M")
    kid.get_by_label("วันเกิด (วัน/เดือน/ปี พ.ศ.)").fill("2/1/2558")
    kid.get_by_label("ออกกำลังกาย").select_option("1")
    kid.get_by_label("ได้รับการศึกษาภาคบังคับ").select_option("0")
    assert not kid.get_by_label("อ่านเขียนภาษาไทยและคิดเลขได้").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_role("button", name="ตรวจผลก่อนบันทึก").click()
    review = page.locator("#review")
    review.wait_for()
    summary = review.get_by_role("region", name="สรุปสภาพปัญหาของครัวเรือน")
    assert "ตกเกณฑ์ 1 มิติ" in summary.inner_text()
    assert "E2" in summary.inner_text() and "ต้นกล้า ศรีสุข" in summary.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / f"form2_preview_{viewport}.png"), full_page=True)

    review.get_by_role("button", name="บันทึกครัวเรือน").click()
    page.wait_for_url("**/new-households/*/")
    household = Household.objects.get(source="field")
    assert page.get_by_role("heading", level=1).inner_text() == f"ครัวเรือนใหม่ {household.hh_id}"
    assert household.status == "pending" and household.n_members == 2
    assert list(household.problems.values_list("indicator", "origin")) == [("E2", "form2")]
    # amounts are exact: 150,000.50 for two people is 75,000.25 each, shown with its satang
    assert household.income_total == Decimal("150000.50")
    assert household.income_per_person == Decimal("75000.25")
    assert "75,000.25" in page.locator("main").inner_text()
    page.screenshot(path=str(screenshot_dir / f"form2_saved_{viewport}.png"), full_page=True)
