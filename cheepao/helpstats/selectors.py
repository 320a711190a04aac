"""What the statistics pages read (ADR 0030): rows of `MonthFigures` only, always through
the access policy, so a page never shows more than the account's area (and, for an agency
account, more than its own office's lines)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from cheepao.core import access
from cheepao.helpstats import months, targets
from cheepao.helpstats.models import LEVELS, MonthFigures

CHILD_LENGTH = {0: 2, 2: 4, 4: 6, 6: 8}


def visible(user: Any) -> QuerySet[MonthFigures]:
    return access.scope(user, MonthFigures, "view")


def agency_view(user: Any) -> bool:
    return getattr(user, "role", "") == "agency"


def month_choices(user: Any, code: str) -> list[date]:
    """The months computed for the area `code` that the account sees, newest first."""
    found = (
        visible(user)
        .filter(area_code=code)
        .order_by("-month")
        .values_list("month", flat=True)
        .distinct()
    )
    return list(found)


@dataclass
class MonthPage:
    code: str
    month: date
    line: MonthFigures | None
    children: list[MonthFigures] = field(default_factory=list)
    agencies: list[MonthFigures] = field(default_factory=list)
    standing: list[targets.Standing] = field(default_factory=list)
    computed: list[date] = field(default_factory=list)


def month_page(user: Any, code: str, month: date | None) -> MonthPage:
    """The figures of area `code` (inside the account's area: the caller checked) in
    `month` (the newest computed when None), the areas under it and the offices in it."""
    computed = month_choices(user, code)
    if month is None:
        month = computed[0] if computed else months.first_of(timezone.localdate())
    rows = visible(user).filter(month=month).select_related("body")
    own_body = agency_view(user)
    here = rows.filter(area_code=code)
    line = here.filter(body__isnull=True).first() if not own_body else here.first()
    child = CHILD_LENGTH.get(len(code))
    children: list[MonthFigures] = []
    if child is not None:
        level = LEVELS[[0, 2, 4, 6, 8].index(child)]
        under = rows.filter(level=level, area_code__startswith=code)
        if not own_body:
            under = under.filter(body__isnull=True)
        children = list(under.order_by("area_code"))
    agencies = [] if own_body else list(here.filter(body__isnull=False).order_by("body__name"))
    return MonthPage(
        code=code,
        month=month,
        line=line,
        children=children,
        agencies=agencies,
        standing=targets.standing(line, month) if line is not None else [],
        computed=computed,
    )


def months_with_work() -> list[date]:
    """Every month from the first one with a Logbook entry or a case to this month."""
    from django.db.models import Min

    from cheepao.logbook.models import Entry
    from cheepao.routing.models import Case

    firsts = [Entry.objects.aggregate(m=Min("occurred_on"))["m"]]
    opened = Case.objects.aggregate(m=Min("opened_at"))["m"]
    if opened is not None:
        firsts.append(timezone.localtime(opened).date())
    found = [d for d in firsts if d is not None]
    if not found:
        return []
    return months.between(min(found), timezone.localdate())
