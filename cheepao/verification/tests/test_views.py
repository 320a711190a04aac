"""The pages through the Django test client: the form, an area, the batch list, a batch."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.households.models import Problem
from cheepao.verification import services
from cheepao.verification.models import Batch, Verification
from cheepao.verification.tests.conftest import form_data, marks_for, snapshot


def post_data(household, wrong=(), **overrides) -> dict:
    data = {
        "household_status": "lives_here",
        "members_now": "3",
        "income_year": "150,000",
        "debt_formal": "",
        "debt_informal": "2000",
        "savings": "",
        "can_repay": "yes",
        "household_type": "welfare",
        "note": "สัมภาษณ์หัวหน้าครัวเรือน",
        "added": [],
    }
    for code, mark in marks_for(household, set(wrong)).items():
        data[f"mark_{code}"] = mark
    data.update(overrides)
    return data


@pytest.fixture
def team_client(client, sign_in, team):
    return sign_in(client, team)


def test_the_form_shows_each_open_problem_as_a_question(team_client, household):
    response = team_client.get(reverse("verification:form", args=[household.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    catalogue = {i.code: i for i in household.registry.catalogue.indicators}
    for code in marks_for(household):
        assert f'name="mark_{code}"' in html
        assert catalogue[code].th in html
    assert html.count("<fieldset") >= len(marks_for(household)) + 4
    # New problems: every indicator of the set that is not open, grouped by dimension.
    addable = [c for c in catalogue if c not in marks_for(household)]
    for code in addable:
        assert f'value="{code}" id="id_added_{code}"' in html
    assert "<legend>ด้านรายได้</legend>" in html
    assert "ตรวจสอบข้อมูลครัวเรือน" in html
    # Opening a household is recorded.
    assert (
        AuditEvent.objects.filter(
            action="view", object_type="households.household", object_id=str(household.pk)
        ).count()
        == 1
    )


def test_saving_shows_the_derived_result(team_client, household):
    code = sorted(marks_for(household))[0]
    url = reverse("verification:form", args=[household.pk])
    response = team_client.post(url, post_data(household, wrong=[code]))
    assert response.status_code == 302 and response["Location"] == url
    v = Verification.objects.get(household=household)
    assert v.result == "partly_correct" and v.marks[code] == "wrong"
    assert str(v.income_per_person) == "50000.00"
    page = team_client.get(url).content.decode()
    assert "บันทึกผลการตรวจสอบแล้ว" in page
    assert 'data-result="partly_correct">ถูกต้องบางส่วน<' in page


def test_errors_redisplay_in_thai_and_keep_what_was_typed(team_client, household):
    url = reverse("verification:form", args=[household.pk])
    code = sorted(marks_for(household))[0]
    data = post_data(household, income_year="สี่หมื่น", household_type="")
    del data[f"mark_{code}"]
    before = snapshot()
    response = team_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "กรุณาระบุจำนวนเงินเป็นบาท ตั้งแต่ 0 ขึ้นไป" in html
    assert "กรุณาทำเครื่องหมายปัญหานี้: ถูกต้อง หรือ ไม่พบปัญหา" in html
    assert "กรุณาเลือกประเภทครัวเรือน" in html
    assert 'value="สี่หมื่น"' in html
    assert "สัมภาษณ์หัวหน้าครัวเรือน" in html
    assert snapshot() == before


def test_the_district_sees_the_form_read_only(client, sign_in, district, team, household):
    services.verification_save(
        household=household, ctx=Context.cli(team), data=form_data(household)
    )
    sign_in(client, district)
    url = reverse("verification:form", args=[household.pk])
    html = client.get(url).content.decode()
    assert '<form method="post" class="verify-form"' not in html
    assert "ถูกต้องทั้งหมด" in html and "ถูกต้อง (✓)" in html
    before = snapshot()
    response = client.post(url, post_data(household))
    assert "บทบาทของท่านไม่มีสิทธิ์บันทึกผลการตรวจสอบข้อมูล" in response.content.decode()
    assert snapshot() == before


def test_the_form_in_english(team_client, household):
    team_client.cookies["django_language"] = "en"
    html = team_client.get(reverse("verification:form", args=[household.pk])).content.decode()
    assert "Verify household" in html and "Problems shown in the registry" in html
    catalogue = {i.code: i for i in household.registry.catalogue.indicators}
    assert catalogue[sorted(marks_for(household))[0]].en in html


def test_the_area_page_shows_progress_deadlines_and_submits(team_client, household, team):
    url = reverse("verification:area", args=[household.village_code])
    html = team_client.get(url).content.decode()
    assert "ยังไม่ตรวจสอบ" in html
    assert "31 ธ.ค. 2568" in html and "10 ม.ค. 2569" in html and "15 ม.ค. 2569" in html
    assert "ไม่มีครัวเรือนที่ตรวจสอบแล้วรอส่ง" in html
    services.verification_save(
        household=household, ctx=Context.cli(team), data=form_data(household)
    )
    html = team_client.get(url).content.decode()
    assert "ส่ง 1 ครัวเรือนให้ ศจพ.อ. รับรอง" in html
    response = team_client.post(url)
    batch = Batch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("verification:batch", args=[batch.pk])
    assert batch.items.get().household_id == household.pk


def test_the_subdistrict_page_lists_its_villages(team_client, household):
    html = team_client.get(
        reverse("verification:area", args=[household.subdistrict_code])
    ).content.decode()
    assert reverse("verification:area", args=[household.village_code]) in html
    assert f"หมู่ที่ {int(household.village_code[6:])} ตำบล" in html


def test_submitting_an_empty_area_says_why_and_changes_nothing(team_client, household):
    url = reverse("verification:area", args=[household.village_code])
    before = snapshot()
    response = team_client.post(url, follow=True)
    assert "ไม่มีข้อมูลที่จะส่ง" in response.content.decode()
    assert snapshot() == before


def test_a_district_cannot_submit_from_the_area_page(client, sign_in, district, team, household):
    services.verification_save(
        household=household, ctx=Context.cli(team), data=form_data(household)
    )
    sign_in(client, district)
    url = reverse("verification:area", args=[household.village_code])
    assert "ให้ ศจพ.อ. รับรอง</button>" not in client.get(url).content.decode()
    before = snapshot()
    response = client.post(url, follow=True)
    assert "ไม่มีสิทธิ์ส่งข้อมูล" in response.content.decode()
    assert snapshot() == before


@pytest.fixture
def submitted(household, team):
    code = sorted(marks_for(household))[0]
    services.verification_save(
        household=household,
        ctx=Context.cli(team),
        data=form_data(household, marks=marks_for(household, {code})),
    )
    return services.batch_submit(area_code=household.village_code, ctx=Context.cli(team))


def test_the_batch_page_shows_the_changes_and_the_districts_buttons(
    client, sign_in, district, submitted, household
):
    sign_in(client, district)
    html = client.get(reverse("verification:batch", args=[submitted.pk])).content.decode()
    code = sorted(marks_for(household))[0]
    assert f'นำปัญหาออก <span class="code">{code}</span>' in html
    assert 'value="certify"' in html and 'value="return"' in html and 'value="approve"' not in html
    assert "เกินกำหนด" in html  # 10 Jan 2569 has passed (the test machine's clock is later)
    assert "รอ ศจพ.อ. รับรอง" in html
    # The batch list puts it under "waiting for you".
    listing = client.get(reverse("verification:batches")).content.decode()
    assert "รอท่านดำเนินการ" in listing and f"ชุดที่ {submitted.pk}" in listing


def test_return_without_comment_is_refused_then_with_comment_goes_back(
    client, sign_in, district, team, submitted
):
    sign_in(client, district)
    url = reverse("verification:batch", args=[submitted.pk])
    before = snapshot()
    html = client.post(url, {"action": "return", "comment": ""}).content.decode()
    assert "ต้องระบุความเห็น" in html
    assert snapshot() == before
    response = client.post(url, {"action": "return", "comment": "รายได้ไม่ตรง"})
    assert response.status_code == 302
    assert Batch.objects.get().state == "returned"
    # The team sees the comment and can send again.
    client.logout()
    sign_in(client, team)
    html = client.get(url).content.decode()
    assert "รายได้ไม่ตรง" in html and 'value="resubmit"' in html
    area = client.get(reverse("verification:area", args=[submitted.area_code])).content.decode()
    assert "แก้ไขข้อมูลครัวเรือนในชุดนี้" in area and "รายได้ไม่ตรง" in area
    client.post(url, {"action": "resubmit"})
    assert Batch.objects.get().state == "submitted"


def test_certify_and_approve_through_the_page(
    client, sign_in, district, province, submitted, household
):
    code = sorted(marks_for(household))[0]
    url = reverse("verification:batch", args=[submitted.pk])
    sign_in(client, district)
    assert client.post(url, {"action": "certify", "comment": ""}).status_code == 302
    client.logout()
    sign_in(client, province)
    html = client.get(url).content.decode()
    assert 'value="approve"' in html and 'value="certify"' not in html
    response = client.post(url, {"action": "approve"}, follow=True)
    html = response.content.decode()
    assert "เห็นชอบชุดข้อมูลแล้ว ปรับปรุงทะเบียนเรียบร้อย" in html
    assert "ครัวเรือนและการเปลี่ยนแปลงที่ปรับปรุงแล้ว" in html
    assert f'นำปัญหาออก <span class="code">{code}</span>' in html
    assert Problem.objects.get(household=household, indicator=code).status == "removed"


def test_an_unknown_action_changes_nothing(client, sign_in, district, submitted):
    sign_in(client, district)
    before = snapshot()
    html = client.post(
        reverse("verification:batch", args=[submitted.pk]), {"action": "delete"}
    ).content.decode()
    assert "ไม่รู้จักการดำเนินการนี้" in html
    assert snapshot() == before


def test_the_batch_list_leads_to_the_verification_areas(client, sign_in, team, district):
    sign_in(client, team)
    html = client.get(reverse("verification:batches")).content.decode()
    assert reverse("verification:area", args=[team.area_code]) in html
    client.logout()
    sign_in(client, district)
    html = client.get(reverse("verification:batches")).content.decode()
    assert html.count(f'href="/verification/areas/{district.area_code}') >= 2
