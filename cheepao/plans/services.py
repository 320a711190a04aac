"""Every write of a household plan (ADR 0017): `verb(*, ctx, ...)`, the permission asked
of the policies in the verb, one transaction, its audit row and the household history's
event; a refusal raises a code before anything is written.

Writing (start, save, items, submit, revise) is the household action `care` (the
household's current mentors): anyone else gets the same `access.not_found` as for a
household that does not exist. Review (return, approve, confirm the stage) is the plan
policy's `review` (the subdistrict team of the household's area): an account that sees the
plan but does not review is refused (`plans.step_denied`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from cheepao.audit.models import AuditEvent
from cheepao.audit.services import audit_record
from cheepao.audit.summaries import label, say
from cheepao.core import access, errors
from cheepao.core.context import Context
from cheepao.households.models import Household, Problem
from cheepao.households.services import history_record
from cheepao.notifications.services import notify
from cheepao.plans import agencies, history, notices, stages
from cheepao.plans import errors as codes
from cheepao.plans.models import Plan, PlanItem, Stage, StageConfirmation
from cheepao.plans.workflow import Step, workflow

TEXT_FIELDS = ("goal", "attitude", "skills", "land", "tools", "funds", "way_out")
ITEM_TEXT_MAX = 2000


# ---------------------------------------------------------------- reaching a plan


def _cared_household(ctx: Context, household_id: Any) -> Household:
    return access.one(ctx.user, Household, "care", household_id)


def _plan_for_care(ctx: Context, plan_id: Any, *, lock: bool = True) -> Plan:
    """The plan `plan_id` of a household in the actor's care, locked for the write."""
    try:
        pk = int(plan_id)
    except (TypeError, ValueError):
        raise errors.NotFound(errors.NOT_FOUND) from None
    qs = Plan.objects.select_for_update() if lock else Plan.objects
    plan = qs.filter(pk=pk).first()
    if plan is None:
        raise errors.NotFound(errors.NOT_FOUND)
    plan.household = _cared_household(ctx, plan.household_id)
    return plan


def _plan_for_review(ctx: Context, plan_id: Any) -> Plan:
    try:
        plan = access.one(ctx.user, Plan, "review", plan_id)
    except errors.NotFound:
        access.one(ctx.user, Plan, "view", plan_id)  # NotFound when not even seen
        raise errors.Refused(codes.STEP_DENIED) from None
    return Plan.objects.select_for_update().select_related("household").get(pk=plan.pk)


def _check_version(plan: Plan, version: Any) -> None:
    if str(version) != str(plan.version):
        raise errors.Conflict(codes.STALE)


def _check_editable(plan: Plan) -> None:
    if not plan.is_current:
        raise errors.Refused(codes.NOT_CURRENT)
    if plan.status not in workflow(plan.workflow_version).editable_states:
        raise errors.Refused(codes.NOT_EDITABLE)


def _bump(plan: Plan, ctx: Context, *fields: str) -> None:
    plan.version += 1
    plan.updated_by = ctx.user
    plan.save(update_fields=["version", "updated_by", "updated_at", *fields])


# ---------------------------------------------------------------- plan and items


def plan_start(*, ctx: Context, household_id: Any) -> Plan:
    """Start the first plan of a household in the actor's care (a draft, number 1)."""
    household = _cared_household(ctx, household_id)
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        if Plan.objects.filter(household=household, is_current=True).exists():
            raise errors.Refused(codes.EXISTS)
        plan = Plan.objects.create(
            household=household,
            number=1,
            workflow_version=workflow().version,
            created_by=ctx.user,
            updated_by=ctx.user,
        )
        history_record(ctx=ctx, household=household, kind=history.CREATED, number=plan.number)
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.CREATE,
            obj=plan,
            summary=say(gettext_noop("household plan no. %(number)s started"), number=1),
            changes={"household": household.pk, "uid": str(plan.uid)},
        )
    return plan


def _clean_text(data: dict, name: str, *, required: bool = False) -> str:
    value = str(data.get(name) or "").strip()[:ITEM_TEXT_MAX]
    if required and not value:
        raise errors.Invalid(codes.FIELD_REQUIRED, fields={name: codes.FIELD_REQUIRED})
    return value


