"""Who reads and computes the evaluation of help (core.access; ADR 0036).

- `Outcome` `view`: the accounts that view households (national, province, district,
  subdistrict, mentors) read the outcomes of the households of their area (by the
  household's village of the registry year, prefix of the account's area), as figures.
- Computing an evaluation again (`may_compute`) is the whole registry's work: national and
  province accounts only (a command or job for the national team in practice).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from cheepao.accounts import roles
from cheepao.core import access
from cheepao.evaluation.models import Outcome

COMPUTERS = (roles.Role.NATIONAL, roles.Role.PROVINCE)


class OutcomePolicy(access.AreaPolicy):
    model = Outcome
    area_lookup = "village_code"
    actions = {"view": roles.VIEW_HOUSEHOLDS}

    def actors(self, obj: Any, action: str) -> QuerySet:
        users = get_user_model()
        return users.objects.filter(
            Q(is_active=True, area_code__in=access.area_prefixes(obj.village_code))
            & Q(role__in=users.roles_with(self.actions[action]))
        )


def may_view(user: Any, area_code: str) -> bool:
    """True when `user` may read the evaluation figures of the area `area_code`."""
    p = access.policy(Outcome)
    return bool(user is not None and p.permitted(user, "view") and user.covers(area_code))


def may_compute(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_active", False) and user.role in COMPUTERS)


def register() -> None:
    access.register(OutcomePolicy())
