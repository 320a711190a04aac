"""Every write of routing (ADR 0027): `verb(*, ctx, ...)`, the permission asked of the
access policies (routing.policies), refusals raised with a code before anything is
written, one transaction: the row, the household's history event, the audit row, the
notifications (inside, so they exist only if the verb commits) and `case_listeners`
(escalation, statistics) told of the change.

- Cases: opened by the household's mentor team or the district (one open case per
  indicator), owned by the catalogue's lead office by default, re-owned and closed by the
  district, confirmed solved by the mentor team on a Logbook entry.
- Referrals: sent by the team or the district (the province for an escalated case),
  accepted / rejected / done by the agency's own accounts, revoked by the level that sent
  them. A body outside government needs the household's consent in force.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from cheepao.accounts.models import Body
from cheepao.audit.models import AuditEvent
from cheepao.audit.services import audit_record
from cheepao.audit.summaries import Summary, say
from cheepao.core import access
from cheepao.core import errors as core_errors
from cheepao.core.context import Context
from cheepao.core.errors import Conflict, Invalid, NotFound, Refused
from cheepao.households.models import Household, Problem
from cheepao.households.services import history_record, problems_apply
from cheepao.logbook.models import Entry
from cheepao.notifications.services import notify
from cheepao.routing import catalogue as routing_catalogue
from cheepao.routing import errors, history
from cheepao.routing.extensions import case_listeners
from cheepao.routing.models import Case, Consent, Referral

__all__ = [
    "case_close",
    "case_open",
    "case_owner_set",
    "case_solve",
    "cases_open_from_registry",
    "consent_record",
    "consent_withdraw",
    "referral_accept",
    "referral_done",
    "referral_reject",
    "referral_revoke",
    "referral_send",
]

OPEN = Referral.OPEN_STATES
TEXT_MAX = 2000


# ---------------------------------------------------------------- helpers


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def _text(value: Any, size: int = TEXT_MAX) -> str:
    return str(value or "").strip()[:size]


def _reason(value: Any) -> str:
    reason = _text(value)
    if not reason:
        raise Invalid(errors.REASON_REQUIRED, fields={"reason": errors.REASON_REQUIRED})
    return reason


def _household_to_act(ctx: Context, household_id: Any) -> Household:
    """The household for the mentor team caring for it (`care`) or its district (`route`
    over its area); anyone else: the same 404 as for a missing household."""
    user = ctx.user
    policy = access.policy(Household)
    if policy.permitted(user, "care"):
        try:
            return access.one(user, Household, "care", household_id)
        except NotFound:
            pass
    if user is not None and user.is_active and user.can("route"):
        return access.one(user, Household, "view", household_id)
    raise NotFound(core_errors.NOT_FOUND)


def _case(ctx: Context, case_id: Any, action: str) -> Case:
    return access.one(ctx.user, Case, action, case_id)


def _referral(ctx: Context, referral_id: Any) -> Referral:
    return access.one(ctx.user, Referral, "serve", referral_id)


def _lock(obj: Any) -> Any:
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _open(case: Case) -> None:
    if case.state != Case.State.OPEN:
        raise Refused(errors.NOT_OPEN)


def _agency(agency_id: Any) -> Body:
    pk = _pk(agency_id)
    try:
        found = Body.objects.filter(pk=int(pk), kind=Body.Kind.AGENCY).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise Invalid(errors.BAD_AGENCY, fields={"agency": errors.BAD_AGENCY})
    return found


def _ind(case: Case) -> list[str]:
    return [case.indicator] if case.indicator else []


def _owner_name(case: Case) -> str:
    return case.owner.name if case.owner_id else "–"


def _audit(ctx: Context, obj: Any, action: str, summary: Summary, **changes: Any) -> None:
    """The audit row of a routing write; `summary` is a `say(gettext_noop(...))` of the
    caller's, restated here so the row's summary is visibly a message (ADR 0012)."""
    audit_record(
        ctx=ctx,
        action=action,
        obj=obj,
        area_code=obj.village_code,
        summary=say(summary.text, **summary.args),
        changes={k: v for k, v in changes.items()},
    )


def case_url(case: Case) -> str:
    return f"/routing/case/{case.pk}/"


def in_force(household: Household, body: Body, on: datetime.date | None = None) -> Consent | None:
    """The household's consent in force on `on` (today) for sharing with `body`."""
    on = on or timezone.localdate()
    return (
        Consent.objects.filter(household=household, given_on__lte=on, withdrawn_on__isnull=True)
        .filter(Q(body__isnull=True) | Q(body=body))
        .order_by("-given_on", "-pk")
        .first()
    )


