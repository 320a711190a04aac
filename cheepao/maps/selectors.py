"""Reads of the maps (ADR 0033): a choropleth of one rate of the areas one level under the
shown one, for one month, from the monthly snapshots (`snapshots.selectors`, never
household rows); at a subdistrict, the pins of the households the account may see.

An area outside the account's area gives None (the view's 404, the same as a missing one),
so a district account's map never draws or names another district.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cheepao.core.thai import english
from cheepao.geo import boundaries
from cheepao.geo.selectors import area_label
from cheepao.helpstats import months as be_months
from cheepao.households import selectors as households
from cheepao.snapshots import policies as snapshot_policies
from cheepao.snapshots import selectors as snapshots

DEFAULT_RATE = "helped_pct"
# Fixed classes: lower bounds, the last class open above. The same colours in maps.css
# (.maps-class-N) and here (drawn by js/maps.js).
PERCENT_BREAKS = (0, 20, 40, 60, 80)
PER_HOUSEHOLD_BREAKS = (0, 0.5, 1, 2, 3)
COLOURS = ("#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c")
NO_DATA = "#c8c8c8"
LENGTHS = (0, 2, 4, 6, 8)


@dataclass(frozen=True)
class Legend:
    cls: int | None  # None: no data
    label: str


@dataclass(frozen=True)
class AreaLine:
    """One area of the map's table: its name, its figures and its class."""

    code: str
    name: str
    value: float | None
    numerator: int | None
    denominator: int | None
    cls: int | None
    url: str  # '' when it is not a map of its own (a village)


@dataclass
class MapPage:
    code: str
    level: str
    name: str
    month: date | None
    months: list[date]
    rate: snapshots.Rate
    own: AreaLine | None
    lines: list[AreaLine]
    legend: list[Legend]
    trail: list[tuple[str, str]]  # (name, url) of the areas above, the account's own first
    pins: list[dict] = field(default_factory=list)
    pins_read: list[Any] = field(default_factory=list)  # households shown (for the audit)
    unplaced: int = 0

    @property
    def draws_children(self) -> bool:
        return self.level in ("country", "province", "district")


def area_url(code: str, own: str) -> str:
    return reverse("maps:map") if code == own else reverse("maps:area", args=[code])


def may_see(user: Any, code: str) -> bool:
    """The map of `code` opens for `user`: a well-formed code at or under its area."""
    if (code and not code.isdigit()) or len(code) not in LENGTHS:
        return False
    if not getattr(user, "is_authenticated", False) or len(code) < len(user.area_code or ""):
        return False
    return snapshot_policies.may(user, "view", code)


def breaks(rate: snapshots.Rate) -> tuple:
    return PER_HOUSEHOLD_BREAKS if rate.per_household else PERCENT_BREAKS


def class_of(value: float | None, rate: snapshots.Rate) -> int | None:
    if value is None:
        return None
    found = 0
    for i, low in enumerate(breaks(rate)):
        if value >= low:
            found = i
    return found


def legend(rate: snapshots.Rate) -> list[Legend]:
    lows = breaks(rate)
    out = []
    for i, low in enumerate(lows):
        high = lows[i + 1] if i + 1 < len(lows) else None
        if rate.per_household:
            text = f"{low:g}–{high:g}" if high is not None else f"≥ {low:g}"
            text = gettext("%(range)s per household") % {"range": text}
        else:
            text = f"{low}–{high} %" if high is not None else f"{low}–100 %"
        out.append(Legend(i, text))
    out.append(Legend(None, str(_("no data"))))
    return out


def format_value(value: float | None, rate: snapshots.Rate) -> str:
    if value is None:
        return str(_("no data"))
    if rate.per_household:
        return gettext("%(n)s per household") % {"n": f"{value:.2f}"}
    return f"{value:.1f} %"


def _line(code: str, row: Any, rate: snapshots.Rate, url: str) -> AreaLine:
    value = snapshots.rate(row, rate.name) if row is not None else None
    return AreaLine(
        code=code,
        name=area_label(code),
        value=value,
        numerator=getattr(row, rate.numerator) if row is not None else None,
        denominator=getattr(row, rate.denominator) if row is not None else None,
        cls=class_of(value, rate),
        url=url,
    )


def map_page(user: Any, code: str, month: date | None, rate_name: str) -> MapPage | None:
    """The map of the area `code` in `month` (default: the latest the account has), or None
    when the account may not see that area."""
    if not may_see(user, code):
        return None
    rate = snapshots.RATE.get(rate_name) or snapshots.RATE[DEFAULT_RATE]
    own_code = user.area_code or ""
    choices = snapshots.months(user)
    if month is None or month not in choices:
        month = choices[0] if choices else None
    level = snapshots.level_of(code)
    lines: list[AreaLine] = []
    own = None
    if month is not None:
        own = _line(code, snapshots.area_row(user, code, month), rate, "")
        rows = {r.area_code: r for r in snapshots.children(user, code, month)}
        codes = set(rows) | set(boundaries.children_codes(code))
        for c in sorted(codes):
            url = area_url(c, own_code) if len(c) <= 6 else ""
            lines.append(_line(c, rows.get(c), rate, url))
    elif level in ("country", "province", "district"):
        lines = [
            AreaLine(c, area_label(c), None, None, None, None, area_url(c, own_code))
            for c in boundaries.children_codes(code)
        ]
    trail = [
        (area_label(c), area_url(c, own_code))
        for c in (code[:n] for n in LENGTHS)
        if len(c) >= len(own_code) and len(c) < len(code)
    ]
    page = MapPage(
        code=code,
        level=level,
        name=area_label(code),
        month=month,
        months=choices,
        rate=rate,
        own=own,
        lines=lines,
        legend=legend(rate),
        trail=trail,
    )
    if level in ("subdistrict", "village"):
        shown = _households(user, code)
        page.pins = households.area_pins(shown, village=True)
        page.pins_read = shown
        page.unplaced = len(shown) - len(page.pins)
    return page


def _households(user: Any, code: str) -> list[Any]:
    """The households of the latest registry in the area that the account may see
    (through `households_visible_to`): none for an account that sees no households."""
    registry = households.registry_latest()
    if registry is None:
        return []
    qs = households.households_visible_to(user).filter(
        households.scope_filter(code), registry=registry
    )
    return list(qs.order_by("village_code", "pk"))


def areas_geojson(code: str) -> bytes:
    """The boundaries a map of `code` draws: the areas one level under it, or (a subdistrict
    or a village) the subdistrict's own outline."""
    if len(code) >= 6:
        return boundaries.area_geojson(code[:6])
    return boundaries.children_geojson(code)


def map_data(page: MapPage, areas_url: str, query: str = "") -> dict:
    """What js/maps.js draws: the areas (fetched from `areas_url`) coloured by class, each
    linking to its own map, and at a subdistrict the pins."""
    rate = page.rate
    values = {
        line.code: {
            "cls": line.cls,
            "text": f"{line.name}: {format_value(line.value, rate)}",
            "url": f"{line.url}{query}" if line.url else "",
        }
        for line in page.lines
    }
    return {
        "points": page.pins,
        "district": None,
        "boundary_attribution": boundaries.ATTRIBUTION,
        "tiles": households.map_tiles(),
        "areas": {
            "url": areas_url,
            "mode": "choropleth" if page.draws_children else "outline",
            "values": values,
            "colours": list(COLOURS),
            "no_data": NO_DATA,
            "name_key": "name_en" if english() else "name_th",
        },
    }


def month_choices(page: MapPage) -> list[tuple[str, str]]:
    return [(be_months.code(m), be_months.label(m)) for m in page.months]
