"""Copies of a notification beyond the in-app inbox (ADR 0029): e-mail through Django's mail
settings and, when switched on, a LINE Messaging API push.

Both are sent by the background task `tasks.deliver_notifications`, queued when the verb
that wrote the notifications commits: a slow or broken mail server or LINE never slows or
undoes the verb. Each notification is sent once per channel, with a timeout and no retry;
a failure is logged, never raised, and the rest of the batch skips that channel (no storm
of attempts against a server that is down). The texts are in Thai.

LINE is off unless `CHEEPAO_LINE_CHANNEL_TOKEN` is set (the channel access token of the
platform's LINE official account); an account receives LINE only when it switched LINE on
and gave its LINE user id (`Preference`). LINE Notify closed in 2025; this is the
Messaging API's push message.
"""

from __future__ import annotations

import json
import logging
import urllib.request
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext

from cheepao.notifications import kinds
from cheepao.notifications.models import Notification, Preference

log = logging.getLogger(__name__)

LINE_PUSH_URL = "https://api.line.me/v2/bot/message/push"
#: Seconds to wait for LINE before giving up on a message.
LINE_TIMEOUT = 10
#: The most characters of one LINE text message.
LINE_TEXT_MAX = 5000
SUBJECT_MAX = 120
#: The language of the copies sent out (the platform's first language).
LANGUAGE = "th"


def line_token() -> str:
    return (getattr(settings, "CHEEPAO_LINE_CHANNEL_TOKEN", "") or "").strip()


def preference_of(user) -> Preference:
    """The account's preferences (the defaults when it never saved any)."""
    try:
        return user.notification_preference
    except Preference.DoesNotExist:
        return Preference(user=user)


def link(url: str) -> str:
    """The notification's place as a link to send out (the site's address before it when
    CHEEPAO_SITE_URL is set)."""
    if not url:
        return ""
    return (getattr(settings, "CHEEPAO_SITE_URL", "") or "").rstrip("/") + url


def message(notification: Notification) -> tuple[str, str]:
    """(subject, body) of the notification in Thai."""
    with translation.override(LANGUAGE):
        sentence = kinds.text(notification.kind, notification.args)
        subject = gettext("Cheepao: %(text)s") % {"text": sentence}
        if len(subject) > SUBJECT_MAX:
            subject = subject[: SUBJECT_MAX - 1] + "…"
        lines = [sentence]
        if notification.url:
            lines += ["", gettext("Open it in Cheepao: %(url)s") % {"url": link(notification.url)}]
        lines += [
            "",
            gettext(
                "You receive this because of your notification settings in Cheepao; change "
                "them on the page of your notifications."
            ),
        ]
    return " ".join(subject.split()), "\n".join(lines)


def line_post(*, token: str, to: str, text: str, retry_key: str) -> None:
    """Push one text message to one LINE user (raises on any failure; the caller logs)."""
    body = json.dumps(
        {"to": to, "messages": [{"type": "text", "text": text[:LINE_TEXT_MAX]}]},
        ensure_ascii=False,
    ).encode("utf-8")
    request = urllib.request.Request(
        LINE_PUSH_URL,
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            # The same key for the same notification: LINE sends a repeated request once.
            "X-Line-Retry-Key": retry_key,
        },
    )
    with urllib.request.urlopen(request, timeout=LINE_TIMEOUT) as response:
        response.read()


def deliver(notification_ids: Iterable[int]) -> dict[str, int]:
    """Send the e-mail and LINE copies of these notifications; returns how many of each
    went out. Never raises."""
    sent = {"email": 0, "line": 0, "failed": 0}
    token = line_token()
    email_up, line_up = True, bool(token)
    rows = (
        Notification.objects.filter(pk__in=list(notification_ids))
        .select_related("user", "user__notification_preference")
        .order_by("pk")
    )
    for notification in rows:
        user = notification.user
        if not user.is_active:
            continue
        pref = preference_of(user)
        want_email = email_up and pref.email and bool(user.email)
        want_line = line_up and pref.line and bool(pref.line_user_id)
        if not (want_email or want_line):
            continue
        subject, body = message(notification)
        if want_email:
            try:
                send_mail(subject, body, None, [user.email], fail_silently=False)
                sent["email"] += 1
            except Exception:
                email_up = False
                sent["failed"] += 1
                log.exception("e-mail of notification %s not sent", notification.pk)
        if want_line:
            try:
                line_post(
                    token=token,
                    to=pref.line_user_id,
                    text=body,
                    retry_key=str(uuid.uuid5(uuid.NAMESPACE_URL, f"cheepao:n:{notification.pk}")),
                )
                sent["line"] += 1
            except Exception:
                line_up = False
                sent["failed"] += 1
                log.exception("LINE message of notification %s not sent", notification.pk)
    return sent
