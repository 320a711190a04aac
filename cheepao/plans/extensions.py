"""What the household plan adds to the registry's pages (households.extensions),
registered from `PlansConfig.ready()`: a section of the household folder with the
current plan's status and progress, the confirmed stage, and the way to the plan (to work
on it for the household's mentors, to read or review it for the area), and a link to the
area's development plan above the register."""

from __future__ import annotations

from typing import Any

from cheepao.accounts import roles
from cheepao.core import access
from cheepao.households import extensions
from cheepao.households.models import Household
from cheepao.plans import selectors
from cheepao.plans.models import Plan


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


def register() -> None:
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
