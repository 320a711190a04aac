"""The one way an audit row is written. Callers pass the request when there is one, so the
address is recorded; services called from the CLI pass none."""

from __future__ import annotations

from typing import Any

from cheepao.audit.models import AuditEvent


def client_ip(request: Any | None) -> str | None:
    """REMOTE_ADDR as Django sees it. Behind the production proxy, the proxy must set it
    (gunicorn --forwarded-allow-ips); X-Forwarded-For is not trusted here because any
    client can write it."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor: Any | None,
    action: str,
    obj: Any | None = None,
    object_type: str = "",
    object_id: str | int = "",
    area_code: str = "",
    summary: str = "",
    changes: dict | None = None,
    request: Any | None = None,
) -> AuditEvent:
    """Append one event. Call it inside the transaction of the write it describes, so the
    write and its record land together or not at all."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        area_code = area_code or getattr(obj, "area_code", "") or ""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_username=getattr(user, "username", "") if user else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        area_code=area_code,
        summary=summary[:300],
        changes=changes or {},
        ip=client_ip(request),
    )
