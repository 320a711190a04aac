"""The main path in headless Chromium: the team verifies a household and sends its village,
the district certifies, the province approves, and the registry shows the change.

Sessions are made with the test client and their cookie copied into the browser (the login
pages are tested by the accounts app); the province's session carries its second factor.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from cheepao.conftest import PHONE
from cheepao.households.models import Household, Problem
from cheepao.verification.models import Batch, Verification
from cheepao.verification.tests.conftest import marks_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def become(page, live_server, sign_in, user) -> None:
    client = sign_in(Client(), user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_verify_submit_certify_approve(
    page, live_server, sign_in, household, team, district, province, screenshot_dir, request
):
    viewport = request.node.callspec.id
    codes = sorted(marks_for(household))
    wrong, confirmed = codes[0], codes[1:]
    catalogue = {i.code: i for i in household.registry.catalogue.indicators}

    # The operations team opens the household and marks one problem wrong, the rest confirmed.
    become(page, live_server, sign_in, team)
    page.goto(live_server.url + reverse("verification:form", args=[household.pk]))
    assert page.get_by_role("heading", level=1).inner_text().startswith("ตรวจสอบข้อมูลครัวเรือน")
    group = page.get_by_role("group", name=catalogue[wrong].th)
    group.get_by_role("radio", name="ไม่พบปัญหา (✗)").check()
    for code in confirmed:
        page.get_by_role("group", name=catalogue[code].th).get_by_role(
            "radio", name="ถูกต้อง (✓)"
        ).check()
    page.get_by_label("จำนวนคนที่อาศัยอยู่ในครัวเรือนปัจจุบัน").fill("3")
    page.get_by_label("รายได้รวมของครัวเรือนต่อปี (บาท)").fill("150,000")
    page.get_by_role("group", name="ประเภทครัวเรือน").get_by_role("radio", name="พัฒนาได้").check()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / f"verify_form_{viewport}.png"), full_page=True)
    page.get_by_role("button", name="บันทึกผลการตรวจสอบ").click()
    result = page.locator("[data-result]")
    result.wait_for()
    assert result.inner_text() == "ถูกต้องบางส่วน"
    assert page.get_by_text("บันทึกผลการตรวจสอบแล้ว").is_visible()
    assert Verification.objects.get(household=household).income_per_person == 50000

    # …then sends the village to the district.
    page.get_by_role("link", name=f"หมู่ที่ {int(household.village_code[6:])}").first.click()
    page.wait_for_url(f"**{reverse('verification:area', args=[household.village_code])}")
    page.get_by_label("บันทึกถึง ศจพ.อ.").fill("ตรวจครบทุกครัวเรือนของหมู่บ้านแล้ว")
    page.get_by_role("button", name="ส่ง 1 ครัวเรือนให้ ศจพ.อ. รับรอง").click()
    page.get_by_text("ส่งให้ ศจพ.อ. รับรองแล้ว").wait_for()
    batch = Batch.objects.get()
    assert page.url.endswith(reverse("verification:batch", args=[batch.pk]))

    # The district certifies.
    become(page, live_server, sign_in, district)
    page.goto(live_server.url + reverse("verification:batches"))
    page.get_by_role("link", name=f"ชุดที่ {batch.pk}").click()
    page.wait_for_url(f"**{reverse('verification:batch', args=[batch.pk])}")
    assert page.get_by_text(f"นำปัญหาออก {wrong}").is_visible()
    # …and reads the team's note, on a phone too.
    assert page.get_by_text("ตรวจครบทุกครัวเรือนของหมู่บ้านแล้ว").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="รับรองข้อมูล").click()
    page.get_by_text("รับรองชุดข้อมูลแล้ว รอ ศจพ.จ. เห็นชอบ").wait_for()
    assert Problem.objects.get(household=household, indicator=wrong).status == "open"

    # The province approves; only now does the registry change.
    become(page, live_server, sign_in, province)
    page.goto(live_server.url + reverse("verification:batch", args=[batch.pk]))
    page.get_by_role("button", name="เห็นชอบและปรับปรุงทะเบียน").click()
    page.get_by_text("เห็นชอบชุดข้อมูลแล้ว ปรับปรุงทะเบียนเรียบร้อย").wait_for()
    page.screenshot(path=str(screenshot_dir / f"batch_approved_{viewport}.png"), full_page=True)
    assert Problem.objects.get(household=household, indicator=wrong).status == "removed"
    assert set(
        Problem.objects.filter(household=household, status="open").values_list(
            "indicator", flat=True
        )
    ) == set(confirmed)

    # The household folder (registry app), when it is there, shows the change too.
    try:
        folder = reverse("households:folder", args=[household.pk])
    except NoReverseMatch:
        return
    page.goto(live_server.url + folder)
    assert "is-passing" in page.locator(f"#indicator-{wrong}").get_attribute("class")
    for code in confirmed:
        assert "is-failing" in page.locator(f"#indicator-{code}").get_attribute("class")


@pytest.mark.parametrize("page", [PHONE], ids=["phone"], indirect=True)
def test_the_income_rule_shows_and_sets_i3_as_it_is_typed(
    page, live_server, sign_in, registry, make_user, screenshot_dir
):
    """At phone width: the I3 question follows the income and the number of people typed,
    the sentence under the income says why, and the saved form agrees."""
    household = next(
        h
        for h in Household.objects.filter(registry=registry).order_by("pk")
        if set(marks_for(h)) == {"I3"}
    )
    team = make_user("subdistrict", household.subdistrict_code)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    become(page, live_server, sign_in, team)
    page.goto(live_server.url + reverse("verification:form", args=[household.pk]))
    rule = page.locator("[data-income-rule]")
    question = page.get_by_role("group", name=household.registry.catalogue.indicator("I3").th)
    confirmed = question.get_by_role("radio", name="ถูกต้อง (✓)")
    wrong = question.get_by_role("radio", name="ไม่พบปัญหา (✗)")
    # The survey's figures (29,771 baht for 1 person) are below the threshold.
    assert "29,771 บาทต่อปี ต่ำกว่าเกณฑ์ 38,000 บาท" in rule.inner_text()
    assert confirmed.is_checked() and wrong.is_disabled()

    page.get_by_label("จำนวนคนที่อาศัยอยู่ในครัวเรือนปัจจุบัน").fill("3")
    page.get_by_label("รายได้รวมของครัวเรือนต่อปี (บาท)").fill("114,000")
    assert "38,000 บาทต่อปี ไม่ต่ำกว่าเกณฑ์ 38,000 บาท" in rule.inner_text()
    assert wrong.is_checked() and confirmed.is_disabled()

    page.get_by_label("รายได้รวมของครัวเรือนต่อปี (บาท)").fill("113,999.99")
    assert "37,999.99 บาทต่อปี ต่ำกว่าเกณฑ์ 38,000 บาท" in rule.inner_text()
    assert confirmed.is_checked() and wrong.is_disabled()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / "income_rule_phone.png"), full_page=True)

    page.get_by_role("group", name="ประเภทครัวเรือน").get_by_role("radio", name="สงเคราะห์").check()
    page.get_by_role("button", name="บันทึกผลการตรวจสอบ").click()
    page.locator("[data-result]").wait_for()
    v = Verification.objects.get(household=household)
    assert v.marks == {"I3": "confirmed"} and v.result == "all_correct"
    assert str(v.income_per_person) == "37999.99"
    assert errors == []
