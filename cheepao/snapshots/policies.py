"""Who reads and closes the monthly snapshots (core.access).

The rows are aggregates (no person in them), but an account still sees only its own area
and the areas under it (`view`, the accounts that view households, by area prefix; the
same 404 outside). `close` is for the area's own office: the account whose area is the
row's area (a subdistrict, district, province or national account), never a mentor.
`build` (the month's rows computed again) is for the area's viewers, like the monthly
statistics' `compute`: the rows are derived, and a closed row is never touched.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from cheepao.accounts import roles
from cheepao.core import access
from cheepao.snapshots.models import AreaMonth

CLOSERS = (
    roles.Role.NATIONAL,
    roles.Role.PROVINCE,
    roles.Role.DISTRICT,
    roles.Role.SUBDISTRICT,
)


class AreaMonthPolicy(access.AreaPolicy):
    model = AreaMonth
    area_lookup = "area_code"
    actions = {
        "view": roles.VIEW_HOUSEHOLDS,
        "close": roles.VIEW_HOUSEHOLDS,
        "build": roles.VIEW_HOUSEHOLDS,
    }

    def permitted(self, user: Any, action: str) -> bool:
        if not super().permitted(user, action):
            return False
        return action != "close" or getattr(user, "role", "") in CLOSERS

    def within(self, user: Any, action: str, qs: QuerySet) -> QuerySet:
        qs = super().within(user, action, qs)
        if action == "close":
            qs = qs.filter(area_code=user.area_code)
        return qs

    def actors(self, obj: Any, action: str) -> QuerySet:
        users = get_user_model()
        reach = Q(is_active=True, role__in=users.roles_with(self.actions[action]))
        if action == "close":
            return users.objects.filter(reach, area_code=obj.area_code, role__in=CLOSERS)
        return users.objects.filter(reach, area_code__in=access.area_prefixes(obj.area_code))


def may(user: Any, action: str, area_code: str) -> bool:
    """True when `user` may take `action` on the snapshots of the area `area_code`."""
    p = access.policy(AreaMonth)
    if not p.permitted(user, action):
        return False
    if action == "close":
        return user.area_code == area_code
    return user.covers(area_code)


def register() -> None:
    access.register(AreaMonthPolicy())
