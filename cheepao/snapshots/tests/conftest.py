"""The snapshot tests' world: the monthly statistics' small month of work in one district
(helpstats/tests/conftest.py: November 2568 BE), with the registry's own figures added on
the household `one` of it: its verification sent and certified, an approved plan, and the
evaluation of an earlier survey year that followed three of its village's households into
this registry's year (one escaped, one still poor, one left)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from cheepao.evaluation.models import TARGET, Evaluation, Outcome
from cheepao.helpstats.tests.conftest import MONTH, month_world
from cheepao.households.models import Household
from cheepao.plans.models import Plan
from cheepao.verification.models import Verification

__all__ = ["MONTH", "month_world", "snapshot_world"]


def verification(h: Household, state: str, by) -> Verification:
    return Verification.objects.create(
        household=h,
        household_status="lives_here",
        members_now=3,
        income_year=30000,
        result="all_correct",
        household_type="developable",
        state=state,
        verified_by=by,
        verified_at=timezone.now(),
    )


@pytest.fixture
def snapshot_world(month_world, registry, make_user):
    w = dict(month_world)
    one, two = w["one"], w["two"]
    team = make_user("subdistrict", one.subdistrict_code)
    verification(one, "certified", team)
    verification(two, "draft", team)  # not sent yet: not verified
    Plan.objects.create(household=one, workflow_version="v1", status="approved")
    Plan.objects.create(household=two, workflow_version="v1", status="submitted")
    evaluation = Evaluation.objects.create(
        registry=registry,
        before_year=registry.survey_year - 1,
        after_year=registry.survey_year,
        after_run_path="runs/later",
        after_run_created_at="2025-12-01",
        computed_at=timezone.now(),
    )
    village = list(
        Household.objects.filter(registry=registry, district_code=one.district_code).order_by(
            "village_code", "pk"
        )
    )[:3]
    for h, status in zip(village, ("escaped", "still", "left"), strict=False):
        Outcome.objects.create(
            evaluation=evaluation,
            household=h,
            village_code=h.village_code,
            subject=TARGET,
            status=status,
        )
    w.update(evaluation=evaluation, evaluated=len(village), team=team, registry=registry)
    return w


def month_before(today: date) -> tuple[date, date]:
    """(M, N): the latest ended month M whose next month N is not in the future and is of
    the same campaign year (so a late entry of M counts in N's year to date)."""
    from cheepao.helpstats.months import first_of
    from cheepao.helpstats.targets import catalogue
    from cheepao.snapshots.services import previous_month

    n = first_of(today)
    while True:
        m = previous_month(n)
        if catalogue().year_start(m) == catalogue().year_start(n):
            return m, n
        n = m
