"""The routing catalogue (`catalogues/<version>.yaml`, ADR 0027): the lead and supporting
ministries of each indicator (seed 001 section ๙), the lead of a dimension for needs that
name no indicator, the default follow-up days of a referral, and which office of a
ministry serves a household (the nearest level first).

Read through `core.catalogues.VersionedFolder`; `settings.ROUTING_CATALOGUE_DIR` names
another folder (tests use it). A case keeps the version its owner was chosen under.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cheepao.accounts.models import Body
from cheepao.core.catalogues import VersionedFolder

CATALOGUE_DIR = Path(__file__).with_name("catalogues")


class RoutingCatalogueError(ValueError):
    pass


@dataclass(frozen=True)
class Lead:
    indicator: str
    lead: str
    support: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    version: str
    sha256: str
    follow_up_days: int
    office_levels: tuple[int, ...]
    indicators: Mapping[str, Lead]
    dimensions: Mapping[str, str]

    def lead_of(self, dimension: str, indicator: str = "") -> str:
        """The lead ministry of an indicator, else of the dimension ('' when none)."""
        found = self.indicators.get(indicator) if indicator else None
        if found is not None:
            return found.lead
        return self.dimensions.get(dimension, "")

    def office_for(self, ministry: str, village_code: str) -> Body | None:
        """The agency office of `ministry` whose area covers the village, nearest level
        first (a district office, then a province office); None when there is none."""
        if not ministry:
            return None
        codes = [village_code[:n] for n in self.office_levels if len(village_code) >= n]
        offices = Body.objects.filter(
            kind=Body.Kind.AGENCY, ministry=ministry, area_code__in=codes
        ).order_by("pk")
        by_code: dict[str, Body] = {}
        for office in offices:
            by_code.setdefault(office.area_code, office)
        for code in codes:
            if code in by_code:
                return by_code[code]
        return None


def parse(data: Any, version: str, sha256: str) -> Catalogue:
    if not isinstance(data, dict):
        raise RoutingCatalogueError(f"routing catalogue {version}: not a mapping")
    try:
        days = int(data["follow_up_days"])
        levels = tuple(int(n) for n in data.get("office_levels") or (4, 2))
        rows = data["indicators"]
        dimensions = {str(k): str(v) for k, v in (data.get("dimensions") or {}).items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise RoutingCatalogueError(f"routing catalogue {version}: {exc}") from exc
    if not 1 <= days <= 365:
        raise RoutingCatalogueError(f"routing catalogue {version}: follow_up_days {days}")
    if any(n not in (2, 4, 6) for n in levels):
        raise RoutingCatalogueError(f"routing catalogue {version}: office_levels {levels}")
    indicators = {}
    for code, row in (rows or {}).items():
        if not isinstance(row, dict) or not str(row.get("lead") or "").strip():
            raise RoutingCatalogueError(f"routing catalogue {version}: {code} has no lead")
        indicators[str(code)] = Lead(
            str(code), str(row["lead"]).strip(), tuple(str(s) for s in row.get("support") or ())
        )
    return Catalogue(version, sha256, days, levels, indicators, dimensions)


CATALOGUE = VersionedFolder(
    CATALOGUE_DIR,
    parse,
    setting="ROUTING_CATALOGUE_DIR",
    error=RoutingCatalogueError,
    what="routing catalogue",
)

versions = CATALOGUE.versions
catalogue = CATALOGUE.load
