"""Reads of the monthly snapshots, shared by dashboards, maps, reports and open data so all
of them show the same figure under the same name.

Every read here is of aggregates (`AreaMonth` rows), through the access policy: an account
reads its own area and the areas under it; anything else is None / empty (the views turn
that into the same 404 as a missing area).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cheepao.core import access
from cheepao.snapshots.models import LEVELS, AreaMonth

LENGTH = {"country": 0, "province": 2, "district": 4, "subdistrict": 6, "village": 8}
LEVEL_OF = {n: level for level, n in LENGTH.items()}
CHILD_LEVEL = dict(pairwise(LEVELS))


@dataclass(frozen=True)
class Rate:
    name: str
    numerator: str
    denominator: str
    label: Any
    per_household: bool = False  # a ratio shown as "x per household", not a percentage


# The rates every page shows, in this order. Maps colour by rates, never by counts.
RATES: tuple[Rate, ...] = (
    Rate("verified_pct", "verified", "targets", _("verified")),
    Rate("certified_pct", "certified", "targets", _("certified")),
    Rate("plan_pct", "with_plan", "targets", _("with a plan")),
    Rate("recorded_pct", "recorded", "targets", _("problems recorded")),
    Rate("helped_pct", "helped", "targets", _("helped")),
    Rate("helped_fully_pct", "helped_fully", "targets", _("helped in every failing dimension")),
    Rate("acts_per_household", "acts", "targets", _("acts of help per household"), True),
    Rate("solved_pct", "problems_solved", "problems", _("problems solved")),
    Rate("escaped_pct", "escaped", "evaluated", _("escaped poverty")),
)
RATE = {r.name: r for r in RATES}


def level_of(code: str) -> str | None:
    if code and not code.isdigit():
        return None
    return LEVEL_OF.get(len(code))


def rate(row: AreaMonth | dict, name: str) -> float | None:
    """The rate `name` of a row (a percentage, or per household), None when its
    denominator is 0 (shown as "no data", never as 0 %)."""
    r = RATE[name]
    get = row.get if isinstance(row, dict) else (lambda f: getattr(row, f))
    den = get(r.denominator) or 0
    if not den:
        return None
    num = float(get(r.numerator) or 0)
    return num / den if r.per_household else 100.0 * num / den


def rates(row: AreaMonth | dict) -> dict[str, float | None]:
    return {r.name: rate(row, r.name) for r in RATES}


def visible(user: Any) -> QuerySet:
    """The snapshot rows `user` may read (its area and the areas under it)."""
    return access.scope(user, AreaMonth, "view")


def months(user: Any | None = None) -> list[date]:
    """The months that have a snapshot of the whole country (newest first); with `user`,
    of the user's own area."""
    qs = AreaMonth.objects.all() if user is None else visible(user)
    code = "" if user is None else user.area_code
    return list(
        qs.filter(area_code=code).order_by("-month").values_list("month", flat=True).distinct()
    )


def month_latest(user: Any | None = None) -> date | None:
    found = months(user)
    return found[0] if found else None


def area_row(user: Any, area_code: str, month: date) -> AreaMonth | None:
    """One area's row of `month` if `user` may read it, else None."""
    if level_of(area_code) is None:
        return None
    return visible(user).filter(area_code=area_code, month=month).first()


def children(user: Any, area_code: str, month: date) -> list[AreaMonth]:
    """The rows of the areas one level under `area_code` in `month` (by code), if `user`
    may read them."""
    level = level_of(area_code)
    if level is None or level == "village":
        return []
    return list(
        visible(user)
        .filter(month=month, level=CHILD_LEVEL[level], area_code__startswith=area_code)
        .order_by("area_code")
    )


def trend(user: Any, area_code: str, last: int = 12) -> list[AreaMonth]:
    """The area's rows of its last `last` months, oldest first."""
    rows = list(visible(user).filter(area_code=area_code).order_by("-month")[:last])
    return rows[::-1]


# Public reads (open data): no account, every area, aggregates only (suppressed there).
def public_rows(month: date, level: str, within: str = "") -> QuerySet:
    return AreaMonth.objects.filter(
        month=month, level=level, area_code__startswith=within
    ).order_by("area_code")


@dataclass(frozen=True)
class MonthState:
    """One month of an area as the snapshots page shows it: its row (built when, closed by
    whom) and the areas one level under it whose month is still open."""

    row: AreaMonth
    still_open: list[str]


def month_states(user: Any, area_code: str) -> list[MonthState]:
    """The months of `area_code` built so far (newest first), if `user` may read them."""
    rows = list(visible(user).filter(area_code=area_code).order_by("-month"))
    level = level_of(area_code)
    if not rows or level is None or level == "village":
        return [MonthState(r, []) for r in rows]
    open_rows = (
        visible(user)
        .filter(
            month__in=[r.month for r in rows],
            level=CHILD_LEVEL[level],
            area_code__startswith=area_code,
            closed_at__isnull=True,
        )
        .order_by("area_code")
        .values_list("month", "area_code")
    )
    under: dict[date, list[str]] = {}
    for month, code in open_rows:
        under.setdefault(month, []).append(code)
    return [MonthState(r, under.get(r.month, [])) for r in rows]
