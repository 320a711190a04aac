"""Routing's verbs through the service interface (ADR 0027): cases, referrals, consent,
solving; every refusal with its code and nothing changed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cheepao.accounts.models import Body
from cheepao.audit.models import AuditEvent
from cheepao.core import errors as core_errors
from cheepao.core.context import Context
from cheepao.core.errors import Conflict, Invalid, NotFound, Refused
from cheepao.engine import api as engine
from cheepao.households.models import HouseholdEvent, Problem
from cheepao.logbook import services as logbook
from cheepao.logbook.models import Entry
from cheepao.notifications.models import Notification
from cheepao.routing import errors, selectors, services
from cheepao.routing.catalogue import catalogue
from cheepao.routing.extensions import case_listeners
from cheepao.routing.models import Case, Consent, Referral

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def state():
    return (
        list(Case.objects.order_by("pk").values()),
        list(Referral.objects.order_by("pk").values()),
        list(Consent.objects.order_by("pk").values()),
        list(Problem.objects.order_by("pk").values("pk", "status")),
        Entry.objects.count(),
        HouseholdEvent.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
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


def open_case(world, user=None):
    p = world["problem"]
    return services.case_open(
        ctx=as_(user or world["mentor"]),
        household_id=world["household"].pk,
        dimension=p.dimension,
        indicator=p.indicator,
    )


def send(world, case, agency=None, user=None, **extra):
    return services.referral_send(
        ctx=as_(user or world["mentor"]),
        case_id=case.pk,
        agency_id=(agency or world["office"]).pk,
        **extra,
    )


def agency_help(world, agency_user=None, body=None, dimension=None):
    return logbook.help_record(
        ctx=as_(agency_user or world["agency"]),
        household_id=world["household"].pk,
        occurred_on=TODAY(),
        dimension=dimension or world["problem"].dimension,
        help_kind="goods",
        agency=(body or world["office"]).pk,
        note="มอบอุปกรณ์",
    )


# ---------------------------------------------------------------- catalogue


def test_the_catalogue_names_a_lead_for_every_indicator_of_the_engine():
    cat = catalogue()
    assert cat.version == "v1" and cat.follow_up_days == 15
    for ind in engine.catalogue().indicators:
        assert cat.indicators[ind.code].lead, ind.code
    for dim in engine.catalogue().dimensions:
        assert cat.lead_of(dim.code), dim.code
    assert cat.lead_of("health", "H1") == "กระทรวงสาธารณสุข"
    assert cat.indicators["H4"].support == ("กระทรวงการท่องเที่ยวและกีฬา",)


def test_an_edited_release_is_refused(tmp_path, settings):
    from cheepao.routing.catalogue import CATALOGUE, CATALOGUE_DIR, RoutingCatalogueError

    for name in ("v1.yaml", "SHA256SUMS"):
        (tmp_path / name).write_bytes((CATALOGUE_DIR / name).read_bytes())
    (tmp_path / "v1.yaml").write_text(
        (CATALOGUE_DIR / "v1.yaml").read_text(encoding="utf-8").replace("15", "20", 1),
        encoding="utf-8",
    )
    settings.ROUTING_CATALOGUE_DIR = str(tmp_path)
    with pytest.raises(RoutingCatalogueError):
        CATALOGUE.load()


# ---------------------------------------------------------------- cases


def test_the_team_opens_a_case_owned_by_the_lead_office_of_the_district(world):
    told = []
    case_listeners.register("test", order=1, call=lambda ctx, c, ch, r: told.append((c.pk, ch)))
    try:
        case = open_case(world)
    finally:
        case_listeners.remove("test")
    assert case.owner == world["office"] and case.owner_default
    assert case.problem == world["problem"] and case.catalogue_version == "v1"
    assert case.village_code == world["household"].village_code
    assert told == [(case.pk, "opened")]
    assert HouseholdEvent.objects.filter(
        household=world["household"], kind="routing.opened"
    ).exists()
    assert AuditEvent.objects.filter(object_type="routing.case", object_id=str(case.pk)).exists()


def test_the_province_office_owns_it_when_the_district_has_none(world):
    world["office"].area_code = world["household"].province_code
    world["office"].save()
    assert open_case(world).owner == world["office"]


def test_no_office_of_the_lead_ministry_leaves_no_owner(world):
    Body.objects.filter(ministry=world["lead"]).update(ministry="กระทรวงอื่น")
    assert open_case(world).owner is None


def test_a_second_open_case_of_the_same_indicator_is_refused(world):
    open_case(world)
    p = world["problem"]
    refused(
        Conflict,
        errors.CASE_OPEN,
        services.case_open,
        ctx=as_(world["district"]),
        household_id=world["household"].pk,
        dimension=p.dimension,
        indicator=p.indicator,
    )


@pytest.mark.parametrize("who", ["other_mentor", "agency", "far_district", "province"])
def test_only_the_team_and_the_district_open_cases(world, who):
    p = world["problem"]
    refused(
        NotFound,
        core_errors.NOT_FOUND,
        services.case_open,
        ctx=as_(world[who]),
        household_id=world["household"].pk,
        dimension=p.dimension,
        indicator=p.indicator,
    )


def test_a_dimension_not_of_the_catalogue_is_refused(world):
    refused(
        Invalid,
        errors.BAD_DIMENSION,
        services.case_open,
        ctx=as_(world["mentor"]),
        household_id=world["household"].pk,
        dimension="nonsense",
    )


def test_route_the_households_problems_once(world):
    h = world["household"]
    codes = set(
        h.problems.filter(status="open").exclude(indicator="").values_list("indicator", flat=True)
    )
    made = services.cases_open_from_registry(ctx=as_(world["mentor"]), household_id=h.pk)
    assert {c.indicator for c in made} == codes
    assert all(c.problem_id for c in made)
    assert services.cases_open_from_registry(ctx=as_(world["district"]), household_id=h.pk) == []


def test_the_district_changes_the_owner_with_a_reason(world):
    case = open_case(world)
    changed = services.case_owner_set(
        ctx=as_(world["district"]),
        case_id=case.pk,
        agency_id=world["other_office"].pk,
        reason="งานของเขา",
    )
    assert changed.owner == world["other_office"] and not changed.owner_default
    refused(
        Invalid,
        errors.REASON_REQUIRED,
        services.case_owner_set,
        ctx=as_(world["district"]),
        case_id=case.pk,
        agency_id=world["office"].pk,
        reason=" ",
    )
    for who in ("mentor", "agency", "far_district"):
        refused(
            NotFound,
            core_errors.NOT_FOUND,
            services.case_owner_set,
            ctx=as_(world[who]),
            case_id=case.pk,
            agency_id=world["office"].pk,
            reason="x",
        )


# ---------------------------------------------------------------- referrals


def test_the_whole_path_refer_accept_help_done_solve(world):
    case = open_case(world)
    ref = send(world, case, note="ช่วยดูแล")
    assert ref.state == "pending" and ref.follow_up_on == TODAY() + datetime.timedelta(days=15)
    new = Notification.objects.get(user=world["agency"])
    assert new.kind == "routing.referral_new" and new.url == f"/routing/case/{case.pk}/"
    assert not Notification.objects.filter(user=world["other_agency"]).exists()

    # Before accepting, the agency cannot record help for the household.
    with pytest.raises(NotFound):
        agency_help(world)
    ref = services.referral_accept(ctx=as_(world["agency"]), referral_id=ref.pk)
    assert ref.state == "accepted" and ref.decided_by == world["agency"]
    entry = agency_help(world)
    assert entry.agency == world["office"] and entry.recorded_by == world["agency"]
    ref = services.referral_done(ctx=as_(world["agency"]), referral_id=ref.pk, entry_id=entry.pk)
    assert ref.state == "done" and ref.done_entry == entry
    assert Notification.objects.filter(user=world["mentor"], kind="routing.referral_done").exists()

    case = services.case_solve(ctx=as_(world["mentor"]), case_id=case.pk, entry_id=entry.pk)
    assert (
        case.state == "solved" and case.solved_entry == entry and case.solved_by == world["mentor"]
    )
    world["problem"].refresh_from_db()
    assert world["problem"].status == Problem.Status.SOLVED
    assert HouseholdEvent.objects.filter(kind="routing.solved").count() == 1


def test_an_agency_acting_on_a_case_not_routed_to_it_is_404_and_nothing_changes(world):
    case = open_case(world)
    ref = send(world, case)
    for who in ("other_agency", "foundation_user"):
        refused(
            NotFound,
            core_errors.NOT_FOUND,
            services.referral_accept,
            ctx=as_(world[who]),
            referral_id=ref.pk,
        )
        refused(
            NotFound,
            core_errors.NOT_FOUND,
            services.referral_reject,
            ctx=as_(world[who]),
            referral_id=ref.pk,
            reason="x",
        )
        refused(
            NotFound,
            core_errors.NOT_FOUND,
            services.referral_send,
            ctx=as_(world[who]),
            case_id=case.pk,
            agency_id=world[who].body.pk,
        )
        refused(
            NotFound,
            core_errors.NOT_FOUND,
            services.case_close,
            ctx=as_(world[who]),
            case_id=case.pk,
            reason="x",
        )
    # The agency it is routed to does not act for the team either.
    refused(
        NotFound,
        core_errors.NOT_FOUND,
        services.referral_revoke,
        ctx=as_(world["agency"]),
        referral_id=ref.pk,
        reason="x",
    )
    # An account of the office outside the office's area of the referral: 404 too.
    world["agency"].area_code = "3499"
    world["agency"].save()
    refused(
        NotFound,
        core_errors.NOT_FOUND,
        services.referral_accept,
        ctx=as_(world["agency"]),
        referral_id=ref.pk,
    )


def test_sharing_with_a_foundation_needs_the_households_consent(world):
    case = open_case(world)
    refused(
        Refused,
        errors.NO_CONSENT,
        services.referral_send,
        ctx=as_(world["mentor"]),
        case_id=case.pk,
        agency_id=world["foundation"].pk,
    )
    consent = services.consent_record(
        ctx=as_(world["mentor"]),
        household_id=world["household"].pk,
        given_by="นางสมศรี",
        given_on=TODAY(),
        how="ลงนามในแบบยินยอม",
        body_id=world["foundation"].pk,
    )
    ref = send(world, case, agency=world["foundation"])
    assert ref.consent == consent
    services.referral_revoke(ctx=as_(world["mentor"]), referral_id=ref.pk, reason="ส่งผิด")
    services.consent_withdraw(ctx=as_(world["district"]), consent_id=consent.pk)
    refused(
        Refused,
        errors.NO_CONSENT,
        services.referral_send,
        ctx=as_(world["mentor"]),
        case_id=case.pk,
        agency_id=world["foundation"].pk,
    )
    refused(
        Refused,
        errors.CONSENT_WITHDRAWN,
        services.consent_withdraw,
        ctx=as_(world["district"]),
        consent_id=consent.pk,
    )


def test_a_consent_for_another_body_does_not_cover_the_foundation(world):
    case = open_case(world)
    services.consent_record(
        ctx=as_(world["mentor"]),
        household_id=world["household"].pk,
        given_by="นางสมศรี",
        given_on=TODAY(),
        body_id=world["other_office"].pk,
    )
    refused(
        Refused,
        errors.NO_CONSENT,
        services.referral_send,
        ctx=as_(world["mentor"]),
        case_id=case.pk,
        agency_id=world["foundation"].pk,
    )


def test_consent_refusals(world):
    h = world["household"]
    refused(
        Invalid,
        errors.FIELD_REQUIRED,
        services.consent_record,
        ctx=as_(world["mentor"]),
        household_id=h.pk,
        given_by="",
        given_on=TODAY(),
    )
    refused(
        Invalid,
        errors.BAD_CONSENT_DATE,
        services.consent_record,
        ctx=as_(world["mentor"]),
        household_id=h.pk,
        given_by="ก",
        given_on=TODAY() + datetime.timedelta(days=1),
    )
    refused(
        NotFound,
        core_errors.NOT_FOUND,
        services.consent_record,
        ctx=as_(world["agency"]),
        household_id=h.pk,
        given_by="ก",
        given_on=TODAY(),
    )


def test_referral_refusals(world):
    case = open_case(world)
    refused(
        Invalid,
        errors.BAD_DATE,
        services.referral_send,
        ctx=as_(world["mentor"]),
        case_id=case.pk,
        agency_id=world["office"].pk,
        follow_up_on=TODAY() - datetime.timedelta(days=1),
    )
    refused(
        Invalid,
        errors.BAD_AGENCY,
        services.referral_send,
        ctx=as_(world["mentor"]),
        case_id=case.pk,
        agency_id=999999,
    )
    ref = send(world, case)
    refused(
        Conflict,
        errors.REFERRAL_OPEN,
        services.referral_send,
        ctx=as_(world["district"]),
        case_id=case.pk,
        agency_id=world["office"].pk,
    )
    # The province level is the province's (escalation), not the team's.
    refused(
        NotFound,
        core_errors.NOT_FOUND,
        services.referral_send,
        ctx=as_(world["mentor"]),
        case_id=case.pk,
        agency_id=world["other_office"].pk,
        level="province",
    )
    refused(
        Invalid,
        errors.REASON_REQUIRED,
        services.referral_reject,
        ctx=as_(world["agency"]),
        referral_id=ref.pk,
        reason="",
    )
    refused(
        Refused,
        errors.NOT_ACCEPTED,
        services.referral_done,
        ctx=as_(world["agency"]),
        referral_id=ref.pk,
        entry_id=1,
    )
    services.referral_accept(ctx=as_(world["agency"]), referral_id=ref.pk)
    refused(
        Refused,
        errors.NOT_PENDING,
        services.referral_accept,
        ctx=as_(world["agency"]),
        referral_id=ref.pk,
    )
    mentor_help = logbook.help_record(
        ctx=as_(world["mentor"]),
        household_id=world["household"].pk,
        occurred_on=TODAY(),
        dimension=world["problem"].dimension,
        help_kind="goods",
        giver="ผู้ใหญ่บ้าน",
    )
    refused(
        Invalid,
        errors.ENTRY_NOT_AGENCY,
        services.referral_done,
        ctx=as_(world["agency"]),
        referral_id=ref.pk,
        entry_id=mentor_help.pk,
    )
    refused(
        Invalid,
        errors.BAD_ENTRY,
        services.referral_done,
        ctx=as_(world["agency"]),
        referral_id=ref.pk,
        entry_id="x",
    )


def test_the_province_refers_an_escalated_case(world):
    case = open_case(world)
    ref = services.referral_send(
        ctx=as_(world["province"]), case_id=case.pk, agency_id=world["office"].pk, level="province"
    )
    assert ref.level == "province"
    # Revoked by the province, not by the team.
    refused(
        NotFound,
        core_errors.NOT_FOUND,
        services.referral_revoke,
        ctx=as_(world["mentor"]),
        referral_id=ref.pk,
        reason="x",
    )
    services.referral_revoke(ctx=as_(world["province"]), referral_id=ref.pk, reason="ผิดหน่วย")


def test_rejection_tells_the_sender(world):
    case = open_case(world)
    ref = send(world, case)
    services.referral_reject(ctx=as_(world["agency"]), referral_id=ref.pk, reason="ไม่ใช่ภารกิจ")
    note = Notification.objects.get(user=world["mentor"])
    assert note.kind == "routing.referral_rejected" and note.args["reason"] == "ไม่ใช่ภารกิจ"


# ---------------------------------------------------------------- solving and closing


def test_solving_is_the_teams_on_an_entry_of_the_cases_dimension(world):
    case = open_case(world)
    ref = send(world, case)
    services.referral_accept(ctx=as_(world["agency"]), referral_id=ref.pk)
    other_dim = next(
        d.code for d in world["household"].registry.catalogue.dimensions if d.code != case.dimension
    )
    wrong = agency_help(world, dimension=other_dim)
    right = agency_help(world)
    refused(
        Refused,
        errors.SOLVE_BY_TEAM,
        services.case_solve,
        ctx=as_(world["district"]),
        case_id=case.pk,
        entry_id=right.pk,
    )
    refused(
        Invalid,
        errors.ENTRY_OTHER_DIMENSION,
        services.case_solve,
        ctx=as_(world["mentor"]),
        case_id=case.pk,
        entry_id=wrong.pk,
    )
    refused(
        NotFound,
        core_errors.NOT_FOUND,
        services.case_solve,
        ctx=as_(world["agency"]),
        case_id=case.pk,
        entry_id=right.pk,
    )
    services.case_solve(ctx=as_(world["mentor"]), case_id=case.pk, entry_id=right.pk)
    ref.refresh_from_db()
    assert ref.state == "done" and ref.done_entry == right  # its accepted referral: done
    refused(
        Refused,
        errors.NOT_OPEN,
        services.case_solve,
        ctx=as_(world["mentor"]),
        case_id=case.pk,
        entry_id=right.pk,
    )


def test_the_district_closes_a_case_and_its_referrals_are_revoked(world):
    case = open_case(world)
    ref = send(world, case)
    told = []
    case_listeners.register("test", order=1, call=lambda ctx, c, ch, r: told.append(ch))
    try:
        services.case_close(ctx=as_(world["district"]), case_id=case.pk, reason="ย้ายออก")
    finally:
        case_listeners.remove("test")
    ref.refresh_from_db()
    assert ref.state == "revoked" and ref.reason == "ย้ายออก"
    assert told == ["referral_revoked", "closed"]
    refused(
        NotFound,
        core_errors.NOT_FOUND,
        services.case_close,
        ctx=as_(world["mentor"]),
        case_id=case.pk,
        reason="x",
    )


def test_a_listener_refusing_undoes_the_verb(world):
    def refuse(ctx, case, change, referral):
        raise Refused(core_errors.DENIED)

    case_listeners.register("test", order=1, call=refuse)
    try:
        refused(
            Refused,
            core_errors.DENIED,
            services.case_open,
            ctx=as_(world["mentor"]),
            household_id=world["household"].pk,
            dimension=world["problem"].dimension,
            indicator=world["problem"].indicator,
        )
    finally:
        case_listeners.remove("test")


def test_overdue_is_pending_or_accepted_past_the_follow_up_date(world):
    case = open_case(world)
    ref = send(world, case)
    assert not selectors.overdue().exists()
    Referral.objects.filter(pk=ref.pk).update(follow_up_on=TODAY() - datetime.timedelta(days=1))
    assert list(selectors.overdue()) == [Referral.objects.get(pk=ref.pk)]
    assert selectors.inbox_counts(world["agency"])["overdue"] == 1
    Referral.objects.filter(pk=ref.pk).update(state="rejected")
    assert not selectors.overdue().exists()


def test_an_overdue_referral_is_told_once_to_its_sender_and_its_office(world):
    case = open_case(world)
    ref = send(world, case)
    assert services.referrals_overdue_tell(ctx=Context.task()) == 0  # not due yet
    Referral.objects.filter(pk=ref.pk).update(follow_up_on=TODAY() - datetime.timedelta(days=1))
    assert services.referrals_overdue_tell(ctx=Context.task()) == 1
    told = Notification.objects.filter(kind="routing.referral_overdue")
    assert sorted(told.values_list("user_id", flat=True)) == sorted(
        [world["mentor"].pk, world["agency"].pk]
    )
    assert Referral.objects.get(pk=ref.pk).overdue_told_at is not None
    # Again: nobody is told twice.
    assert services.referrals_overdue_tell(ctx=Context.task()) == 0
    assert told.count() == 2
