"""Context processor: the unread count shown by the bell in the top bar of every page."""

from __future__ import annotations

from cheepao.notifications import selectors


def bell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"bell": None}
    # Held at the door (accounts' guard): no bell for an account that cannot open pages yet.
    if user.must_change_password or (user.needs_two_factor and not user.is_verified()):
        return {"bell": None}
    return {"bell": {"unread": selectors.unread_count(user)}}
