"""Reads of household plans: one household's plans, the folder's plan facts, the plans
waiting for review in an area and the roll-ups of an area's plans into a village or
subdistrict development plan (needs by dimension, kind of help and agency)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from cheepao.core import access
from cheepao.households.models import Household, Problem
from cheepao.plans import stages
from cheepao.plans.models import Plan, PlanItem, StageConfirmation
from cheepao.plans.workflow import Step, workflow

# The plans a roll-up reads: the current plan of each household, approved or waiting for
# review (the latter marked in every figure).
ROLLED_UP = (Plan.Status.APPROVED, Plan.Status.SUBMITTED)


def plans_of(household: Household) -> list[Plan]:
    """Every version of the household's plan, newest first, with its items."""
    return list(
        Plan.objects.filter(household=household)
        .select_related("created_by", "submitted_by", "reviewed_by")
        .prefetch_related(Prefetch("items", queryset=PlanItem.objects.order_by("position", "pk")))
        .order_by("-number")
    )


def current_plan(household: Household) -> Plan | None:
    return (
        Plan.objects.filter(household=household, is_current=True)
        .prefetch_related(Prefetch("items", queryset=PlanItem.objects.order_by("position", "pk")))
        .first()
    )


def failing_indicators(household: Household) -> set[str]:
    """The indicators of the household's open problems (marked on the plan's items step)."""
    return set(
        Problem.objects.filter(household=household, status=Problem.Status.OPEN).values_list(
            "indicator", flat=True
        )
    )


def latest_stage(household: Household) -> StageConfirmation | None:
    return (
        StageConfirmation.objects.filter(household=household)
        .select_related("confirmed_by")
        .order_by("-confirmed_at", "-pk")
        .first()
    )


def stage_name(code: str) -> str:
    if not code:
        return ""
    found = stages.catalogue().stage(code)
    return found.name if found else code


def steps_for(user: Any, plan: Plan, *, caring: bool) -> list[Step]:
    """The workflow steps `user` may take on `plan` now (the page's buttons)."""
    if not plan.is_current:
        return []
    flow = workflow(plan.workflow_version)
    reviews = access.policy(Plan).allows(user, "review", plan)
    return [
        s
        for s in flow.steps.values()
        if plan.status in s.from_states and (caring if s.by_mentor else reviews)
    ]


def waiting_for_review(user: Any, code: str) -> QuerySet[Plan]:
    """Current plans sent for review in area `code` that `user` reviews."""
    return (
        access.scope(user, Plan, "review")
        .filter(
            is_current=True,
            status=Plan.Status.SUBMITTED,
            household__village_code__startswith=code,
        )
        .select_related("household")
        .order_by("household__village_code", "household__house_no", "pk")
    )


# ---------------------------------------------------------------- roll-ups


@dataclass
class Need:
    """One line of a roll-up: the households and items of a need, of which in plans that
    still wait for review."""

    key: str
    households: set = field(default_factory=set)
    items: int = 0
    households_waiting: set = field(default_factory=set)
    items_waiting: int = 0
    done: int = 0

    @property
    def n_households(self) -> int:
        return len(self.households)

    @property
    def n_households_waiting(self) -> int:
        return len(self.households_waiting)


@dataclass
class RollUp:
    code: str
    plans_approved: int
    plans_waiting: int
    households: int
    items: int
    items_waiting: int
    done: int
    by_dimension: list[Need]
    by_help: list[Need]
    by_agency: list[Need]
    by_village: list[Need]


def _needs(rows: list[dict], key: str, order: list[str] | None = None) -> list[Need]:
    found: dict[str, Need] = {}
    for r in rows:
        k = r[key] or ""
        need = found.setdefault(k, Need(k))
        need.households.add(r["plan__household_id"])
        need.items += 1
        need.done += r["status"] == PlanItem.Status.DONE
        if r["plan__status"] == Plan.Status.SUBMITTED:
            need.households_waiting.add(r["plan__household_id"])
            need.items_waiting += 1
    if order is not None:
        rank = {k: i for i, k in enumerate(order)}
        return sorted(found.values(), key=lambda n: (rank.get(n.key, len(rank)), n.key))
    return sorted(found.values(), key=lambda n: (-n.n_households, -n.items, n.key))


def rollup(code: str, *, dimensions: list[str] | None = None) -> RollUp:
    """The development plan of area `code` (a village, 8 digits, or a subdistrict, 6):
    the items of the current approved and submitted plans of its households, counted by
    dimension, kind of help, agency and village. Counts only: no person is named."""
    plans = Plan.objects.filter(
        is_current=True, status__in=ROLLED_UP, household__village_code__startswith=code
    )
    by_status = dict(plans.values_list("status").annotate(n=Count("pk")))
    rows = list(
        PlanItem.objects.filter(plan__in=plans).values(
            "dimension",
            "help_kind",
            "agency",
            "status",
            "plan__status",
            "plan__household_id",
            "plan__household__village_code",
        )
    )
    households = plans.values("household_id").distinct().count()
    return RollUp(
        code=code,
        plans_approved=by_status.get(Plan.Status.APPROVED, 0),
        plans_waiting=by_status.get(Plan.Status.SUBMITTED, 0),
        households=households,
        items=len(rows),
        items_waiting=sum(1 for r in rows if r["plan__status"] == Plan.Status.SUBMITTED),
        done=sum(1 for r in rows if r["status"] == PlanItem.Status.DONE),
        by_dimension=_needs(rows, "dimension", dimensions),
        by_help=_needs(rows, "help_kind", list(PlanItem.Help.values)),
        by_agency=_needs(rows, "agency"),
        by_village=sorted(_needs(rows, "plan__household__village_code"), key=lambda n: n.key)
        if len(code) < 8
        else [],
    )


def plan_counts(code: str) -> dict[str, int]:
    """Current plans of area `code` by status (for the roll-up page's header)."""
    return dict(
        Plan.objects.filter(is_current=True, household__village_code__startswith=code)
        .values_list("status")
        .annotate(n=Count("pk"))
    )


def folder_plan(household: Household) -> dict[str, Any] | None:
    """The household's current plan, its progress and its confirmed stage (folder)."""
    plan = (
        Plan.objects.filter(household=household, is_current=True)
        .annotate(
            n_items=Count("items"),
            n_done=Count("items", filter=Q(items__status=PlanItem.Status.DONE)),
        )
        .first()
    )
    stage = latest_stage(household)
    if plan is None and stage is None:
        return None
    return {"plan": plan, "stage": stage}


def group_items(plan: Plan, catalogue: Any) -> list[tuple[Any, list[PlanItem]]]:
    """The plan's items under their dimensions, in the catalogue's order."""
    items: dict[str, list[PlanItem]] = defaultdict(list)
    for i in plan.items.all():
        items[i.dimension].append(i)
    return [(d, items[d.code]) for d in catalogue.dimensions if items.get(d.code)]
