"""Every write of escalation (ADR 0017, 0028): `verb(*, ctx, ...)`, the permission asked
of the policy in the verb, refusals raised with a code before anything is written, one
transaction with its audit row, the household history's event and its notifications.

Clocks are started and stopped by routing's changes of a case (`on_case_change`, a
`routing.extensions.case_listeners` listener, inside routing's transaction) and by the
steps here: escalated (the district's clock stops, the province's starts), assigned (the
province's stops, the provincial agency's starts), returned (the agency's stops; the
district's starts again or nothing runs, as the catalogue says). A case solved or closed
stops its running clock; an open escalation stays as it is, in the history.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from cheepao.accounts.models import OUTSIDE_GOVERNMENT, Body
from cheepao.audit.models import AuditEvent
from cheepao.audit.services import audit_record
from cheepao.audit.summaries import say
from cheepao.core import access, errors
from cheepao.core.context import Context
from cheepao.escalation import errors as codes
from cheepao.escalation import history, notices, policies
from cheepao.escalation.models import Clock, Escalation
from cheepao.escalation.workflow import Step, Workflow, versions, workflow
from cheepao.households.services import history_record
from cheepao.notifications.services import notify
from cheepao.routing.models import Case, Referral
from cheepao.routing.services import referral_send, referrals_overdue_tell

__all__ = [
    "case_escalate",
    "clock_pause",
    "clock_resume",
    "escalation_assign",
    "escalation_return",
    "escalations_run",
    "on_case_change",
]

TEXT_MAX = 2000
#: How many overdue clocks `escalations_run` reads at a time (each escalates in its own
#: short transaction, so a long run never holds locks on many cases).
CHUNK = 500


# ---------------------------------------------------------------- clocks


def _label(case: Case) -> str:
    return case.indicator or case.dimension


def _flow_for(case: Case) -> Workflow:
    """The workflow a case's clocks run under: the version its first clock started with
    (a case keeps one version to its end), the newest for a case without clocks."""
    first = Clock.objects.filter(case=case).order_by("started_at", "pk").first()
    return workflow(first.workflow_version if first else None)


def _running(case: Case, *, lock: bool = True) -> Clock | None:
    qs = Clock.objects.select_for_update() if lock else Clock.objects
    return qs.filter(case=case, stopped_at__isnull=True).first()


def _start(case: Case, step: Step, flow: Workflow, now: datetime.datetime) -> Clock:
    return Clock.objects.create(
        case=case,
        village_code=case.village_code,
        step=step.name,
        workflow_version=flow.version,
        started_at=now,
        due_at=flow.due(step, now),
    )


def _stop(clock: Clock | None, now: datetime.datetime) -> None:
    if clock is None:
        return
    clock.stopped_at = now
    if clock.paused_at is not None:  # a paused clock stops where it was paused
        clock.paused_seconds += int((now - clock.paused_at).total_seconds())
    clock.save(update_fields=["stopped_at", "paused_seconds"])


def _start_on(case: Case, event: str, now: datetime.datetime) -> Clock | None:
    """Stop whatever runs for the case and start the step of `event`, if the catalogue has
    one."""
    flow = _flow_for(case)
    _stop(_running(case), now)
    step = flow.starting_on(event)
    return _start(case, step, flow, now) if step is not None else None


def on_case_change(ctx: Context, case: Case, change: str, referral: Any = None) -> None:
    """Routing's case listener: a case opened starts the district's clock; solved or closed
    stops the running clock. v1 pauses no clock by itself (see the catalogue)."""
    now = timezone.now()
    with transaction.atomic():  # routing's transaction (a savepoint in it), or its own
        if change == "opened":
            if _running(case) is None:
                _start_on(case, "case_opened", now)
        elif change in ("solved", "closed"):
            _stop(_running(case), now)


# ---------------------------------------------------------------- reaching a case


def _case(ctx: Context, case_id: Any) -> Case:
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise errors.NotFound(errors.NOT_FOUND) from None
    case = Case.objects.filter(pk=pk).first()
    if case is None:
        raise errors.NotFound(errors.NOT_FOUND)
    return case


def _escalation(ctx: Context, escalation_id: Any, action: str) -> Escalation:
    """The escalation the actor may `action`; a viewer who may not: refused (DENIED)."""
    try:
        found = access.one(ctx.user, Escalation, action, escalation_id)
    except errors.NotFound:
        access.one(ctx.user, Escalation, "view", escalation_id)  # NotFound when unseen
        raise errors.Refused(errors.DENIED) from None
    return Escalation.objects.select_for_update().select_related("case").get(pk=found.pk)


def _text(value: Any) -> str:
    return str(value or "").strip()[:TEXT_MAX]


def _users(**filters: Any):
    return get_user_model().objects.filter(is_active=True, **filters)


def _team_of(case: Case):
    """The household's current mentors (the household action `care`), when registered."""
    try:
        return list(access.actors(case.household, "care"))
    except KeyError:
        return []