# ---------------------------------------------------------------- cases


def _choose_owner(dimension: str, indicator: str, village_code: str) -> tuple[Body | None, str]:
    cat = routing_catalogue.catalogue()
    return cat.office_for(cat.lead_of(dimension, indicator), village_code), cat.version


def _new_case(
    ctx: Context,
    household: Household,
    dimension: str,
    indicator: str,
    problem: Problem | None,
    need: Entry | None,
    note: str,
) -> Case:
    owner, version = _choose_owner(dimension, indicator, household.village_code)
    case = Case.objects.create(
        household=household,
        village_code=household.village_code,
        dimension=dimension,
        indicator=indicator,
        problem=problem,
        need=need,
        note=note,
        owner=owner,
        owner_default=True,
        catalogue_version=version,
        opened_at=timezone.now(),
        opened_by=ctx.user,
    )
    history_record(
        ctx=ctx,
        household=household,
        kind=history.OPENED,
        indicator=_ind(case) or [dimension],
        owner=_owner_name(case),
    )
    _audit(
        ctx,
        case,
        AuditEvent.Action.CREATE,
        say(
            gettext_noop("case %(indicator)s opened for household %(household)s"),
            indicator=indicator or dimension,
            household=household.hh_id,
        ),
        uid=str(case.uid),
        household=household.pk,
        dimension=dimension,
        indicator=indicator,
        problem=case.problem_id,
        owner=case.owner_id,
        catalogue_version=version,
    )
    case_listeners.tell(ctx, case, "opened")
    return case


def case_open(
    *,
    ctx: Context,
    household_id: Any,
    dimension: str,
    indicator: str = "",
    problem_id: Any = None,
    need_id: Any = None,
    note: str = "",
) -> Case:
    """Open a case for a problem or need of a household (its mentor team or its district):
    the registry's problem (`problem_id`, or the open problem of `indicator`) or a need
    recorded in the Logbook (`need_id`); its owner is the lead office of the catalogue.
    Refused, changing nothing: a dimension or indicator not of the household's catalogue,
    a second open case of the same indicator."""
    household = _household_to_act(ctx, household_id)
    cat = household.registry.catalogue
    dimension, indicator = str(dimension or ""), str(indicator or "")
    problem = None
    if problem_id not in (None, ""):
        problem = Problem.objects.filter(
            pk=_pk(problem_id) if str(_pk(problem_id)).isdigit() else 0, household=household
        ).first()
        if problem is None:
            raise Invalid(errors.BAD_DIMENSION, fields={"problem": errors.BAD_DIMENSION})
        indicator, dimension = problem.indicator, problem.dimension
    if dimension not in {d.code for d in cat.dimensions}:
        raise Invalid(errors.BAD_DIMENSION, fields={"dimension": errors.BAD_DIMENSION})
    if indicator and indicator not in {i.code for i in cat.indicators_of(dimension)}:
        raise Invalid(errors.BAD_DIMENSION, fields={"indicator": errors.BAD_DIMENSION})
    if problem is None and indicator:
        problem = Problem.objects.filter(household=household, indicator=indicator).first()
    need = None
    if need_id not in (None, ""):
        need = Entry.objects.filter(
            pk=_pk(need_id) if str(_pk(need_id)).isdigit() else 0,
            household=household,
            part=Entry.Part.NEED,
        ).first()
        if need is None:
            raise Invalid(errors.BAD_ENTRY, fields={"need": errors.BAD_ENTRY})
    if (
        indicator
        and Case.objects.filter(
            household=household, indicator=indicator, state=Case.State.OPEN
        ).exists()
    ):
        raise Conflict(errors.CASE_OPEN)
    try:
        with transaction.atomic():
            return _new_case(ctx, household, dimension, indicator, problem, need, _text(note))
    except IntegrityError:
        raise Conflict(errors.CASE_OPEN) from None


