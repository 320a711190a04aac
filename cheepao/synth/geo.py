"""Real places for synthetic households: DOPA codes from geothai, points inside subdistricts.

Points are drawn by rejection inside each subdistrict's polygon (`data/geo/`, see its
SOURCES.md) with a numpy even-odd ray test, so there is no GEOS/shapely dependency and a
province's worth of points is a few array operations. A subdistrict gets a centre inside
its polygon and its villages and houses cluster around that centre, kept inside it. The
few DOPA subdistricts without a polygon (newer Bangkok khwaeng, 530407; SOURCES.md) fall
back to their district's polygon.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geothai
import numpy as np

DISTRICTS_GEOJSON = Path(__file__).resolve().parents[1] / "data" / "geo" / "th-districts.geojson"
SUBDISTRICTS_GEOJSON = (
    Path(__file__).resolve().parents[1] / "data" / "geo" / "th-subdistricts.geojson"
)

# ~1 km in degrees at Thai latitudes; spreads of centres and houses are in these units.
KM = 1 / 111.0
_BLOCK = 4_000_000  # points x edges per block of the ray test, bounds memory


@dataclass(frozen=True)
class Shape:
    """All ring edges of a (multi)polygon; holes and islands fall out of the even-odd rule."""

    x1: np.ndarray
    y1: np.ndarray
    x2: np.ndarray
    y2: np.ndarray
    bbox: tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max

    def contains(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        lon = np.asarray(lon, np.float64)
        lat = np.asarray(lat, np.float64)
        out = np.zeros(len(lon), bool)
        step = max(1, _BLOCK // max(1, len(self.x1)))
        for s in range(0, len(lon), step):
            x = lon[s : s + step, None]
            y = lat[s : s + step, None]
            straddles = (self.y1 > y) != (self.y2 > y)
            with np.errstate(divide="ignore", invalid="ignore"):
                x_cross = self.x1 + (y - self.y1) * (self.x2 - self.x1) / (self.y2 - self.y1)
            hits = straddles & (x < x_cross)
            out[s : s + step] = (hits.sum(axis=1) % 2) == 1
        return out


def _shape(geometry: dict) -> Shape:
    polys = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polys = [polys]
    rings = [np.asarray(ring, np.float64) for poly in polys for ring in poly]
    starts = np.concatenate([r[:-1] for r in rings])
    ends = np.concatenate([r[1:] for r in rings])
    allpts = np.concatenate(rings)
    return Shape(
        starts[:, 0],
        starts[:, 1],
        ends[:, 0],
        ends[:, 1],
        (allpts[:, 0].min(), allpts[:, 1].min(), allpts[:, 0].max(), allpts[:, 1].max()),
    )


@cache
def district_shapes() -> dict[str, Shape]:
    """dcode -> Shape for all 928 districts."""
    data = json.loads(DISTRICTS_GEOJSON.read_text(encoding="utf-8"))
    return {f["properties"]["dcode"]: _shape(f["geometry"]) for f in data["features"]}


@cache
def _subdistrict_geometries() -> dict[str, dict]:
    data = json.loads(SUBDISTRICTS_GEOJSON.read_text(encoding="utf-8"))
    return {f["properties"]["scode"]: f["geometry"] for f in data["features"]}


@cache
def subdistrict_shape(code: str) -> Shape:
    """The subdistrict's Shape (6-digit code), or its district's when it has no polygon."""
    geometry = _subdistrict_geometries().get(code)
    if geometry is None:
        return district_shapes()[code[:4]]
    return _shape(geometry)


def sample_inside(shape: Shape, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n uniform points inside the shape, by rejection from its bounding box."""
    lon_min, lat_min, lon_max, lat_max = shape.bbox
    lon_out, lat_out = np.empty(0), np.empty(0)
    while len(lon_out) < n:
        m = max(16, 2 * (n - len(lon_out)))
        lon = rng.uniform(lon_min, lon_max, m)
        lat = rng.uniform(lat_min, lat_max, m)
        ok = shape.contains(lon, lat)
        lon_out = np.r_[lon_out, lon[ok]]
        lat_out = np.r_[lat_out, lat[ok]]
    return lon_out[:n], lat_out[:n]


def scatter_around(
    shape: Shape,
    lon0: np.ndarray,
    lat0: np.ndarray,
    spread: float,
    rng: np.random.Generator,
    rounds: int = 40,
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian points around given centres (inside the shape), kept inside the shape.

    Points that land outside are redrawn; after `rounds` tries a point takes its centre,
    which is inside by construction.
    """
    lon = lon0.copy()
    lat = lat0.copy()
    todo = np.arange(len(lon0))
    for _ in range(rounds):
        if not len(todo):
            break
        cand_lon = lon0[todo] + rng.normal(0, spread, len(todo))
        cand_lat = lat0[todo] + rng.normal(0, spread, len(todo))
        ok = shape.contains(cand_lon, cand_lat)
        lon[todo[ok]] = cand_lon[ok]
        lat[todo[ok]] = cand_lat[ok]
        todo = todo[~ok]
    return lon, lat


@dataclass(frozen=True)
class District:
    code: str
    subdistricts: tuple[str, ...]


def province_codes() -> list[str]:
    return [p.code for p in geothai.provinces()]


def districts_of(pcode: str, limit: int | None) -> list[District]:
    """Districts of a province by code, each with its subdistricts, the first `limit` only."""
    ds = sorted(geothai.districts(pcode), key=lambda d: d.code)
    if limit is not None:
        ds = ds[:limit]
    return [
        District(d.code, tuple(sorted(s.code for s in geothai.subdistricts(d.code)))) for d in ds
    ]
