"""No register oracle (issue 9, item 2): what a national ID typed on form ศจพ.2 or in the
registry search tells an account about people outside its area, the duplicate checks passed
to the district that holds the record, and the audit and limit of every lookup."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from django.urls import reverse
from django.utils import translation

from cheepao.accounts.roles import Role
from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.core.errors import Invalid, NotFound, Refused
from cheepao.engine import api as engine
from cheepao.geo.selectors import area_label
from cheepao.households.models import Household, HouseholdEvent, Member
from cheepao.households.pii import format_pin, mask_pin
from cheepao.households.services import PIN_LOOKUP
from cheepao.newhouseholds import services
from cheepao.newhouseholds.models import DuplicateCase, FieldReport
from cheepao.newhouseholds.tests.helpers import SUBDISTRICT, member, new_pin, post_data

pytestmark = pytest.mark.django_db
URL = "/new-households/new/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
PASSED = "ระบบได้ส่งเรื่องให้อำเภอที่ถือข้อมูลแล้ว"
NOT_ALLOWED = "ได้ตรวจสอบแล้วและไม่อนุญาต"
LIMITED = "ระบบจึงพักการตรวจไว้ก่อน"


@pytest.fixture
def team(make_user, sign_in, client, registry):
    user = make_user(Role.SUBDISTRICT, SUBDISTRICT)
    sign_in(client, user)
    return user


def _written() -> dict:
    """Everything a form or a decision could write, the lookup audit rows included."""
    return {
        "households": Household.objects.count(),
        "members": Member.objects.count(),
        "reports": FieldReport.objects.count(),
        "cases": list(DuplicateCase.objects.order_by("pk").values()),
        "audit": AuditEvent.objects.exclude(action="load").count(),
        "history": HouseholdEvent.objects.exclude(kind="loaded").count(),
    }


def _registered_elsewhere(registry) -> Member:
    """A registered target person of another subdistrict of the same district."""
    return (
        Member.objects.filter(household__registry=registry, pin__regex=r"^\d{13}$")
        .exclude(household__subdistrict_code=SUBDISTRICT)
        .select_related("household")
        .order_by("household__village_code", "pk")
        .first()
    )


def _registered_in_another_province(registry) -> Member:
    """A target household of Sisaket (33), as the registry holds every province."""
    h = Household.objects.create(
        registry=registry,
        hh_id="SSK-00001",
        source="survey",
        status="active",
        province_code="33",
        district_code="3301",
        subdistrict_code="330101",
        village_no=4,
        village_code="33010104",
        house_no="99/1",
        n_members=1,
    )
    return Member.objects.create(
        household=h,
        member_no=1,
        pin=new_pin(),
        first_name="ทองดี",
        last_name="มีสุข",
        sex="F",
        age=60,
        relation="head",
    )


def _surveyed_elsewhere(registry) -> dict:
    """A person surveyed outside SUBDISTRICT and not counted poor (not in the registry)."""
    run = engine.open_run(registry.run_path)
    hh = run.households().to_pandas()
    quiet = hh[(~hh.is_target) & (hh.subdistrict_code != SUBDISTRICT)].iloc[0]
    members = pd.read_parquet(run.manifest["inputs"]["members"][0]["path"])
    person = members[members.hh_id == quiet.hh_id].iloc[0]
    return {
        "pin": person.pin,
        "hh_id": quiet.hh_id,
        "house_no": quiet.house_no,
        "names": (person.first_name, person.last_name),
    }


def _form(registry, pin: str, **household) -> dict:
    return post_data(registry, [member(pin=pin, income_year="1000")], house_no="12/3", **household)


def _page(response, pin: str) -> str:
    """The page with what the user typed and the form's token taken out."""
    html = CSRF.sub("csrf", response.content.decode())
    for shown in (pin, format_pin(pin), mask_pin(pin)):
        html = html.replace(shown, "PIN")
    return html


# ------------------------------------------------------------------ the same answer for all


