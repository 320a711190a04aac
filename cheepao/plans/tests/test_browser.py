"""The plan's path in headless Chromium at phone width (390 px): the mentor drafts a plan
with items in two dimensions and sends it, the subdistrict team returns it with a comment,
the mentor revises it and sends it again, the team approves it; the folder's history tells
each step and the village's development plan shows the items."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from cheepao.conftest import PHONE, go, sign_in_browser
from cheepao.households.models import Problem
from cheepao.plans.models import Plan
from cheepao.plans.tests.helpers import household_failing, put_in_care

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_side_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _add_item(page, dimension: str, what: str, due: str) -> None:
    box = page.locator(f"#dimension-{dimension}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    box.get_by_label("สิ่งที่ครัวเรือนทำเอง").fill(what)
    box.get_by_label("ภายในเมื่อใด").fill(due)
    go(page, box.get_by_role("button", name="เพิ่มกิจกรรม"))
    assert what in page.locator(f"#dimension-{dimension}").inner_text()


@pytest.mark.parametrize("page", [PHONE], indirect=True, ids=["phone"])
def test_plan_drafted_returned_revised_approved_and_rolled_up(
    page, live_server, registry, make_user, screenshot_dir
):
    h = household_failing(registry)
    dims = list(
        dict.fromkeys(
            h.problems.filter(status=Problem.Status.OPEN)
            .order_by("dimension")
            .values_list("dimension", flat=True)
        )
    )[:2]
    mentor = make_user("mentor", h.village_code)
    team = make_user("subdistrict", h.subdistrict_code)
    put_in_care(h, mentor)
    due = (datetime.date.today() + datetime.timedelta(days=40)).isoformat()

    # The mentor starts the plan from the household's folder.
    sign_in_browser(page, live_server, mentor)
    page.goto(f"{live_server.url}/registry/household/{h.pk}/")
    go(page, page.locator("#plan-section").get_by_role("link", name="เริ่มทำแผน"))
    page.wait_for_url(f"**/plans/household/{h.pk}/")
    go(page, page.get_by_role("button", name="เริ่มทำแผน"))
    page.get_by_label("เป้าหมายสูงสุดของครัวเรือน").fill("มีรายได้พอใช้ ไม่มีหนี้นอกระบบ")
    page.get_by_label("ระดับเป้าหมาย").select_option("survive")
    go(page, page.get_by_role("button", name="บันทึก"))
    go(page, page.get_by_role("link", name="2. ทัศนคติและทักษะ"))
    page.get_by_label("ทัศนคติ").fill("อยากพึ่งตนเอง")
    go(page, page.get_by_role("button", name="บันทึก"))
    go(page, page.get_by_role("link", name="4. กิจกรรม"))
    _add_item(page, dims[0], "ทำตามแผนในมิติแรก", due)
    _add_item(page, dims[1], "ทำตามแผนในมิติที่สอง", due)
    _no_side_scroll(page)
    page.screenshot(path=str(screenshot_dir / "plan_items_phone.png"), full_page=True)
    go(page, page.get_by_role("link", name="5. ส่ง"))
    go(page, page.get_by_role("button", name="ส่งให้ทีมปฏิบัติการตำบล"))
    expect(page.locator("#plan-status")).to_have_text("ส่งพิจารณาแล้ว")

    # The subdistrict team finds it waiting and returns it with a comment.
    sign_in_browser(page, live_server, team)
    page.goto(f"{live_server.url}/plans/area/{h.subdistrict_code}/")
    go(page, page.get_by_role("link", name=h.hh_id))
    page.get_by_label("ความเห็น").fill("กรุณาระบุหน่วยงานที่ช่วยเหลือให้ชัดเจน")
    go(page, page.get_by_role("button", name="ส่งคืนพร้อมความเห็น"))
    expect(page.locator("#plan-status")).to_contain_text("ส่งคืนให้แก้ไข")
    _no_side_scroll(page)

    # The mentor reads the comment, revises (a new version) and sends it again.
    sign_in_browser(page, live_server, mentor)
    page.goto(f"{live_server.url}/plans/household/{h.pk}/?step=send")
    assert "กรุณาระบุหน่วยงาน" in page.locator("#review-comment").inner_text()
    go(page, page.get_by_role("button", name="ปรับปรุงแผน (จัดทำฉบับใหม่)"))
    expect(page.locator("#plan-status")).to_have_text("ร่าง")
    go(page, page.get_by_role("button", name="ส่งให้ทีมปฏิบัติการตำบล"))
    expect(page.locator("#plan-status")).to_have_text("ส่งพิจารณาแล้ว")

    # The team approves the new version.
    sign_in_browser(page, live_server, team)
    page.goto(f"{live_server.url}/plans/area/{h.subdistrict_code}/")
    go(page, page.get_by_role("link", name=h.hh_id))
    go(page, page.get_by_role("button", name="อนุมัติแผน"))
    expect(page.locator("#plan-status")).to_have_text("อนุมัติแล้ว")
    assert Plan.objects.filter(household=h).count() == 2

    # The folder's history tells each step, in Thai.
    page.goto(f"{live_server.url}/registry/household/{h.pk}/")
    text = page.locator("body").inner_text()
    for sentence in (
        "เริ่มจัดทำแผนครัวเรือนฉบับที่ 1",
        "ส่งแผนครัวเรือนฉบับที่ 1 ให้ทีมปฏิบัติการตำบลพิจารณา",
        "ทีมปฏิบัติการตำบลส่งคืนแผนครัวเรือนฉบับที่ 1",
        "เริ่มจัดทำแผนครัวเรือนฉบับที่ 2 (ปรับปรุงจากฉบับก่อน)",
        "ส่งแผนครัวเรือนฉบับที่ 2 ให้ทีมปฏิบัติการตำบลพิจารณา",
        "ทีมปฏิบัติการตำบลอนุมัติแผนครัวเรือนฉบับที่ 2",
    ):
        assert sentence in text, sentence
    assert page.locator("#folder-plan-status").inner_text() == "อนุมัติแล้ว"

    # The village's development plan shows the two items.
    page.goto(f"{live_server.url}/plans/area/{h.village_code}/")
    assert page.locator("#plans-approved").inner_text() == "1"
    assert page.locator("#plans-items").inner_text() == "2"
    table = page.get_by_role("table", name="มิติ").inner_text()
    for name in dims:
        assert {
            "health": "ด้านสุขภาพ",
            "living": "ด้านความเป็นอยู่",
            "education": "ด้านการศึกษา",
            "income": "ด้านรายได้",
            "access": "ด้านการเข้าถึงบริการรัฐ",
        }[name] in table
    _no_side_scroll(page)
    page.screenshot(path=str(screenshot_dir / "plan_rollup_phone.png"), full_page=True)
