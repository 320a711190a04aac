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

    # The file is imported by a background job; its page shows the outcome and links to it.
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]+/$"))
    assert page.locator(".job-status").get_attribute("data-state") == "done"
    page.get_by_role("link", name="ดูผลลัพธ์").click()
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "ThaiQM อุบลราชธานี"
    assert page.locator("#rows-read").inner_text() == "2"
    assert page.locator("#rows-matched").inner_text() == "1"
    assert page.locator("#rows-rejected").inner_text() == "1"
    rejects = page.get_by_role("table", name="แถวที่ไม่ผ่านการตรวจ")
    cells = rejects.locator("tbody tr").first.locator("td").all_inner_texts()
    assert cells[:3] == ["thaiqm.csv", "3", "เลขประจำตัวประชาชน"]
    assert cells[3] == f"{bad[0]}-xxxx-xxxxx-{bad[10:12]}-{bad[12]}"
    assert cells[4] == "หลักสุดท้ายของเลขประจำตัวประชาชนไม่ตรงกับหลักตรวจสอบ น่าจะพิมพ์เลขผิด"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / f"import_detail_th_{viewport}.png"), full_page=True)

    imp = ListImport.objects.get()
    assert list(ListEntry.objects.values_list("household_id", "row")) == [(a.pk, 2)]
    page.get_by_role("link", name="ประวัติการนำเข้า").click()
    page.wait_for_url(live_server.url + "/imports/")
    assert page.get_by_role("link", name=imp.name).is_visible()


def test_review_many_rows_on_a_phone(
    page, live_server, registry, make_user, sign_in, screenshot_dir, request
):
    """A province reviews 60 unmatched rows: filter, one bulk decision, done; a candidate
    shows by name and area; no English on the Thai page."""
    from cheepao.imports.models import ReviewItem

    from .helpers import upload, valid_pin

    viewport = request.node.callspec.id
    a, b = two_households()
    user = make_user(Role.PROVINCE, "34")
    client = sign_in(Client(), user)
    rows = [person_row(a, pin=first_pin(a), house_code=b.house_code)]
    rows += [
        [valid_pin(f"39{i:010d}"), "", f"ชื่อ{i}", "ทดสอบ", a.subdistrict_code, a.village_no, ""]
        for i in range(60)
    ]
    client.post(
        "/imports/upload/",
        {"kind": "thaiqm", "name": "ThaiQM 2568", "file": upload(csv_bytes(rows), "q.csv")},
    )
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto(live_server.url + "/imports/review/")
    assert page.get_by_role("heading", level=1).inner_text() == "รายการรอพิจารณา"
    assert "61 แถว" in page.locator("#open-rows").inner_text()
    first = page.locator("article.review-item").first
    head = a.members.get(relation="head").full_name
    assert head in first.inner_text() and "ตรงตามเลขประจำตัวประชาชน" in first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / f"review_th_{viewport}.png"), full_page=False)

    first.screenshot(path=str(screenshot_dir / f"review_item_th_{viewport}.png"))
    page.get_by_text("กรองแถวที่แสดง").click()
    page.get_by_label("ครัวเรือนที่พบ").select_option("none")
    page.get_by_role("button", name="แสดง", exact=True).click()
    page.wait_for_url(re.compile(r"match=none"))
    assert "60 แถว" in page.locator("#open-rows").inner_text()
    page.get_by_label("ทั้ง 60 แถวที่ตรงกับตัวกรองและรอการพิจารณา").check()
    page.get_by_label("ไม่มีในทะเบียน ต้องลงพื้นที่บันทึกแบบ ศจพ.2 ทุกแถว").check()
    page.get_by_role("button", name="บันทึกผลกับแถวเหล่านี้").click()
    page.wait_for_url(re.compile(r"match=none"))
    assert "บันทึกผลการพิจารณาแล้ว 60 แถว" in page.locator(".messages").inner_text()
    assert ReviewItem.objects.filter(status="field_visit").count() == 60
    assert ReviewItem.objects.filter(status="open").count() == 1
    text = page.locator("main").inner_text()
    assert not re.search(r"[A-Za-z]{4,}", text.replace("ThaiQM", "")), text
    page.screenshot(path=str(screenshot_dir / f"review_done_th_{viewport}.png"), full_page=True)


PRODUCT_WORDS = r"Excel Workbook|Excel|CSV UTF-8|CSV|HTML|XML|PDF|ZIP|xlsx|xlsb|xls|ods"


def test_wrong_files_in_a_real_browser_get_thai_messages(
    page, live_server, registry, make_user, sign_in, screenshot_dir, request
):
    from . import corpus
    from .helpers import HEADER

    viewport = request.node.callspec.id
    a, b = two_households()
    client = sign_in(Client(), make_user(Role.PROVINCE, "34"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    rows = [person_row(a, pin=first_pin(a)), person_row(b, house_code=b.house_code)]
    cases = [
        ("locked.xlsx", corpus.encrypted_workbook(), "ไฟล์นี้ตั้งรหัสผ่านไว้จึงอ่านไม่ได้"),
        ("export.xls", corpus.HTML_AS_XLS, "ไฟล์นี้เป็นหน้าเว็บ (HTML)"),
        ("bomb.xlsx", corpus.zip_bomb(corpus.xlsx_bytes(rows, HEADER)), "ถูกบีบอัดแน่นผิดปกติ"),
        ("empty.csv", b"", "ไฟล์ว่างเปล่า"),
    ]
    for name, content, message in cases:
        page.goto(live_server.url + "/imports/upload/")
        page.get_by_label("ไฟล์ (CSV UTF-8 หรือ XLSX)").set_input_files(
            {"name": name, "mimeType": "application/octet-stream", "buffer": content}
        )
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.get_by_role("button", name="นำเข้า", exact=True).click()
        # Refused on the form when it needs no reading (400), else by the background job
        # that read it: its page says why and offers to start again.
        page.locator("#id_file-error, .job-status [role=alert]").first.wait_for()
        if posted.value.status == 400:
            error = page.locator("#id_file-error")
            summary = page.locator("#upload-errors")
            assert summary.is_visible() and message in summary.inner_text(), name
            assert summary.bounding_box()["y"] < page.viewport_size["height"], name
        else:
            assert posted.value.status == 302, name
            error = page.locator(".job-status [role=alert]")
            assert page.locator(".job-status").get_attribute("data-state") == "failed", name
            assert page.get_by_role("link", name="เริ่มใหม่").is_visible(), name
        text = error.inner_text()
        assert message in text, name
        # Thai sentences; only names of programs and formats stay as they are written.
        assert not re.sub(PRODUCT_WORDS, "", text).strip("'()., ").isascii(), name
        assert not re.search(r"[A-Za-z]{3,}", re.sub(PRODUCT_WORDS, "", text)), name
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / f"upload_refused_th_{viewport}.png"))

    page.goto(live_server.url + "/imports/upload/")
    page.get_by_label("ไฟล์ (CSV UTF-8 หรือ XLSX)").set_input_files(
        {"name": "ThaiQM.csv", "mimeType": "text/csv", "buffer": corpus.xlsx_bytes(rows, HEADER)}
    )
    page.get_by_role("button", name="นำเข้า", exact=True).click()
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]+/$"))
    page.get_by_role("link", name="ดูผลลัพธ์").click()
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    assert page.locator("#rows-matched").inner_text() == "2"