def cases_open_from_registry(*, ctx: Context, household_id: Any) -> list[Case]:
    """One case for each open problem of the household in the registry that has no open
    case yet ("route this household's problems"); [] when there is none."""
    household = _household_to_act(ctx, household_id)
    taken = Case.objects.filter(household=household, state=Case.State.OPEN).values("indicator")
    problems = list(
        Problem.objects.filter(household=household, status=Problem.Status.OPEN)
        .exclude(indicator="")
        .exclude(indicator__in=taken)
        .order_by("indicator")
    )
    try:
        with transaction.atomic():
            return [
                _new_case(ctx, household, p.dimension, p.indicator, p, None, "") for p in problems
            ]
    except IntegrityError:
        raise Conflict(errors.CASE_OPEN) from None


def case_owner_set(*, ctx: Context, case_id: Any, agency_id: Any, reason: str) -> Case:
    """The district names another agency office as the case's owner, with a reason."""
    case = _case(ctx, case_id, "route")
    agency = _agency(agency_id)
    reason = _reason(reason)
    _open(case)
    with transaction.atomic():
        case = _lock(case)
        _open(case)
        before = case.owner_id
        case.owner, case.owner_default = agency, False
        case.version += 1
        case.save(update_fields=["owner", "owner_default", "version"])
        history_record(
            ctx=ctx,
            household=case.household,
            kind=history.OWNER,
            indicator=_ind(case) or [case.dimension],
            owner=agency.name,
            reason=reason[:200],
        )
        _audit(
            ctx,
            case,
            AuditEvent.Action.UPDATE,
            say(
                gettext_noop("owner of case %(case)s changed to %(agency)s"),
                case=case.pk,
                agency=agency.name,
            ),
            owner=[before, agency.pk],
            reason=reason,
        )
        case_listeners.tell(ctx, case, "owner_changed")
    return case


def _close_referrals(ctx: Context, case: Case, entry: Entry | None, reason: str) -> None:
    """Finish the open referrals of a case that is solved or closed: an accepted one of the
    agency that gave the help becomes done on that entry, the others are revoked."""
    now = timezone.now()
    for ref in Referral.objects.select_for_update().filter(case=case, state__in=OPEN):
        if (
            entry is not None
            and ref.state == Referral.State.ACCEPTED
            and entry.agency_id == ref.agency_id
        ):
            ref.state, ref.done_at, ref.done_by, ref.done_entry = (
                Referral.State.DONE,
                now,
                ctx.user,
                entry,
            )
            change = "referral_done"
        else:
            ref.state, ref.reason = Referral.State.REVOKED, reason
            ref.decided_at, ref.decided_by = now, ctx.user
            change = "referral_revoked"
        ref.version += 1
        ref.save()
        _audit(
            ctx,
            ref,
            AuditEvent.Action.UPDATE,
            say(gettext_noop("referral %(referral)s %(state)s"), referral=ref.pk, state=ref.state),
            state=ref.state,
            reason=reason,
        )
        case_listeners.tell(ctx, case, change, ref)


