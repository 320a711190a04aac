"""The maps of the folder and the register.

The folder and the register draw their pins over the district's boundary, so a map needs
no tile server (and no internet). The data goes into the page as JSON (`json_script`) and
`static/js/maps.js` draws it with the vendored Leaflet.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

from cheepao.geo import boundaries
from cheepao.households import extensions
from cheepao.households.models import Household
from cheepao.households.selectors.register import RegisterPage, village_name

# Short form from data/geo/SOURCES.md: shown wherever the boundaries are drawn.
BOUNDARY_ATTRIBUTION = boundaries.ATTRIBUTION


def district_feature(district_code: str) -> dict | None:
    """One district's boundary as a GeoJSON Feature (its code and names only), or None."""
    found = boundaries.features("district").get(district_code)
    if found is None:
        return None
    props = found["properties"]
    return {
        "type": "Feature",
        "properties": {
            "dcode": props["code"],
            "name_th": props["name_th"],
            "name_en": props["name_en"],
        },
        "geometry": found["geometry"],
    }


def household_type(household: Household) -> str:
    """The kind that colours the household's pin (`extensions.map_pin_kind`, e.g.
    'developable' / 'welfare' from its form ศจพ.1), '' when not classified."""
    return extensions.map_pin_kind.of([household])[household.pk]


def map_legend() -> list[tuple[str, str]]:
    """(css kind, label) of each pin colour, for the legend under a map."""
    return [(kind or "none", str(label)) for kind, label in extensions.map_pin_kind.legend()]


def _map_point(
    household: Household, kind: str, *, link: bool = False, village: bool = False
) -> dict | None:
    """A pin: where the household is, its kind and its house number; never a name or PIN,
    so a screenshot of the map shows no more than the page's list does."""
    if household.lat is None or household.lon is None:
        return None
    labels_of = dict(extensions.map_pin_kind.legend())
    label = gettext("House no. %(no)s") % {"no": household.house_no or "–"}
    if village:
        label = f"{label} · {village_name(household.village_code)}"
    point = {
        "lat": round(household.lat, 6),
        "lon": round(household.lon, 6),
        "type": kind,
        "type_label": str(labels_of[kind]),
        "label": label,
    }
    if link:
        point["url"] = reverse("households:folder", args=[household.pk])
    return point


def _map_data(points: list[dict], district_code: str) -> dict:
    district = district_feature(district_code)
    tiles = map_tiles()
    return {
        "points": points,
        "district": district,
        "boundary_attribution": BOUNDARY_ATTRIBUTION if district else "",
        "tiles": tiles,
    }


def folder_map(household: Household) -> dict | None:
    """The folder's map: the household's pin over its district, or None without a position."""
    point = _map_point(household, household_type(household))
    if point is None:
        return None
    return _map_data([point], household.district_code)


def register_map(register: RegisterPage, code: str) -> dict | None:
    """The pins of the households on one page of the register, each linking to its folder,
    over the area's district; None when none of them has a position."""
    kinds = extensions.map_pin_kind.of([r.household for r in register.rows])
    points = [
        p
        for r in register.rows
        if (p := _map_point(r.household, kinds[r.household.pk], link=True, village=len(code) == 6))
        is not None
    ]
    if not points:
        return None
    data = _map_data(points, code[:4])
    data["unplaced"] = len(register.rows) - len(points)
    return data


def area_pins(households: list[Household], *, village: bool = True) -> list[dict]:
    """The pins of households the caller has already read through the access policy
    (`households_visible_to`), each linking to its folder; those without a position are
    left out. For the maps of an area (the maps app's subdistrict map)."""
    kinds = extensions.map_pin_kind.of(households)
    return [
        p
        for h in households
        if (p := _map_point(h, kinds[h.pk], link=True, village=village)) is not None
    ]


def map_tiles() -> dict | None:
    """The tile server when one is configured (CHEEPAO_MAP_TILES), else None."""
    if not settings.CHEEPAO_MAP_TILES:
        return None
    return {
        "url": settings.CHEEPAO_MAP_TILES,
        "attribution": settings.CHEEPAO_MAP_TILES_ATTRIBUTION,
    }
