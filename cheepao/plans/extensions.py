"""What the household plan adds to the registry's pages (households.extensions),
registered from `PlansConfig.ready()`: a section of the household folder with the
current plan's status and progress, the confirmed stage, and the way to the plan (to work
on it for the household's mentors, to read or review it for the area), and a link to the
area's development plan above the register; on mentoring's "my households" a line per
household with its plan's state and progress (one query for the page), and the filter
"returned plans" (`mentoring.care`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cheepao.accounts import roles
from cheepao.core import access
from cheepao.households import extensions
from cheepao.households.models import Household
from cheepao.mentoring import care
from cheepao.plans import selectors
from cheepao.plans.models import Plan, PlanItem


def folder_section(household: Household, user: Any) -> dict[str, Any] | None:
    caring = access.policy(Household).allows(user, "care", household)
    found = selectors.folder_plan(household)
    if found is None and not caring:
        return None
    found = found or {"plan": None, "stage": None}
    plan = found["plan"]
    readable = plan is not None and access.policy(Plan).allows(user, "view", plan)
    return {"household": household, "caring": caring, "readable": readable, **found}


def area_action(user: Any, code: str) -> dict[str, Any] | None:
    if len(code) not in (6, 8) or not user.can(roles.VIEW_HOUSEHOLDS):
        return None
    return {"code": code}


def care_cells(households: list[Household]) -> dict[int, Plan]:
    """The current plan of each household of a page with its items done / items (one
    query)."""
    rows = (
        Plan.objects.filter(household__in=[h.pk for h in households], is_current=True)
        .annotate(
            n_items=Count("items"),
            n_done=Count("items", filter=Q(items__status=PlanItem.Status.DONE)),
        )
        .only("pk", "household_id", "number", "status")
    )
    out = {}
    for plan in rows:
        plan.percent = round(100 * plan.n_done / plan.n_items) if plan.n_items else 0
        out[plan.household_id] = plan
    return out


def returned_plans() -> QuerySet:
    """The households whose current plan the subdistrict team returned for changes."""
    return Plan.objects.filter(is_current=True, status=Plan.Status.RETURNED).values("household_id")


def register() -> None:
    care.care_columns.register(
        "plans.plan",
        order=20,
        heading=_("Development plan"),
        template="plans/registry/care_cell.html",
        cells=care_cells,
    )
    care.care_filters.register(
        "returned", order=10, label=_("Returned plans"), households=returned_plans
    )
    extensions.folder_sections.register(
        "plans.plan",
        order=30,
        place="main",
        template="plans/registry/folder_section.html",
        context=folder_section,
    )
    extensions.area_actions.register(
        "plans.area",
        order=30,
        template="plans/registry/area_action.html",
        context=area_action,
    )