def plan_save(*, ctx: Context, plan_id: Any, version: Any, data: dict) -> Plan:
    """Save the goal, the 4ท analysis and the target stage of a draft plan. Fields not in
    `data` keep their value (the page saves one step at a time)."""
    target = data.get("target_stage")
    if target not in (None, "") and target not in Stage.values:
        raise errors.Invalid(codes.BAD_CHOICE, fields={"target_stage": codes.BAD_CHOICE})
    with transaction.atomic():
        plan = _plan_for_care(ctx, plan_id)
        _check_editable(plan)
        _check_version(plan, version)
        changed = []
        for name in TEXT_FIELDS:
            if name in data:
                value = _clean_text(data, name)
                if value != getattr(plan, name):
                    setattr(plan, name, value)
                    changed.append(name)
        if target is not None and target != plan.target_stage:
            plan.target_stage = target
            changed.append("target_stage")
        if changed:
            _bump(plan, ctx, *changed)
            audit_record(
                ctx=ctx,
                action=AuditEvent.Action.UPDATE,
                obj=plan,
                summary=say(
                    gettext_noop("household plan no. %(number)s changed"), number=plan.number
                ),
                changes={"fields": changed},
            )
    return plan


def horizon_of(start: datetime.date, due: datetime.date) -> str:
    """Short (up to 3 months), medium (4-6) or long (over 6) from `start` to `due`."""
    months = (due.year - start.year) * 12 + (due.month - start.month)
    if due.day > start.day:
        months += 1
    if months <= 3:
        return PlanItem.Horizon.SHORT
    if months <= 6:
        return PlanItem.Horizon.MEDIUM
    return PlanItem.Horizon.LONG


def _item_values(plan: Plan, data: dict) -> dict[str, Any]:
    cat = plan.household.registry.catalogue
    fields: dict[str, str] = {}
    dimension = str(data.get("dimension") or "")
    if dimension not in {d.code for d in cat.dimensions}:
        fields["dimension"] = codes.BAD_CHOICE
    indicator = str(data.get("indicator") or "")
    if indicator and indicator not in {i.code for i in cat.indicators_of(dimension)}:
        fields["indicator"] = codes.BAD_CHOICE
    own = str(data.get("own_action") or "").strip()[:ITEM_TEXT_MAX]
    if not own:
        fields["own_action"] = codes.FIELD_REQUIRED
    help_kind = str(data.get("help_kind") or "")
    if help_kind not in PlanItem.Help.values:
        fields["help_kind"] = codes.BAD_CHOICE
    agency = str(data.get("agency") or "").strip()
    if "agency" not in data and not fields:
        agency = agencies.default_for(cat, dimension, indicator)
    elif agency and agency not in agencies.choices(cat):
        fields["agency"] = codes.BAD_CHOICE
    due = data.get("due")
    if isinstance(due, str):
        try:
            due = datetime.date.fromisoformat(due)
        except ValueError:
            due = None
    if not isinstance(due, datetime.date):
        fields["due"] = codes.BAD_DATE
    if fields:
        raise errors.Invalid(next(iter(fields.values())), fields=fields)
    start = timezone.localdate(plan.created_at) if plan.created_at else timezone.localdate()
    return {
        "dimension": dimension,
        "indicator": indicator,
        "own_action": own,
        "support": str(data.get("support") or "").strip()[:ITEM_TEXT_MAX],
        "agency": agency,
        "help_kind": help_kind,
        "due": due,
        "horizon": horizon_of(start, due),
    }


def item_add(*, ctx: Context, plan_id: Any, version: Any, data: dict) -> PlanItem:
    """Add an action item (dimension, indicator, what the household does, what the mentor
    or an agency supports, which agency, kind of help, when) to a draft plan. The agency
    is the indicator's lead ministry when `data` does not name one; the horizon follows
    from the date."""
    with transaction.atomic():
        plan = _plan_for_care(ctx, plan_id)
        _check_editable(plan)
        _check_version(plan, version)
        values = _item_values(plan, data)
        position = plan.items.count()
        item = PlanItem.objects.create(plan=plan, position=position, **values)
        _bump(plan, ctx)
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            obj=plan,
            summary=say(
                gettext_noop("household plan no. %(number)s: item added (%(indicator)s)"),
                number=plan.number,
                indicator=item.indicator or item.dimension,
            ),
            changes={"item": item.pk, **{k: str(v) for k, v in values.items()}},
        )
    return item


