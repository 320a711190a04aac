"""Writes of notifications: `notify` (called inside another verb's transaction)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cheepao.core.context import Context
from cheepao.notifications.kinds import KINDS
from cheepao.notifications.models import Notification


def notify(
    *, ctx: Context, users: Iterable[Any], kind: str, url: str = "", **args: Any
) -> list[Notification]:
    """Put one notification of `kind` in each account's inbox (each account once; inactive
    accounts and the actor themself are left out). Called inside the verb that causes it,
    so the notification exists only if that verb commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    actor_id = getattr(ctx.user, "pk", None)
    seen: set[int] = set()
    rows = []
    for user in users:
        if user is None or not user.is_active or user.pk in seen or user.pk == actor_id:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(user=user, kind=kind, url=url, args={k: str(v) for k, v in args.items()})
        )
    return Notification.objects.bulk_create(rows)
