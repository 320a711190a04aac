"""Writes of form ศจพ.1 and its certification. Each verb is one transaction with its audit
rows; a refusal raises before anything is written, so a refused action changes nothing.

Audit rows about one household name the household (so they appear in its history); the
steps of a batch name the batch as well.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop

from cheepao.accounts import roles
from cheepao.audit.models import AuditEvent
from cheepao.audit.services import audit_record
from cheepao.audit.summaries import area, label, say
from cheepao.core import access, errors
from cheepao.core.context import Context
from cheepao.households import services as registry
from cheepao.households.areas import Change
from cheepao.households.models import Household, Problem, RegistryYear
from cheepao.households.selectors import registry_latest, scope_filter
from cheepao.verification import errors as v_errors
from cheepao.verification import history, results, selectors
from cheepao.verification.models import (
    Batch,
    BatchEvent,
    BatchItem,
    Mark,
    Result,
    RoundDeadline,
    Verification,
)
from cheepao.verification.workflow import Event, workflow

MONEY = ("income_year", "debt_formal", "debt_informal", "savings")
NOTE_MAX = 2000
CENT = Decimal("0.01")
MONEY_MAX = Decimal("9999999999.99")


# ---------------------------------------------------------------- verification (ศจพ.1)


def parse_baht(value: Any) -> Decimal | None:
    """Baht as typed ('40,000', '1250.5'), or None when it is not an amount we can keep."""
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0 or amount > MONEY_MAX:
        return None
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def verification_clean(household: Household, data: dict[str, Any]) -> dict[str, Any]:
    """The values to record, or `Invalid` (`verification.fix_fields`) with a code per field.
    Checked here and not only in the form, because the service is the gate every caller
    goes through."""
    wrong: dict[str, Any] = {}
    out: dict[str, Any] = {}
    status = data.get("household_status")
    if status not in Verification.HouseholdStatus.values:
        wrong["household_status"] = v_errors.STATUS_MISSING
    out["household_status"] = status

    try:
        members_now = int(data.get("members_now"))
    except (TypeError, ValueError):
        members_now = -1
    gone = status in (
        Verification.HouseholdStatus.MOVED,
        Verification.HouseholdStatus.HEAD_DECEASED,
    )
    if members_now < (0 if gone else 1) or members_now > 99:
        wrong["members_now"] = v_errors.MEMBERS_NOW
    out["members_now"] = members_now

    for name in MONEY:
        raw = data.get(name)
        amount = parse_baht(raw)
        if amount is None and (name == "income_year" or raw not in (None, "")):
            wrong[name] = v_errors.BAHT
        out[name] = amount if amount is not None else Decimal("0.00")

    can_repay = data.get("can_repay") or ""
    if can_repay and can_repay not in Verification.CanRepay.values:
        wrong["can_repay"] = v_errors.CAN_REPAY
    out["can_repay"] = can_repay

    household_type = data.get("household_type")
    if household_type not in Verification.HouseholdType.values:
        wrong["household_type"] = v_errors.HOUSEHOLD_TYPE
    out["household_type"] = household_type

    note = (data.get("note") or "").strip()
    if len(note) > NOTE_MAX:
        wrong["note"] = v_errors.NOTE_TOO_LONG
    out["note"] = note

    open_codes = selectors.open_problem_codes(household)
    marks = dict(data.get("marks") or {})
    bad_marks = sorted(c for c, m in marks.items() if c in open_codes and m not in Mark.values)
    missing = sorted(open_codes - {c for c, m in marks.items() if m in Mark.values})
    if missing or bad_marks:
        wrong["marks"] = (v_errors.MARKS_MISSING, {"codes": ", ".join(missing or bad_marks)})
    out["marks"] = {c: marks[c] for c in sorted(open_codes) if c in marks}

    codes = selectors.catalogue_codes(household)
    added = list(dict.fromkeys(data.get("added") or []))
    not_new = sorted(c for c in added if c not in codes or c in open_codes)
    if not_new:
        wrong["added"] = (v_errors.ADDED_NOT_NEW, {"codes": ", ".join(not_new)})
    out["added"] = sorted(added, key=codes.index) if not not_new else added

    if not wrong.keys() & {"members_now", "income_year", "marks", "added"}:
        wrong.update(_income_rule_errors(household, out, open_codes))
    if wrong:
        raise errors.Invalid(v_errors.FIX_FIELDS, fields=wrong)
    # Rounded down to the satang, so the figure kept is below the threshold exactly when the
    # household fails it (a threshold is whole satang): 113,999.99 / 3 is 37,999.99, not
    # 38,000.00.
    out["income_per_person"] = (
        (out["income_year"] / members_now).quantize(CENT, rounding=ROUND_DOWN)
        if members_now > 0
        else None
    )
    out["result"] = results.result_category(out["marks"], out["added"])
    return out


def _income_rule_errors(
    household: Household, values: dict[str, Any], open_codes: set[str]
) -> dict[str, Any]:
    """A code (with its parameters) per form field where the marks disagree with what the
    recorded income per person decides (I3: below the threshold the problem stands, at or
    above it does not)."""
    registry = household.registry
    members = values["members_now"]
    decided = selectors.income_decisions(registry, values["income_year"], members)
    if not decided:
        return {}
    marks, added = results.income_marks(values["marks"], values["added"], open_codes, decided)
    amount = selectors.baht(values["income_year"] / members)
    wrong: dict[str, Any] = {}
    for rule in selectors.income_rules(registry):
        code = rule.code
        if code not in decided:
            continue
        shown = code in open_codes
        if shown and values["marks"].get(code) != marks[code]:
            field = f"mark_{code}"
        elif not shown and (code in values["added"]) != (code in added):
            field = "added"
        else:
            continue
        wrong[field] = selectors.income_error(rule, fails=decided[code], shown=shown, amount=amount)
    return wrong


def verification_allowed(actor: Any, household: Household) -> None:
    """Raise `Refused` unless `actor` may record ศจพ.1 for `household` now: its role
    (`verification.may_not_verify`), its area (`verification.outside_area`), a household
    gone from the registry (`verification.not_in_registry`) or a form already sent
    (`verification.sent`)."""
    if not getattr(actor, "is_authenticated", False) or not actor.can(roles.VERIFY):
        raise errors.Refused(v_errors.MAY_NOT_VERIFY)
    if not actor.covers(household.village_code):
        raise errors.Refused(v_errors.OUTSIDE_AREA)
    if household.status not in (Household.Status.ACTIVE, Household.Status.PENDING):
        raise errors.Refused(v_errors.NOT_IN_REGISTRY)
    existing = Verification.objects.filter(household=household).only("state").first()
    if existing is not None and existing.state not in workflow().editable_states:
        raise errors.Refused(v_errors.SENT)
    if selectors.household_locked(household):
        # A new household (ศจพ.2) sent without a ศจพ.1 of its own is locked by its batch.
        raise errors.Refused(v_errors.SENT)


def _uid(value: Any) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise errors.Invalid(v_errors.BAD_UID, fields={"uid": v_errors.BAD_UID}) from None


def _check_version(
    existing: Verification | None, uid: uuid.UUID | None, version: int | None
) -> None:
    """Refuse (`Conflict`) a save made from an older reading of the form than the one
    recorded: another version, or another form's id. A caller that gives neither (an older
    client) is not checked."""
    if existing is None:
        if version not in (None, 0):
            raise errors.Conflict(v_errors.STALE)
        if uid is not None and Verification.objects.filter(uid=uid).exists():
            raise errors.Conflict(v_errors.UID_TAKEN)
        return
    if (version is not None and version != existing.version) or (
        uid is not None and uid != existing.uid
    ):
        raise errors.Conflict(v_errors.STALE)


def verification_save(
    *,
    ctx: Context,
    household: Household,
    data: dict[str, Any],
    uid: Any = None,
    version: int | None = None,
) -> Verification:
    """Record or correct form ศจพ.1 for one household (a draft until its batch is sent).

    `uid` is the form's own id (a phone's, else the server makes one) and `version` the
    version of the form the caller read (0: none was recorded yet): a save from an older
    reading than the one recorded is refused with `Conflict` ("verification.stale"),
    changing nothing (ADR 0021)."""
    actor = ctx.user
    verification_allowed(actor, household)
    values = verification_clean(household, data)
    uid = _uid(uid)
    with transaction.atomic():
        # The household row is the lock `batch_submit` takes too, so a form saved while its
        # area is being sent lands either before the batch (and goes in it) or is refused.
        Household.objects.select_for_update().filter(pk=household.pk).first()
        existing = Verification.objects.select_for_update().filter(household=household).first()
        if existing is not None and existing.state not in workflow().editable_states:
            raise errors.Refused(v_errors.SENT)
        if selectors.household_locked(household):
            raise errors.Refused(v_errors.SENT)
        _check_version(existing, uid, version)
        now = timezone.now()
        fields = [*values, "verified_by", "verified_at", "version"]
        if existing is None:
            verification = Verification(
                household=household,
                verified_by=actor,
                verified_at=now,
                uid=uid or uuid.uuid4(),
                **values,
            )
            verification.save()
            action, before = AuditEvent.Action.CREATE, {}
        else:
            verification = existing
            before = {f: _plain(getattr(verification, f)) for f in values}
            for name, value in values.items():
                setattr(verification, name, value)
            verification.verified_by = actor
            verification.verified_at = now
            verification.version = existing.version + 1
            verification.save(update_fields=fields)
            action = AuditEvent.Action.UPDATE
        after = {f: _plain(v) for f, v in values.items()}
        registry.history_record(
            ctx=ctx,
            household=household,
            kind=history.RECORDED if action == AuditEvent.Action.CREATE else history.CORRECTED,
            result=values["result"],
        )
        audit_record(
            ctx=ctx,
            action=action,
            obj=household,
            summary=say(
                gettext_noop("ศจพ.1 recorded: %(result)s"),
                result=label(Result(values["result"]).label, code=values["result"]),
            ),
            changes={
                "verification": verification.pk,
                "uid": str(verification.uid),
                "version": verification.version,
                "after": after,
                "before": {k: v for k, v in before.items() if v != after.get(k)},
            },
        )
    return verification


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


# ---------------------------------------------------------------- batches


def _event(batch: Batch, actor: Any, event: Event, comment: str, changes: dict, at) -> None:
    BatchEvent.objects.create(
        batch=batch,
        actor=actor,
        actor_username=actor.username,
        at=at,
        action=event.kind,
        comment=comment,
        changes=changes,
    )


def _audit_batch(batch: Batch, ctx: Context, action: str, event: Event, changes: dict):
    """One audit row for the batch and one per household (on approval with exactly what
    changed in it), and the step in each household's history (the event's sentence)."""
    per_household = changes.pop("per_household", {})
    registry.history_record_many(
        ctx=ctx,
        kind=event.history_kind,
        events=[(pk, {}) for pk in changes.get("households", [])],
        batch=batch.pk,
        comment=changes.get("comment", ""),
    )
    summary = say(
        gettext_noop("batch %(event)s for %(area)s (batch %(batch)s)"),
        event=label(event.label, code=event.kind),
        area=area(batch.area_code),
        batch=batch.pk,
    )
    audit_record(ctx=ctx, action=action, obj=batch, summary=summary, changes=changes)
    for household in Household.objects.filter(pk__in=changes.get("households", [])):
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            obj=household,
            summary=summary,
            changes={"batch": batch.pk, **per_household.get(household.pk, {})},
        )


def batch_submit(*, ctx: Context, area_code: str, comment: str = "") -> Batch:
    """Send the area's verified households, and its new households awaiting certification
    (ศจพ.2, exclusion errors), to the district, with an optional note from the team. A
    batch the district returned for exactly this area is sent again, with its corrections,
    instead of starting a new one. From now until the district returns it, nothing of its
    households can be changed."""
    actor = ctx.user
    flow = workflow()
    if not getattr(actor, "is_authenticated", False) or not actor.can(flow.submit_permission):
        raise errors.Refused(v_errors.SUBMIT_DENIED)
    if not (area_code.isdigit() and len(area_code) in flow.submit_area_lengths):
        raise errors.Invalid(v_errors.SUBMIT_AREA)
    if not actor.covers(area_code):
        raise errors.Refused(v_errors.SUBMIT_OUTSIDE)
    registry = registry_latest()
    if registry is None:
        raise errors.Conflict(v_errors.NO_REGISTRY)
    comment = (comment or "").strip()
    if len(comment) > NOTE_MAX:
        raise errors.Invalid(v_errors.NOTE_TOO_LONG, fields={"comment": v_errors.NOTE_TOO_LONG})

    with transaction.atomic():
        open_batches = Batch.objects.select_for_update().filter(
            registry=registry, state__in=selectors.OPEN_BATCH_STATES
        )
        returned = open_batches.filter(area_code=area_code, state=Batch.State.RETURNED).first()
        taken = set(
            BatchItem.objects.filter(batch__in=open_batches).values_list("household_id", flat=True)
        )
        in_area = Household.objects.filter(scope_filter(area_code), registry=registry)
        # Lock the households that may go (the lock `verification_save` takes), then read
        # their forms: a form saved meanwhile is either in this batch or refused.
        candidates = in_area.filter(
            status__in=(Household.Status.ACTIVE, Household.Status.PENDING)
        ).exclude(pk__in=taken)
        list(candidates.select_for_update().values_list("pk", flat=True))
        verified = candidates.filter(verification__state=Verification.State.DRAFT).values_list(
            "pk", "verification__pk", "status"
        )
        new = candidates.filter(
            status=Household.Status.PENDING, verification__isnull=True
        ).values_list("pk", flat=True)
        items = [
            BatchItem(
                household_id=pk,
                verification_id=v_pk,
                kind=BatchItem.Kind.NEW_HOUSEHOLD
                if status == Household.Status.PENDING
                else BatchItem.Kind.VERIFIED,
            )
            for pk, v_pk, status in verified
        ] + [BatchItem(household_id=pk, kind=BatchItem.Kind.NEW_HOUSEHOLD) for pk in new]
        if not items and returned is None:
            raise errors.Conflict(v_errors.NOTHING_TO_SEND)
        now = timezone.now()
        if returned is not None:
            # Sent again under the workflow version it started under.
            event = workflow(returned.workflow_version).resubmit.event
            audit_action = AuditEvent.Action.UPDATE
            batch = returned
            batch.state = Batch.State.SUBMITTED
            batch.submitted_by = actor
            batch.submitted_at = now
            batch.comment = comment
            batch.save(
                update_fields=["state", "submitted_by", "submitted_at", "comment", "updated_at"]
            )
            # A new household of the batch that got a ศจพ.1 while it was returned goes with it.
            for item in batch.items.filter(verification=None).select_related("household"):
                v_pk = (
                    Verification.objects.filter(household=item.household_id)
                    .values_list("pk", flat=True)
                    .first()
                )
                if v_pk is not None:
                    item.verification_id = v_pk
                    item.save(update_fields=["verification"])
        else:
            batch = Batch.objects.create(
                registry=registry,
                workflow_version=flow.version,
                area_code=area_code,
                state=Batch.State.SUBMITTED,
                comment=comment,
                submitted_by=actor,
                submitted_at=now,
            )
            event, audit_action = flow.submit_event, AuditEvent.Action.CREATE
        for item in items:
            item.batch = batch
        BatchItem.objects.bulk_create(items)
        # Corrections made on a returned batch are in the same verification rows.
        Verification.objects.filter(
            pk__in=batch.items.exclude(verification=None).values("verification")
        ).update(state=Verification.State.SUBMITTED, version=F("version") + 1)
        households = sorted(batch.items.values_list("household_id", flat=True))
        changes = {
            "state": [Batch.State.RETURNED if returned else "", Batch.State.SUBMITTED],
            "added_households": sorted(i.household_id for i in items),
            "households": households,
        }
        _event(
            batch,
            actor,
            event,
            comment,
            {k: v for k, v in changes.items() if k != "households"},
            now,
        )
        _audit_batch(batch, ctx, audit_action, event, changes)
    return batch


def _step(name: str, *, batch: Batch, actor: Any, comment: str = "") -> tuple[Batch, Any]:
    """Check and take one workflow step; returns the locked batch and the step for the
    caller to finish inside the same transaction."""
    step = batch.workflow.steps.get(name)
    if step is None:
        raise errors.Refused(v_errors.UNKNOWN_STEP, step=name)
    comment = (comment or "").strip()
    batch_may(actor, name, batch)
    locked = Batch.objects.select_for_update().get(pk=batch.pk)
    if locked.state not in step.from_states:
        raise errors.Refused(
            v_errors.WRONG_STATE, state=locked.get_state_display(), step=step.verb_text
        )
    if step.comment_required and not comment:
        raise errors.Invalid(
            v_errors.COMMENT_REQUIRED, fields={"comment": v_errors.COMMENT_MISSING}
        )
    return locked, step


def batch_may(actor: Any, action: str, batch: Batch) -> None:
    """The batch's policy (verification.policies), asked by the service itself so a caller
    that skipped the page (the command line, the API) is refused alike: `NotFound`
    (access.not_found) for a batch outside the account's area, `Refused` with the step's
    code for one it sees but whose step its role does not take."""
    policy = access.policy(Batch)
    if policy.allows(actor, action, batch):
        return
    if policy.allows(actor, "view", batch):
        raise errors.Refused(v_errors.STEPS_DENIED.get(action, v_errors.STEP_DENIED))
    raise errors.NotFound(errors.NOT_FOUND)


def batch_step(*, ctx: Context, batch: Batch, step: str, comment: str = "") -> Batch:
    """Take the step named `step` of the batch's workflow version (workflows/<version>.yaml):
    certify, return, approve, or any step a version adds. Refused, changing nothing, when
    the version has no such step, the account's role may not take it, the batch is outside
    its area or not in a state the step starts from, or a required comment is missing. The
    step that `applies` writes the batch's changes into the registry."""
    actor = ctx.user
    with transaction.atomic():
        locked, taken = _step(step, batch=batch, actor=actor, comment=comment)
        before = locked.state
        now = timezone.now()
        per_household: dict[int, dict] = {}
        totals: dict[str, Any] = {}
        if taken.applies:
            per_household, totals = _apply(locked, ctx)
            # The registers of the batch's areas (village → country) follow, once committed.
            registry.area_summary_refresh_on_commit(
                registry=locked.registry,
                village_codes=locked.items.values_list("household__village_code", flat=True),
                change=Change(locked._meta.label_lower, str(locked.pk), locked.area_code, now),
            )
        locked.state = taken.to
        locked.comment = (comment or "").strip()
        locked.save(update_fields=["state", "comment", "updated_at"])
        Verification.objects.filter(
            pk__in=locked.items.exclude(verification=None).values("verification")
        ).update(state=taken.verification_state, version=F("version") + 1)
        households = sorted(locked.items.values_list("household_id", flat=True))
        _event(
            locked,
            actor,
            taken.event,
            locked.comment,
            {"state": [before, taken.to], **totals, "per_household": per_household},
            now,
        )
        _audit_batch(
            locked,
            ctx,
            AuditEvent.Action.UPDATE,
            taken.event,
            {
                "state": [before, taken.to],
                "comment": locked.comment,
                "households": households,
                "per_household": per_household,
                **totals,
            },
        )
    return locked


