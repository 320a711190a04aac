"""Escalation's verbs: clocks started and stopped by routing's case changes, escalation on
request and by the overdue job, the province's assignment and return; every refusal with
its code and nothing changed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cheepao.audit.models import AuditEvent
from cheepao.core import errors
from cheepao.core.context import Context
from cheepao.escalation import services
from cheepao.escalation.models import Clock, Escalation
from cheepao.escalation.tests.factories import close_case, open_case, problems
from cheepao.escalation.workflow import workflow
from cheepao.households.models import HouseholdEvent
from cheepao.notifications.models import Notification
from cheepao.routing.models import Case, Referral

pytestmark = pytest.mark.database


def snapshot() -> dict:
    return {
        "clocks": list(Clock.objects.order_by("pk").values()),
        "escalations": list(Escalation.objects.order_by("pk").values()),
        "referrals": list(Referral.objects.order_by("pk").values()),
        "cases": list(Case.objects.order_by("pk").values()),
        "notifications": Notification.objects.count(),
        "audit": AuditEvent.objects.count(),
        "history": HouseholdEvent.objects.count(),
    }


def refused(call, code: str, **kwargs) -> None:
    before = snapshot()
    with pytest.raises(errors.ServiceError) as e:
        call(**kwargs)
    assert e.value.code == code
    assert snapshot() == before


def running(case) -> Clock:
    return Clock.objects.get(case=case, stopped_at__isnull=True)


def escalate(world, reason="เกินกำลังของอำเภอ"):
    return services.case_escalate(
        ctx=Context.cli(world["district"]),
        case_id=world["case"].pk,
        reason=reason,
    )


def assign(world, escalation, **kw):
    return services.escalation_assign(
        ctx=Context.cli(world["province"]),
        escalation_id=escalation.pk,
        agency_id=kw.pop("agency_id", world["office"].pk),
        **kw,
    )


# ---------------------------------------------------------------- clocks from routing


def test_an_opened_case_starts_the_districts_clock(world):
    clock = running(world["case"])
    assert (clock.step, clock.workflow_version) == ("district", "v1")
    assert clock.village_code == world["household"].village_code
    assert clock.due_at - clock.started_at == datetime.timedelta(days=30)


def test_telling_opened_twice_starts_one_clock(world):
    from cheepao.routing.extensions import case_listeners

    case_listeners.tell(Context.cli(), world["case"], "opened")
    assert Clock.objects.filter(case=world["case"]).count() == 1


@pytest.mark.parametrize("change", ["solved", "closed"])
def test_solved_or_closed_stops_the_clock_and_the_escalation_stays(world, change):
    escalation = escalate(world)
    close_case(world["case"], change)
    assert not Clock.objects.filter(case=world["case"], stopped_at__isnull=True).exists()
    escalation.refresh_from_db()
    assert escalation.returned_at is None  # stays, in the history


def test_other_changes_leave_the_clock_running(world):
    from cheepao.routing.extensions import case_listeners

    before = running(world["case"])
    case_listeners.tell(Context.cli(), world["case"], "referred")
    assert running(world["case"]) == before


# ---------------------------------------------------------------- escalate on request


def test_the_district_escalates_with_a_reason(world):
    escalation = escalate(world)
    assert (escalation.from_level, escalation.to_level) == ("district", "province")
    assert not escalation.automatic and escalation.escalated_by == world["district"]
    clocks = Clock.objects.filter(case=world["case"]).order_by("pk")
    assert [c.step for c in clocks] == ["district", "province"]
    assert clocks[0].stopped_at is not None and clocks[1].stopped_at is None
    flow = workflow("v1")
    assert clocks[1].due_at == flow.due(flow.step("province"), clocks[1].started_at)
    event = HouseholdEvent.objects.filter(household=world["household"]).latest("pk")
    assert event.kind == "escalation.escalated"
    assert AuditEvent.objects.filter(object_type="escalation.escalation").count() == 1
    note = Notification.objects.get(user=world["province"])
    assert note.kind == "escalation.escalated" and note.url == f"/escalation/{escalation.pk}/"


def test_escalate_refusals(world):
    case = world["case"]
    for who in ("other_district", "province", "subdistrict", "mentor", "agency_user"):
        refused(
            services.case_escalate, errors.NOT_FOUND,
            ctx=Context.cli(world[who]), case_id=case.pk, reason="x",
        )  # fmt: skip
    refused(
        services.case_escalate, errors.NOT_FOUND,
        ctx=Context.cli(world["district"]), case_id=999999, reason="x",
    )  # fmt: skip
    refused(
        services.case_escalate, "escalation.reason_required",
        ctx=Context.cli(world["district"]), case_id=case.pk, reason="   ",
    )  # fmt: skip
    escalate(world)
    refused(
        services.case_escalate, "escalation.already_escalated",
        ctx=Context.cli(world["district"]), case_id=case.pk, reason="อีกครั้ง",
    )  # fmt: skip


def test_a_closed_case_is_not_escalated(world):
    close_case(world["case"])
    refused(
        services.case_escalate, "escalation.case_not_open",
        ctx=Context.cli(world["district"]), case_id=world["case"].pk, reason="x",
    )  # fmt: skip


def test_a_case_at_the_provinces_step_without_an_escalation_is_not_escalated(world):
    clock = running(world["case"])
    Clock.objects.filter(pk=clock.pk).update(step="provincial_agency")
    refused(
        services.case_escalate, "escalation.not_at_district",
        ctx=Context.cli(world["district"]), case_id=world["case"].pk, reason="x",
    )  # fmt: skip


# ---------------------------------------------------------------- the province


def test_the_province_assigns_to_a_provincial_agency(world):
    escalation = assign(world, escalate(world), note="โปรดช่วยเหลือเร่งด่วน")
    referral = escalation.referral
    assert referral.level == "province" and referral.agency == world["office"]
    assert referral.state == "pending" and referral.sent_by == world["province"]
    assert referral.note == "โปรดช่วยเหลือเร่งด่วน"
    clock = running(world["case"])
    assert clock.step == "provincial_agency"
    assert referral.follow_up_on == timezone.localdate(clock.due_at)
    # The office hears of it once, as routing's new referral.
    assert list(
        Notification.objects.filter(user=world["agency_user"]).values_list("kind", flat=True)
    ) == ["routing.referral_new"]
    assert HouseholdEvent.objects.filter(kind="escalation.assigned").count() == 1


def test_assign_refusals(world):
    escalation = escalate(world)
    ctx = Context.cli(world["province"])
    base = {"ctx": ctx, "escalation_id": escalation.pk}
    refused(
        services.escalation_assign,
        errors.DENIED,
        **{**base, "ctx": Context.cli(world["district"])},
        agency_id=world["office"].pk,
    )
    refused(
        services.escalation_assign,
        errors.NOT_FOUND,
        **{**base, "ctx": Context.cli(world["other_province"])},
        agency_id=world["office"].pk,
    )
    refused(
        services.escalation_assign,
        errors.NOT_FOUND,
        **{**base, "ctx": Context.cli(world["mentor"])},
        agency_id=world["office"].pk,
    )
    refused(
        services.escalation_assign,
        errors.NOT_FOUND,
        ctx=ctx,
        escalation_id=0,
        agency_id=world["office"].pk,
    )
    for agency in (world["far_office"].pk, world["foundation"].pk, "x", None):
        refused(services.escalation_assign, "escalation.bad_agency", **base, agency_id=agency)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for day in (yesterday, "2569-13-01"):
        refused(
            services.escalation_assign,
            "escalation.bad_date",
            **base,
            agency_id=world["office"].pk,
            follow_up_on=day,
        )
    Referral.objects.create(
        case=world["case"], village_code=world["case"].village_code, agency=world["office"],
        follow_up_on=timezone.localdate(), sent_at=timezone.now(),
    )  # fmt: skip
    refused(
        services.escalation_assign,
        "routing.referral_open",
        **base,
        agency_id=world["office"].pk,
    )
    Referral.objects.all().delete()
    assign(world, escalation)
    refused(
        services.escalation_assign,
        "escalation.already_assigned",
        **base,
        agency_id=world["office"].pk,
    )


def test_a_closed_case_is_not_assigned(world):
    escalation = escalate(world)
    close_case(world["case"])
    refused(
        services.escalation_assign, "escalation.case_not_open",
        ctx=Context.cli(world["province"]), escalation_id=escalation.pk,
        agency_id=world["office"].pk,
    )  # fmt: skip


def test_the_province_returns_and_the_districts_clock_starts_again(world):
    escalation = assign(world, escalate(world))
    services.escalation_return(
        ctx=Context.cli(world["province"]), escalation_id=escalation.pk, note="ได้รับเบี้ยยังชีพแล้ว"
    )
    escalation.refresh_from_db()
    assert escalation.returned_by == world["province"] and escalation.return_note
    steps = list(
        Clock.objects.filter(case=world["case"]).order_by("pk").values_list("step", "stopped_at")
    )
    assert [s for s, _ in steps] == ["district", "province", "provincial_agency", "district"]
    assert steps[-1][1] is None and all(stopped for _, stopped in steps[:-1])
    assert (
        Notification.objects.filter(user=world["district"], kind="escalation.returned").count() == 1
    )
    # Returned: the district may escalate again.
    again = escalate(world, "ยังไม่ได้รับการช่วยเหลือครบ")
    assert again.pk != escalation.pk


def test_return_refusals(world):
    escalation = escalate(world)
    ctx = Context.cli(world["province"])
    refused(
        services.escalation_return,
        "escalation.not_assigned",
        ctx=ctx,
        escalation_id=escalation.pk,
        note="x",
    )
    assign(world, escalation)
    refused(
        services.escalation_return,
        "escalation.note_required",
        ctx=ctx,
        escalation_id=escalation.pk,
        note=" ",
    )
    refused(
        services.escalation_return,
        errors.DENIED,
        ctx=Context.cli(world["district"]),
        escalation_id=escalation.pk,
        note="x",
    )
    refused(
        services.escalation_return,
        errors.NOT_FOUND,
        ctx=Context.cli(world["other_province"]),
        escalation_id=escalation.pk,
        note="x",
    )
    services.escalation_return(ctx=ctx, escalation_id=escalation.pk, note="เสร็จแล้ว")
    refused(
        services.escalation_return,
        "escalation.returned",
        ctx=ctx,
        escalation_id=escalation.pk,
        note="x",
    )
    refused(
        services.escalation_assign,
        "escalation.returned",
        ctx=ctx,
        escalation_id=escalation.pk,
        agency_id=world["office"].pk,
    )


def test_a_solved_case_is_returned_without_a_new_clock(world):
    escalation = assign(world, escalate(world))
    close_case(world["case"], "solved")
    services.escalation_return(
        ctx=Context.cli(world["province"]), escalation_id=escalation.pk, note="x"
    )
    assert not Clock.objects.filter(case=world["case"], stopped_at__isnull=True).exists()


# ---------------------------------------------------------------- pause and resume


def test_pause_and_resume_move_the_due_time(world):
    case = world["case"]
    ctx = Context.cli(world["district"])
    due = running(case).due_at
    clock = services.clock_pause(ctx=ctx, case_id=case.pk, reason="household")
    assert clock.paused_at is not None and clock.pause_reason == "household"
    Clock.objects.filter(pk=clock.pk).update(paused_at=clock.paused_at - datetime.timedelta(days=3))
    clock = services.clock_resume(ctx=ctx, case_id=case.pk)
    assert clock.paused_at is None and clock.paused_seconds >= 3 * 86400
    assert clock.due_at - due >= datetime.timedelta(days=3)
    assert clock.due_at - due < datetime.timedelta(days=3, minutes=1)
    assert (
        HouseholdEvent.objects.filter(kind__in=["escalation.paused", "escalation.resumed"]).count()
        == 2
    )


def test_pause_refusals(world):
    case = world["case"]
    ctx = Context.cli(world["district"])
    refused(services.clock_pause, "escalation.bad_wait", ctx=ctx, case_id=case.pk, reason="holiday")
    refused(services.clock_resume, "escalation.not_paused", ctx=ctx, case_id=case.pk)
    refused(
        services.clock_pause,
        errors.DENIED,
        ctx=Context.cli(world["province"]),
        case_id=case.pk,
        reason="household",
    )
    refused(
        services.clock_pause,
        errors.NOT_FOUND,
        ctx=Context.cli(world["other_district"]),
        case_id=case.pk,
        reason="household",
    )
    refused(
        services.clock_pause,
        errors.NOT_FOUND,
        ctx=Context.cli(world["mentor"]),
        case_id=case.pk,
        reason="household",
    )
    services.clock_pause(ctx=ctx, case_id=case.pk, reason="household")
    refused(services.clock_pause, "escalation.paused", ctx=ctx, case_id=case.pk, reason="documents")
    close_case(case)
    refused(services.clock_resume, "escalation.no_clock", ctx=ctx, case_id=case.pk)


def test_the_province_step_has_no_waits(world):
    escalate(world)
    refused(
        services.clock_pause, "escalation.bad_wait",
        ctx=Context.cli(world["province"]), case_id=world["case"].pk, reason="household",
    )  # fmt: skip


# ---------------------------------------------------------------- the overdue job


def overdue(case, days=1):
    Clock.objects.filter(case=case, stopped_at__isnull=True).update(
        due_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_an_overdue_clock_escalates_once(world, registry):
    case = world["case"]
    overdue(case)
    first = services.escalations_run(ctx=Context.task())
    again = services.escalations_run(ctx=Context.task())
    assert (first["escalated"], again["escalated"]) == (1, 0)
    escalation = Escalation.objects.get(case=case)
    assert escalation.automatic and escalation.escalated_by is None
    assert escalation.reason == "เกินระยะเวลาที่อำเภอต้องแก้ไขหรือส่งต่อปัญหาแล้ว"
    assert running(case).step == "province"
    kinds = set(Notification.objects.values_list("user__username", "kind"))
    assert (world["province"].username, "escalation.escalated") in kinds
    assert (world["district"].username, "escalation.overdue") in kinds


def test_paused_not_due_and_not_escalating_clocks_stay(world, registry, make_user):
    p1, p2, p3 = problems(registry, 4)[1:]
    paused, fresh, at_province = (open_case(p) for p in (p1, p2, p3))
    district = make_user("district", paused.village_code[:4])
    services.clock_pause(ctx=Context.cli(district), case_id=paused.pk, reason="household")
    Clock.objects.filter(case=paused).update(due_at=timezone.now() - datetime.timedelta(days=2))
    services.case_escalate(
        ctx=Context.cli(make_user("district", at_province.village_code[:4])),
        case_id=at_province.pk,
        reason="เกินกำลังของอำเภอ",
    )
    overdue(at_province)  # the province's step: shown overdue, never escalated by itself
    before = snapshot()
    assert services.escalations_run(ctx=Context.task()) == {
        "escalated": 0,
        "skipped": 0,
        "referrals_overdue": 0,
    }
    assert snapshot() == before
    assert running(fresh).due_at > timezone.now()
    assert running(at_province).step == "province"


def test_escalations_run_takes_now(world):
    clock = running(world["case"])
    assert (
        services.escalations_run(
            ctx=Context.task(), now=clock.due_at - datetime.timedelta(seconds=1)
        )["escalated"]
        == 0
    )
    assert services.escalations_run(ctx=Context.task(), now=clock.due_at)["escalated"] == 1


def test_the_task_and_the_command_run_it(world, registry):
    from django.core.management import call_command

    from cheepao.escalation.tasks import run_escalations, schedule

    overdue(world["case"])
    result = run_escalations.enqueue()
    assert result.return_value == {"escalated": 1, "skipped": 0, "referrals_overdue": 0}
    assert schedule() is False  # the tests' immediate backend runs nothing later
    (other,) = problems(registry, 2)[1:]
    case = open_case(other)
    overdue(case)
    call_command("escalations_run", stdout=(out := __import__("io").StringIO()))
    assert "1 escalated" in out.getvalue()
    assert Escalation.objects.filter(case=case, automatic=True).count() == 1


def test_the_worker_keeps_one_hourly_run_queued(db, settings):
    """With the worker's database backend, `schedule()` queues the next run an hour on, and
    only one: a run already waiting is not doubled."""
    from django_tasks_db.models import DBTaskResult

    from cheepao.escalation.tasks import EVERY, run_escalations, schedule

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    assert run_escalations.get_backend().supports_defer
    start = timezone.now()
    assert schedule() is True
    assert schedule() is False
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "cheepao.escalation.tasks.run_escalations"
    assert start + EVERY <= queued.run_after <= timezone.now() + EVERY


def test_the_run_reads_overdue_clocks_a_chunk_at_a_time(world, registry, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 2)
    cases = [world["case"], *(open_case(p) for p in problems(registry, 5)[1:])]
    for case in cases:
        overdue(case)
    assert services.escalations_run(ctx=Context.task()) == {
        "escalated": 5,
        "skipped": 0,
        "referrals_overdue": 0,
    }
    assert Escalation.objects.filter(automatic=True).count() == 5
    assert AuditEvent.objects.filter(object_type="escalation.run").count() == 1
