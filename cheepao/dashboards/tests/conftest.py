"""Snapshot rows written directly (the builder is the snapshots app's): one province (34)
with two districts (3401, 3402), subdistricts 340101 and 340104 of 3401 and 340201 of
3402, a village of each subdistrict, over three months (ต.ค., พ.ย., ธ.ค. 2568 BE)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cheepao.snapshots.models import AreaMonth

OCT, NOV, DEC = date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1)
LEVEL = {0: "country", 2: "province", 4: "district", 6: "subdistrict", 8: "village"}
BUILT = timezone.make_aware(datetime(2026, 1, 2, 9, 30))


def snapshot(month: date, code: str, **counts) -> AreaMonth:
    counts.setdefault("baht", Decimal("0"))
    return AreaMonth.objects.create(
        month=month, level=LEVEL[len(code)], area_code=code, built_at=BUILT, **counts
    )


# (targets, helped) per leaf area in December; earlier months have fewer helped.
LEAVES = {
    "34010101": (40, 30),  # 75 %
    "34010401": (60, 15),  # 25 %
    "34020101": (137, 90),  # 65.7 %: the other district, best of all
}


@pytest.fixture
def snapshots(geography):
    """Rows of every level for the three months, the upper levels the sums of the leaves."""
    for month, share in ((OCT, 0.2), (NOV, 0.6), (DEC, 1.0)):
        sums: dict[str, dict[str, int]] = {}
        for village, (targets, helped) in LEAVES.items():
            h = int(helped * share)
            counts = {
                "targets": targets,
                "verified": targets,
                "certified": targets - 10,
                "with_plan": targets // 2,
                "problems": targets * 2,
                "problems_solved": h,
                "recorded": targets - 5,
                "helped": h,
                "helped_fully": h // 2,
                "acts": h * 3,
                "referrals_overdue": 1,
                "escalated": 1 if village.startswith("3402") else 0,
            }
            for n in (8, 6, 4, 2, 0):
                area = sums.setdefault(village[:n], dict.fromkeys(counts, 0))
                for k, v in counts.items():
                    area[k] += v
        for code, counts in sums.items():
            snapshot(month, code, **counts)
    return {"province": "34", "district": "3401", "other": "3402"}
