"""Who may see a notification (core.access; ADR 0029): its own account, and nobody else.

A notification names a household, a case or a plan of someone's area; it is shown only to
the account it was written for, whatever the role or area of anyone else, and every other
account gets the same 404 as for a notification that does not exist. Reading one's own
notifications needs no permission of accounts.roles.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from cheepao.core import access
from cheepao.notifications.models import Notification

#: Not a permission of accounts.roles: an action any signed-in account takes on its own
#: notifications.
OWN = "own_notification"


class NotificationPolicy(access.Policy):
    model = Notification
    actions = {"view": OWN}  # see it, open it (marks it read), mark it read

    def permitted(self, user: Any, action: str) -> bool:
        if action not in self.actions:
            raise KeyError(f"{self.label} has no action {action!r}")
        return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))

    def within(self, user: Any, action: str, qs: QuerySet) -> QuerySet:
        return qs.filter(user=user)

    def area_of(self, obj: Notification) -> str:
        return ""

    def actors(self, obj: Notification, action: str) -> QuerySet:
        return get_user_model().objects.filter(pk=obj.user_id, is_active=True)


def register() -> None:
    access.register(NotificationPolicy())