# The manual's steps by name (workflows/v1.yaml), for callers that take one of them.


def batch_certify(*, ctx: Context, batch: Batch, comment: str = "") -> Batch:
    """The district centre certifies the team's results (ศจพ.อ., by 10 January)."""
    return batch_step(ctx=ctx, batch=batch, step="certify", comment=comment)


def batch_return(*, ctx: Context, batch: Batch, comment: str) -> Batch:
    """The district centre sends the batch back to the team with what to correct."""
    return batch_step(ctx=ctx, batch=batch, step="return", comment=comment)


def batch_approve(*, ctx: Context, batch: Batch, comment: str = "") -> Batch:
    """The province centre approves (ศจพ.จ., by 15 January): only now does the registry
    change, exactly as `selectors.batch_changes` showed on the batch page."""
    return batch_step(ctx=ctx, batch=batch, step="approve", comment=comment)


def _apply(batch: Batch, ctx: Context) -> tuple[dict[int, dict], dict[str, Any]]:
    """Write the approved batch's changes into the registry, through the registry's verbs
    (each tells its change in the household's history)."""
    per_household: dict[int, dict] = {}
    totals = {"problems_removed": 0, "problems_added": 0, "status": {}}
    for change in selectors.batch_changes(batch):
        household = change.household
        applied = registry.problems_apply(
            ctx=ctx,
            household=household,
            add=change.add,
            remove=change.remove,
            origin=Problem.Origin.FIELD,
        )
        totals["problems_removed"] += len(applied.removed)
        totals["problems_added"] += len(applied.added)
        if registry.household_status_set(ctx=ctx, household=household, status=change.status_to):
            totals["status"][change.status_to] = totals["status"].get(change.status_to, 0) + 1
        registry.household_refresh_counts(ctx=ctx, household=household)
        # An offline copy read before the approval is now out of date (ADR 0021).
        registry.household_changed(household)
        per_household[household.pk] = {
            "problems_removed": change.remove,
            "problems_added": change.add,
            "status": [change.status_from, change.status_to],
            "result": change.result,
        }
    return per_household, totals


