"""Reads of escalation: a case's clock as the pages show it, a case the account may see,
and the lists of the escalation page (the province's three, the district's own)."""

from __future__ import annotations

import datetime
import math
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from cheepao.core import access, errors
from cheepao.escalation import policies
from cheepao.escalation.models import Clock, Escalation
from cheepao.escalation.workflow import workflow
from cheepao.routing.models import Case

LIST_MAX = 200


def may_view_case(user: Any, case: Case) -> bool:
    """The area viewers of the case's village that escalation's policy lets in."""
    policy = access.policy(Escalation)
    return policy.permitted(user, "view") and case.village_code.startswith(user.area_code or "")


def case_for(user: Any, case_id: Any) -> Case:
    """The case, for an account that may see its clock; else the same NotFound as missing."""
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise errors.NotFound(errors.NOT_FOUND) from None
    case = Case.objects.select_related("household", "owner").filter(pk=pk).first()
    if case is None or not may_view_case(user, case):
        raise errors.NotFound(errors.NOT_FOUND)
    return case


def running_clock(case: Case) -> Clock | None:
    return Clock.objects.filter(case=case, stopped_at__isnull=True).first()


def clock_status(clock: Clock | None, now: datetime.datetime | None = None) -> dict | None:
    """What a page says of a running clock: its step, due time, whole days left (negative
    when overdue), paused and why."""
    if clock is None:
        return None
    now = now or timezone.now()
    step = workflow(clock.workflow_version).step(clock.step)
    due = clock.due_at
    if clock.paused_at is not None:  # time stands still while paused
        due = due + (now - clock.paused_at)
    seconds = (due - now).total_seconds()
    days = math.ceil(seconds / 86400) if seconds > 0 else -math.floor(-seconds / 86400)
    return {
        "clock": clock,
        "step": step,
        "due_at": due,
        "days_left": days,
        "days_over": -days if seconds < 0 else 0,
        "overdue": seconds < 0,
        "paused": clock.paused_at is not None,
        "wait": step.wait_text(clock.pause_reason) if clock.pause_reason else "",
        "waits": [(code, step.wait_text(code)) for code in step.waits],
    }


def open_escalation(case: Case) -> Escalation | None:
    return Escalation.objects.filter(case=case, returned_at__isnull=True).first()


def panel(case: Case, user: Any) -> dict | None:
    """The clock panel of routing's case page (and escalation's own case page)."""
    if not may_view_case(user, case):
        return None
    status = clock_status(running_clock(case))
    escalation = open_escalation(case)
    at_district = status is None or status["step"].level == "district"
    may_time = status is not None and (
        policies.may_escalate(user, case)
        if status["step"].level == "district"
        else policies.may_assign(user, case)
    )
    return {
        "case": case,
        "status": status,
        "escalation": escalation,
        "may_escalate": (
            policies.may_escalate(user, case)
            and case.state == Case.State.OPEN
            and escalation is None
            and at_district
        ),
        "may_pause": may_time and not status["paused"] and bool(status["waits"]),
        "may_resume": may_time and status["paused"],
    }


def _overdue_q() -> Exists:
    return Exists(
        Clock.objects.filter(
            case=OuterRef("case"), stopped_at__isnull=True, paused_at__isnull=True,
            due_at__lt=timezone.now(),
        )
    )  # fmt: skip


def visible(user: Any) -> QuerySet:
    return (
        access.scope(user, Escalation, "view")
        .select_related("case__household", "assigned_agency")
        .annotate(overdue=_overdue_q())
    )


def lists(user: Any) -> dict[str, list[Escalation]]:
    """The escalation page's lists for the account: waiting for assignment, assigned (with
    the overdue ones first), and the recently returned ones."""
    qs = visible(user)
    waiting = qs.filter(returned_at__isnull=True, assigned_at__isnull=True).order_by(
        "escalated_at", "pk"
    )
    assigned = qs.filter(returned_at__isnull=True, assigned_at__isnull=False).order_by(
        "-overdue", "assigned_at", "pk"
    )
    returned = qs.filter(returned_at__isnull=False).order_by("-returned_at", "-pk")
    return {
        "waiting": list(waiting[:LIST_MAX]),
        "assigned": list(assigned[:LIST_MAX]),
        "overdue": [e for e in list(qs.filter(returned_at__isnull=True, overdue=True)[:LIST_MAX])],
        "returned": list(returned[:50]),
    }


def history_of(case: Case) -> list[Escalation]:
    return list(Escalation.objects.filter(case=case).select_related("assigned_agency"))
