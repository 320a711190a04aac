"""A month of snapshots over real areas: three provinces, a few districts each, a few
subdistricts each, villages with many small counts, every level the sum of the one under
it (as the snapshot builder makes them). Rows are created directly (ADR 0031's builder is
not needed to test what is published)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

import pytest

from cheepao.opendata.selectors import FIGURES
from cheepao.snapshots.models import COUNTS, AreaMonth

MONTH = date(2026, 11, 1)  # 2569-11
BUILT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
LEVEL = {0: "country", 2: "province", 4: "district", 6: "subdistrict", 8: "village"}


def make_rows(villages: dict[str, dict[str, int]], month: date = MONTH, survey_year=2568):
    """AreaMonth rows of `villages` (code → figure → count) and of every area above them,
    each the sum of its children."""
    totals: dict[str, dict[str, int]] = {}
    for code, counts in villages.items():
        for n in (8, 6, 4, 2, 0):
            row = totals.setdefault(code[:n], dict.fromkeys(COUNTS, 0))
            for f, v in counts.items():
                row[f] += v
    AreaMonth.objects.bulk_create(
        AreaMonth(
            month=month,
            level=LEVEL[len(code)],
            area_code=code,
            survey_year=survey_year,
            built_at=BUILT,
            **counts,
        )
        for code, counts in sorted(totals.items())
    )
    return totals


def realistic_villages(seed: int = 13) -> dict[str, dict[str, int]]:
    """Villages of 3 provinces × 3 districts × 3 subdistricts (real codes), 1–3 villages
    each, with counts from 0 to 12 so many cells are small."""
    from cheepao.geo.models import District, Subdistrict

    rnd = random.Random(seed)
    villages = {}
    for province in ("34", "35", "10"):
        for district in District.objects.filter(province_id=province).order_by("code")[:3]:
            subs = Subdistrict.objects.filter(district_id=district.code).order_by("code")[:3]
            for sub in subs:
                for v in range(1, rnd.randint(1, 3) + 1):
                    targets = rnd.randint(0, 12)
                    row = {"targets": targets, "problems": rnd.randint(0, 2 * targets)}
                    for f in FIGURES:
                        if f not in row:
                            row[f] = rnd.randint(0, targets)
                    row["problems_solved"] = min(row["problems_solved"], row["problems"])
                    row["acts_month"] = rnd.randint(0, 3)
                    villages[f"{sub.code}{v:02d}"] = row
    return villages


@pytest.fixture
def month_rows(db, geography):
    return make_rows(realistic_villages())


@pytest.fixture(autouse=True)
def _publications_forgotten():
    """Each test computes its months afresh (publications live in the default cache)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# A tiny month in Ubon whose published files are checked cell by cell: targets and helped
# per village (every other figure 0).
TINY = {
    "34010101": {"targets": 10, "helped": 3},
    "34010401": {"targets": 8, "helped": 6},
    "34020101": {"targets": 2, "helped": 2},
    "34020201": {"targets": 9, "helped": 7},
}


@pytest.fixture
def tiny_month(db, geography):
    return make_rows(TINY)
