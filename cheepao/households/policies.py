"""Who may act on the registry's households (core.access; ADR 0017).

A household is reached by the accounts whose area covers its village and whose role
carries the action's permission. Later actions (plan, log help, route) and other reaches
(a mentor's assigned households, an agency's routed cases) are rows added here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from cheepao.accounts import roles
from cheepao.core import access
from cheepao.households.models import Household

# Area code length → the household column that holds the code at that level (each indexed,
# so an account's scope is one equality filter).
SCOPE_COLUMN = {2: "province_code", 4: "district_code", 6: "subdistrict_code", 8: "village_code"}


def scope_filter(area_code: str) -> Q:
    """Households inside `area_code` ('' = everywhere; a malformed code = nowhere)."""
    if not area_code:
        return Q()
    column = SCOPE_COLUMN.get(len(area_code))
    if column is None:
        return Q(pk__in=[])
    return Q(**{column: area_code})


class HouseholdPolicy(access.Policy):
    model = Household
    actions = {
        "view": roles.VIEW_HOUSEHOLDS,  # the folder, the registers, search
        "export": roles.VIEW_HOUSEHOLDS,  # the village ศจพ.1 workbook
        "verify": roles.VERIFY,  # form ศจพ.1 on it
    }

    def within(self, user: Any, action: str, qs: QuerySet) -> QuerySet:
        return qs.filter(scope_filter(user.area_code))

    def area_of(self, obj: Household) -> str:
        return obj.village_code


def register() -> None:
    access.register(HouseholdPolicy())