def item_remove(*, ctx: Context, plan_id: Any, version: Any, item_id: Any) -> None:
    with transaction.atomic():
        plan = _plan_for_care(ctx, plan_id)
        _check_editable(plan)
        _check_version(plan, version)
        item = _item(plan, item_id)
        removed = {"item": item.pk, "indicator": item.indicator, "dimension": item.dimension}
        item.delete()
        _bump(plan, ctx)
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            obj=plan,
            summary=say(
                gettext_noop("household plan no. %(number)s: item removed (%(indicator)s)"),
                number=plan.number,
                indicator=removed["indicator"] or removed["dimension"],
            ),
            changes=removed,
        )


def _item(plan: Plan, item_id: Any) -> PlanItem:
    try:
        pk = int(item_id)
    except (TypeError, ValueError):
        raise errors.Invalid(codes.NO_ITEM) from None
    item = plan.items.filter(pk=pk).first()
    if item is None:
        raise errors.Invalid(codes.NO_ITEM)
    return item


def item_status_set(
    *, ctx: Context, plan_id: Any, version: Any, item_id: Any, status: str
) -> PlanItem:
    """Mark an item of the current plan done or continuing (a draft's, or an approved
    plan's as the household carries it out)."""
    if status not in PlanItem.Status.values:
        raise errors.Invalid(codes.BAD_CHOICE, fields={"status": codes.BAD_CHOICE})
    with transaction.atomic():
        plan = _plan_for_care(ctx, plan_id)
        if not plan.is_current:
            raise errors.Refused(codes.NOT_CURRENT)
        if plan.status not in (Plan.Status.DRAFT, Plan.Status.APPROVED):
            raise errors.Refused(codes.NOT_EDITABLE)
        _check_version(plan, version)
        item = _item(plan, item_id)
        if item.status == status:
            return item
        item.status = status
        item.save(update_fields=["status"])
        _bump(plan, ctx)
        name = item.indicator or item.dimension
        history_record(
            ctx=ctx,
            household=plan.household,
            kind=history.ITEM_STATUS,
            number=plan.number,
            item=name,
            status=status,
        )
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            obj=plan,
            summary=say(
                gettext_noop("household plan no. %(number)s: item %(indicator)s %(status)s"),
                number=plan.number,
                indicator=name,
                status=label(PlanItem.Status(status).label, code=status),
            ),
            changes={"item": item.pk, "status": status},
        )
    return item


# ---------------------------------------------------------------- the workflow


def plan_step(*, ctx: Context, plan_id: Any, step: str, version: Any, comment: str = "") -> Plan:
    """Take a step of the plan's workflow (workflows/<version>.yaml): submit, return,
    approve, revise, or any step a later version adds. Returns the plan the step leaves
    current (a new one for a step that makes a new version)."""
    comment = str(comment or "").strip()[:ITEM_TEXT_MAX]
    with transaction.atomic():
        plan = _reach_for_step(ctx, plan_id, step)
        flow = workflow(plan.workflow_version)
        s = flow.steps[step]
        if not plan.is_current:
            raise errors.Refused(codes.NOT_CURRENT)
        if plan.status not in s.from_states:
            raise errors.Refused(codes.STEP_STATE)
        _check_version(plan, version)
        if s.comment_required and not comment:
            raise errors.Invalid(codes.COMMENT_REQUIRED, fields={"comment": codes.COMMENT_REQUIRED})
        if s.to == Plan.Status.SUBMITTED:
            if not plan.goal:
                raise errors.Refused(codes.NO_GOAL)
            if not plan.items.exists():
                raise errors.Refused(codes.NO_ITEMS)
        result = _revise(ctx, plan, s) if s.new_version else _move(ctx, plan, s, comment)
        if result.status == Plan.Status.RETURNED:
            # The household's mentor team (its members with accounts) is told (ADR 0029).
            notify(
                ctx=ctx,
                users=access.actors(plan.household, "care"),
                kind=notices.RETURNED,
                url=reverse("plans:household", args=[plan.household_id]),
                number=result.number,
                household=plan.household.hh_id,
            )
        history_record(
            ctx=ctx,
            household=plan.household,
            kind=s.history_kind,
            number=result.number,
            comment=comment,
        )
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            obj=result,
            summary=say(
                gettext_noop("household plan no. %(number)s: %(step)s"),
                number=result.number,
                step=label(s.label, code=s.name),
            ),
            changes={
                "step": s.name,
                "from": plan.status if s.new_version else "",
                "comment": comment,
                "plan": plan.pk,
            },
        )
    return result


