"""Who may read which household: every read of a household starts here, from the access
policy (`households.policies.HouseholdPolicy` through `core.access`): lists from
`access.scope(user, Household, action)`, one record from `access.one(...)`, which raises the
same 404 for a record outside the account's reach as for one that does not exist.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Prefetch, QuerySet

from cheepao.accounts.roles import VIEW_HOUSEHOLDS
from cheepao.core import access
from cheepao.households.models import Household, Member, Problem
from cheepao.households.policies import SCOPE_COLUMN, scope_filter  # noqa: F401  (re-exported)

AREA_CODE = re.compile(r"\d{2}|\d{4}|\d{6}|\d{8}")


def households_visible_to(user: Any, action: str = "view") -> QuerySet[Household]:
    """Every household the user may act on (`view` by default). Agencies see the cases
    routed to them (Logbook); until a case is routed they see none."""
    return access.scope(user, Household, action)


def household_for(user: Any, household_id: Any, action: str = "view") -> Household:
    """One household the user may act on, or 404 (the same for missing and forbidden)."""
    return access.one(user, Household, action, household_id)


def household_folder(user: Any, household_id: Any) -> Household:
    """`household_for` with members and problems loaded for the folder page."""
    household = household_for(user, household_id)
    return (
        Household.objects.filter(pk=household.pk)
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.order_by("member_no")),
            Prefetch("problems", queryset=Problem.objects.order_by("indicator")),
        )
        .get()
    )


def area_in_scope(user: Any, code: str) -> bool:
    """True when `code` is a well-formed area code at or below the account's own area."""
    return bool(
        AREA_CODE.fullmatch(code or "")
        and getattr(user, "is_authenticated", False)
        and user.can(VIEW_HOUSEHOLDS)
        and len(code) >= len(user.area_code)
        and user.covers(code)
    )
