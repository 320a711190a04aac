"""Form ศจพ.2 through HTTP and the service: engine-computed indicators, refusals, access."""

from __future__ import annotations

import re
import uuid
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from cheepao.accounts.roles import Role
from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.core.errors import Refused
from cheepao.engine import api as engine
from cheepao.households.models import Household, HouseholdEvent, Member, Problem
from cheepao.households.services import PIN_LOOKUP
from cheepao.newhouseholds import services
from cheepao.newhouseholds.forms import parse_be_date
from cheepao.newhouseholds.models import DuplicateCase, FieldReport
from cheepao.newhouseholds.tests.helpers import (
    SUBDISTRICT,
    bad_check_digit,
    child,
    member,
    new_pin,
    post_data,
)

pytestmark = pytest.mark.django_db
URL = "/new-households/new/"


@pytest.fixture
def team(make_user, sign_in, client, registry):
    user = make_user(Role.SUBDISTRICT, SUBDISTRICT)
    sign_in(client, user)
    return user


def _counts() -> tuple[int, ...]:
    """Everything a form could write, but the audit rows of its national-ID lookups (which
    every preview and save writes: see test_oracle.py)."""
    return (
        Household.objects.count(),
        Member.objects.count(),
        Problem.objects.count(),
        FieldReport.objects.count(),
        DuplicateCase.objects.count(),
        AuditEvent.objects.exclude(action="load").exclude(object_type=PIN_LOOKUP).count(),
        HouseholdEvent.objects.exclude(kind="loaded").count(),
    )


def _preview(client, data):
    return client.post(URL, {**data, "action": "preview"})


def _save(client, data):
    return client.post(URL, {**data, "action": "save"})


# ------------------------------------------------------------------ engine-computed indicators


def test_child_out_of_school_fails_e2_and_is_saved_pending(client, team, registry):
    data = post_data(registry, [member(), child(compulsory_schooling="0")])
    before = _counts()

    preview = _preview(client, data)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "E2" in page and "ด้านการศึกษา" in page
    assert 'value="save"' in page
    assert _counts() == before  # a preview writes nothing

    response = _save(client, data)
    household = Household.objects.get(source="field")
    assert response.status_code == 302
    assert response["Location"] == reverse("newhouseholds:detail", args=[household.pk])
    assert household.status == Household.Status.PENDING
    assert household.source == "field"
    assert household.registry == registry
    assert household.village_code == "34010103"
    assert (household.province_code, household.district_code) == ("34", "3401")
    assert household.n_dims == 1 and household.n_members == 2
    problems = list(household.problems.values_list("indicator", "dimension", "origin"))
    assert problems == [("E2", "education", "form2")]
    head, kid = household.members.order_by("member_no")
    assert head.relation == "head" and head.birth_date == date(1980, 6, 15)
    assert kid.age == 10 and kid.failing == ["E2"] and kid.is_target_person
    assert "school_age" in kid.life_stages
    assert kid.answers["compulsory_schooling"] is False
    event = AuditEvent.objects.get(action="create")
    assert event.object_type == "households.household" and event.object_id == str(household.pk)
    assert event.actor == team and event.changes["problems"] == ["E2"]
    report = household.field_report
    assert report.recorded_by == team and report.religion == "buddhism"
    (told,) = household.events.all()
    assert (told.kind, told.actor, told.channel) == ("recorded_new", team, "web")
    assert told.data == {"source": "field", "members": 2, "indicators": ["E2"]}

    folder = client.get(response["Location"])
    assert folder.status_code == 200
    assert household.hh_id in folder.content.decode()
    assert AuditEvent.objects.filter(action="view", object_id=str(household.pk)).count() == 1


def test_income_fails_by_the_registrys_threshold(client, team, registry):
    # One person earning 37,999 baht a year: under 38,000 per person.
    data = post_data(registry, [member(income_year="37999")])
    _save(client, data)
    household = Household.objects.get(source="field")
    assert list(household.problems.values_list("indicator", flat=True)) == ["I3"]
    assert household.income_per_person == 37999

    # The registry's own threshold decides, not a constant in the form.
    registry.thresholds = {**registry.thresholds, "income_per_person_year": 30000}
    registry.save(update_fields=["thresholds"])
    before = _counts()
    response = _save(client, post_data(registry, [member(income_year="37999")]))
    assert response.status_code == 200
    assert "ไม่ตกเกณฑ์ตัวชี้วัดใด" in response.content.decode()
    assert _counts() == before


