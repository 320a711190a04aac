"""Writes to the geography tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import geothai
from django.db import transaction

from cheepao.geo import selectors
from cheepao.geo.models import District, Province, Subdistrict

BATCH = 1000


@dataclass
class LevelCount:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class GeographyLoad:
    provinces: LevelCount = field(default_factory=LevelCount)
    districts: LevelCount = field(default_factory=LevelCount)
    subdistricts: LevelCount = field(default_factory=LevelCount)

    @property
    def changed(self) -> int:
        return sum(
            c.created + c.updated for c in (self.provinces, self.districts, self.subdistricts)
        )


def _upsert(model: type, wanted: dict[str, dict[str, Any]], fields: list[str]) -> LevelCount:
    """Create missing rows and update rows whose fields differ; leave equal rows untouched.

    Comparing before writing (instead of a blind upsert) is what makes a second load a
    no-op that reports "0 changed", which operators rely on to know the data is current.
    Areas the source no longer lists are kept: survey and registry rows may still refer to
    an abolished code, and deleting it would orphan them.
    """
    count = LevelCount()
    existing = {obj.pk: obj for obj in model.objects.filter(pk__in=list(wanted))}
    to_create, to_update = [], []
    for code, values in wanted.items():
        obj = existing.get(code)
        if obj is None:
            to_create.append(model(pk=code, **values))
            continue
        if all(getattr(obj, f) == values[f] for f in fields):
            count.unchanged += 1
            continue
        for f in fields:
            setattr(obj, f, values[f])
        to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=BATCH)
    model.objects.bulk_update(to_update, fields, batch_size=BATCH)
    count.created, count.updated = len(to_create), len(to_update)
    return count


def geography_load(*, source: ModuleType | Any = geothai) -> GeographyLoad:
    """Bring the area tables in line with `source` (the `geothai` package by default).

    `source` needs provinces(), districts(province_code) and subdistricts(district_code), the
    way geothai offers them, so a newer geothai release or a test's small source both work.
    """
    provinces: dict[str, dict[str, Any]] = {}
    districts: dict[str, dict[str, Any]] = {}
    subdistricts: dict[str, dict[str, Any]] = {}
    for p in source.provinces():
        provinces[p.code] = {"name_th": p.name_th, "name_en": p.name_en}
        for d in source.districts(p.code):
            districts[d.code] = {"name_th": d.name_th, "name_en": d.name_en, "province_id": p.code}
            for s in source.subdistricts(d.code):
                subdistricts[s.code] = {
                    "name_th": s.name_th,
                    "name_en": s.name_en,
                    "district_id": d.code,
                    "postal_codes": list(s.postal_codes),
                }
    result = GeographyLoad()
    selectors.areas_forget()
    transaction.on_commit(selectors.areas_forget)
    with transaction.atomic():
        result.provinces = _upsert(Province, provinces, ["name_th", "name_en"])
        result.districts = _upsert(District, districts, ["name_th", "name_en", "province_id"])
        result.subdistricts = _upsert(
            Subdistrict, subdistricts, ["name_th", "name_en", "district_id", "postal_codes"]
        )
    return result
