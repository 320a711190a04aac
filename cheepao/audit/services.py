"""The one way an audit row is written. Every caller passes its context (`ctx=`: actor,
client address, channel), so the row says how a change or a read arrived as well as who
made it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from cheepao.audit.models import AuditEvent
from cheepao.audit.summaries import Summary, render
from cheepao.core.context import Context, client_address

# Kept for callers that name it here; the one definition is core.context.client_address.
client_ip = client_address


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
    channel: str = "",
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
        channel=str(channel),
    )


def audit_record(*, ctx: Context, **fields: Any) -> AuditEvent:
    """Append one event (fields: action, obj or object_type/object_id, area_code, summary,
    changes) for the caller `ctx`. `summary` is a `summaries.say(...)` message (a plain
    string is kept as it is). Call it inside the transaction of the write it
    describes, so the write and its record land together or not at all."""
    event = _event(actor=ctx.actor, ip=ctx.address, channel=ctx.channel, **fields)
    event.save()
    return event


def audit_record_many(
    *,
    action: str,
    items: list[tuple[Any, str, dict]],
    ctx: Context,
) -> int:
    """One event per (obj, summary, changes) in batched INSERTs: an import that links
    thousands of households must not pay a round trip for each. Same transaction rule."""
    events = [
        _event(
            actor=ctx.actor,
            action=action,
            obj=obj,
            summary=summary,
            changes=changes,
            ip=ctx.address,
            channel=ctx.channel,
        )
        for obj, summary, changes in items
    ]
    AuditEvent.objects.bulk_create(events, batch_size=2_000)
    return len(events)


def audit_export_start(*, ctx: Context, audit_filter: Any) -> Any:
    """Start the CSV export of a search of the log as the actor's background job (ADR
    0021); the worker writes the file (`audit.jobs`) and records the export. Refused,
    starting nothing, for an account that may not search the log."""
    from cheepao.audit import selectors
    from cheepao.audit.jobs import AUDIT_EXPORT, filter_params
    from cheepao.core import errors
    from cheepao.jobs.services import job_start, message

    if not selectors.may_search(ctx.user):
        raise errors.Refused(errors.DENIED)
    return job_start(
        ctx=ctx,
        kind=AUDIT_EXPORT,
        params={"filter": filter_params(audit_filter)},
        message=message(gettext_noop("waiting for the background worker")),
    )


#: What a read of personal data may be recorded as.
READS = frozenset({"view", "search", "export"})


def audit_read(
    *,
    ctx: Context,
    summary: Summary,
    what: str = "view",
    obj: Any | None = None,
    object_type: str = "",
    object_id: str | int = "",
    area_code: str = "",
    objects: Any = None,
    filters: dict | None = None,
    page: int | None = None,
    changes: dict | None = None,
) -> AuditEvent:
    """The one call that records a read of personal data: a page, a list, a search or an
    export (`what`: view, search or export). `obj` is the one record read, or
    `object_type`/`object_id`/`area_code` name the area or list read; `objects` are the
    households a list showed (households, or (pk, hh_id) pairs), recorded by id and hh_id;
    `filters` and `page` say which part of the list it was. Call it for lists too: a page
    that lists people is a read of each of them. A page that showed nobody read nothing;
    the caller does not record it."""
    if what not in READS:
        raise ValueError(f"not a read: {what!r}")
    data = dict(changes or {})
    if objects is not None:
        pairs = [(o.pk, o.hh_id) if hasattr(o, "pk") else tuple(o) for o in objects]
        data["households"] = [pk for pk, _ in pairs]
        data["hh_ids"] = [hh for _, hh in pairs]
    if page is not None:
        data["page"] = page
    if filters is not None:
        data["filters"] = filters
    event = _event(
        actor=ctx.actor,
        ip=ctx.address,
        channel=ctx.channel,
        action=what,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        area_code=area_code,
        summary=summary,
        changes=data,
    )
    event.save()
    return event
