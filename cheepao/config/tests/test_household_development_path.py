"""Issue 11's path end to end, through the real pages only, in headless Chromium.

The district appoints a mentor team and assigns a village; the mentor signs in and lands
on "my households", opens a household, fills its family folder in steps with a photo and
a GPS pin from the phone's location, drafts a plan with items in two dimensions and sends
it; the subdistrict team returns it with a comment, the mentor revises and sends it again,
the team approves it; the household's folder page tells each step in Thai and the
village's development plan shows the items. Every mentor page is at 390 px without a
sideways scroll. Then the mentor's main pages once more in English: no Thai-only words
left in headings, menus, labels and buttons.

Only the accounts and the registry are made in Python; everything after is clicks.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from cheepao.conftest import PHONE, TEST_PASSWORD, go, sign_in_browser
from cheepao.folders.tests.helpers import jpeg
from cheepao.households.models import Household
from cheepao.mentoring.models import Assignment, MentorTeam
from cheepao.mentoring.tests.conftest import busiest_village
from cheepao.plans.models import Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where the phone says it is (Ubon Ratchathani).
HERE = {"latitude": 15.2287, "longitude": 104.8564, "accuracy": 8}
THAI = re.compile(r"[\u0E00-\u0E7F]")
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """The photos go to a directory of this test (the default storage follows)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="th-TH")
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.set_geolocation(HERE)
    p = context.new_page()
    p.set_default_timeout(15_000)
    yield p
    context.close()


class MentorPages:
    """Checks of every page the mentor sees: phone width, Thai, a screenshot."""

    def __init__(self, page, shots) -> None:
        self.page, self.shots, self.n = page, shots, 0

    def check(self, name: str) -> None:
        page = self.page
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"], f"{name}: {width} px wide"
        assert page.evaluate("document.documentElement.lang") == "th", name
        h1 = page.get_by_role("heading", level=1).inner_text()
        assert THAI.search(h1), f"{name}: heading {h1!r} is not Thai"
        self.n += 1
        page.screenshot(path=str(self.shots / f"{self.n:02d}-{name}.png"), full_page=True)


def _thai_only_leftovers(page) -> list[str]:
    """Headings, menus, labels, buttons, column and list headings of the page whose text
    is Thai without a Latin word (an untranslated string), outside elements marked
    lang=th; row headings hold data (the members' names) and are not looked at."""
    texts = page.evaluate(
        """() => Array.from(document.querySelectorAll(
              'h1, h2, h3, nav a, label, button, summary, th:not([scope=row]), dt, legend, .button'))
            .filter(el => !el.closest('[lang=th]') && el.offsetParent !== null)
            .map(el => el.innerText.trim())"""
    )
    return [t for t in texts if THAI.search(t) and not LATIN.search(t)]


def _team_opens_waiting_plan(page, live_server, h) -> None:
    """The subdistrict team: registry menu → the subdistrict's register → its development
    plan → the plan waiting for review."""
    page.goto(live_server.url + "/")
    go(page, page.get_by_role("navigation").get_by_role("link", name="ทะเบียนครัวเรือนเป้าหมาย"))
    go(page, page.get_by_role("link", name="ครัวเรือนเป้าหมายทั้งตำบล"))
    go(page, page.get_by_role("link", name="แผนพัฒนาของพื้นที่นี้"))
    page.wait_for_url(f"**/plans/area/{h.subdistrict_code}/")
    go(page, page.get_by_role("link", name=h.hh_id))


