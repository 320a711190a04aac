"""Who reads the monthly statistics (core.access; ADR 0030).

The rows are aggregates (no person in them), but an account still sees only its own area
and the areas under it:
- `view`: the accounts that view households (national, province, district, subdistrict,
  mentors) read the rows of their area, the area's lines and its agency lines; an agency
  account reads only its own office's lines inside its area (and nothing without an office);
- `compute`: the same area viewers may have their area's months computed again (derived
  figures: the areas above are summed again from their children's rows).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from cheepao.accounts import roles
from cheepao.core import access
from cheepao.helpstats.models import MonthFigures


class MonthFiguresPolicy(access.AreaPolicy):
    model = MonthFigures
    area_lookup = "area_code"
    actions = {"view": roles.VIEW_HOUSEHOLDS, "compute": roles.VIEW_HOUSEHOLDS}

    @staticmethod
    def _agency(user: Any, action: str) -> bool:
        return (
            action == "view"
            and getattr(user, "role", "") == roles.Role.AGENCY
            and getattr(user, "body_id", None) is not None
        )

    def permitted(self, user: Any, action: str) -> bool:
        if super().permitted(user, action):
            return True
        return bool(getattr(user, "is_active", False) and self._agency(user, action))

    def within(self, user: Any, action: str, qs: QuerySet) -> QuerySet:
        qs = super().within(user, action, qs)
        if self._agency(user, action):
            qs = qs.filter(body_id=user.body_id)
        return qs

    def actors(self, obj: Any, action: str) -> QuerySet:
        users = get_user_model()
        inside = Q(is_active=True, area_code__in=access.area_prefixes(obj.area_code))
        reach = Q(role__in=users.roles_with(self.actions[action]))
        if action == "view" and obj.body_id is not None:
            reach |= Q(role=roles.Role.AGENCY, body_id=obj.body_id)
        return users.objects.filter(inside & reach)


def may(user: Any, action: str, area_code: str) -> bool:
    """True when `user` may take `action` on the statistics of the area `area_code`."""
    p = access.policy(MonthFigures)
    return p.permitted(user, action) and user.covers(area_code)


def register() -> None:
    access.register(MonthFiguresPolicy())
