"""The services of form ศจพ.2, called directly (not through the page): the form's own id,
a save sent twice, and the slow half of a save (the engine's compute, the survey scan) done
before the save takes its locks, which then read the registry again (ADR 0021)."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.urls import reverse

from cheepao.audit.models import AuditEvent
from cheepao.core import errors, locks
from cheepao.core.context import Context
from cheepao.households.models import Household, Member, Problem
from cheepao.households.services import PIN_LOOKUP
from cheepao.newhouseholds import assessment, selectors, services
from cheepao.newhouseholds.models import DuplicateCase, FieldReport
from cheepao.newhouseholds.tests.helpers import SUBDISTRICT, member, post_data, service_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(make_user, registry):
    return make_user("subdistrict", SUBDISTRICT)


def written() -> tuple[int, ...]:
    """Everything a save writes, but the audit rows of its national-ID lookups."""
    return (
        Household.objects.count(),
        Member.objects.count(),
        Problem.objects.count(),
        FieldReport.objects.count(),
        DuplicateCase.objects.count(),
        AuditEvent.objects.exclude(action="load").exclude(object_type=PIN_LOOKUP).count(),
    )


def poor(registry, team, **household):
    return service_data(registry, team, [member(income_year="1000")], **household)


def test_a_phones_id_makes_the_households_id(registry, team):
    uid = uuid.uuid4()
    household = services.newhousehold_create(
        ctx=Context.cli(team), data=poor(registry, team), uid=uid
    )
    assert (household.uid, household.version) == (uid, 1)
    assert household.hh_id == services.hh_id_of(registry, uid)
    assert household.status == "pending" and household.source == "field"
    event = AuditEvent.objects.get(action="create", object_id=str(household.pk))
    assert event.changes["uid"] == str(uid) and event.changes["hh_id"] == household.hh_id


def test_without_an_id_the_server_makes_one(registry, team):
    a = services.newhousehold_create(ctx=Context.cli(team), data=poor(registry, team))
    b = services.newhousehold_create(ctx=Context.cli(team), data=poor(registry, team))
    assert a.uid != b.uid and a.hh_id != b.hh_id


def test_a_form_sent_twice_is_one_household(registry, team):
    uid = uuid.uuid4()
    data = poor(registry, team)
    first = services.newhousehold_create(ctx=Context.cli(team), data=data, uid=uid)
    before = written()
    with pytest.raises(errors.Conflict) as e:
        services.newhousehold_create(ctx=Context.cli(team), data=data, uid=str(uid))
    assert e.value.code == "newhouseholds.already_recorded"
    assert e.value.params == {"hh_id": first.hh_id} and first.hh_id in e.value.message
    assert written() == before


def test_an_id_that_is_not_a_uuid_is_refused_before_anything(registry, team):
    lookups = AuditEvent.objects.filter(object_type=PIN_LOOKUP).count()
    before = written()
    with pytest.raises(errors.Invalid) as e:
        services.newhousehold_create(
            ctx=Context.cli(team), data=poor(registry, team), uid="F2568-00001"
        )
    assert e.value.code == "newhouseholds.bad_uid" and "uid" in e.value.fields
    assert written() == before
    assert AuditEvent.objects.filter(object_type=PIN_LOOKUP).count() == lookups


def test_two_forms_whose_short_ids_meet_get_a_longer_one(registry, team):
    uid = uuid.uuid4()
    Household.objects.create(
        registry=registry,
        hh_id=services.hh_id_of(registry, uid),
        province_code="34",
        district_code="3401",
        subdistrict_code=SUBDISTRICT,
        village_no=9,
        village_code=f"{SUBDISTRICT}09",
    )
    household = services.newhousehold_create(
        ctx=Context.cli(team), data=poor(registry, team), uid=uid
    )
    assert household.hh_id == services.hh_id_of(registry, uid, chars=20)
    assert len(household.hh_id.split("-", 1)[1]) == 23  # four groups of five, three dashes


def test_the_engine_and_the_survey_scan_run_before_the_lock(registry, team, monkeypatch):
    """Every save in the country used to wait on one registry-year lock while the engine
    computed; now the compute and the scan of the survey files run first, outside the
    save's transaction, and the lock covers only this form's people and house."""
    calls: list[tuple[str, int]] = []
    depth = len(connection.atomic_blocks)

    def spy(name, real):
        def wrapped(*args, **kwargs):
            calls.append((name, len(connection.atomic_blocks) - depth))
            return real(*args, **kwargs)

        return wrapped

    monkeypatch.setattr(assessment, "assess", spy("compute", assessment.assess))
    monkeypatch.setattr(selectors, "_surveyed_people", spy("scan", selectors._surveyed_people))
    monkeypatch.setattr(locks, "hold", spy("lock", locks.hold))
    data = poor(registry, team)
    services.newhousehold_create(ctx=Context.cli(team), data=data)
    assert calls == [("compute", 0), ("scan", 0), ("lock", 1)]


def test_the_lock_names_the_forms_people_house_and_id_only(registry, team, monkeypatch):
    held: list[str] = []
    monkeypatch.setattr(locks, "hold", lambda *names: held.extend(names))
    uid = uuid.uuid4()
    data = poor(registry, team, house_code="34010100777")
    services.newhousehold_create(ctx=Context.cli(team), data=data, uid=uid)
    pin = data["members"][0]["pin"]
    assert sorted(held) == sorted(
        [
            f"form2:uid:{uid}",
            f"registry:{registry.pk}:pin:{pin}",
            f"registry:{registry.pk}:house_code:34010100777",
            f"registry:{registry.pk}:house_no:{SUBDISTRICT}03/{data['house_no']}",
        ]
    )


def test_a_person_recorded_meanwhile_is_seen_once_the_lock_is_held(registry, team, monkeypatch):
    """Another team saves the same person while this save computes: the registry, read
    again under the lock, refuses this one, and nothing of it is written."""
    data = poor(registry, team)
    other = poor(registry, team)
    other["members"][0]["pin"] = data["members"][0]["pin"]
    real = selectors.newhousehold_compute
    saved_meanwhile = []

    def meanwhile(user, answers):
        computed = real(user, answers)
        if answers is data and not saved_meanwhile:
            saved_meanwhile.append(services.newhousehold_create(ctx=Context.cli(team), data=other))
        return computed

    monkeypatch.setattr(selectors, "newhousehold_compute", meanwhile)
    before = written()
    with pytest.raises(errors.Refused) as e:
        services.newhousehold_create(ctx=Context.cli(team), data=data)
    (hh,) = saved_meanwhile
    assert e.value.code == "newhouseholds.not_added"
    assert any(hh.hh_id in m for m in e.value.params["reasons"]), e.value.params
    assert e.value.review.matches  # the page shows the review it was refused with
    assert list(Household.objects.filter(source="field")) == [hh]
    assert written()[0] == before[0] + 1


def test_the_page_sends_its_id_and_a_double_tap_shows_the_first_save(
    client, sign_in, registry, team
):
    sign_in(client, team)
    page = client.get(reverse("newhouseholds:new")).content.decode()
    uid = page.split('name="uid" value="', 1)[1].split('"', 1)[0]
    assert uuid.UUID(uid)
    data = {**post_data(registry, [member(income_year="1000")]), "uid": uid, "action": "save"}
    first = client.post(reverse("newhouseholds:new"), data)
    household = Household.objects.get(source="field")
    assert household.uid == uuid.UUID(uid)
    assert first["Location"] == reverse("newhouseholds:detail", args=[household.pk])
    before = written()
    second = client.post(reverse("newhouseholds:new"), data, follow=True)
    assert second.redirect_chain == [(reverse("newhouseholds:detail", args=[household.pk]), 302)]
    assert f"แบบฟอร์มนี้บันทึกไว้แล้วเป็นครัวเรือน {household.hh_id}" in second.content.decode()
    assert written()[:5] == before[:5]


def everything() -> tuple[int, ...]:
    """Every row a save or a preview writes, the audit rows of lookups included."""
    return (*written(), AuditEvent.objects.count())


@pytest.mark.parametrize(
    ("role", "area", "code"),
    [
        ("district", "3401", "newhouseholds.may_not_record"),
        ("province", "34", "newhouseholds.may_not_record"),
        ("agency", "", "newhouseholds.may_not_record"),
        ("subdistrict", "340102", "newhouseholds.not_your_village"),
        ("subdistrict", "340201", "newhouseholds.not_your_village"),
    ],
)
@pytest.mark.parametrize("verb", ["create", "check"])
def test_an_account_that_may_not_record_here_records_and_looks_up_nothing(
    registry, team, make_user, role, area, code, verb
):
    """Called directly (as the API and the offline sync will), the service refuses a role
    that does not record households, and a village outside the actor's area, before it
    looks up a national ID or writes anything."""
    data = poor(registry, team)
    actor = make_user(role, area)
    before = everything()
    call = services.newhousehold_create if verb == "create" else services.newhousehold_check
    with pytest.raises(errors.Refused) as e:
        call(ctx=Context.cli(actor), data=data)
    assert e.value.code == code
    assert everything() == before
    assert not Household.objects.filter(source="field").exists()


def test_answers_the_engine_cannot_take_are_refused_with_their_reasons(registry, team):
    data = poor(registry, team)
    data["members"][0]["age"] = 300
    before = written()
    with pytest.raises(errors.Invalid) as e:
        services.newhousehold_create(ctx=Context.cli(team), data=data)
    assert e.value.code == "newhouseholds.answers_invalid"
    assert e.value.params["reasons"] and e.value.review.assessment.errors
    assert services.reasons(e.value) == e.value.params["reasons"]
    assert written() == before


def test_without_a_registry_year_nothing_is_recorded(registry, team, monkeypatch):
    data = poor(registry, team)
    # what the compute answers when no registry year is loaded
    monkeypatch.setattr(selectors, "newhousehold_compute", lambda user, answers: None)
    before = written()
    with pytest.raises(errors.Refused) as e:
        services.newhousehold_create(ctx=Context.cli(team), data=data)
    assert e.value.code == "newhouseholds.no_registry"
    assert services.reasons(e.value) == ["ยังไม่มีการนำเข้าทะเบียนครัวเรือนเป้าหมาย จึงยังเพิ่มครัวเรือนไม่ได้"]
    assert written() == before