def test_household_development_path(phone, live_server, registry, make_user, screenshot_dir):
    page = phone
    village = busiest_village(registry)  # the most target households (34011611, two)
    district = make_user("district", village[:4])
    mentor = make_user("mentor", village, first_name="สมชาย", last_name="ใจดี")
    team_account = make_user("subdistrict", village[:6])
    due = (datetime.date.today() + datetime.timedelta(days=40)).isoformat()
    seen = MentorPages(page, screenshot_dir)

    # -- The district appoints a team and assigns the village to it.
    sign_in_browser(page, live_server, district)
    page.goto(live_server.url + "/")
    go(page, page.get_by_role("navigation").get_by_role("link", name="ทีมพี่เลี้ยง", exact=True))
    go(page, page.get_by_role("link", name="แต่งตั้งทีมพี่เลี้ยง"))
    page.get_by_label("ตำบล").select_option(village[:6])
    page.get_by_label("ชื่อทีม").fill("ทีมพี่เลี้ยง หมู่ 9")
    page.get_by_label("เลขที่คำสั่ง").fill("7/2568")
    page.get_by_role("button", name="ถัดไป: สมาชิกทีม").click()
    page.get_by_text("ขั้นตอนที่ 2 จาก 2").wait_for()
    page.locator("#id_m0-user").select_option(str(mentor.pk))
    page.locator("#id_m0-kind").select_option("civil_servant")
    page.locator("#id_m0-position").fill("พัฒนากร")
    page.locator("#id_m1-name").fill("นายอาสา ใจงาม")
    page.locator("#id_m1-kind").select_option("volunteer")
    page.locator("#id_m2-name").fill("นางสาวนักศึกษา ฝึกงาน")
    page.locator("#id_m2-kind").select_option("student")
    page.get_by_role("button", name="แต่งตั้งทีม").click()
    page.wait_for_url(re.compile(r"/mentoring/team/\d+/$"))
    team = MentorTeam.objects.get()
    page.get_by_role("link", name="มอบหมายครัวเรือนทั้งหมู่บ้าน").click()
    page.get_by_label("หมู่บ้าน").select_option(village)
    page.get_by_role("button", name="มอบหมาย", exact=True).click()
    page.wait_for_url(f"**/mentoring/team/{team.pk}/")
    mine = list(
        Assignment.objects.filter(mentor__user=mentor, ended_at__isnull=True)
        .order_by("household__hh_id")
        .values_list("household_id", flat=True)
    )
    assert mine, "the village's assignment put no household in the mentor's care"
    h = Household.objects.get(pk=mine[0])

    # -- The mentor signs in and lands on "my households".
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/sign-in/")
    page.get_by_label("ชื่อผู้ใช้").fill(mentor.username)
    page.get_by_label("รหัสผ่าน", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/mentoring/mine/")
    assert page.get_by_role("heading", level=1).inner_text() == "ครัวเรือนในความดูแลของฉัน"
    cards = page.get_by_role("list", name="ครัวเรือนในความดูแลของฉัน").get_by_role("listitem")
    assert cards.count() == len(mine)
    seen.check("mine")

    # -- Opens the household; its page leads to the family folder.
    go(page, page.get_by_role("link", name=h.hh_id, exact=True))
    page.wait_for_url(f"**/registry/household/{h.pk}/")
    assert "ทีมพี่เลี้ยง หมู่ 9" in page.locator("body").inner_text()
    seen.check("household")
    folder_base = f"{live_server.url}/folders/households/{h.pk}"
    go(
        page,
        page.locator("[data-section=family-folder]").get_by_role(
            "link", name="บันทึกแบบสรุปข้อมูลครัวเรือน"
        ),
    )
    page.wait_for_url(f"{folder_base}/edit/")
    page.locator("form[data-steps-ready]").wait_for()
    steps = page.locator("fieldset.step")
    seen.check("folder-edit")
    page.get_by_label("อายุหัวหน้าครัวเรือน (ปี)").fill("58")
    page.get_by_role("button", name="ถัดไป").first.click()
    page.get_by_label("หนี้นอกระบบ (บาท)").fill("5,000")
    page.get_by_label("สาเหตุของการเป็นหนี้").fill("ค่าปุ๋ยและเมล็ดพันธุ์")
    steps.nth(1).get_by_role("button", name="ถัดไป").click()
    page.get_by_label("มีความพร้อมสามารถพัฒนาได้").check()
    page.get_by_label("ประสงค์รับการช่วยเหลือ", exact=True).check()
    page.get_by_label("อบรม/ศึกษาดูงาน/พัฒนาความสามารถ").check()
    steps.nth(2).get_by_role("button", name="ถัดไป").click()
    page.get_by_label("ทักษะด้านอาชีพของคนในครัวเรือน").fill("ทอผ้าไหม")
    page.get_by_label("กองทุนหมู่บ้าน").check()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    go(page, page.get_by_role("button", name="บันทึกแบบสรุปข้อมูลครัวเรือน"))
    page.wait_for_url(f"{folder_base}/")
    seen.check("folder")

    # A photo of the house from the camera input.
    go(page, page.get_by_role("link", name="ภาพถ่าย", exact=True))
    page.wait_for_url(f"{folder_base}/photos/")
    page.get_by_label("สภาพบ้านเรือน").check()
    page.locator("input[type=file]").set_input_files(
        {"name": "house.jpg", "mimeType": "image/jpeg", "buffer": jpeg((640, 480))}
    )
    go(page, page.get_by_role("button", name="เพิ่มภาพ"))
    thumb = page.locator("img[data-photo]")
    thumb.first.wait_for()
    assert page.evaluate(
        "img => img.complete && img.naturalWidth > 0", thumb.first.element_handle()
    )
    seen.check("photos")

    # The GPS pin from the phone's location.
    go(page, page.get_by_role("link", name="กลับไปที่แบบสรุปข้อมูลครัวเรือน"))
    go(page, page.get_by_role("link", name="ปักหมุดบนแผนที่"))
    page.wait_for_url(f"{folder_base}/location/")
    page.locator(".folder-mapcanvas").wait_for()
    page.get_by_role("button", name="ใช้ตำแหน่งของฉัน").click()
    expect(page.get_by_label("ละติจูด")).to_have_value(re.compile(r"^15\.228"))
    assert page.get_by_label("ลองจิจูด").input_value().startswith("104.856")
    seen.check("location")
    go(page, page.get_by_role("button", name="บันทึกหมุด"))
    page.wait_for_url(f"{folder_base}/")
    assert page.locator("[data-answer=pin]").inner_text() != "—"
    assert page.locator("[data-version-row]").count() == 2

    # -- The plan, from the household's page: items in two dimensions, then sent.
    go(page, page.get_by_role("navigation", name="ตำแหน่งปัจจุบัน").get_by_role("link"))
    page.wait_for_url(f"**/registry/household/{h.pk}/")
    go(page, page.locator("#plan-section").get_by_role("link", name="เริ่มทำแผน"))
    page.wait_for_url(f"**/plans/household/{h.pk}/")
    seen.check("plan-start")
    go(page, page.get_by_role("button", name="เริ่มทำแผน"))
    page.get_by_label("เป้าหมายสูงสุดของครัวเรือน").fill("มีรายได้พอใช้ ปลดหนี้นอกระบบ")
    page.get_by_label("ระดับเป้าหมาย").select_option("survive")
    go(page, page.get_by_role("button", name="บันทึก"))
    seen.check("plan-goal")
    go(page, page.get_by_role("link", name="4. กิจกรรม"))
    for dimension, what in (("income", "ทอผ้าไหมขายในตลาดชุมชน"), ("health", "ตรวจสุขภาพประจำปี")):
        box = page.locator(f"#dimension-{dimension}")
        if box.get_attribute("open") is None:
            box.locator("summary").click()
        box.get_by_label("สิ่งที่ครัวเรือนทำเอง").fill(what)
        box.get_by_label("ภายในเมื่อใด").fill(due)
        go(page, box.get_by_role("button", name="เพิ่มกิจกรรม"))
        assert what in page.locator(f"#dimension-{dimension}").inner_text()
    seen.check("plan-items")
    go(page, page.get_by_role("link", name="5. ส่ง"))
    go(page, page.get_by_role("button", name="ส่งให้ทีมปฏิบัติการตำบล"))
    expect(page.locator("#plan-status")).to_have_text("ส่งพิจารณาแล้ว")
    seen.check("plan-sent")

    # -- The subdistrict team finds it from its registry menu and returns it.
    sign_in_browser(page, live_server, team_account)
    _team_opens_waiting_plan(page, live_server, h)
    page.get_by_label("ความเห็น").fill("กรุณาระบุหน่วยงานที่ช่วยเรื่องตลาดให้ชัดเจน")
    go(page, page.get_by_role("button", name="ส่งคืนพร้อมความเห็น"))
    expect(page.locator("#plan-status")).to_contain_text("ส่งคืนให้แก้ไข")

    # -- The mentor reads the comment from "my households", revises and sends again.
    sign_in_browser(page, live_server, mentor)
    page.goto(f"{live_server.url}/mentoring/mine/")
    go(page, page.get_by_role("link", name=h.hh_id, exact=True))
    go(page, page.locator("#plan-section").get_by_role("link", name="เปิดแผนเพื่อดำเนินการ"))
    go(page, page.get_by_role("link", name="5. ส่ง"))
    assert "หน่วยงานที่ช่วยเรื่องตลาด" in page.locator("#review-comment").inner_text()
    seen.check("plan-returned")
    go(page, page.get_by_role("button", name="ปรับปรุงแผน (จัดทำฉบับใหม่)"))
    expect(page.locator("#plan-status")).to_have_text("ร่าง")
    go(page, page.get_by_role("button", name="ส่งให้ทีมปฏิบัติการตำบล"))
    expect(page.locator("#plan-status")).to_have_text("ส่งพิจารณาแล้ว")

    # -- The team approves the new version.
    sign_in_browser(page, live_server, team_account)
    _team_opens_waiting_plan(page, live_server, h)
    go(page, page.get_by_role("button", name="อนุมัติแผน"))
    expect(page.locator("#plan-status")).to_have_text("อนุมัติแล้ว")
    assert Plan.objects.filter(household=h).count() == 2

    # -- The household's folder page tells each step, in Thai.
    sign_in_browser(page, live_server, mentor)
    page.goto(f"{live_server.url}/registry/household/{h.pk}/")
    text = page.locator("body").inner_text()
    for sentence in (
        "อยู่ในความดูแลของทีมพี่เลี้ยง “ทีมพี่เลี้ยง หมู่ 9”",
        "บันทึกแบบสรุปข้อมูลครัวเรือน ฉบับที่ 1",
        "เพิ่มภาพถ่าย: สภาพบ้านเรือน",
        "ปักหมุดบ้านบนแผนที่",
        "เริ่มจัดทำแผนครัวเรือนฉบับที่ 1",
        "ส่งแผนครัวเรือนฉบับที่ 1 ให้ทีมปฏิบัติการตำบลพิจารณา",
        "ทีมปฏิบัติการตำบลส่งคืนแผนครัวเรือนฉบับที่ 1",
        "เริ่มจัดทำแผนครัวเรือนฉบับที่ 2 (ปรับปรุงจากฉบับก่อน)",
        "ส่งแผนครัวเรือนฉบับที่ 2 ให้ทีมปฏิบัติการตำบลพิจารณา",
        "ทีมปฏิบัติการตำบลอนุมัติแผนครัวเรือนฉบับที่ 2",
    ):
        assert sentence in text, sentence
    assert page.locator("#folder-plan-status").inner_text() == "อนุมัติแล้ว"
    seen.check("household-history")

    # -- The village's development plan shows the items.
    sign_in_browser(page, live_server, team_account)
    page.goto(f"{live_server.url}/registry/village/{h.village_code}/")
    go(page, page.get_by_role("link", name="แผนพัฒนาของพื้นที่นี้"))
    page.wait_for_url(f"**/plans/area/{h.village_code}/")
    assert page.locator("#plans-approved").inner_text() == "1"
    assert page.locator("#plans-items").inner_text() == "2"
    table = page.get_by_role("table", name="มิติ").inner_text()
    assert "ด้านรายได้" in table and "ด้านสุขภาพ" in table
    page.screenshot(path=str(screenshot_dir / "village-rollup.png"), full_page=True)

    # -- The mentor's main pages once more, in English.
    sign_in_browser(page, live_server, mentor)
    page.goto(f"{live_server.url}/mentoring/mine/")
    go(page, page.get_by_role("button", name="English"))
    assert page.evaluate("document.documentElement.lang") == "en"
    for path in (
        "/mentoring/mine/",
        f"/registry/household/{h.pk}/",
        f"/folders/households/{h.pk}/",
        f"/folders/households/{h.pk}/edit/",
        f"/folders/households/{h.pk}/photos/",
        f"/folders/households/{h.pk}/location/",
        f"/plans/household/{h.pk}/",
        f"/plans/household/{h.pk}/?step=items",
    ):
        page.goto(live_server.url + path)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"], path
        assert not _thai_only_leftovers(page), (path, _thai_only_leftovers(page))
        name = re.sub(r"\W+", "-", path).strip("-")
        page.screenshot(path=str(screenshot_dir / f"en-{name}.png"), full_page=True)