def test_income_with_satang_is_summed_exactly(client, team, registry):
    """Issue 9 item 11: amounts are decimals. 37,999.70 + 0.10 + 0.10 + 0.10 is 38,000.00
    for one person ("ไม่ต่ำกว่า 38,000" passes); in binary floating point it was
    37,999.99999999999 and the household failed I3."""
    sources = dict(
        income_main="37999.70", income_secondary="0.10", income_other="0.10",
        income_own_production="0.10",
    )  # fmt: skip
    before = _counts()
    response = _save(client, post_data(registry, [member(income_year="38000")], **sources))
    assert response.status_code == 200
    assert "ไม่ตกเกณฑ์ตัวชี้วัดใด" in response.content.decode()
    assert _counts() == before

    # One satang short over three people: I3, and the average shows its satang
    # (37,999.99), never rounded up to the threshold it fails.
    people = [
        member(),
        member(first_name="สมศรี", relation="spouse", sex="F"),
        member(first_name="สมหมาย", relation="sibling", birth_date="1/1/2530"),
    ]
    short = dict(sources, income_main="113999.70", income_own_production="0.09")
    preview = _preview(client, post_data(registry, people, **short))
    assert "37,999.99" in preview.content.decode()
    _save(client, post_data(registry, people, **short))
    household = Household.objects.get(source="field")
    assert list(household.problems.values_list("indicator", flat=True)) == ["I3"]
    assert household.income_total == Decimal("113999.99")
    assert household.income_per_person == Decimal("37999.99")


def test_household_sub_item_no_fails_its_indicator(client, team, registry):
    data = post_data(registry, [member()], q_home_toilet="0", q_housing_secure="0")
    _save(client, data)
    household = Household.objects.get(source="field")
    assert sorted(household.problems.values_list("indicator", flat=True)) == ["L1", "L4"]
    assert household.answers["home_toilet"] is False
    assert household.n_dims == 1


def test_newborn_below_2500_grams_fails_h1(client, team, registry):
    baby = child(first_name="น้องใหม่", birth_date="1/5/2567", birth_weight_g="2400")
    baby.pop("compulsory_schooling")
    _save(client, post_data(registry, [member(), baby]))
    household = Household.objects.get(source="field")
    assert list(household.problems.values_list("indicator", flat=True)) == ["H1"]


def test_answer_the_engine_needs_is_asked_for_in_thai(client, team, registry):
    kid = child()
    kid.pop("compulsory_schooling")
    before = _counts()
    response = _preview(client, post_data(registry, [member(), kid]))
    page = response.content.decode()
    assert "ต้องตอบ ได้รับการศึกษาภาคบังคับ สำหรับสมาชิกคนนี้" in page
    assert 'value="save"' not in page
    assert _counts() == before


# ------------------------------------------------------------------ refusals change nothing


def test_pin_with_a_wrong_check_digit_is_refused(client, team, registry):
    data = post_data(registry, [member(pin=bad_check_digit(new_pin()))])
    before = _counts()
    for action in ("preview", "save"):
        response = client.post(URL, {**data, "action": action})
        assert response.status_code == 200
        assert "หลักสุดท้ายไม่ตรงกับหลักตรวจสอบ" in response.content.decode()
    assert _counts() == before


