"""What routing adds to the registry's pages (households.extensions), registered from
`RoutingConfig.ready()`: a section of the household folder with the household's open
cases and the way to its routing page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from cheepao.core import access
from cheepao.households import extensions
from cheepao.households.models import Household
from cheepao.routing.models import Case


def folder_section(household: Household, user: Any) -> dict[str, Any] | None:
    policy = access.policy(Household)
    acting = policy.allows(user, "care", household) or (
        user.can("route") and policy.allows(user, "view", household)
    )
    counts = Case.objects.filter(household=household).aggregate(
        open=Count("pk", filter=Q(state=Case.State.OPEN)),
        solved=Count("pk", filter=Q(state=Case.State.SOLVED)),
    )
    if not acting and not counts["open"] and not counts["solved"]:
        return None
    return {"household": household, "acting": acting, **counts}


def register() -> None:
    extensions.folder_sections.register(
        "routing.cases",
        order=40,
        place="main",
        template="routing/registry/folder_section.html",
        context=folder_section,
    )
