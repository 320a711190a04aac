"""Who may manage an account (core.access; ADR 0017).

"Manages" is one rule, read from `roles.RULES`: an account is managed by a user whose role
carries MANAGE_ACCOUNTS and may create the account's role, and whose area holds the
account's area; never the user's own account. `manage` covers the account's page and what
it offers: deactivate, reactivate, reset the password, end a sign-in lockout.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cheepao.accounts.models import User
from cheepao.accounts.roles import MANAGE_ACCOUNTS, RULES
from cheepao.core import access


class ManagedAccountPolicy(access.AreaPolicy):
    model = User
    area_lookup = "area_code"
    actions = {
        "manage": MANAGE_ACCOUNTS,
    }

    def within(self, user: Any, action: str, qs: QuerySet) -> QuerySet:
        creates = RULES[user.role].creates if user.role in RULES else ()
        return super().within(user, action, qs).filter(role__in=creates).exclude(pk=user.pk)

    def actors(self, obj: User, action: str) -> QuerySet:
        creators = [r for r, rule in RULES.items() if obj.role in rule.creates]
        return super().actors(obj, action).filter(role__in=creators).exclude(pk=obj.pk)


def register() -> None:
    access.register(ManagedAccountPolicy())