def _url(escalation: Escalation) -> str:
    return f"/escalation/{escalation.pk}/"


# ---------------------------------------------------------------- pause, resume


def _may_time(user: Any, case: Case, step: Step) -> bool:
    if step.level == "district":
        return policies.may_escalate(user, case)
    return policies.may_assign(user, case)


def _clock_for(ctx: Context, case_id: Any) -> tuple[Case, Clock, Step]:
    case = _case(ctx, case_id)
    viewer = policies.may_escalate(ctx.user, case) or policies.may_assign(ctx.user, case)
    if not viewer:
        raise errors.NotFound(errors.NOT_FOUND)
    case = Case.objects.select_for_update().get(pk=case.pk)
    clock = _running(case)
    if clock is None:
        raise errors.Refused(codes.NO_CLOCK)
    step = workflow(clock.workflow_version).step(clock.step)
    if not _may_time(ctx.user, case, step):
        raise errors.Refused(errors.DENIED)
    return case, clock, step


def clock_pause(*, ctx: Context, case_id: Any, reason: str) -> Clock:
    """Pause the case's running clock for one of its step's named waits (the level whose
    time it is: the district for the district's step, the province for the province's)."""
    with transaction.atomic():
        case, clock, step = _clock_for(ctx, case_id)
        if clock.paused_at is not None:
            raise errors.Refused(codes.PAUSED)
        if reason not in step.waits:
            raise errors.Invalid(codes.BAD_WAIT, fields={"reason": codes.BAD_WAIT})
        clock.paused_at = timezone.now()
        clock.pause_reason = reason
        clock.save(update_fields=["paused_at", "pause_reason"])
        history_record(
            ctx=ctx, household=case.household, kind=history.PAUSED,
            problem=_label(case), reason=step.waits[reason],
        )  # fmt: skip
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            obj=clock,
            area_code=case.village_code,
            summary=say(gettext_noop("clock of a problem paused: %(reason)s"), reason=reason),
            changes={"case": case.pk, "step": clock.step, "reason": reason},
        )
    return clock


def clock_resume(*, ctx: Context, case_id: Any) -> Clock:
    """Run a paused clock again: its due time moves on by the time it was paused."""
    with transaction.atomic():
        case, clock, _step = _clock_for(ctx, case_id)
        if clock.paused_at is None:
            raise errors.Refused(codes.NOT_PAUSED)
        now = timezone.now()
        waited = now - clock.paused_at
        clock.paused_seconds += int(waited.total_seconds())
        clock.due_at += waited
        clock.paused_at = None
        clock.pause_reason = ""
        clock.save(update_fields=["paused_at", "pause_reason", "paused_seconds", "due_at"])
        history_record(
            ctx=ctx, household=case.household, kind=history.RESUMED, problem=_label(case)
        )
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            obj=clock,
            area_code=case.village_code,
            summary=say(gettext_noop("clock of a problem running again")),
            changes={
                "case": case.pk,
                "step": clock.step,
                "waited_seconds": int(waited.total_seconds()),
            },
        )
    return clock


# ---------------------------------------------------------------- escalate


def _escalate(
    ctx: Context, case: Case, *, reason: str, automatic: bool, now: datetime.datetime
) -> Escalation:
    clock = _running(case)
    flow = _flow_for(case)
    step = flow.step(clock.step) if clock is not None else flow.starting_on("case_opened")
    escalation = Escalation.objects.create(
        case=case,
        village_code=case.village_code,
        from_level=step.level,
        to_level=step.next or "province",
        reason=reason,
        automatic=automatic,
        escalated_at=now,
        escalated_by=None if automatic else ctx.user,
    )
    _start_on(case, "escalated", now)
    history_record(
        ctx=ctx, household=case.household, kind=history.ESCALATED,
        problem=_label(case), reason=reason,
    )  # fmt: skip
    audit_record(
        ctx=ctx,
        action=AuditEvent.Action.CREATE,
        obj=escalation,
        summary=say(
            gettext_noop("problem of household %(household)s escalated to the province"),
            household=case.household.hh_id,
        ),
        changes={"case": case.pk, "automatic": automatic, "reason": reason},
    )
    url = _url(escalation)
    notify(
        ctx=ctx, users=access.actors(escalation, "assign"), kind=notices.ESCALATED, url=url,
        household=case.household.hh_id, reason=reason,
    )  # fmt: skip
    if automatic:
        notify(
            ctx=ctx, users=access.actors(escalation, "escalate"), kind=notices.OVERDUE,
            url=url, household=case.household.hh_id,
        )  # fmt: skip
    return escalation


