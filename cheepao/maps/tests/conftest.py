from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from cheepao.snapshots.models import AreaMonth

MONTH = date(2026, 11, 1)  # 2569-11
EARLIER = date(2026, 10, 1)


def area_month(code: str, month: date = MONTH, **counts) -> AreaMonth:
    level = {0: "country", 2: "province", 4: "district", 6: "subdistrict", 8: "village"}[len(code)]
    return AreaMonth.objects.create(
        month=month, level=level, area_code=code, built_at=timezone.now(), **counts
    )


@pytest.fixture
def snapshots(db):
    """Rows of two months: the country, Ubon (34) and Sisaket (33), Ubon's first district
    (3401) and two of its subdistricts; 340102 has no targets (no data)."""
    for month in (EARLIER, MONTH):
        area_month("", month, targets=1000, helped=500, acts=900)
        area_month("34", month, targets=400, helped=100, acts=300)
        area_month("33", month, targets=200, helped=190, acts=100)
        area_month("3401", month, targets=100, helped=45, acts=150)
        area_month("3402", month, targets=100, helped=10, acts=10)
        area_month("340101", month, targets=50, helped=45, acts=120)
        area_month("340102", month, targets=0)
        area_month("34010101", month, targets=20, helped=19, acts=40)
    return MONTH
