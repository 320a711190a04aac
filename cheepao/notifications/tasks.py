"""The background task that sends a notification's copies (e-mail, LINE) after the verb
that wrote it commits (ADR 0029). It carries only the notifications' ids."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_notifications(notification_ids: list[int]) -> dict[str, int]:
    from cheepao.notifications import channels

    return channels.deliver(notification_ids)