def case_solve(*, ctx: Context, case_id: Any, entry_id: Any) -> Case:
    """The household's mentor team confirms the problem solved, resting on a Logbook entry
    of the household that counts: help in the case's dimension, or a visit (evidence of
    what was found). The registry's problem is marked solved (its own verb), the case's
    open referrals are finished (done for the agency that gave that help, else revoked)."""
    case = _case(ctx, case_id, "act")
    if not access.policy(Household).allows(ctx.user, "care", case.household):
        raise Refused(errors.SOLVE_BY_TEAM)
    _open(case)
    entry = _solving_entry(case, entry_id)
    with transaction.atomic():
        case = _lock(case)
        _open(case)
        now = timezone.now()
        case.state, case.solved_at, case.solved_by, case.solved_entry = (
            Case.State.SOLVED,
            now,
            ctx.user,
            entry,
        )
        case.version += 1
        case.save()
        if case.problem_id is not None:
            problems_apply(ctx=ctx, household=case.household, solve=[case.problem.indicator])
        _close_referrals(ctx, case, entry, "solved")
        history_record(ctx=ctx, household=case.household, kind=history.SOLVED, indicator=_ind(case))
        _audit(
            ctx,
            case,
            AuditEvent.Action.UPDATE,
            say(
                gettext_noop("case %(case)s confirmed solved on Logbook entry %(entry)s"),
                case=case.pk,
                entry=entry.pk,
            ),
            state="solved",
            entry=entry.pk,
        )
        case_listeners.tell(ctx, case, "solved")
    return case


def _solving_entry(case: Case, entry_id: Any) -> Entry:
    pk = _pk(entry_id)
    entry = (
        Entry.objects.counting()
        .filter(
            pk=int(pk) if str(pk).isdigit() else 0,
            household_id=case.household_id,
            part__in=[Entry.Part.HELP, Entry.Part.VISIT],
        )
        .first()
    )
    if entry is None:
        raise Invalid(errors.BAD_ENTRY, fields={"entry": errors.BAD_ENTRY})
    if entry.part == Entry.Part.HELP and entry.dimension != case.dimension:
        raise Invalid(errors.ENTRY_OTHER_DIMENSION, fields={"entry": errors.ENTRY_OTHER_DIMENSION})
    return entry


def case_close(*, ctx: Context, case_id: Any, reason: str) -> Case:
    """The district closes a case that is no longer someone's to solve (the household
    moved away, recorded in error), with a reason; its open referrals are revoked."""
    case = _case(ctx, case_id, "route")
    reason = _reason(reason)
    _open(case)
    with transaction.atomic():
        case = _lock(case)
        _open(case)
        case.state, case.closed_reason = Case.State.CLOSED, reason
        case.version += 1
        case.save(update_fields=["state", "closed_reason", "version"])
        _close_referrals(ctx, case, None, reason)
        history_record(
            ctx=ctx,
            household=case.household,
            kind=history.CLOSED,
            indicator=_ind(case) or [case.dimension],
            reason=reason[:200],
        )
        _audit(
            ctx,
            case,
            AuditEvent.Action.UPDATE,
            say(gettext_noop("case %(case)s closed"), case=case.pk),
            state="closed",
            reason=reason,
        )
        case_listeners.tell(ctx, case, "closed")
    return case


# ---------------------------------------------------------------- referrals


def _follow_up(value: Any) -> datetime.date:
    today = timezone.localdate()
    if value in (None, ""):
        return today + datetime.timedelta(days=routing_catalogue.catalogue().follow_up_days)
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if (
        not isinstance(value, datetime.date)
        or isinstance(value, datetime.datetime)
        or not today <= value <= today + datetime.timedelta(days=366)
    ):
        raise Invalid(errors.BAD_DATE, fields={"follow_up_on": errors.BAD_DATE})
    return value


def _agency_accounts(referral: Referral) -> Any:
    return access.actors(referral, "serve")


def problem_name(case: Case) -> str:
    """How a notification names the case's problem: its indicator code, or (a need found in
    the field) its dimension's Thai name, as most readers read it; notifications keep text,
    not codes to look up."""
    if case.indicator:
        return case.indicator
    try:
        dimensions = {d.code: d.th for d in case.household.registry.catalogue.dimensions}
    except (ValueError, OSError):  # a catalogue this installation no longer has
        return case.dimension
    return dimensions.get(case.dimension, case.dimension)


