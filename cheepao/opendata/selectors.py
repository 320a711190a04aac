"""The open data of a month (ADR 0035): every area's published figures at the country,
province, district and subdistrict levels (never villages), small counts suppressed.

Reads `AreaMonth` through `snapshots.selectors` only (aggregates; no personal data, so no
account and no audit). A month's publication is computed once per snapshot version and
kept in the default cache under a key that names the month, the threshold and the
version of the month's rows (how many, and when the newest was built), so rebuilding a
snapshot publishes afresh without anyone clearing anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max

from cheepao.geo import selectors as geo
from cheepao.helpstats import months as bemonths
from cheepao.opendata import suppression
from cheepao.snapshots import selectors as snapshots

# Levels published, top down. Villages never: too small to publish safely at all.
LEVELS = ("country", "province", "district", "subdistrict")
PAGE_LEVELS = ("province", "district", "subdistrict")
# Counts published: households and problems as they stand at the month's end. Not the
# month's own figures (acts_month, helped_month): they are differences of two months'
# published figures and would give away a suppressed cell of one of them.
FIGURES = (
    "targets",
    "verified",
    "certified",
    "with_plan",
    "problems",
    "problems_solved",
    "recorded",
    "helped",
    "helped_fully",
    "acts",
    "evaluated",
    "escaped",
)
# Rates whose numerator and denominator are both published figures (all of RATES today).
RATES = tuple(r for r in snapshots.RATES if r.numerator in FIGURES and r.denominator in FIGURES)
CACHE_VERSION = 1


def threshold() -> int:
    return max(1, int(getattr(settings, "CHEEPAO_OPEN_DATA_MIN_COUNT", 5)))


@dataclass(frozen=True)
class AreaFigures:
    code: str
    level: str
    parent: str | None
    name_th: str
    name_en: str
    counts: dict[str, int | None]  # None = suppressed
    rates: dict[str, float | None]  # None = suppressed or no data (see `suppressed`)
    suppressed: tuple[str, ...]  # names of the counts and rates hidden


@dataclass(frozen=True)
class Publication:
    month: date
    survey_year: int | None
    computed_at: datetime | None
    min_count: int
    areas: dict[str, list[AreaFigures]] = field(default_factory=dict)  # level → areas

    @property
    def code(self) -> str:
        return bemonths.code(self.month)

    def level(self, level: str, within: str = "") -> list[AreaFigures]:
        return [a for a in self.areas.get(level, []) if a.code.startswith(within)]

    def area(self, code: str) -> AreaFigures | None:
        level = snapshots.level_of(code)
        return next((a for a in self.areas.get(level or "", []) if a.code == code), None)


def months() -> list[date]:
    """The months with a snapshot of the whole country, newest first."""
    return snapshots.months()


def _version(month: date) -> tuple[int, str] | None:
    n, last = 0, None
    for level in LEVELS:
        found = snapshots.public_rows(month, level).aggregate(n=Count("id"), last=Max("built_at"))
        n += found["n"]
        if found["last"] is not None and (last is None or found["last"] > last):
            last = found["last"]
    if not n:
        return None
    return n, last.isoformat() if last else ""


def _rate(counts: dict[str, int | None], r) -> float | None:
    num, den = counts[r.numerator], counts[r.denominator]
    if num is None or den is None or not den:
        return None
    value = snapshots.rate({r.numerator: num, r.denominator: den}, r.name)
    return round(value, 2) if r.per_household else round(value, 1)


def compute(month: date, min_count: int, *, complementary: bool = True) -> Publication | None:
    """The publication of `month` (None when the month has no snapshot of the country)."""
    if month not in months():
        return None
    rows: dict[str, dict[str, Any]] = {}
    survey_year, computed_at = None, None
    for level in LEVELS:
        for row in snapshots.public_rows(month, level).values(
            "area_code", "survey_year", "built_at", *FIGURES
        ):
            rows[row["area_code"]] = row
            if row["area_code"] == "":
                survey_year = row["survey_year"]
            if computed_at is None or row["built_at"] > computed_at:
                computed_at = row["built_at"]
    table = {code: {f: int(row[f] or 0) for f in FIGURES} for code, row in rows.items()}
    hidden = suppression.suppress_all(table, FIGURES, min_count, complementary=complementary)
    areas: dict[str, list[AreaFigures]] = {level: [] for level in LEVELS}
    for code in sorted(table):
        counts = {f: None if code in hidden[f] else table[code][f] for f in FIGURES}
        rates = {r.name: _rate(counts, r) for r in RATES}
        gone = [f for f in FIGURES if counts[f] is None]
        gone += [
            r.name for r in RATES if counts[r.numerator] is None or counts[r.denominator] is None
        ]
        place = geo.area_get(code) if code else None
        level = snapshots.level_of(code)
        areas[level].append(
            AreaFigures(
                code=code,
                level=level,
                parent=suppression.parent_of(code),
                name_th=place.name_th if place else ("ทั้งประเทศ" if code == "" else ""),
                name_en=place.name_en if place else ("Whole country" if code == "" else ""),
                counts=counts,
                rates=rates,
                suppressed=tuple(gone),
            )
        )
    return Publication(month, survey_year, computed_at, min_count, areas)


def publication(month: date) -> Publication | None:
    """The month's publication, from the cache when its snapshot has not changed since."""
    version = _version(month)
    if version is None:
        return None
    min_count = threshold()
    key = f"opendata:{CACHE_VERSION}:{month:%Y-%m}:{min_count}:{version[0]}:{version[1]}"
    found = cache.get(key)
    if found is None:
        found = compute(month, min_count)
        if found is not None:
            cache.set(key, found, timeout=None)
    return found
