"""Template helpers of the account pages."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def from_now(delta: timedelta | None):
    """The moment `delta` from now: when a lockout ends, to show with `be_datetime`."""
    if not isinstance(delta, timedelta):
        return None
    return timezone.now() + delta


@register.simple_tag
def can_manage_accounts(user) -> bool:
    from cheepao.accounts.selectors import can_manage_accounts as can_manage

    return can_manage(user)
