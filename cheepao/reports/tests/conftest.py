"""Monthly snapshot rows made directly (the builder is another app's): the district 3401 of
Ubon (34) in November 2569 BE, its three first subdistricts, the province and the district
3402 beside it, with figures chosen so every rate is exact and one has no data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from cheepao.geo.selectors import area_children
from cheepao.snapshots.models import AreaMonth

MONTH = date(2026, 11, 1)  # 2569-11
MONTH_CODE = "2569-11"
DISTRICT = "3401"


def snapshot(code: str, level: str, n: int, **fields) -> AreaMonth:
    figures = {
        "targets": 10 * n,
        "verified": 9 * n,
        "certified": 8 * n,
        "with_plan": 7 * n,
        "problems": 20 * n,
        "problems_solved": 5 * n,
        "recorded": 6 * n,
        "helped": 4 * n,
        "helped_fully": 2 * n,
        "acts": 11 * n,
        "baht": Decimal("1250.50") * n,
        "acts_month": 3 * n,
        "helped_month": n,
        "referrals_overdue": n,
        "escalated": n // 2,
        "evaluated": 0,
        "escaped": 0,
    }
    figures.update(fields)
    return AreaMonth.objects.create(
        month=MONTH,
        level=level,
        area_code=code,
        survey_year=2568,
        built_at=timezone.now(),
        **figures,
    )


@pytest.fixture
def snapshots(geography, make_user):
    subs = [a.code for a in area_children(DISTRICT)][:3]
    # A subdistrict whose name would be a formula in a careless workbook is made below by
    # the test that needs it; these are the geography's own names.
    lines = [snapshot(code, "subdistrict", n) for n, code in enumerate(subs, start=1)]
    # One with no targets at all: its rates are "no data", never 0 %.
    lines[-1].targets = 0
    lines[-1].save(update_fields=["targets"])
    closer = make_user("district", DISTRICT, first_name="สมหญิง", last_name="ปิดยอด")
    district = snapshot(
        DISTRICT,
        "district",
        6,
        targets=30,
        closed_at=timezone.now(),
        closed_by=closer,
        closed_by_name="สมหญิง ปิดยอด",
    )
    province = snapshot("34", "province", 20)
    beside = snapshot("3402", "district", 3)
    return {
        "subdistricts": lines,
        "district": district,
        "province": province,
        "beside": beside,
        "closer": closer,
    }