def referral_send(
    *,
    ctx: Context,
    case_id: Any,
    agency_id: Any,
    follow_up_on: Any = None,
    note: str = "",
    level: str = "district",
) -> Referral:
    """Refer an open case to an agency office: by the household's mentor team or its
    district (`level` "district"), or by the province for an escalated case ("province").
    The follow-up date defaults to the catalogue's days from today. Refused, changing
    nothing: a body outside government without the household's consent in force for it
    (routing.no_consent), an open referral of the case to the same office."""
    if level not in ("district", "province"):
        raise Invalid(errors.BAD_LEVEL, fields={"level": errors.BAD_LEVEL})
    case = _case(ctx, case_id, "act" if level == "district" else "assign")
    _open(case)
    agency = _agency(agency_id)
    follow_up = _follow_up(follow_up_on)
    consent = None
    if agency.outside_government:
        consent = in_force(case.household, agency)
        if consent is None:
            raise Refused(errors.NO_CONSENT)
    if Referral.objects.filter(case=case, agency=agency, state__in=OPEN).exists():
        raise Conflict(errors.REFERRAL_OPEN)
    try:
        with transaction.atomic():
            case = _lock(case)
            _open(case)
            referral = Referral.objects.create(
                case=case,
                village_code=case.village_code,
                agency=agency,
                level=level,
                note=_text(note),
                follow_up_on=follow_up,
                sent_at=timezone.now(),
                sent_by=ctx.user,
                consent=consent,
            )
            history_record(
                ctx=ctx,
                household=case.household,
                kind=history.REFERRED,
                indicator=_ind(case) or [case.dimension],
                agency=agency.name,
                date=follow_up.isoformat(),
            )
            _audit(
                ctx,
                referral,
                AuditEvent.Action.CREATE,
                say(
                    gettext_noop("case %(case)s referred to %(agency)s"),
                    case=case.pk,
                    agency=agency.name,
                ),
                uid=str(referral.uid),
                case=case.pk,
                agency=agency.pk,
                level=level,
                follow_up_on=follow_up.isoformat(),
                consent=consent.pk if consent else None,
            )
            notify(
                ctx=ctx,
                users=_agency_accounts(referral),
                kind=history.NEW_REFERRAL,
                url=case_url(case),
                problem=problem_name(case),
                household=case.household.hh_id,
                agency=agency.name,
            )
            case_listeners.tell(ctx, case, "referred", referral)
            return referral
    except IntegrityError:
        raise Conflict(errors.REFERRAL_OPEN) from None


def _decide(
    ctx: Context, referral: Referral, state: str, kind: str, change: str, **extra: Any
) -> Referral:
    """Write a referral's change with its history, audit row and listeners (in a
    transaction the caller opened, on a locked row)."""
    now = timezone.now()
    referral.state = state
    if state == Referral.State.DONE:
        referral.done_at, referral.done_by = now, ctx.user
    else:
        referral.decided_at, referral.decided_by = now, ctx.user
    for name, value in extra.items():
        setattr(referral, name, value)
    referral.version += 1
    referral.save()
    case = referral.case
    args = {"indicator": _ind(case) or [case.dimension], "agency": referral.agency.name}
    if kind in (history.REJECTED, history.REVOKED):
        args["reason"] = referral.reason[:200]
    history_record(ctx=ctx, household=case.household, kind=kind, **args)
    _audit(
        ctx,
        referral,
        AuditEvent.Action.UPDATE,
        say(gettext_noop("referral %(referral)s %(state)s"), referral=referral.pk, state=state),
        state=state,
        reason=referral.reason,
        entry=referral.done_entry_id,
    )
    case_listeners.tell(ctx, case, change, referral)
    return referral


def _sender(referral: Referral) -> list[Any]:
    return [referral.sent_by] if referral.sent_by_id else []


def referral_accept(*, ctx: Context, referral_id: Any) -> Referral:
    """The agency accepts a referral to its office (an account of that office, in its
    area); anyone else: 404."""
    referral = _referral(ctx, referral_id)
    if referral.state != Referral.State.PENDING:
        raise Refused(errors.NOT_PENDING)
    with transaction.atomic():
        referral = _lock(referral)
        if referral.state != Referral.State.PENDING:
            raise Refused(errors.NOT_PENDING)
        return _decide(
            ctx, referral, Referral.State.ACCEPTED, history.ACCEPTED, "referral_accepted"
        )


