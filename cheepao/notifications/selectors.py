"""Reads of notifications: the account's inbox, its unread count (the bell) and its
preferences. Only ever the account's own (notifications.policies)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cheepao.core import access
from cheepao.notifications import channels, kinds
from cheepao.notifications.models import Notification, Preference


def inbox_of(user: Any) -> QuerySet:
    """The account's notifications, newest first."""
    return access.scope(user, Notification, "view").order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    """How many of the account's notifications are unread (one query on the partial index)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def text_of(notification: Notification) -> str:
    return kinds.text(notification.kind, notification.args)


def preference_of(user: Any) -> Preference:
    return channels.preference_of(user)


def line_available() -> bool:
    return bool(channels.line_token())
