"""The boundaries of provinces, districts and subdistricts, from `cheepao/data/geo/` (read its
SOURCES.md: one 2022 RTSD / OCHA HDX source, the three levels share borders exactly).

Each level's file is parsed once per process and kept as features by DOPA code. A map is
sent only the areas it shows: `children_geojson(code)` is the GeoJSON of the areas one
level under `code` (the country's 77 provinces, a province's districts, a district's
subdistricts), made once per process and kept as bytes; never the whole 5.6 MB
subdistrict file. Plain Python (no Django), so anything may import it.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "geo"
FILES = {
    "province": DATA / "th-provinces.geojson",
    "district": DATA / "th-districts.geojson",
    "subdistrict": DATA / "th-subdistricts.geojson",
}
CODE_PROPERTY = {"province": "pcode", "district": "dcode", "subdistrict": "scode"}
LEVEL_BY_LENGTH = {2: "province", 4: "district", 6: "subdistrict"}
CHILD_LEVEL = {"": "province", "province": "district", "district": "subdistrict"}

# The short form from SOURCES.md, for a map's attribution control.
ATTRIBUTION = (
    "Boundaries © Royal Thai Survey Dept. / OCHA HDX (CC BY 3.0 IGO), "
    "simplified via prasertcbs/thailand_gis"
)
# The long form from SOURCES.md, for the credits page.
ATTRIBUTION_LONG = (
    "Administrative boundaries: Royal Thai Survey Department, via OCHA / Humanitarian Data "
    "Exchange (COD-AB Thailand, https://data.humdata.org/dataset/cod-ab-tha), licensed CC BY "
    "3.0 IGO. Simplified copy from prasertcbs/thailand_gis "
    "(https://github.com/prasertcbs/thailand_gis). Eleven Thai names (seven subdistricts, four "
    "districts) completed from the Department of Provincial Administration list as published "
    "by GeoThai/data (https://github.com/GeoThai/data, CC BY 4.0). Modified: attributes "
    "renamed, names completed, coordinates rounded, districts and provinces dissolved from "
    "subdistricts."
)


def level_of(code: str) -> str | None:
    """'' the country, 2 digits a province, 4 a district, 6 a subdistrict; else None."""
    if code == "":
        return ""
    if not code.isdigit():
        return None
    return LEVEL_BY_LENGTH.get(len(code))


@functools.cache
def features(level: str) -> dict[str, dict]:
    """Every boundary of `level` ('province', 'district', 'subdistrict') by its DOPA code,
    each a GeoJSON Feature whose properties are just its code and names."""
    with FILES[level].open(encoding="utf-8") as f:
        collection = json.load(f)
    key = CODE_PROPERTY[level]
    out = {}
    for found in collection["features"]:
        props = found["properties"]
        out[props[key]] = {
            "type": "Feature",
            "properties": {
                "code": props[key],
                "name_th": props["name_th"],
                "name_en": props["name_en"],
            },
            "geometry": found["geometry"],
        }
    return out


def feature(code: str) -> dict | None:
    """One area's boundary (a province, district or subdistrict), or None."""
    level = level_of(code)
    if not level:
        return None
    return features(level).get(code)


def children_codes(code: str) -> list[str]:
    """The codes of the areas one level under `code` that have a boundary, sorted."""
    level = level_of(code)
    if level is None or level not in CHILD_LEVEL:
        return []
    return sorted(c for c in features(CHILD_LEVEL[level]) if c.startswith(code))


def _collection(found: list[dict]) -> bytes:
    body = {"type": "FeatureCollection", "features": found}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@functools.lru_cache(maxsize=1100)  # the country, 77 provinces, 928 districts
def children_geojson(code: str) -> bytes:
    """The GeoJSON FeatureCollection (UTF-8 bytes) of the areas one level under `code`:
    the country's ('') provinces, a province's districts, a district's subdistricts. An
    unknown code or a subdistrict (nothing under it has a boundary) gives no features."""
    level = level_of(code)
    if level is None or level not in CHILD_LEVEL:
        return _collection([])
    table = features(CHILD_LEVEL[level])
    return _collection([table[c] for c in children_codes(code)])


@functools.lru_cache(maxsize=1024)
def area_geojson(code: str) -> bytes:
    """The GeoJSON FeatureCollection (UTF-8 bytes) of one area's own boundary (empty when
    it has none): what a subdistrict's map is drawn on."""
    found = feature(code)
    return _collection([found] if found else [])


def within_geojson(code: str, level: str) -> bytes:
    """Every boundary of `level` inside the area `code` (e.g. a province's subdistricts),
    not cached: for measuring and one-off exports, never the whole country's subdistricts
    for a page."""
    table = features(level)
    return _collection([table[c] for c in sorted(table) if c.startswith(code)])