def _reach_for_step(ctx: Context, plan_id: Any, step: str) -> Plan:
    plan = Plan.objects.filter(pk=_int_or_none(plan_id)).first()
    if plan is None:
        raise errors.NotFound(errors.NOT_FOUND)
    flow = workflow(plan.workflow_version)
    if step not in flow.steps:
        raise errors.Refused(codes.STEP_STATE)
    if flow.steps[step].by_mentor:
        return _plan_for_care(ctx, plan.pk)
    return _plan_for_review(ctx, plan.pk)


def _int_or_none(value: Any) -> int | None:
    try:
        key = int(value)
    except (TypeError, ValueError):
        return None
    return key if -(2**63) <= key < 2**63 else None


def _move(ctx: Context, plan: Plan, s: Step, comment: str) -> Plan:
    now = timezone.now()
    plan.status = s.to
    fields = ["status"]
    if s.by_mentor:
        plan.submitted_by, plan.submitted_at = ctx.user, now
        fields += ["submitted_by", "submitted_at"]
    else:
        plan.reviewed_by, plan.reviewed_at, plan.review_comment = ctx.user, now, comment
        fields += ["reviewed_by", "reviewed_at", "review_comment"]
    _bump(plan, ctx, *fields)
    return plan


def _revise(ctx: Context, plan: Plan, s: Step) -> Plan:
    """A new version of `plan` (its goal, 4ท and items copied), current from now on; the
    old one stays as it was."""
    plan.is_current = False
    _bump(plan, ctx, "is_current")
    new = Plan.objects.create(
        household=plan.household,
        number=plan.number + 1,
        revises=plan,
        workflow_version=workflow().version,
        status=s.to,
        target_stage=plan.target_stage,
        created_by=ctx.user,
        updated_by=ctx.user,
        **{name: getattr(plan, name) for name in TEXT_FIELDS},
    )
    PlanItem.objects.bulk_create(
        PlanItem(
            plan=new,
            position=i.position,
            dimension=i.dimension,
            indicator=i.indicator,
            own_action=i.own_action,
            support=i.support,
            agency=i.agency,
            help_kind=i.help_kind,
            due=i.due,
            horizon=i.horizon,
            status=i.status,
        )
        for i in plan.items.all()
    )
    return new


# ---------------------------------------------------------------- the stage


def stage_facts(plan: Plan) -> stages.Facts:
    """What the stage catalogue reads of a household: its open problems by dimension and
    the plan's items done."""
    failing: dict[str, list[str]] = {}
    for dim, ind in (
        Problem.objects.filter(household_id=plan.household_id, status=Problem.Status.OPEN)
        .order_by("dimension", "indicator")
        .values_list("dimension", "indicator")
    ):
        failing.setdefault(dim, []).append(ind)
    done, total = plan.progress
    return stages.Facts(failing=failing, done=done, total=total)


def stage_propose(plan: Plan) -> stages.Proposal:
    return stages.catalogue().propose(stage_facts(plan))


def stage_confirm(*, ctx: Context, plan_id: Any, stage: str) -> StageConfirmation:
    """The subdistrict team confirms the stage the catalogue proposes for the plan's
    household now. `stage` is the proposal the page showed ('' = not yet survival): a
    different proposal now (the facts changed) is refused, so nobody confirms a stage they
    did not see. The stage and its evidence are stored; nothing else can be typed."""
    with transaction.atomic():
        plan = _plan_for_review(ctx, plan_id)
        if plan.status not in (Plan.Status.SUBMITTED, Plan.Status.APPROVED):
            raise errors.Refused(codes.STAGE_STATE)
        proposal = stage_propose(plan)
        if proposal.code != str(stage or ""):
            raise errors.Conflict(codes.STAGE_CHANGED)
        found = StageConfirmation.objects.create(
            household=plan.household,
            plan=plan,
            stage=proposal.code,
            catalogue_version=proposal.version,
            evidence=proposal.evidence_data(),
            confirmed_by=ctx.user,
        )
        if proposal.code:
            history_record(
                ctx=ctx,
                household=plan.household,
                kind=history.STAGE_CONFIRMED,
                stage=proposal.code,
            )
        else:
            history_record(ctx=ctx, household=plan.household, kind=history.STAGE_NONE)
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            obj=plan,
            summary=say(
                gettext_noop("stage confirmed for household plan no. %(number)s: %(stage)s"),
                number=plan.number,
                stage=proposal.code or "-",
            ),
            changes={"stage": proposal.code, "catalogue": proposal.version},
        )
    return found