def test_person_already_in_the_registry_in_my_area_is_shown_and_refused(client, team, registry):
    known = Member.objects.filter(
        household__subdistrict_code=SUBDISTRICT, pin__regex=r"^\d{13}$"
    ).first()
    data = post_data(registry, [member(), child(pin=known.pin)])
    before = _counts()
    response = _save(client, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "อยู่ในทะเบียนแล้ว" in page
    assert known.household.hh_id in page and known.last_name in page
    assert _counts() == before


def test_person_registered_outside_my_area_is_passed_to_its_district(
    client, make_user, sign_in, registry
):
    other = (
        Member.objects.exclude(household__subdistrict_code=SUBDISTRICT)
        .filter(pin__regex=r"^\d{13}$")
        .select_related("household")
        .first()
    )
    user = make_user(Role.SUBDISTRICT, SUBDISTRICT)
    sign_in(client, user)
    before = _counts()
    response = _save(client, post_data(registry, [member(pin=other.pin)]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "ส่งเรื่องให้อำเภอที่ถือข้อมูล" in page
    # Nothing of the record: not its district, household, house or name.
    assert "อำเภอเมืองอุบลราชธานี" not in page and "ลงทะเบียนแล้วในพื้นที่อื่น" not in page
    assert other.household.hh_id not in page and other.first_name not in page
    assert Household.objects.count() == before[0]
    case = DuplicateCase.objects.get()
    assert case.household == other.household and case.asked_by == user
    # The holding household's history tells of the question, not who asked or where.
    told = other.household.events.get(kind="newhouseholds.duplicate_asked")
    assert told.data == {"case": case.pk, "key": "person"}
    with translation.override("th"):
        text = told.text
    assert text.startswith(f"เรื่องตรวจสอบข้อมูลซ้ำที่ {case.pk}: ทีมในพื้นที่อื่นกรอกเลขประจำตัว")
    assert SUBDISTRICT not in text and "สมชาย" not in text


def test_house_already_in_the_registry_is_refused(client, team, registry):
    house = Household.objects.filter(subdistrict_code=SUBDISTRICT).exclude(house_no="").first()
    data = post_data(
        registry,
        [member()],
        village_no=str(house.village_no),
        house_no=house.house_no,
    )
    before = _counts()
    response = _save(client, data)
    assert "บ้านหลังนี้อยู่ในทะเบียนแล้ว" in response.content.decode()
    assert _counts() == before


def test_surveyed_person_not_a_target_is_a_warning_not_a_refusal(client, team, registry):
    run = engine.open_run(registry.run_path)
    hh = run.households().to_pandas()
    quiet = hh[(~hh.is_target) & (hh.subdistrict_code == SUBDISTRICT)].iloc[0]
    members = pd.read_parquet(run.manifest["inputs"]["members"][0]["path"])
    surveyed_pin = members[members.hh_id == quiet.hh_id].pin.iloc[0]

    data = post_data(registry, [member(pin=surveyed_pin, income_year="1000")])
    preview = _preview(client, data).content.decode()
    assert "ไม่ได้เป็นคนจนเป้าหมาย" in preview and 'value="save"' in preview
    _save(client, data)
    household = Household.objects.get(source="field")
    assert household.field_report.surveyed_matches[0]["pin"] == surveyed_pin


def test_household_failing_nothing_is_refused_unless_tagged_vulnerable(client, team, registry):
    before = _counts()
    response = _save(client, post_data(registry, [member()]))
    assert "ไม่ตกเกณฑ์ตัวชี้วัดใด" in response.content.decode()
    assert _counts() == before

    response = _save(client, post_data(registry, [member()], vulnerable_tags="not_free"))
    assert response.status_code == 302
    household = Household.objects.get(source="field")
    assert household.n_dims == 0 and not household.problems.exists()
    assert household.field_report.vulnerable_tags == ["not_free"]


def test_village_outside_my_area_is_refused(client, team, registry):
    data = post_data(registry, [member(income_year="1000")], subdistrict_code="340102")
    before = _counts()
    response = _save(client, data)
    assert response.status_code == 200
    assert _counts() == before
    # The service refuses it too, whatever the form offered.
    with pytest.raises(Refused) as refused:
        services.newhousehold_create(
            ctx=Context.cli(team),
            data={"subdistrict_code": "340102", "village_no": 3, "members": []},
        )
    assert refused.value.code == "newhouseholds.not_your_village"
    assert _counts() == before


def test_anonymous_is_sent_to_sign_in(client, registry):
    before = _counts()
    response = _save(client, post_data(registry, [member(income_year="1000")]))
    assert response.status_code == 302 and "next=" in response["Location"]
    assert _counts() == before


@pytest.mark.parametrize(
    ("role", "area"),
    [(Role.DISTRICT, "3401"), (Role.MENTOR, SUBDISTRICT), (Role.PROVINCE, "34")],
)
def test_only_the_operations_team_may_record(client, make_user, sign_in, registry, role, area):
    user = make_user(role, area)
    sign_in(client, user)
    before = _counts()
    assert client.get(URL).status_code == 403
    response = _save(client, post_data(registry, [member(income_year="1000")]))
    assert response.status_code == 403
    assert _counts() == before


def test_saved_household_of_another_area_is_404(client, team, registry, make_user, sign_in):
    _save(client, post_data(registry, [member(income_year="1000")]))
    household = Household.objects.get(source="field")
    stranger = make_user(Role.SUBDISTRICT, "340102")
    sign_in(client, stranger)
    assert client.get(f"/new-households/{household.pk}/").status_code == 404
    assert not AuditEvent.objects.filter(action="view").exists()
    survey_household = Household.objects.filter(subdistrict_code="340102", source="survey").first()
    if survey_household:  # a survey household is not a ศจพ.2 folder
        assert client.get(f"/new-households/{survey_household.pk}/").status_code == 404


# ------------------------------------------------------------------ the form itself


def test_add_a_row_without_javascript(client, team, registry):
    data = post_data(registry, [member()])
    response = client.post(URL, {**data, "action": "add"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="m-TOTAL_FORMS" value="2"' in page
    assert 'name="m-1-first_name"' in page
    assert "Please correct" not in page and "กรุณาแก้ไข" not in page
    assert Household.objects.filter(source="field").count() == 0


def test_removed_row_is_not_counted(client, team, registry):
    data = post_data(registry, [member(income_year="1000"), child(**{"DELETE": "on"})])
    _save(client, data)
    household = Household.objects.get(source="field")
    assert household.n_members == 1


def test_ids_are_made_from_the_forms_own_id_not_a_counter(client, team, registry):
    """No running number (ADR 0021): the id is the form's UUID written in Crockford base 32,
    so a phone offline and the server make the same one without asking anyone."""
    uids = [uuid.uuid4(), uuid.uuid4()]
    for uid in uids:
        _save(client, {**post_data(registry, [member(income_year="1000")]), "uid": str(uid)})
    made = dict(Household.objects.filter(source="field").values_list("uid", "hh_id"))
    assert made == {uid: services.hh_id_of(registry, uid) for uid in uids}
    for hh_id in made.values():
        assert re.fullmatch(r"F2568-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}", hh_id), hh_id


def test_list_of_field_households(client, team, registry):
    _save(client, post_data(registry, [member(income_year="1000")]))
    page = client.get("/new-households/").content.decode()
    assert Household.objects.get(source="field").hh_id in page


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/3/2528", date(1985, 3, 1)),
        ("01-03-2528", date(1985, 3, 1)),
        ("29.2.2567", date(2024, 2, 29)),
        (" 15/6/2523 ", date(1980, 6, 15)),
    ],
)
def test_buddhist_era_dates_become_gregorian(text, expected):
    assert parse_be_date(text) == expected


@pytest.mark.parametrize("text", ["1/3/1985", "31/2/2528", "2528-03-01", "1/1/2900", "abc"])
def test_bad_dates_are_refused(text):
    with pytest.raises(ValidationError):
        parse_be_date(text)


def test_the_form_in_english(client, team, registry):
    client.cookies["django_language"] = "en"
    page = client.get(URL).content.decode()
    assert "New household (form ศจพ.2)" in page
    assert "Packaged food carries the FDA (อย.) mark" in page  # the contract's own label
    assert "Household eats hygienic, safe, standard food" in page  # the catalogue's question
    response = _preview(client, post_data(registry, [member(pin=bad_check_digit(new_pin()))]))
    assert "The last digit does not match the check digit" in response.content.decode()
