"""Cases and referrals for escalation's tests, made as rows (routing's services are written
in another branch): a case is opened the way routing's verb tells its listeners."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from cheepao.core.context import Context
from cheepao.households.models import Household, Problem
from cheepao.routing.extensions import case_listeners
from cheepao.routing.models import Case


def problems(registry, n: int = 1) -> list[Problem]:
    """`n` open problems naming an indicator, of `n` different households (one village
    first)."""
    out, seen = [], set()
    for p in (
        Problem.objects.filter(household__registry=registry, status=Problem.Status.OPEN)
        .exclude(indicator="")
        .select_related("household")
        .order_by("household__village_code", "household_id", "indicator")
    ):
        if p.household_id in seen:
            continue
        seen.add(p.household_id)
        out.append(p)
        if len(out) == n:
            break
    assert len(out) == n, "not enough open problems in the test registry"
    return out


def open_case(problem: Problem, *, by: Any = None, at=None, tell: bool = True) -> Case:
    """A case on a registry problem, opened (and its listeners told) as routing does."""
    h: Household = problem.household
    case = Case.objects.create(
        household=h,
        village_code=h.village_code,
        dimension=problem.dimension,
        indicator=problem.indicator,
        problem=problem,
        opened_at=at or timezone.now(),
        opened_by=by,
    )
    if tell:
        case_listeners.tell(Context.cli(by), case, "opened")
    return case


def close_case(case: Case, change: str = "closed") -> Case:
    """The case closed (or, for the clock, solved) as routing's verb would, listeners told."""
    case.state = Case.State.CLOSED
    case.closed_reason = "ย้ายออกจากพื้นที่"
    case.save(update_fields=["state", "closed_reason"])
    case_listeners.tell(Context.cli(), case, change)
    return case