@pytest.mark.parametrize("action", ["preview", "save"])
def test_a_pin_known_outside_the_area_gets_one_answer_whoever_and_wherever_it_is(
    client, team, registry, action
):
    """A registered target of the same district, one of another province, and a person
    only surveyed (not poor) elsewhere: the same status and the same page, byte for byte,
    and nothing of the record on it."""
    same_district = _registered_elsewhere(registry)
    other_province = _registered_in_another_province(registry)
    surveyed = _surveyed_elsewhere(registry)
    records = {
        "same district": (same_district.pin, same_district.household, same_district),
        "other province": (other_province.pin, other_province.household, other_province),
        "surveyed only": (surveyed["pin"], None, None),
    }
    before = _written()["households"]
    pages = {}
    for name, (pin, household, person) in records.items():
        response = client.post(URL, {**_form(registry, pin), "action": action})
        assert response.status_code == 200, name
        html = response.content.decode()
        assert PASSED in html, name
        assert 'value="save"' not in html, name
        if household is not None:
            for secret in (household.hh_id, person.first_name, person.last_name):
                assert secret not in html, (name, secret)
        pages[name] = _page(response, pin)
    for secret in (surveyed["hh_id"], *surveyed["names"]):
        assert secret not in pages["surveyed only"]
    for district in ("อำเภอเมืองอุบลราชธานี", "อำเภอเมืองศรีสะเกษ", "ลงทะเบียนแล้วในพื้นที่อื่น"):
        assert all(district not in page for page in pages.values())
    assert pages["same district"] == pages["other province"] == pages["surveyed only"]
    assert Household.objects.count() == before

    # Each record's district got the question, with the team's side and its own record.
    cases = {c.record_hh_id: c for c in DuplicateCase.objects.all()}
    assert set(cases) == {same_district.household.hh_id, "SSK-00001", surveyed["hh_id"]}
    for case in cases.values():
        assert case.asked_by == team and case.status == "open"
        assert case.asked_village_code == "34010103" and case.asked_name == "สมชาย ใจดี"
    assert cases["SSK-00001"].area_code == "33010104"
    assert cases["SSK-00001"].household == other_province.household
    assert cases["SSK-00001"].pin_masked == mask_pin(other_province.pin)
    assert (
        cases[surveyed["hh_id"]].source == "survey" and cases[surveyed["hh_id"]].household is None
    )


def test_asking_again_passes_no_second_question(client, team, registry):
    person = _registered_elsewhere(registry)
    data = _form(registry, person.pin)
    first = client.post(URL, {**data, "action": "preview"})
    cases = list(DuplicateCase.objects.values())
    again = client.post(URL, {**data, "action": "save"})
    assert list(DuplicateCase.objects.values()) == cases and len(cases) == 1
    assert PASSED in first.content.decode() and PASSED in again.content.decode()
    event = AuditEvent.objects.get(action="create", object_type="newhouseholds.duplicatecase")
    assert event.actor == team and event.area_code == person.household.village_code
    assert event.changes["pin"] == mask_pin(person.pin)


def test_a_house_code_known_outside_the_area_is_passed_on_too(client, team, registry):
    house = Household.objects.exclude(subdistrict_code=SUBDISTRICT).exclude(house_no="").first()
    house.house_code = "34011234567"
    house.save(update_fields=["house_code"])
    response = client.post(
        URL, {**_form(registry, new_pin(), house_code=house.house_code), "action": "save"}
    )
    html = response.content.decode()
    assert "รหัสประจำบ้านนี้ยังใช้บันทึกครัวเรือนใหม่ไม่ได้" in html
    assert house.hh_id not in html and "อำเภอเมืองอุบลราชธานี" not in html
    case = DuplicateCase.objects.get()
    assert (case.kind, case.household, case.house_code) == ("house", house, house.house_code)
    assert not Household.objects.filter(source="field").exists()


# ------------------------------------------------------------------ the district decides


