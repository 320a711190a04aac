"""Who may act on cases and referrals (core.access; ADR 0027).

- `Case` `view`: the accounts that view households in the case's area, the household's
  mentor team (`care`), and the agency offices the case is referred to (an open or done
  referral to `user.body` within `user.area_code`). `act` (open, refer, consent, solve):
  the household's mentor team (`care`) and the district centre of its area (`route`).
  `route` (owner, close, revoke what the district sent): the district centre alone.
  `assign` (a referral sent at the province level, for escalation): the province centre.
- `Referral` `view` / `serve`: the agency's inbox, the referrals to the account's own
  office (`user.body`) within its area; anyone else gets the same 404 as for a missing
  referral.
- The household action `serve` (households.extensions): an agency account reaches the
  households with a referral accepted by its office, to record the help it gives in the
  Logbook (logbook asks "care" or "serve", it does not import routing).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from cheepao.accounts import roles
from cheepao.accounts.roles import Role
from cheepao.core import access
from cheepao.households import extensions
from cheepao.households.models import Household
from cheepao.routing.models import Case, Referral

REACHING = (Referral.State.PENDING, Referral.State.ACCEPTED, Referral.State.DONE)


def _agency_body(user: Any) -> Any:
    body = getattr(user, "body", None)
    if user.role != Role.AGENCY or body is None or body.kind != "agency":
        return None
    return body


def inbox(user: Any, qs: QuerySet | None = None) -> QuerySet:
    """The referrals to the account's own office within its area (none for another role)."""
    qs = Referral.objects.all() if qs is None else qs
    body = _agency_body(user)
    if body is None:
        return qs.none()
    return qs.filter(agency=body, village_code__startswith=user.area_code)


def _cared(user: Any) -> QuerySet:
    return access.scope(user, Household, "care").values("pk")


def _agency_users(bodies: Any, village_code: str) -> QuerySet:
    users = get_user_model()
    return users.objects.filter(
        is_active=True,
        role=Role.AGENCY,
        body__in=bodies,
        area_code__in=access.area_prefixes(village_code),
    )


class CasePolicy(access.AreaPolicy):
    model = Case
    area_lookup = "village_code"
    actions = {
        "view": roles.VIEW_HOUSEHOLDS,  # and `care`, and `serve` for the agencies referred to
        "act": roles.ROUTE,  # and `care`: the household's mentor team
        "route": roles.ROUTE,
        "assign": roles.APPROVE,
    }
    extra = {"view": (roles.CARE, roles.SERVE), "act": (roles.CARE,)}

    def permitted(self, user: Any, action: str) -> bool:
        if super().permitted(user, action):
            return True
        return bool(
            getattr(user, "is_authenticated", False)
            and getattr(user, "is_active", False)
            and any(user.can(p) for p in self.extra.get(action, ()))
        )

    def within(self, user: Any, action: str, qs: QuerySet) -> QuerySet:
        reach = Q(pk__in=[])
        if user.can(self.actions[action]):
            if not user.area_code:  # the whole country (an empty Q would add nothing)
                return qs
            reach |= self.area_q(user.area_code)
        if action in ("view", "act") and user.can(roles.CARE):
            reach |= Q(household_id__in=_cared(user))
        if action == "view" and user.can(roles.SERVE):
            referred = inbox(user).filter(state__in=REACHING).values("case_id")
            reach |= Q(pk__in=referred)
        return qs.filter(reach)

    def actors(self, obj: Case, action: str) -> QuerySet:
        users = super().actors(obj, action)
        if action in ("view", "act"):
            household = obj.household
            users = users | access.actors(household, "care")
        if action == "view":
            bodies = Referral.objects.filter(case=obj, state__in=REACHING).values("agency_id")
            users = users | _agency_users(bodies, obj.village_code)
        return users


class ReferralPolicy(access.Policy):
    model = Referral
    actions = {"view": roles.SERVE, "serve": roles.SERVE}

    def within(self, user: Any, action: str, qs: QuerySet) -> QuerySet:
        return inbox(user, qs)

    def area_of(self, obj: Referral) -> str:
        return obj.village_code

    def actors(self, obj: Referral, action: str) -> QuerySet:
        return _agency_users([obj.agency_id], obj.village_code)


def _serve_within(user: Any, qs: QuerySet) -> QuerySet:
    accepted = inbox(user).filter(state=Referral.State.ACCEPTED).values("case__household_id")
    return qs.filter(pk__in=accepted)


def _serve_actors(household: Any, users: QuerySet) -> QuerySet:
    bodies = Referral.objects.filter(
        case__household=household, state=Referral.State.ACCEPTED
    ).values("agency_id")
    return users.filter(role=Role.AGENCY, body__in=bodies)


def register() -> None:
    access.register(CasePolicy())
    access.register(ReferralPolicy())
    extensions.household_actions.register(
        "serve", permission=roles.SERVE, within=_serve_within, actors=_serve_actors, order=40
    )
