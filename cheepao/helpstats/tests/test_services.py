from __future__ import annotations

from decimal import Decimal

import pytest

from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.core.errors import Invalid, NotFound
from cheepao.helpstats.models import MonthFigures
from cheepao.helpstats.services import month_compute
from cheepao.helpstats.tests.conftest import MONTH

pytestmark = pytest.mark.django_db


def figures(row: MonthFigures) -> dict:
    return {
        "acts": row.acts,
        "baht": row.baht,
        "households_helped": row.households_helped,
        "cases_solved": row.cases_solved,
        "referrals_sent": row.referrals_sent,
        "referrals_accepted": row.referrals_accepted,
        "referrals_done": row.referrals_done,
        "referrals_overdue": row.referrals_overdue,
        "escalated": row.escalated,
        "acts_to_date": row.acts_to_date,
        "helped_to_date": row.helped_to_date,
        "helped_fully_to_date": row.helped_fully_to_date,
        "recorded_to_date": row.recorded_to_date,
        "targets": row.targets,
    }


def test_the_district_and_each_agency_count_exactly_the_month(month_world):
    w = month_world
    month_compute(ctx=Context.cli(), month="2568-11")
    district = MonthFigures.objects.get(month=MONTH, area_code=w["district"], body=None)
    assert district.level == "district"
    assert figures(district) == {
        # 1,000 and the corrected 700; the foundation's 300 was withdrawn
        "acts": 2,
        "baht": Decimal("1700.00"),
        "households_helped": 1,
        "cases_solved": 1,
        "referrals_sent": 5,
        "referrals_accepted": 2,  # accepted, and accepted then done
        "referrals_done": 1,
        "referrals_overdue": 1,  # the pending one, follow-up 20 Nov
        "escalated": 1,
        "acts_to_date": 3,  # with the mentor's help of October
        "helped_to_date": 2,
        "helped_fully_to_date": 1,  # `two` was helped in one of its two dimensions
        "recorded_to_date": 3,  # the need of March, the two cases
        "targets": w["targets"],
    }
    health = MonthFigures.objects.get(month=MONTH, area_code=w["district"], body=w["health"])
    assert figures(health) == {
        "acts": 2,
        "baht": Decimal("1700.00"),
        "households_helped": 1,
        "cases_solved": 1,
        "referrals_sent": 3,
        "referrals_accepted": 2,
        "referrals_done": 1,
        "referrals_overdue": 1,
        "escalated": 1,
        "acts_to_date": 2,
        "helped_to_date": 1,
        "helped_fully_to_date": 1,
        "recorded_to_date": 2,
        "targets": w["targets"],
    }
    foundation = MonthFigures.objects.get(
        month=MONTH, area_code=w["district"], body=w["foundation"]
    )
    assert figures(foundation) == {
        **{k: 0 for k in figures(foundation)},
        "baht": Decimal("0.00"),
        "referrals_sent": 2,
        "targets": w["targets"],
    }
    # The areas add up: the province and the country equal the district (nothing elsewhere),
    # and the households' villages carry their own lines.
    for code in (w["district"][:2], ""):
        row = MonthFigures.objects.get(month=MONTH, area_code=code, body=None)
        assert figures(row) == {**figures(district), "targets": row.targets}
    village = MonthFigures.objects.get(month=MONTH, area_code=w["one"].village_code, body=None)
    assert village.level == "village" and village.acts >= 2


def test_a_month_is_replaced_whole_and_audited(month_world):
    w = month_world
    month_compute(ctx=Context.cli(), month=MONTH)
    first = MonthFigures.objects.filter(month=MONTH).count()
    audits = AuditEvent.objects.filter(object_type="helpstats.month").count()
    assert month_compute(ctx=Context.cli(), month=MONTH) == first
    assert MonthFigures.objects.filter(month=MONTH).count() == first
    assert AuditEvent.objects.filter(object_type="helpstats.month").count() == audits + 1
    # One district again: its rows are rewritten, the province and country summed again.
    n = month_compute(ctx=Context.cli(), month=MONTH, area=w["district"])
    assert n > 0
    assert MonthFigures.objects.filter(month=MONTH).count() == first
    country = MonthFigures.objects.get(month=MONTH, area_code="", body=None)
    assert (country.acts, country.baht) == (2, Decimal("1700.00"))


def test_refusals_write_nothing(month_world, make_user):
    w = month_world
    before = (MonthFigures.objects.count(), AuditEvent.objects.count())
    with pytest.raises(Invalid) as bad:
        month_compute(ctx=Context.cli(), month="2568-13")
    assert bad.value.code == "helpstats.bad_month"
    with pytest.raises(Invalid) as bad:
        month_compute(ctx=Context.cli(), month=MONTH, area="34x")
    assert bad.value.code == "helpstats.bad_area"
    outsider = make_user("district", "3402" if w["district"] != "3402" else "3401")
    with pytest.raises(NotFound):
        month_compute(ctx=Context.cli(outsider), month=MONTH, area=w["district"])
    agency = make_user("agency", w["district"], body=w["health"])
    with pytest.raises(NotFound):
        month_compute(ctx=Context.cli(agency), month=MONTH, area=w["district"])
    assert (MonthFigures.objects.count(), AuditEvent.objects.count()) == before


def test_households_of_an_earlier_registry_count_as_work_not_as_targets_helped(month_world):
    """Help and needs recorded for a household of an earlier survey year's registry are
    acts of the month, but not households helped or recorded of the year: those are shares
    of the latest registry's households (a village showed 6 recorded of 5 targets)."""
    from datetime import date

    from cheepao.households.models import Household, RegistryYear
    from cheepao.logbook.models import Entry

    w = month_world
    one = w["one"]
    latest = one.registry
    earlier = RegistryYear.objects.create(
        survey_year=latest.survey_year - 1,
        run_path="runs/earlier",
        indicator_set_id=latest.indicator_set_id,
        indicator_set_version=latest.indicator_set_version,
        indicator_set_sha256=latest.indicator_set_sha256,
        profile=latest.profile,
    )
    old = Household.objects.create(
        registry=earlier, hh_id="OLD-1", province_code=one.province_code,
        district_code=one.district_code, subdistrict_code=one.subdistrict_code,
        village_no=one.village_no, village_code=one.village_code,
    )  # fmt: skip
    month_compute(ctx=Context.cli(), month="2568-11")
    before = figures(MonthFigures.objects.get(month=MONTH, area_code=w["district"], body=None))
    for part in ("help", "need"):
        Entry.objects.create(
            household=old, village_code=old.village_code, part=part,
            occurred_on=date(2025, 11, 7), recorded_by=None, value=Decimal(50),
        )  # fmt: skip
    month_compute(ctx=Context.cli(), month="2568-11")
    after = figures(MonthFigures.objects.get(month=MONTH, area_code=w["district"], body=None))
    assert after["acts"] == before["acts"] + 1
    assert after["households_helped"] == before["households_helped"] + 1
    for name in ("helped_to_date", "recorded_to_date", "acts_to_date", "targets"):
        assert after[name] == before[name], name