def referral_reject(*, ctx: Context, referral_id: Any, reason: str) -> Referral:
    """The agency rejects a referral to its office, with a reason; the sender is told."""
    referral = _referral(ctx, referral_id)
    reason = _reason(reason)
    if referral.state != Referral.State.PENDING:
        raise Refused(errors.NOT_PENDING)
    with transaction.atomic():
        referral = _lock(referral)
        if referral.state != Referral.State.PENDING:
            raise Refused(errors.NOT_PENDING)
        _decide(
            ctx,
            referral,
            Referral.State.REJECTED,
            history.REJECTED,
            "referral_rejected",
            reason=reason,
        )
        notify(
            ctx=ctx,
            users=_sender(referral),
            kind=history.REFERRAL_REJECTED,
            url=case_url(referral.case),
            agency=referral.agency.name,
            household=referral.case.household.hh_id,
            reason=reason[:200],
        )
        return referral


def referral_done(*, ctx: Context, referral_id: Any, entry_id: Any) -> Referral:
    """The agency marks its part done, on help its office recorded for the household in
    the Logbook (an entry that counts, `entry.agency` = the office); the sender is told."""
    referral = _referral(ctx, referral_id)
    if referral.state != Referral.State.ACCEPTED:
        raise Refused(errors.NOT_ACCEPTED)
    pk = _pk(entry_id)
    entry = (
        Entry.objects.counting()
        .filter(
            pk=int(pk) if str(pk).isdigit() else 0,
            household_id=referral.case.household_id,
            part=Entry.Part.HELP,
        )
        .first()
    )
    if entry is None:
        raise Invalid(errors.BAD_ENTRY, fields={"entry": errors.BAD_ENTRY})
    if entry.agency_id != referral.agency_id:
        raise Invalid(errors.ENTRY_NOT_AGENCY, fields={"entry": errors.ENTRY_NOT_AGENCY})
    with transaction.atomic():
        referral = _lock(referral)
        if referral.state != Referral.State.ACCEPTED:
            raise Refused(errors.NOT_ACCEPTED)
        _decide(ctx, referral, Referral.State.DONE, history.DONE, "referral_done", done_entry=entry)
        notify(
            ctx=ctx,
            users=_sender(referral),
            kind=history.REFERRAL_DONE,
            url=case_url(referral.case),
            agency=referral.agency.name,
            household=referral.case.household.hh_id,
        )
        return referral


def referral_revoke(*, ctx: Context, referral_id: Any, reason: str) -> Referral:
    """The level that sent a referral takes it back, with a reason: the household's team
    or district for one sent by the district, the province for one it sent."""
    pk = _pk(referral_id)
    try:
        found = Referral.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound(core_errors.NOT_FOUND)
    _case(ctx, found.case_id, "act" if found.level == "district" else "assign")
    reason = _reason(reason)
    if found.state not in OPEN:
        raise Refused(errors.NOT_OPEN_REFERRAL)
    with transaction.atomic():
        referral = _lock(found)
        if referral.state not in OPEN:
            raise Refused(errors.NOT_OPEN_REFERRAL)
        return _decide(
            ctx,
            referral,
            Referral.State.REVOKED,
            history.REVOKED,
            "referral_revoked",
            reason=reason,
        )


# ---------------------------------------------------------------- consent


def _given_on(value: Any) -> datetime.date:
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if (
        not isinstance(value, datetime.date)
        or isinstance(value, datetime.datetime)
        or value > timezone.localdate()
    ):
        raise Invalid(errors.BAD_CONSENT_DATE, fields={"given_on": errors.BAD_CONSENT_DATE})
    return value


