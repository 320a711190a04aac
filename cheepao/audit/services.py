"""The one way an audit row is written. Callers pass the request when there is one, so the
address is recorded; services called from the CLI pass none."""

from __future__ import annotations

from typing import Any

from cheepao.audit.models import AuditEvent
from cheepao.audit.summaries import Summary, render


def client_ip(request: Any | None) -> str | None:
    """REMOTE_ADDR as Django sees it. Behind the production proxy, the proxy must set it
    (gunicorn --forwarded-allow-ips); X-Forwarded-For is not trusted here because any
    client can write it."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _event(
    *,
    actor: Any | None,
    action: str,
    obj: Any | None = None,
    object_type: str = "",
    object_id: str | int = "",
    area_code: str = "",
    summary: str | Summary = "",
    changes: dict | None = None,
    ip: str | None = None,
) -> AuditEvent:
    message: dict = {}
    if isinstance(summary, Summary):
        message = summary.message()
        summary = render(message, raw=True)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        area_code = area_code or getattr(obj, "area_code", "") or ""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent(
        actor=user,
        actor_username=getattr(user, "username", "") if user else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        area_code=area_code,
        summary=summary[:300],
        message=message,
        changes=changes or {},
        ip=ip,
    )


def audit_record(*, request: Any | None = None, **fields: Any) -> AuditEvent:
    """Append one event (fields: actor, action, obj or object_type/object_id, area_code,
    summary, changes). `summary` is a `summaries.say(...)` message (or, for older callers,
    a plain string). Call it inside the transaction of the write it describes, so the
    write and its record land together or not at all."""
    event = _event(ip=client_ip(request), **fields)
    event.save()
    return event


def audit_record_many(
    *, actor: Any | None, action: str, items: list[tuple[Any, str, dict]], request: Any = None
) -> int:
    """One event per (obj, summary, changes) in batched INSERTs: an import that links
    thousands of households must not pay a round trip for each. Same transaction rule."""
    ip = client_ip(request)
    events = [
        _event(actor=actor, action=action, obj=obj, summary=summary, changes=changes, ip=ip)
        for obj, summary, changes in items
    ]
    AuditEvent.objects.bulk_create(events, batch_size=2_000)
    return len(events)