def test_the_holding_district_sees_and_decides_and_the_team_may_then_add(
    client, team, registry, make_user, sign_in
):
    person = _registered_elsewhere(registry)
    data = _form(registry, person.pin)
    client.post(URL, {**data, "action": "save"})
    case = DuplicateCase.objects.get()

    # The team's own list says a check is waiting, with its side only.
    index = client.get("/new-households/").content.decode()
    assert "รออำเภอที่ถือข้อมูลพิจารณา" in index and mask_pin(person.pin) in index
    assert person.household.hh_id not in index and person.first_name not in index

    district = make_user(Role.DISTRICT, person.household.district_code)
    sign_in(client, district)
    listing = client.get("/new-households/duplicates/").content.decode()
    assert f"/new-households/duplicates/{case.pk}/" in listing and "สมชาย ใจดี" in listing
    page = client.get(f"/new-households/duplicates/{case.pk}/").content.decode()
    assert person.household.hh_id in page and person.first_name in page
    assert reverse("households:folder", args=[person.household.pk]) in page

    response = client.post(f"/new-households/duplicates/{case.pk}/", {"decision": "may_add"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "may_add" and case.decided_by == district
    event = AuditEvent.objects.get(action="update", object_type="newhouseholds.duplicatecase")
    assert event.actor == district and event.changes["status"] == ["open", "may_add"]
    # The log says it in English with codes, and reads in Thai with names (ADR 0012).
    passed = AuditEvent.objects.get(action="create", object_type="newhouseholds.duplicatecase")
    masked, area = mask_pin(person.pin), person.household.district_code
    assert (
        passed.summary
        == f"duplicate check {case.pk} passed to district {area}: {masked} (registry)"
    )
    assert event.summary == f"duplicate check {case.pk} decided: may_add"
    with translation.override("th"):
        assert passed.summary_text == (
            f"ส่งเรื่องตรวจสอบข้อมูลซ้ำที่ {case.pk} ให้{area_label(area)}พิจารณา: {masked} "
            "(ทะเบียนครัวเรือนเป้าหมาย)"
        )
        assert event.summary_text == (f"พิจารณาเรื่องตรวจสอบข้อมูลซ้ำที่ {case.pk} แล้ว: เพิ่มเป็นครัวเรือนใหม่ได้")

    # Deciding twice changes nothing.
    before = _written()
    again = client.post(f"/new-households/duplicates/{case.pk}/", {"decision": "same_person"})
    assert again.status_code == 400 and "ได้รับการพิจารณาแล้ว" in again.content.decode()
    assert _written() == before

    sign_in(client, team)
    index = client.get("/new-households/").content.decode()
    assert "พิจารณาแล้ว: เพิ่มเป็นครัวเรือนใหม่ได้" in index
    response = client.post(URL, {**data, "action": "save"})
    assert response.status_code == 302
    created = Household.objects.get(source="field")
    event = AuditEvent.objects.get(action="create", object_type="households.household")
    assert event.changes["cleared_by_district"] == [mask_pin(person.pin)]
    assert created.members.get().pin == person.pin
    assert DuplicateCase.objects.count() == 1


def test_same_person_stays_refused_without_a_new_question(client, team, registry, make_user):
    person = _registered_elsewhere(registry)
    data = _form(registry, person.pin)
    client.post(URL, {**data, "action": "preview"})
    case = DuplicateCase.objects.get()
    district = make_user(Role.DISTRICT, person.household.district_code)
    services.duplicate_case_decide(
        ctx=Context.cli(district), case=case, decision="same_person", note="ซ้ำ"
    )
    told = person.household.events.order_by("-id")
    assert [e.kind for e in told[:2]] == [
        "newhouseholds.duplicate_decided",
        "newhouseholds.duplicate_asked",
    ]
    with translation.override("th"):
        assert told[0].text == (
            f"ศจพ.อ. พิจารณาเรื่องตรวจสอบข้อมูลซ้ำที่ {case.pk} แล้ว: เป็นบุคคลเดียวกัน เพิ่มเป็นครัวเรือนใหม่ไม่ได้"
        )
    before = _written()
    response = client.post(URL, {**data, "action": "save"})
    html = response.content.decode()
    assert NOT_ALLOWED in html and PASSED not in html
    after = _written()
    assert after["cases"] == before["cases"] and after["households"] == before["households"]
    assert "พิจารณาแล้ว: เพิ่มเป็นครัวเรือนใหม่ไม่ได้" in client.get("/new-households/").content.decode()


@pytest.mark.parametrize(
    ("role", "area"),
    [
        (Role.DISTRICT, "3402"),  # another district
        (Role.SUBDISTRICT, "340105"),  # the record's area, but not a district
        (Role.PROVINCE, "34"),
    ],
)
def test_only_the_holding_district_decides(client, team, registry, make_user, sign_in, role, area):
    person = (
        Member.objects.filter(household__subdistrict_code="340105", pin__regex=r"^\d{13}$")
        .select_related("household")
        .first()
    )
    client.post(URL, {**_form(registry, person.pin), "action": "preview"})
    case = DuplicateCase.objects.get()
    outsider = make_user(role, area)
    sign_in(client, outsider)
    before = _written()
    assert client.get(f"/new-households/duplicates/{case.pk}/").status_code == 404
    post = client.post(f"/new-households/duplicates/{case.pk}/", {"decision": "may_add"})
    assert post.status_code == 404
    # Called directly (the command line, the API), the service asks the check's policy:
    # another district is told nothing exists; a role that decides none is refused.
    refusal, code = (
        (NotFound, "access.not_found")
        if role == Role.DISTRICT
        else (Refused, "newhouseholds.may_not_decide")
    )
    with pytest.raises(refusal) as refused:
        services.duplicate_case_decide(ctx=Context.cli(outsider), case=case, decision="may_add")
    assert refused.value.code == code
    listing = client.get("/new-households/duplicates/")
    if role == Role.DISTRICT:
        assert f"/duplicates/{case.pk}/" not in listing.content.decode()
    else:
        assert listing.status_code == 403
    assert _written() == before


def test_a_decision_must_be_one_of_the_two(client, team, registry, make_user, sign_in):
    person = _registered_elsewhere(registry)
    client.post(URL, {**_form(registry, person.pin), "action": "preview"})
    case = DuplicateCase.objects.get()
    district = make_user(Role.DISTRICT, person.household.district_code)
    sign_in(client, district)
    before = _written()
    response = client.post(f"/new-households/duplicates/{case.pk}/", {"decision": "approve"})
    assert response.status_code == 400
    with pytest.raises(Invalid) as refused:
        services.duplicate_case_decide(ctx=Context.cli(district), case=case, decision="open")
    assert refused.value.code == "newhouseholds.bad_decision"
    assert _written() == before


# ------------------------------------------------------------------ audit of every lookup


def test_every_lookup_is_an_audit_row_with_the_masked_pin(client, team, registry):
    inside = Member.objects.filter(household__subdistrict_code=SUBDISTRICT).first()
    fresh = new_pin()
    data = post_data(
        registry,
        [member(pin=fresh, income_year="1000"), member(relation="spouse", pin=new_pin())],
    )
    client.post(URL, {**data, "action": "preview"})
    client.post(URL, {**data, "action": "save"})
    client.get("/registry/search/", {"pin": inside.pin})
    rows = list(AuditEvent.objects.filter(object_type=PIN_LOOKUP).order_by("pk"))
    assert [(r.actor, r.action) for r in rows] == [(team, "search")] * 5
    purposes = [r.changes.get("purpose", "search") for r in rows]
    assert purposes == ["form ศจพ.2 preview"] * 2 + ["form ศจพ.2 save"] * 2 + ["search"]
    assert rows[0].object_id == mask_pin(fresh) and rows[0].area_code == "34010103"
    assert rows[4].object_id == mask_pin(inside.pin)
    # No audit row anywhere carries a whole national ID.
    for event in AuditEvent.objects.exclude(action="load"):
        text = f"{event.summary} {event.object_id} {event.changes}"
        assert not re.search(r"(?<!\d)\d{13}(?!\d)", text), text


# ------------------------------------------------------------------ the limit per account


def test_lookups_over_the_limit_are_refused_in_thai_and_look_nothing_up(
    client, team, registry, settings
):
    settings.CHEEPAO_PIN_LOOKUP_LIMIT = 3
    settings.CHEEPAO_PIN_LOOKUP_WINDOW_MINUTES = 60
    person = _registered_elsewhere(registry)
    two = post_data(
        registry,
        [member(pin=new_pin(), income_year="1000"), member(relation="spouse", pin=new_pin())],
        house_no="5/5",
    )
    assert client.post(URL, {**two, "action": "preview"}).status_code == 200
    before = _written()
    # Two more would make four: refused whole, nothing looked up, the form kept as typed.
    response = client.post(URL, {**two, "action": "save"})
    html = response.content.decode()
    assert response.status_code == 429
    assert LIMITED in html and "โปรดลองใหม่ในอีก 60 นาที" in html
    assert 'value="5/5"' in html and two["m-1-pin"] in html
    assert _written() == before
    # A PIN known elsewhere is not passed on either while the account is over its limit.
    client.post(URL, {**_form(registry, new_pin()), "action": "preview"})  # the third lookup
    before = _written()
    response = client.post(URL, {**_form(registry, person.pin), "action": "preview"})
    assert response.status_code == 429 and PASSED not in response.content.decode()
    assert _written() == before
    # The registry search by PIN counts against the same allowance.
    response = client.get("/registry/search/", {"pin": person.pin})
    assert response.status_code == 429 and LIMITED in response.content.decode()
    assert _written() == before