def consent_record(
    *,
    ctx: Context,
    household_id: Any,
    given_by: str,
    given_on: Any,
    how: str = "",
    body_id: Any = None,
) -> Consent:
    """Record the household's consent (PDPA) to share its data with a body outside
    government (`body_id`), or with any such body the centres refer it to (None)."""
    household = _household_to_act(ctx, household_id)
    given_by = _text(given_by, 200)
    if not given_by:
        raise Invalid(errors.FIELD_REQUIRED, fields={"given_by": errors.FIELD_REQUIRED})
    day = _given_on(given_on)
    body = _agency(body_id) if body_id not in (None, "") else None
    with transaction.atomic():
        consent = Consent.objects.create(
            household=household,
            village_code=household.village_code,
            body=body,
            given_by=given_by,
            given_on=day,
            how=_text(how, 200),
            recorded_by=ctx.user,
        )
        history_record(
            ctx=ctx,
            household=household,
            kind=history.CONSENT,
            body=body.name if body else "*",
            given_by=given_by,
        )
        _audit(
            ctx,
            consent,
            AuditEvent.Action.CREATE,
            say(
                gettext_noop("consent to share recorded for household %(household)s"),
                household=household.hh_id,
            ),
            body=body.pk if body else None,
            given_on=day.isoformat(),
        )
    return consent


def consent_withdraw(*, ctx: Context, consent_id: Any, withdrawn_on: Any = None) -> Consent:
    """The household withdraws a consent from `withdrawn_on` (today); kept, never deleted.
    Referrals already sent under it keep it as their record."""
    pk = _pk(consent_id)
    try:
        consent = Consent.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        consent = None
    if consent is None:
        raise NotFound(core_errors.NOT_FOUND)
    household = _household_to_act(ctx, consent.household_id)
    day = timezone.localdate() if withdrawn_on in (None, "") else _given_on(withdrawn_on)
    if consent.withdrawn_on is not None:
        raise Refused(errors.CONSENT_WITHDRAWN)
    with transaction.atomic():
        consent = _lock(consent)
        if consent.withdrawn_on is not None:
            raise Refused(errors.CONSENT_WITHDRAWN)
        consent.withdrawn_on, consent.withdrawn_by = day, ctx.user
        consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
        history_record(
            ctx=ctx,
            household=household,
            kind=history.CONSENT_WITHDRAWN,
            body=consent.body.name if consent.body_id else "*",
        )
        _audit(
            ctx,
            consent,
            AuditEvent.Action.UPDATE,
            say(gettext_noop("consent %(consent)s withdrawn"), consent=consent.pk),
            withdrawn_on=day.isoformat(),
        )
    return consent


def referrals_overdue_tell(
    *, ctx: Context, today: datetime.date | None = None, chunk: int = 500
) -> int:
    """Tell the sender and the office's accounts, once, of each open referral past its
    follow-up date (run by the hourly clock job of the escalation app, or by cron through
    `manage.py escalations_run`). Each referral is told in its own short transaction and
    marked, so a second run tells nobody twice. Returns how many were told."""
    today = today or timezone.localdate()
    due = Referral.objects.filter(
        state__in=OPEN, follow_up_on__lt=today, overdue_told_at__isnull=True
    )
    told, last = 0, 0
    while True:
        ids = list(due.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:chunk])
        if not ids:
            break
        last = ids[-1]
        for pk in ids:
            with transaction.atomic():
                referral = (
                    due.select_for_update(of=("self",))
                    .select_related("case__household", "agency", "sent_by")
                    .filter(pk=pk)
                    .first()
                )
                if referral is None:  # answered or told meanwhile
                    continue
                referral.overdue_told_at = timezone.now()
                referral.save(update_fields=["overdue_told_at"])
                notify(
                    ctx=ctx,
                    users=[referral.sent_by, *_agency_accounts(referral)],
                    kind=history.REFERRAL_OVERDUE,
                    url=case_url(referral.case),
                    household=referral.case.household.hh_id,
                    agency=referral.agency.name,
                )
                told += 1
    if told:
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            object_type="routing.overdue",
            summary=say(gettext_noop("%(count)s overdue referrals told"), count=told),
            changes={"told": told, "today": today.isoformat()},
        )
    return told