def case_escalate(*, ctx: Context, case_id: Any, reason: str) -> Escalation:
    """The district escalates an open case of its area to the province, with a reason."""
    case = _case(ctx, case_id)
    if not policies.may_escalate(ctx.user, case):
        raise errors.NotFound(errors.NOT_FOUND)
    reason = _text(reason)
    if not reason:
        raise errors.Invalid(codes.REASON_REQUIRED, fields={"reason": codes.REASON_REQUIRED})
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("household").get(pk=case.pk)
        if case.state != Case.State.OPEN:
            raise errors.Refused(codes.CASE_NOT_OPEN)
        if Escalation.objects.filter(case=case, returned_at__isnull=True).exists():
            raise errors.Refused(codes.ALREADY_ESCALATED)
        clock = _running(case)
        if (
            clock is not None
            and workflow(clock.workflow_version).step(clock.step).level != "district"
        ):
            raise errors.Refused(codes.NOT_AT_DISTRICT)
        return _escalate(ctx, case, reason=reason, automatic=False, now=timezone.now())


def _escalating_steps() -> Q:
    """(workflow_version, step) of every step that escalates by itself, in every version."""
    q = Q(pk__in=[])
    for version in versions():
        for step in workflow(version).steps.values():
            if step.escalates:
                q |= Q(workflow_version=version, step=step.name)
    return q


def escalations_run(*, ctx: Context, now: datetime.datetime | None = None) -> dict[str, int]:
    """Escalate every case whose running, unpaused clock is past due on a step that
    escalates by itself, with the catalogue's reason. Running it again escalates nothing
    twice: the escalated case's clock has stopped. Reads the overdue clocks by the partial
    index on due_at, a chunk at a time; each case escalates in its own transaction."""
    now = now or timezone.now()
    due = Clock.objects.filter(
        _escalating_steps(), stopped_at__isnull=True, paused_at__isnull=True, due_at__lte=now
    )
    escalated = skipped = 0
    last = 0
    while True:
        ids = list(due.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK])
        if not ids:
            break
        last = ids[-1]
        for pk in ids:
            with transaction.atomic():
                clock = due.select_for_update().filter(pk=pk).first()
                if clock is None:  # stopped, paused or escalated meanwhile
                    continue
                case = (
                    Case.objects.select_for_update()
                    .select_related("household")
                    .get(pk=clock.case_id)
                )
                open_escalation = Escalation.objects.filter(case=case, returned_at__isnull=True)
                if case.state != Case.State.OPEN or open_escalation.exists():
                    skipped += 1
                    continue
                step = workflow(clock.workflow_version).step(clock.step)
                # The reason is kept as text in the site's language (Thai), as a person
                # would have typed it.
                with translation.override(settings.LANGUAGE_CODE):
                    reason = step.reason_text
                _escalate(ctx, case, reason=reason, automatic=True, now=now)
                escalated += 1
    if escalated:
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            object_type="escalation.run",
            summary=say(gettext_noop("%(count)s overdue problems escalated"), count=escalated),
            changes={"escalated": escalated, "skipped": skipped, "now": now.isoformat()},
        )
    # A referral's follow-up date is a clock too: its sender and office hear of it once.
    told = referrals_overdue_tell(ctx=ctx, today=timezone.localdate(now))
    return {"escalated": escalated, "skipped": skipped, "referrals_overdue": told}


# ---------------------------------------------------------------- province


def _agency(case: Case, agency_id: Any) -> Body:
    """An agency office of the case's province inside government (a body outside it needs
    the household's consent, which routing's referral checks)."""
    try:
        pk = int(agency_id)
    except (TypeError, ValueError):
        pk = None
    body = (
        Body.objects.filter(
            pk=pk, kind=Body.Kind.AGENCY, area_code__startswith=case.village_code[:2]
        ).first()
        if pk is not None
        else None
    )
    if body is None or body.outside_government:
        raise errors.Invalid(codes.BAD_AGENCY, fields={"agency": codes.BAD_AGENCY})
    return body


def agencies_for(case: Case):
    """The agency offices the province may assign the case to (for the form)."""
    return (
        Body.objects.filter(kind=Body.Kind.AGENCY, area_code__startswith=case.village_code[:2])
        .exclude(sector__in=OUTSIDE_GOVERNMENT)
        .order_by("name")
    )


