"""Who may act on the registry's households (core.access; ADR 0017).

A household is reached by the accounts whose area covers its village and whose role
carries the action's permission. Actions that feature apps bring (a mentor's `care` for
the households assigned to them, a district's `assign`; later log help, route) are
registered with `extensions.household_actions`, with the reach that narrows them beyond the
area: the registry does not import the apps that define them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from cheepao.accounts import roles
from cheepao.core import access
from cheepao.households import extensions
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
    own_actions = {
        "view": roles.VIEW_HOUSEHOLDS,  # the folder, the registers, search
        "export": roles.VIEW_HOUSEHOLDS,  # the village ศจพ.1 workbook
        "verify": roles.VERIFY,  # form ศจพ.1 on it
    }

    @property
    def actions(self) -> dict[str, str]:  # type: ignore[override]
        registered = {a.key: a.permission for a in extensions.household_actions.all()}
        clash = set(registered) & set(self.own_actions)
        if clash:
            raise ValueError(f"household actions registered twice: {sorted(clash)}")
        return {**self.own_actions, **registered}

    def within(self, user: Any, action: str, qs: QuerySet) -> QuerySet:
        brought = extensions.household_actions.get(action)
        if brought is not None and brought.beyond_area:
            return brought.within(user, qs)
        scoped = qs.filter(scope_filter(user.area_code))
        if brought is not None and brought.within is not None:
            scoped = brought.within(user, scoped)
        for other in extensions.household_actions.all():
            if action in other.widens and self.permitted(user, other.key):
                scoped = scoped | self.within(user, other.key, qs)
        return scoped

    def actors(self, obj: Household, action: str) -> QuerySet:
        brought = extensions.household_actions.get(action)
        if brought is not None and brought.beyond_area:
            users = get_user_model()
            everyone = users.objects.filter(
                is_active=True, role__in=users.roles_with(self.actions[action])
            )
            return brought.actors(obj, everyone) if brought.actors else everyone.none()
        users = super().actors(obj, action)
        if brought is not None and brought.actors is not None:
            users = brought.actors(obj, users)
        for other in extensions.household_actions.all():
            if action in other.widens:
                users = users | self.actors(obj, other.key)
        return users

    def area_of(self, obj: Household) -> str:
        return obj.village_code


def register() -> None:
    access.register(HouseholdPolicy())
