"""The Logbook's verbs through the service interface: each part recorded with its history
event and audit row, corrections as new entries, programmes, and every refusal with its
code and nothing changed (ADR 0026)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone, translation

from cheepao.audit.models import AuditEvent
from cheepao.core import errors
from cheepao.core.context import Context
from cheepao.households.models import HouseholdEvent
from cheepao.logbook import services
from cheepao.logbook.models import AppendOnly, Entry, Programme

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def state():
    return (
        list(Entry.objects.order_by("pk").values()),
        list(Programme.objects.order_by("pk").values()),
        HouseholdEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def refused(exc_type, code, call, **kwargs):
    before = state()
    with pytest.raises(exc_type) as caught:
        call(**kwargs)
    assert caught.value.code == code
    assert state() == before
    return caught.value


def as_(user):
    return Context.cli(user)


def programme(cared, **extra):
    data = {
        "ctx": as_(cared["agency_user"]),
        "name": "โครงการเยี่ยมบ้านผู้ป่วยติดเตียง",
        "budget_year": 2569,
        "budget": "150000",
        "dimensions": [cared["problem"].dimension],
    }
    data.update(extra)
    return services.programme_register(**data)


def help_args(cared, **extra):
    p = cared["problem"]
    data = {
        "ctx": as_(cared["mentor"]),
        "household_id": cared["household"].pk,
        "occurred_on": TODAY() - datetime.timedelta(days=3),
        "dimension": p.dimension,
        "indicator": p.indicator,
        "help_kind": "goods",
        "agency": cared["office"].pk,
        "value": "1250.50",
        "note": "มอบชุดยาสามัญประจำบ้าน",
    }
    data.update(extra)
    return data


# ---------------------------------------------------------------- recording


def test_help_is_one_entry_with_its_history_event_and_audit_row(cared):
    prog = programme(cared)
    events, audits = HouseholdEvent.objects.count(), AuditEvent.objects.count()
    entry = services.help_record(**help_args(cared, agency=None, programme=prog.pk))
    assert entry.part == "help"
    assert entry.agency_id == cared["office"].pk  # the programme's agency
    assert entry.giver == cared["office"].name
    assert entry.value == Decimal("1250.50")
    assert entry.village_code == cared["household"].village_code
    assert entry.recorded_by == cared["mentor"]
    assert entry.received_at.date() >= entry.occurred_on
    event = HouseholdEvent.objects.get(household=cared["household"], kind="logbook.help")
    assert event.actor == cared["mentor"]
    assert HouseholdEvent.objects.count() == events + 1
    assert AuditEvent.objects.count() == audits + 1
    audit = AuditEvent.objects.latest("pk")
    assert audit.action == "create" and audit.changes["value"] == "1250.50"
    with translation.override("th"):
        assert event.text.startswith(
            f"บันทึกการช่วยเหลือ: สิ่งของ จาก {cared['office'].name} มูลค่า 1,250.50 บาท "
            f"{cared['problem'].indicator} "
        )


def test_visit_need_and_summary(cared):
    h, p = cared["household"], cared["problem"]
    ctx = as_(cared["mentor"])
    visit = services.visit_record(
        ctx=ctx, household_id=h.pk, occurred_on=TODAY(), note="บ้านหลังคารั่ว"
    )
    assert visit.giver == "สมใจ ใจดี"
    need = services.need_record(
        ctx=ctx,
        household_id=h.pk,
        occurred_on=TODAY().isoformat(),
        dimension=p.dimension,
        indicator=p.indicator,
        source="registry",
    )
    summary = services.summary_record(
        ctx=ctx, household_id=h.pk, occurred_on=TODAY(), note="มีรายได้จากการขายผัก"
    )
    assert [e.part for e in Entry.objects.order_by("pk")] == ["visit", "need", "summary"]
    assert need.source == "registry" and summary.note == "มีรายได้จากการขายผัก"
    kinds = list(
        HouseholdEvent.objects.filter(household=h, kind__startswith="logbook.")
        .order_by("pk")
        .values_list("kind", "actor")
    )
    assert kinds == [
        ("logbook.visit", cared["mentor"].pk),
        ("logbook.need", cared["mentor"].pk),
        ("logbook.summary", cared["mentor"].pk),
    ]


def test_the_same_uid_sent_again_returns_the_entry_stored(cared):
    uid = uuid.uuid4()
    first = services.visit_record(
        ctx=as_(cared["mentor"]),
        household_id=cared["household"].pk,
        occurred_on=TODAY(),
        note="เยี่ยมบ้าน",
        uid=str(uid),
    )
    before = state()
    again = services.visit_record(
        ctx=as_(cared["mentor"]),
        household_id=cared["household"].pk,
        occurred_on=TODAY(),
        note="เยี่ยมบ้าน",
        uid=uid,
    )
    assert again.pk == first.pk and first.uid == uid
    assert state() == before
    refused(
        errors.Conflict,
        "logbook.uid_taken",
        services.summary_record,
        ctx=as_(cared["mentor"]),
        household_id=cared["household"].pk,
        occurred_on=TODAY(),
        note="สรุป",
        uid=uid,
    )


# ---------------------------------------------------------------- refusals


def test_only_the_households_mentors_write(cared):
    for user in (cared["other_mentor"], cared["district"], cared["agency_user"]):
        refused(
            errors.NotFound,
            "access.not_found",
            services.help_record,
            **help_args(cared, ctx=as_(user)),
        )
    refused(
        errors.NotFound,
        "access.not_found",
        services.visit_record,
        ctx=as_(cared["mentor"]),
        household_id=999_999_999,
        occurred_on=TODAY(),
        note="x",
    )


@pytest.mark.parametrize(
    ("extra", "code", "field"),
    [
        ({"occurred_on": "tomorrow"}, "logbook.bad_date", "occurred_on"),
        ({"occurred_on": "2016-12-31"}, "logbook.bad_date", "occurred_on"),
        ({"dimension": "wealth"}, "logbook.bad_choice", "dimension"),
        ({"indicator": "Z9"}, "logbook.bad_choice", "indicator"),
        ({"help_kind": "cash"}, "logbook.bad_choice", "help_kind"),
        ({"value": "-1"}, "logbook.bad_value", "value"),
        ({"value": "12.345"}, "logbook.bad_value", "value"),
        ({"value": "สองร้อย"}, "logbook.bad_value", "value"),
        ({"value": "NaN"}, "logbook.bad_value", "value"),
        ({"agency": "abc"}, "logbook.bad_agency", "agency"),
        ({"agency": None, "giver": ""}, "logbook.field_required", "giver"),
    ],
)
def test_help_refusals(cared, extra, code, field):
    e = refused(errors.Invalid, code, services.help_record, **help_args(cared, **extra))
    assert e.fields[field] == code


def test_help_refuses_a_future_date_and_foreign_programmes(cared):
    tomorrow = TODAY() + datetime.timedelta(days=1)
    refused(
        errors.Invalid,
        "logbook.bad_date",
        services.help_record,
        **help_args(cared, occurred_on=tomorrow),
    )
    other = programme(cared, dimensions=[], ctx=as_(cared["district"]), agency=cared["office"].pk)
    far = Programme.objects.create(
        name="อื่น",
        agency=cared["far_office"],
        budget_year=2569,
        budget=1,
        registered_by=cared["district"],
    )
    refused(
        errors.Invalid,
        "logbook.bad_programme",
        services.help_record,
        **help_args(cared, programme=far.pk),
    )
    dims = {"health", "living", "education", "income", "access"} - {cared["problem"].dimension}
    narrow = programme(cared, dimensions=[sorted(dims)[0]])
    refused(
        errors.Invalid,
        "logbook.programme_dimension",
        services.help_record,
        **help_args(cared, programme=narrow.pk),
    )
    assert services.help_record(**help_args(cared, programme=other.pk)).programme == other


def test_visit_summary_and_need_refusals(cared):
    base = {
        "ctx": as_(cared["mentor"]),
        "household_id": cared["household"].pk,
        "occurred_on": TODAY(),
    }
    refused(errors.Invalid, "logbook.field_required", services.visit_record, **base, note=" ")
    refused(errors.Invalid, "logbook.field_required", services.summary_record, **base, note="")
    refused(
        errors.Invalid,
        "logbook.bad_choice",
        services.need_record,
        **base,
        dimension=cared["problem"].dimension,
        source="rumour",
    )
    refused(
        errors.Invalid,
        "logbook.bad_choice",
        services.visit_record,
        **base,
        note="x",
        uid="not-a-uuid",
    )


# ---------------------------------------------------------------- corrections


def test_a_correction_is_a_new_entry_pointing_at_the_one_it_corrects(cared):
    first = services.help_record(**help_args(cared))
    fixed = services.entry_correct(ctx=as_(cared["mentor"]), entry_id=first.pk, value="1520.50")
    first.refresh_from_db()
    assert first.value == Decimal("1250.50")  # untouched
    assert fixed.pk != first.pk and fixed.corrects == first and fixed.value == Decimal("1520.50")
    assert fixed.note == first.note and fixed.agency_id == first.agency_id
    assert list(Entry.objects.counting()) == [fixed]
    gone = services.entry_correct(ctx=as_(cared["mentor"]), entry_id=fixed.pk, withdraw=True)
    assert gone.withdraws and gone.corrects == fixed and gone.value == fixed.value
    assert list(Entry.objects.counting()) == []
    kinds = HouseholdEvent.objects.filter(kind__in=["logbook.corrected", "logbook.withdrawn"])
    assert sorted(kinds.values_list("kind", flat=True)) == [
        "logbook.corrected",
        "logbook.withdrawn",
    ]


def test_correction_refusals(cared):
    first = services.help_record(**help_args(cared))
    ctx = as_(cared["mentor"])
    refused(
        errors.Refused,
        "logbook.in_place",
        services.entry_correct,
        ctx=ctx,
        entry_id=first.pk,
        uid=first.uid,
        value="10",
    )
    refused(
        errors.Refused,
        "logbook.other_part",
        services.entry_correct,
        ctx=ctx,
        entry_id=first.pk,
        part="visit",
        note="x",
    )
    refused(
        errors.Refused,
        "logbook.other_part",
        services.entry_correct,
        ctx=ctx,
        entry_id=first.pk,
        household_id=first.household_id + 1,
        value="10",
    )
    refused(
        errors.Invalid,
        "logbook.no_change",
        services.entry_correct,
        ctx=ctx,
        entry_id=first.pk,
        value="1250.5",
    )
    refused(
        errors.Invalid,
        "logbook.bad_choice",
        services.entry_correct,
        ctx=ctx,
        entry_id=first.pk,
        colour="red",
    )
    refused(
        errors.Invalid,
        "logbook.bad_value",
        services.entry_correct,
        ctx=ctx,
        entry_id=first.pk,
        value="-5",
    )
    refused(
        errors.NotFound,
        "access.not_found",
        services.entry_correct,
        ctx=as_(cared["other_mentor"]),
        entry_id=first.pk,
        value="10",
    )
    refused(errors.NotFound, "access.not_found", services.entry_correct, ctx=ctx, entry_id="x")
    services.entry_correct(ctx=ctx, entry_id=first.pk, value="10")
    refused(
        errors.Refused,
        "logbook.already_corrected",
        services.entry_correct,
        ctx=ctx,
        entry_id=first.pk,
        value="20",
    )


# ---------------------------------------------------------------- append-only


def test_entries_are_never_changed_or_deleted_by_the_model(cared):
    entry = services.help_record(**help_args(cared))
    before = state()
    entry.value = Decimal("1")
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        Entry.objects.filter(pk=entry.pk).update(value=1)
    with pytest.raises(AppendOnly):
        Entry.objects.filter(pk=entry.pk).delete()
    assert state() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_update_and_delete_in_the_database(cared):
    entry = services.help_record(**help_args(cared))
    before = state()
    for sql in (
        "UPDATE logbook_entry SET value = 1 WHERE id = %s",
        "DELETE FROM logbook_entry WHERE id = %s",
    ):
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(sql, [entry.pk])
    assert state() == before


# ---------------------------------------------------------------- programmes


def test_programmes_by_an_agency_account_and_by_the_district(cared):
    own = programme(cared, indicators=[cared["problem"].indicator], dimensions=[])
    assert own.agency == cared["office"] and own.area_code == cared["office"].area_code
    assert own.dimensions == [cared["problem"].dimension]  # the indicator brings its dimension
    assert own.budget == Decimal("150000.00") and own.budget_year == 2569
    by_district = programme(cared, ctx=as_(cared["district"]), agency=cared["office"].pk)
    assert by_district.area_code == cared["household"].district_code
    assert AuditEvent.objects.filter(object_id=str(own.pk), action="create").exists()


@pytest.mark.parametrize(
    ("who", "extra", "exc", "code"),
    [
        ("mentor", {}, errors.Refused, "logbook.may_not_register"),
        ("agency_user", {"agency": "far_office"}, errors.Refused, "logbook.may_not_register"),
        ("district", {}, errors.Invalid, "logbook.bad_agency"),
        ("district", {"agency": "far_office"}, errors.Invalid, "logbook.bad_agency"),
        ("agency_user", {"budget_year": 2025}, errors.Invalid, "logbook.bad_year"),
        ("agency_user", {"budget": "-1"}, errors.Invalid, "logbook.bad_value"),
        ("agency_user", {"budget": ""}, errors.Invalid, "logbook.bad_value"),
        ("agency_user", {"name": " "}, errors.Invalid, "logbook.field_required"),
        ("agency_user", {"dimensions": ["wealth"]}, errors.Invalid, "logbook.bad_choice"),
        ("agency_user", {"indicators": ["Z9"]}, errors.Invalid, "logbook.bad_choice"),
    ],
)
def test_programme_refusals(cared, who, extra, exc, code):
    extra = {k: cared[v].pk if v == "far_office" else v for k, v in extra.items()}
    refused(exc, code, programme, cared=cared, ctx=as_(cared[who]), **extra)


def test_an_agency_account_without_an_office_registers_nothing(cared, make_user):
    lone = make_user("agency", cared["household"].district_code)
    refused(errors.Refused, "logbook.may_not_register", programme, cared=cared, ctx=as_(lone))


def test_a_visit_is_the_households_last_contact_for_mentoring(cared):
    from cheepao.mentoring.selectors import my_households

    _, rows = my_households(cared["mentor"])
    assert [r.last_contact for r in rows] == [None]
    visit = services.visit_record(
        ctx=as_(cared["mentor"]),
        household_id=cared["household"].pk,
        occurred_on=TODAY(),
        note="ทุกคนสบายดี",
    )
    _, rows = my_households(cared["mentor"])
    event = HouseholdEvent.objects.get(kind="logbook.visit")
    assert [r.last_contact for r in rows] == [event.at]
    assert event.at >= visit.received_at


def test_recording_help_only_inserts(cared):
    """ADR 0026: an entry is three INSERTs (entry, history event, audit row); no UPDATE,
    no counter, no lock on the household."""
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(conn) as queries:
        services.help_record(**help_args(cared))
    writes = [
        q["sql"].split()[0].upper()
        for q in queries.captured_queries
        if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert writes == ["INSERT", "INSERT", "INSERT"]
    assert not any("FOR UPDATE" in q["sql"].upper() for q in queries.captured_queries)


def test_an_act_of_help_reads_the_household_with_its_registry_and_the_programme_with_its_agency(
    cared,
):
    """The write path's reads (bench/logbook.py, docs/benchmarks.md): the household under
    the access policy together with its registry (for the catalogue), and the programme
    together with its agency: two SELECTs before the three INSERTs."""
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    prog = programme(cared)
    with CaptureQueriesContext(conn) as queries:
        services.help_record(**help_args(cared, programme=prog.pk))
    selects = [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
    ]
    assert len(selects) == 2, selects
    assert "households_registryyear" in selects[0] and "logbook_programme" in selects[1]