def _refer(
    ctx: Context, case: Case, agency: Body, *, follow_up_on: datetime.date, note: str
) -> Referral:
    """The province's referral of the case to the agency: routing's own verb, at the
    province's level (its consent and one-open-referral checks, history, audit and the
    agency's notification)."""
    return referral_send(
        ctx=ctx,
        case_id=case.pk,
        agency_id=agency.pk,
        follow_up_on=follow_up_on,
        note=note,
        level="province",
    )


def _follow_up(value: Any, default: datetime.date) -> datetime.date:
    if value in (None, ""):
        return default
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, datetime.date) or value < timezone.localdate():
        raise errors.Invalid(codes.BAD_DATE, fields={"follow_up_on": codes.BAD_DATE})
    return value


def escalation_assign(
    *,
    ctx: Context,
    escalation_id: Any,
    agency_id: Any,
    follow_up_on: Any = None,
    note: str = "",
) -> Escalation:
    """The province assigns an escalated case to one of its agency offices: a province-level
    referral to it, and the agency's clock starts (the province's stops)."""
    with transaction.atomic():
        escalation = _escalation(ctx, escalation_id, "assign")
        case = escalation.case
        if escalation.returned_at is not None:
            raise errors.Refused(codes.RETURNED)
        if escalation.assigned_at is not None:
            raise errors.Refused(codes.ALREADY_ASSIGNED)
        if case.state != Case.State.OPEN:
            raise errors.Refused(codes.CASE_NOT_OPEN)
        agency = _agency(case, agency_id)
        now = timezone.now()
        flow = _flow_for(case)
        step = flow.starting_on("assigned")
        default = timezone.localdate(flow.due(step, now)) if step else timezone.localdate()
        follow_up_on = _follow_up(follow_up_on, default)
        note = _text(note)
        escalation.referral = _refer(ctx, case, agency, follow_up_on=follow_up_on, note=note)
        escalation.assigned_agency = agency
        escalation.assigned_at = now
        escalation.assigned_by = ctx.user
        escalation.save(update_fields=["referral", "assigned_agency", "assigned_at", "assigned_by"])
        _start_on(case, "assigned", now)
        history_record(
            ctx=ctx, household=case.household, kind=history.ASSIGNED,
            problem=_label(case), agency=agency.name,
        )  # fmt: skip
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            obj=escalation,
            summary=say(
                gettext_noop("escalated problem of household %(household)s assigned to %(agency)s"),
                household=case.household.hh_id,
                agency=agency.name,
            ),
            changes={"agency": agency.pk, "referral": escalation.referral_id,
                     "follow_up_on": follow_up_on.isoformat()},
        )  # fmt: skip
        # The office hears of it once: routing's "new referral" (referral_send).
    return escalation


def escalation_return(*, ctx: Context, escalation_id: Any, note: str) -> Escalation:
    """The province returns an assigned escalation (the agency's part is done): the agency's
    clock stops; the district's starts again or nothing runs, as the catalogue says."""
    note = _text(note)
    with transaction.atomic():
        escalation = _escalation(ctx, escalation_id, "return")
        case = escalation.case
        if escalation.returned_at is not None:
            raise errors.Refused(codes.RETURNED)
        if escalation.assigned_at is None:
            raise errors.Refused(codes.NOT_ASSIGNED)
        if not note:
            raise errors.Invalid(codes.NOTE_REQUIRED, fields={"note": codes.NOTE_REQUIRED})
        now = timezone.now()
        escalation.returned_at = now
        escalation.returned_by = ctx.user
        escalation.return_note = note
        escalation.save(update_fields=["returned_at", "returned_by", "return_note"])
        clock = _running(case)
        flow = _flow_for(case)
        step = flow.step(clock.step) if clock is not None else flow.starting_on("assigned")
        _stop(clock, now)
        if case.state == Case.State.OPEN and step is not None and step.after_return == "district":
            _start_on(case, "case_opened", now)
        history_record(
            ctx=ctx, household=case.household, kind=history.RETURNED,
            problem=_label(case), note=note,
        )  # fmt: skip
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            obj=escalation,
            summary=say(
                gettext_noop("escalated problem of household %(household)s returned"),
                household=case.household.hh_id,
            ),
            changes={"note": note},
        )
        users = [*access.actors(escalation, "escalate"), *_team_of(case)]
        notify(
            ctx=ctx, users=users, kind=notices.RETURNED, url=_url(escalation),
            household=case.household.hh_id, note=note,
        )  # fmt: skip
    return escalation
