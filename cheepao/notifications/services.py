"""Writes of notifications (ADR 0029): `notify` (called inside another verb's transaction),
and the account's own verbs: open one (mark it read), mark all read, set its channels.

Each of the account's verbs takes `ctx` first, acts only on the actor's own notifications
(another account's is the same 404 as one that does not exist), runs in one transaction
and writes its audit row.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from cheepao.audit.models import AuditEvent
from cheepao.audit.services import audit_record
from cheepao.audit.summaries import say
from cheepao.core import access, errors
from cheepao.core.context import Context
from cheepao.notifications import channels
from cheepao.notifications import errors as codes
from cheepao.notifications.kinds import KINDS
from cheepao.notifications.models import Notification, Preference

log = logging.getLogger(__name__)

LINE_USER_ID = re.compile(r"U[0-9a-f]{32}")


def notify(
    *, ctx: Context, users: Iterable[Any], kind: str, url: str = "", **args: Any
) -> list[Notification]:
    """Put one notification of `kind` in each account's inbox (each account once; inactive
    accounts and the actor themself are left out). Called inside the verb that causes it,
    so the notification exists only if that verb commits; its e-mail and LINE copies are
    queued when it commits (`tasks.deliver_notifications`)."""
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
    created = Notification.objects.bulk_create(rows)
    # Only when a copy could go out: an account with an address, or LINE switched on.
    if created and (channels.line_token() or any(n.user.email for n in created)):
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: _queue_delivery(ids))
    return created


def _queue_delivery(ids: list[int]) -> None:
    """Queue the copies; a queue that fails loses the copies, never the verb."""
    from cheepao.notifications.tasks import deliver_notifications

    try:
        deliver_notifications.enqueue(ids)
    except Exception:
        log.exception("copies of notifications %s not queued", ids)


def safe_url(url: str) -> str:
    """The notification's place when it is a path inside Cheepao, else ''."""
    url = str(url or "")
    if url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return ""


def _signed_in(ctx: Context) -> Any:
    user = ctx.user
    if user is None or not getattr(user, "is_authenticated", False):
        raise errors.Refused(errors.DENIED)
    return user


def notification_read(*, ctx: Context, notification_id: Any) -> Notification:
    """Open one of the actor's notifications: it is marked read (once; opening it again
    changes nothing) and returned, for the page to go to its place."""
    user = _signed_in(ctx)
    with transaction.atomic():
        notification = access.one(
            user, Notification, "view", notification_id, Notification.objects.select_for_update()
        )
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
            audit_record(
                ctx=ctx,
                action=AuditEvent.Action.UPDATE,
                obj=notification,
                summary=say(gettext_noop("notification marked read")),
                changes={"kind": notification.kind},
            )
    return notification


def notifications_read_all(*, ctx: Context) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    user = _signed_in(ctx)
    with transaction.atomic():
        count = (
            access.scope(user, Notification, "view")
            .filter(read_at__isnull=True)
            .update(read_at=timezone.now())
        )
        if count:
            audit_record(
                ctx=ctx,
                action=AuditEvent.Action.UPDATE,
                object_type="notifications.notification",
                summary=say(gettext_noop("%(count)s notifications marked read"), count=count),
                changes={"count": count},
            )
    return count


def preferences_set(
    *, ctx: Context, email: bool, line: bool = False, line_user_id: str = ""
) -> Preference:
    """Set how the actor receives copies of their notifications: by e-mail, by LINE (with
    their LINE user id). A LINE user id that is not one, or LINE without an id, is refused
    and nothing is changed."""
    user = _signed_in(ctx)
    line_user_id = str(line_user_id or "").strip()
    if line_user_id and not LINE_USER_ID.fullmatch(line_user_id):
        raise errors.Invalid(codes.LINE_USER_ID, fields={"line_user_id": codes.LINE_USER_ID})
    if line and not line_user_id:
        raise errors.Invalid(codes.LINE_WITHOUT_ID, fields={"line_user_id": codes.LINE_WITHOUT_ID})
    with transaction.atomic():
        pref, _created = Preference.objects.select_for_update().get_or_create(user=user)
        before = {"email": pref.email, "line": pref.line, "line_user_id": pref.line_user_id}
        pref.email, pref.line, pref.line_user_id = bool(email), bool(line), line_user_id
        pref.save()
        after = {"email": pref.email, "line": pref.line, "line_user_id": pref.line_user_id}
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            obj=pref,
            summary=say(gettext_noop("notification settings changed")),
            changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        )
    return pref
