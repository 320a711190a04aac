"""A mentor fills the family folder on a 390-px phone in headless Chromium: the questions
in steps, a photo from the camera input, the house pinned by tapping the map; the folder
then reads back with its version, photo and pin, and nothing scrolls sideways."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from cheepao.conftest import PHONE
from cheepao.folders.models import FamilyFolder, FolderPhoto
from cheepao.folders.tests.helpers import jpeg
from cheepao.households.models import HouseholdEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in_browser(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
    )


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("page", [PHONE], ids=["phone"], indirect=True)
def test_mentor_fills_the_folder_with_a_photo_and_a_pin(page, live_server, care, screenshot_dir):
    h = care.household
    _sign_in_browser(page, live_server, care.mentor)
    base = f"{live_server.url}/folders/households/{h.pk}"

    # From the registry's household page, the folder section leads to the form.
    page.goto(f"{live_server.url}/registry/household/{h.pk}/")
    page.locator("[data-section=family-folder]").get_by_role(
        "link", name="บันทึกแบบสรุปข้อมูลครัวเรือน"
    ).click()
    page.wait_for_url(f"{base}/edit/")
    page.locator("form[data-steps-ready]").wait_for()  # folders.js has set up the steps
    steps = page.locator("fieldset.step")
    assert steps.count() == 4
    assert [steps.nth(i).is_visible() for i in range(4)] == [True, False, False, False]
    assert no_sideways_scroll(page)
    page.get_by_label("อายุหัวหน้าครัวเรือน (ปี)").fill("61")
    page.get_by_role("button", name="ถัดไป").first.click()
    assert steps.nth(1).is_visible() and not steps.nth(0).is_visible()
    page.get_by_label("หนี้นอกระบบ (บาท)").fill("3,500")
    page.get_by_label("สาเหตุของการเป็นหนี้").fill("ค่ารักษาพยาบาล")
    steps.nth(1).get_by_role("button", name="ถัดไป").click()
    page.get_by_label("มีความพร้อมสามารถพัฒนาได้").check()
    page.get_by_label("ประสงค์รับการช่วยเหลือ", exact=True).check()
    page.get_by_label("อบรม/ศึกษาดูงาน/พัฒนาความสามารถ").check()
    steps.nth(2).get_by_role("button", name="ถัดไป").click()
    page.get_by_label("ทักษะด้านอาชีพของคนในครัวเรือน").fill("ทอเสื่อกก")
    page.get_by_label("กองทุนหมู่บ้าน").check()
    page.screenshot(path=str(screenshot_dir / "folder_form_phone.png"), full_page=True)
    page.get_by_role("button", name="บันทึกแบบสรุปข้อมูลครัวเรือน").click()
    page.wait_for_url(f"{base}/")
    folder = FamilyFolder.objects.get(household=h)
    assert (folder.number, folder.head_age, folder.household_type) == (1, 61, "developable")
    assert str(folder.debt_informal) == "3500.00" and folder.help_kinds == ["training"]
    assert folder.funds == ["village_fund"] and folder.skills == "ทอเสื่อกก"

    # A photo through the camera input.
    page.get_by_role("link", name="ภาพถ่าย", exact=True).click()
    page.wait_for_url(f"{base}/photos/")
    file_input = page.locator("input[type=file]")
    assert file_input.get_attribute("capture") == "environment"
    page.get_by_label("สภาพบ้านเรือน").check()
    file_input.set_input_files(
        {"name": "house.jpg", "mimeType": "image/jpeg", "buffer": jpeg((2400, 1800))}
    )
    page.get_by_role("button", name="เพิ่มภาพ").click()
    page.wait_for_url(f"{base}/photos/")
    photo = FolderPhoto.objects.get(household=h)
    thumb = page.locator(f"img[data-photo='{photo.pk}']")
    thumb.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", thumb.element_handle())
    assert no_sideways_scroll(page)

    # The pin: tap the map where the house is.
    page.goto(f"{base}/location/")
    assert page.get_by_role("button", name="ใช้ตำแหน่งของฉัน").is_visible()
    canvas = page.locator(".folder-mapcanvas")
    canvas.wait_for()
    canvas.click(position={"x": 150, "y": 150})
    lat = page.get_by_label("ละติจูด").input_value()
    assert lat != ""
    assert no_sideways_scroll(page)
    page.screenshot(path=str(screenshot_dir / "folder_pin_phone.png"), full_page=True)
    page.get_by_role("button", name="บันทึกหมุด").click()
    page.wait_for_url(f"{base}/")
    pinned = FamilyFolder.objects.filter(household=h).order_by("-number").first()
    assert pinned.number == 2 and pinned.lat == pytest.approx(float(lat), abs=1e-5)
    assert page.locator("[data-answer=pin]").inner_text() != "—"
    assert page.locator("[data-version-row]").count() == 2
    page.locator(".folder-mapcanvas .leaflet-interactive").wait_for(state="visible")
    assert no_sideways_scroll(page)
    kinds = set(HouseholdEvent.objects.filter(household=h).values_list("kind", flat=True))
    assert {"folders.saved", "folders.photo_added", "folders.location_set"} <= kinds
