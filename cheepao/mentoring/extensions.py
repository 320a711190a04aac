"""What mentoring adds to the registry's pages (households.extensions), registered from
`MentoringConfig.ready()`: the registry does not import this app.

- the folder: a facts line "team / mentor" of the household's current assignment;
- the area register: a column "mentor"; for the district an action "assign mentors"
  that opens the teams of the subdistrict, and for the district and the subdistrict the
  lists "unassigned households" and "no contact for N days" of the area shown.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from cheepao.accounts import roles
from cheepao.households import extensions
from cheepao.households.models import Household
from cheepao.mentoring import selectors


def folder_fact(household: Household, user: Any) -> dict[str, Any] | None:
    assignment = selectors.current_assignment(household)
    return {"assignment": assignment} if assignment is not None else None


def area_action(user: Any, code: str) -> dict[str, Any] | None:
    """For the district: "assign mentors" (a subdistrict or village); for the district and
    the subdistrict team: the unassigned and silent households of the area shown."""
    assign = user.can(roles.APPOINT_MENTORS) and len(code) >= 6
    lists = selectors.may_see_lists(user) and code.startswith(user.area_code or "")
    if not (assign or lists):
        return None
    return {
        "subdistrict": code[:6] if assign else "",
        "lists": lists,
        "area": selectors.list_area(user, code),
    }


def register() -> None:
    extensions.folder_sections.register(
        "mentoring.fact",
        order=30,
        place="facts",
        template="mentoring/registry/folder_fact.html",
        context=folder_fact,
    )
    extensions.area_actions.register(
        "mentoring.assign",
        order=30,
        template="mentoring/registry/area_action.html",
        context=area_action,
    )
    extensions.register_columns.register(
        "mentoring.mentor",
        order=30,
        heading=_("Mentor"),
        template="mentoring/registry/register_cell.html",
        cells=selectors.mentor_names,
    )
