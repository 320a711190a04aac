"""Uploading a list in headless Chromium, on a phone and a desktop."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from cheepao.accounts.roles import Role
from cheepao.imports.models import ListEntry, ListImport

from .helpers import csv_bytes, first_pin, person_row, two_households, wrong_check_digit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_a_list_and_see_the_rejected_row_and_the_match(
    page, live_server, registry, make_user, sign_in, screenshot_dir, request
):
    viewport = request.node.callspec.id
    a, b = two_households()
    user = make_user(Role.PROVINCE, "34")
    client = sign_in(Client(), user)  # the province role needs its second factor
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    bad = wrong_check_digit(first_pin(b))
    content = csv_bytes([person_row(a, pin=first_pin(a)), person_row(b, pin=bad)], bom=True)

    page.goto(live_server.url + "/imports/upload/")
    assert page.get_by_role("heading", level=1).inner_text() == "นำเข้าบัญชีรายชื่อ"
    page.get_by_label("ประเภทบัญชีรายชื่อ").select_option("thaiqm")
    page.get_by_label("ชื่อบัญชีรายชื่อ").fill("ThaiQM อุบลราชธานี")
    page.get_by_label("ไฟล์ (CSV UTF-8 หรือ XLSX)").set_input_files(
        {"name": "thaiqm.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="นำเข้า", exact=True).click()

    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "ThaiQM อุบลราชธานี"
    assert page.locator("#rows-read").inner_text() == "2"
    assert page.locator("#rows-matched").inner_text() == "1"
    assert page.locator("#rows-rejected").inner_text() == "1"
    rejects = page.get_by_role("table", name="แถวที่ไม่ผ่านการตรวจ")
    cells = rejects.locator("tbody tr").first.locator("td").all_inner_texts()
    assert cells[:3] == ["thaiqm.csv", "3", "pin"]
    assert cells[3] == f"{bad[0]}-xxxx-xxxxx-{bad[10:12]}-{bad[12]}"
    assert cells[4] == "หลักสุดท้ายของเลขประจำตัวประชาชนไม่ตรงกับหลักตรวจสอบ น่าจะพิมพ์เลขผิด"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / f"import_detail_th_{viewport}.png"), full_page=True)

    imp = ListImport.objects.get()
    assert list(ListEntry.objects.values_list("household_id", "row")) == [(a.pk, 2)]
    page.get_by_role("link", name="ประวัติการนำเข้า").click()
    page.wait_for_url(live_server.url + "/imports/")
    assert page.get_by_role("link", name=imp.name).is_visible()
