"""A mentor keeps a household's Logbook on a 390-px phone in headless Chromium: from the
household folder to the Logbook, a visit and two acts of help (the second with a photo as
evidence, in two steps each), read back on the page with their counts; nothing scrolls
sideways."""

from __future__ import annotations

import pytest

from cheepao.conftest import PHONE, go, sign_in_browser
from cheepao.folders.tests.helpers import jpeg
from cheepao.logbook.models import Entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def record_help(page, cared, value, note, photo=None):
    go(page, page.get_by_role("link", name="บันทึกการช่วยเหลือ", exact=True))
    assert "ขั้นที่ 1 จาก 2" in page.locator("#lb-step").inner_text()
    page.get_by_label("มิติและตัวชี้วัด").select_option(index=1)
    page.get_by_label("ประเภทความช่วยเหลือ").select_option("goods")
    assert no_sideways_scroll(page)
    go(page, page.get_by_role("button", name="ถัดไป"))
    assert "ขั้นที่ 2 จาก 2" in page.locator("#lb-step").inner_text()
    page.get_by_label("หน่วยงาน", exact=True).select_option(str(cared["office"].pk))
    page.get_by_label("มูลค่า (บาท)").fill(value)
    page.get_by_label("หมายเหตุ", exact=True).fill(note)
    if photo is not None:
        page.locator("input[type=file]").set_input_files(
            {"name": "help.jpg", "mimeType": "image/jpeg", "buffer": photo}
        )
    assert no_sideways_scroll(page)
    go(page, page.get_by_role("button", name="บันทึกลง Logbook"))
    page.locator("#lb-helps").wait_for()


@pytest.mark.parametrize("page", [PHONE], ids=["phone"], indirect=True)
def test_mentor_records_a_visit_and_two_acts_of_help(page, live_server, cared, screenshot_dir):
    h = cared["household"]
    sign_in_browser(page, live_server, cared["mentor"])
    page.goto(f"{live_server.url}/registry/household/{h.pk}/")
    go(page, page.locator("#logbook-section").get_by_role("link"))
    page.wait_for_url(f"{live_server.url}/logbook/household/{h.pk}/")
    assert page.locator("#lb-helps").inner_text() == "0"
    assert no_sideways_scroll(page)

    go(page, page.get_by_role("link", name="บันทึกการเยี่ยมบ้าน"))
    page.get_by_label("สิ่งที่พบ").fill("ผู้สูงอายุติดเตียง ต้องการรถเข็น")
    assert no_sideways_scroll(page)
    go(page, page.get_by_role("button", name="บันทึกลง Logbook"))
    page.locator("#lb-helps").wait_for()

    record_help(page, cared, "1,200", "ข้าวสารและอาหารแห้ง")
    record_help(page, cared, "3500.50", "รถเข็นผู้ป่วย", photo=jpeg((1600, 1200)))

    assert Entry.objects.filter(household=h, part="visit").count() == 1
    assert Entry.objects.filter(household=h, part="help").count() == 2
    assert page.locator("#lb-helps").inner_text() == "2"
    assert page.locator("#lb-baht").inner_text() == "4,700.50"
    helps = page.locator("#lb-list-help > li")
    assert helps.count() == 2
    assert "รถเข็นผู้ป่วย" in page.locator("#lb-list-help").inner_text()
    assert "ผู้สูงอายุติดเตียง" in page.locator("#lb-list-visit").inner_text()
    thumb = page.locator("#lb-list-help img.lb-thumb")
    assert thumb.count() == 1
    thumb.scroll_into_view_if_needed()  # loaded lazily
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=thumb.element_handle()
    )
    assert no_sideways_scroll(page)
    page.screenshot(path=str(screenshot_dir / "logbook_household_phone.png"), full_page=True)
