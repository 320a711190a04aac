"""What form ศจพ.2 adds to the registry's pages (households.extensions), registered from
`NewHouseholdsConfig.ready()`: a link to the whole form on the folder of a household
recorded with it, and a button to record a new household above an area's register."""

from __future__ import annotations

from typing import Any

from cheepao.accounts import roles
from cheepao.households import extensions
from cheepao.households.models import Household
from cheepao.newhouseholds.models import FieldReport


def folder_section(household: Household, user: Any) -> dict[str, Any] | None:
    if not FieldReport.objects.filter(household=household).exists():
        return None
    return {"household": household}


def area_action(user: Any, code: str) -> dict[str, Any] | None:
    return {} if user.can(roles.VERIFY) else None


def register() -> None:
    extensions.folder_sections.register(
        "newhouseholds.form2",
        order=20,
        place="main",
        template="newhouseholds/registry/folder_section.html",
        context=folder_section,
    )
    extensions.area_actions.register(
        "newhouseholds.new",
        order=20,
        template="newhouseholds/registry/area_action.html",
        context=area_action,
    )