# ---------------------------------------------------------------- the dates of a round


def round_deadlines_set(
    *,
    registry: RegistryYear,
    dates: dict[str, date],
    reason: str,
    ctx: Context,
) -> dict[str, date]:
    """Give the round of `registry` its own deadlines (step → date), in place of the
    manual's dates for its survey year. Refused, changing nothing, when a step is unknown
    or the steps would fall out of order. Returns the round's dates after the change."""
    flow = workflow()
    steps = [d.step for d in flow.deadlines]
    unknown = sorted(set(dates) - set(steps))
    if unknown:
        raise errors.Invalid(v_errors.DEADLINE_STEP_UNKNOWN, steps=", ".join(unknown))
    reason = (reason or "").strip()
    if not reason:
        raise errors.Invalid(v_errors.DEADLINE_REASON)
    with transaction.atomic():
        before = selectors.round_dates(registry)
        after = {
            d.step: dates.get(d.step) or before.get(d.step) or d.due(registry.survey_year)
            for d in flow.deadlines
        }
        ordered = [after[s] for s in steps]
        if ordered != sorted(ordered):
            raise errors.Invalid(v_errors.DEADLINE_ORDER)
        now = timezone.now()
        for step, due in dates.items():
            RoundDeadline.objects.update_or_create(
                registry=registry,
                step=step,
                defaults={"due": due, "reason": reason[:200], "set_at": now},
            )
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            obj=registry,
            summary=say(
                gettext_noop("deadlines of the %(year)s round set: %(reason)s"),
                year=str(registry.survey_year),
                reason=reason,
            ),
            changes={
                "before": {s: d.isoformat() for s, d in before.items()},
                "after": {s: d.isoformat() for s, d in dates.items()},
                "reason": reason,
            },
        )
    return after
