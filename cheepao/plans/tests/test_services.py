"""The plan's verbs through the service interface: each step, and every refusal with its
code and nothing changed (plans, items, stages, history, audit)."""

from __future__ import annotations

import datetime

import pytest

from cheepao.audit.models import AuditEvent
from cheepao.core import errors
from cheepao.core.context import Context
from cheepao.households.models import HouseholdEvent
from cheepao.plans import services
from cheepao.plans.models import Plan, PlanItem, StageConfirmation
from cheepao.plans.tests.helpers import item

pytestmark = pytest.mark.django_db


def state():
    return (
        list(Plan.objects.order_by("pk").values()),
        list(PlanItem.objects.order_by("pk").values()),
        StageConfirmation.objects.count(),
        HouseholdEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def refused(exc_type, code, call, **kwargs):
    before = state()
    with pytest.raises(exc_type) as caught:
        call(**kwargs)
    assert caught.value.code == code
    assert state() == before


def drafted(cared):
    ctx = Context.cli(cared["mentor"])
    h = cared["household"]
    plan = services.plan_start(ctx=ctx, household_id=h.pk)
    plan = services.plan_save(
        ctx=ctx,
        plan_id=plan.pk,
        version=plan.version,
        data={
            "goal": "มีรายได้พอใช้ ไม่มีหนี้นอกระบบ",
            "attitude": "อยากพึ่งตนเอง",
            "target_stage": "survive",
        },
    )
    services.item_add(ctx=ctx, plan_id=plan.pk, version=plan.version, data=item("income", "I3"))
    plan.refresh_from_db()
    services.item_add(ctx=ctx, plan_id=plan.pk, version=plan.version, data=item("health", "H4"))
    plan.refresh_from_db()
    return plan


def test_draft_submit_return_revise_approve(cared):
    mentor, team, h = Context.cli(cared["mentor"]), Context.cli(cared["team"]), cared["household"]
    plan = drafted(cared)
    items = list(plan.items.order_by("position"))
    assert [(i.dimension, i.indicator) for i in items] == [("income", "I3"), ("health", "H4")]
    # The agency defaults to the indicator's lead ministry (seed 001 section ๙).
    assert items[0].agency == "กระทรวงมหาดไทย (พช.)"
    assert items[1].agency == "กระทรวงสาธารณสุข"
    assert items[0].horizon == "short"

    plan = services.plan_step(ctx=mentor, plan_id=plan.pk, step="submit", version=plan.version)
    assert plan.status == "submitted" and plan.submitted_by == cared["mentor"]
    plan = services.plan_step(
        ctx=team, plan_id=plan.pk, step="return", version=plan.version, comment="เพิ่มด้านการศึกษา"
    )
    assert (plan.status, plan.review_comment) == ("returned", "เพิ่มด้านการศึกษา")
    new = services.plan_step(ctx=mentor, plan_id=plan.pk, step="revise", version=plan.version)
    assert (new.number, new.status, new.is_current, new.revises_id) == (2, "draft", True, plan.pk)
    assert new.goal == plan.goal and new.items.count() == 2
    plan.refresh_from_db()
    assert (plan.is_current, plan.status, plan.items.count()) == (False, "returned", 2)
    new = services.plan_step(ctx=mentor, plan_id=new.pk, step="submit", version=new.version)
    new = services.plan_step(ctx=team, plan_id=new.pk, step="approve", version=new.version)
    assert new.status == "approved" and new.reviewed_by == cared["team"]
    kinds = list(
        HouseholdEvent.objects.filter(household=h).order_by("pk").values_list("kind", flat=True)
    )
    assert kinds[-6:] == [
        "plans.created",
        "plans.submitted",
        "plans.returned",
        "plans.revised",
        "plans.submitted",
        "plans.approved",
    ]
    # Progress: items done / items, toggled on the approved plan.
    first = new.items.order_by("position").first()
    services.item_status_set(
        ctx=mentor, plan_id=new.pk, version=new.version, item_id=first.pk, status="done"
    )
    new.refresh_from_db()
    assert new.progress == (1, 2)


def test_not_in_care_is_not_found_and_changes_nothing(cared):
    h = cared["household"]
    for who in ("other_mentor", "team", "district"):
        refused(
            errors.NotFound,
            "access.not_found",
            services.plan_start,
            ctx=Context.cli(cared[who]),
            household_id=h.pk,
        )
    plan = drafted(cared)
    for who in ("other_mentor", "team"):
        ctx = Context.cli(cared[who])
        refused(
            errors.NotFound,
            "access.not_found",
            services.plan_save,
            ctx=ctx,
            plan_id=plan.pk,
            version=plan.version,
            data={"goal": "x"},
        )
        refused(
            errors.NotFound,
            "access.not_found",
            services.item_add,
            ctx=ctx,
            plan_id=plan.pk,
            version=plan.version,
            data=item("income"),
        )
        refused(
            errors.NotFound,
            "access.not_found",
            services.plan_step,
            ctx=ctx,
            plan_id=plan.pk,
            step="submit",
            version=plan.version,
        )


def test_approve_by_a_mentor_is_refused(cared):
    mentor = Context.cli(cared["mentor"])
    plan = drafted(cared)
    plan = services.plan_step(ctx=mentor, plan_id=plan.pk, step="submit", version=plan.version)
    for step in ("approve", "return"):
        refused(
            errors.Refused,
            "plans.step_denied",
            services.plan_step,
            ctx=mentor,
            plan_id=plan.pk,
            step=step,
            version=plan.version,
            comment="x",
        )
    refused(
        errors.Refused,
        "plans.step_denied",
        services.stage_confirm,
        ctx=mentor,
        plan_id=plan.pk,
        stage="",
    )


def test_return_without_a_comment_is_refused(cared):
    plan = drafted(cared)
    plan = services.plan_step(
        ctx=Context.cli(cared["mentor"]), plan_id=plan.pk, step="submit", version=plan.version
    )
    refused(
        errors.Invalid,
        "plans.comment_required",
        services.plan_step,
        ctx=Context.cli(cared["team"]),
        plan_id=plan.pk,
        step="return",
        version=plan.version,
        comment="   ",
    )


def test_an_approved_plan_cannot_be_edited(cared):
    mentor, team = Context.cli(cared["mentor"]), Context.cli(cared["team"])
    plan = drafted(cared)
    plan = services.plan_step(ctx=mentor, plan_id=plan.pk, step="submit", version=plan.version)
    plan = services.plan_step(ctx=team, plan_id=plan.pk, step="approve", version=plan.version)
    refused(
        errors.Refused,
        "plans.not_editable",
        services.plan_save,
        ctx=mentor,
        plan_id=plan.pk,
        version=plan.version,
        data={"goal": "อื่น"},
    )
    refused(
        errors.Refused,
        "plans.not_editable",
        services.item_add,
        ctx=mentor,
        plan_id=plan.pk,
        version=plan.version,
        data=item("income"),
    )
    first = plan.items.first()
    refused(
        errors.Refused,
        "plans.not_editable",
        services.item_remove,
        ctx=mentor,
        plan_id=plan.pk,
        version=plan.version,
        item_id=first.pk,
    )
    refused(
        errors.Refused,
        "plans.step_state",
        services.plan_step,
        ctx=team,
        plan_id=plan.pk,
        step="approve",
        version=plan.version,
    )
    # An older version is kept as it was, never changed.
    new = services.plan_step(ctx=mentor, plan_id=plan.pk, step="revise", version=plan.version)
    plan.refresh_from_db()
    refused(
        errors.Refused,
        "plans.not_current",
        services.plan_step,
        ctx=mentor,
        plan_id=plan.pk,
        step="revise",
        version=plan.version,
    )
    assert new.is_current


def test_a_stale_version_is_refused(cared):
    mentor = Context.cli(cared["mentor"])
    plan = drafted(cared)
    old = plan.version - 1
    refused(
        errors.Conflict,
        "plans.stale",
        services.plan_save,
        ctx=mentor,
        plan_id=plan.pk,
        version=old,
        data={"goal": "ช้าไป"},
    )
    refused(
        errors.Conflict,
        "plans.stale",
        services.item_add,
        ctx=mentor,
        plan_id=plan.pk,
        version=old,
        data=item("income"),
    )
    refused(
        errors.Conflict,
        "plans.stale",
        services.plan_step,
        ctx=mentor,
        plan_id=plan.pk,
        step="submit",
        version=old,
    )


def test_bad_items_and_empty_plans_are_refused(cared):
    mentor = Context.cli(cared["mentor"])
    plan = services.plan_start(ctx=mentor, household_id=cared["household"].pk)
    refused(
        errors.Refused,
        "plans.exists",
        services.plan_start,
        ctx=mentor,
        household_id=cared["household"].pk,
    )
    refused(
        errors.Refused,
        "plans.no_goal",
        services.plan_step,
        ctx=mentor,
        plan_id=plan.pk,
        step="submit",
        version=plan.version,
    )
    plan = services.plan_save(
        ctx=mentor, plan_id=plan.pk, version=plan.version, data={"goal": "พึ่งตนเองได้"}
    )
    refused(
        errors.Refused,
        "plans.no_items",
        services.plan_step,
        ctx=mentor,
        plan_id=plan.pk,
        step="submit",
        version=plan.version,
    )
    for bad, field in (
        (item("nowhere"), "dimension"),
        (item("income", "H1"), "indicator"),
        (item("income", own_action=""), "own_action"),
        (item("income", help_kind="cash"), "help_kind"),
        (item("income", agency="=HYPERLINK(1)"), "agency"),
        (item("income", due="31/02/2568"), "due"),
    ):
        with pytest.raises(errors.Invalid) as caught:
            services.item_add(ctx=mentor, plan_id=plan.pk, version=plan.version, data=bad)
        assert field in caught.value.fields
    assert plan.items.count() == 0


def test_horizon_follows_the_date():
    start = datetime.date(2025, 1, 15)
    assert services.horizon_of(start, datetime.date(2025, 4, 15)) == "short"
    assert services.horizon_of(start, datetime.date(2025, 4, 16)) == "medium"
    assert services.horizon_of(start, datetime.date(2025, 7, 15)) == "medium"
    assert services.horizon_of(start, datetime.date(2025, 8, 1)) == "long"
