"""Who may act on an escalation (core.access; ADR 0017, 0028).

- `view`: the area viewers of the case's village at the subdistrict, district, province
  and national level (not the village's mentors, who follow the case on routing's pages);
- `assign`, `return`: the province of the case (APPROVE): assign it to a provincial
  agency, return it to the district;
- `escalate`: the district of the case (CERTIFY): escalate a case to the province on
  request, pause and resume its clock. Asked on the case through `may_escalate` (the
  action is the policy's so the sweep covers it; on an escalation row it names the
  district that raised it).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cheepao.accounts import roles
from cheepao.core import access
from cheepao.escalation.models import Escalation

MENTOR = roles.Role.MENTOR


class EscalationPolicy(access.AreaPolicy):
    model = Escalation
    area_lookup = "village_code"
    actions = {
        "view": roles.VIEW_HOUSEHOLDS,
        "assign": roles.APPROVE,
        "return": roles.APPROVE,
        "escalate": roles.CERTIFY,
    }

    def permitted(self, user: Any, action: str) -> bool:
        if action == "view" and getattr(user, "role", None) == MENTOR:
            return False
        return super().permitted(user, action)

    def actors(self, obj: Any, action: str) -> QuerySet:
        found = super().actors(obj, action)
        return found.exclude(role=MENTOR) if action == "view" else found


def may_escalate(user: Any, case: Any) -> bool:
    """True when `user` is the district (CERTIFY) whose area holds the case."""
    policy = access.policy(Escalation)
    return policy.permitted(user, "escalate") and case.village_code.startswith(user.area_code or "")


def may_assign(user: Any, case: Any) -> bool:
    policy = access.policy(Escalation)
    return policy.permitted(user, "assign") and case.village_code.startswith(user.area_code or "")


def register() -> None:
    access.register(EscalationPolicy())
