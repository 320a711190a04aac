"""Reads of the audit log, for the national team's search page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from cheepao.accounts.roles import VIEW_AUDIT
from cheepao.audit.models import AuditEvent


def may_search(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.can(VIEW_AUDIT))


@dataclass(frozen=True)
class AuditFilter:
    username: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    area_prefix: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def as_changes(self) -> dict[str, str]:
        """The filter as recorded in the audit row of an export."""
        return {k: str(v) for k, v in self.__dict__.items() if v not in ("", None)}


def _day_start(d: date) -> datetime:
    """Midnight of a day in Thai time: the dates people type are local dates."""
    return timezone.make_aware(datetime.combine(d, time.min))


def audit_search(f: AuditFilter) -> QuerySet[AuditEvent]:
    """Matching events, newest first. Dates are inclusive local days."""
    qs = AuditEvent.objects.all()
    if f.username:
        qs = qs.filter(actor_username__iexact=f.username)
    if f.action:
        qs = qs.filter(action=f.action)
    if f.object_type:
        qs = qs.filter(object_type=f.object_type)
    if f.object_id:
        qs = qs.filter(object_id=f.object_id)
    if f.area_prefix:
        qs = qs.filter(area_code__startswith=f.area_prefix)
    if f.date_from:
        qs = qs.filter(at__gte=_day_start(f.date_from))
    if f.date_to:
        qs = qs.filter(at__lt=_day_start(f.date_to + timedelta(days=1)))
    return qs.order_by("-at", "-id")


def object_types() -> list[str]:
    """The object types that occur in the log, for the filter's suggestions."""
    return list(
        AuditEvent.objects.order_by("object_type")
        .exclude(object_type="")
        .values_list("object_type", flat=True)
        .distinct()
    )
