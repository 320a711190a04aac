"""Accounts in and out of the area of the tiny Ubon registry, and a database snapshot for
asserting that a refused action changed nothing."""

from __future__ import annotations

import pytest

from cheepao.audit.models import AuditEvent
from cheepao.households.models import Household, HouseholdEvent, Problem
from cheepao.verification.models import Batch, BatchEvent, BatchItem, Verification


def snapshot() -> dict:
    """Everything verification and certification can write, as comparable values."""
    return {
        "verifications": list(Verification.objects.order_by("pk").values()),
        "batches": list(Batch.objects.order_by("pk").values()),
        "items": list(BatchItem.objects.order_by("pk").values()),
        "events": list(BatchEvent.objects.order_by("pk").values()),
        "problems": list(
            Problem.objects.order_by("pk").values("pk", "indicator", "status", "origin")
        ),
        "households": list(
            Household.objects.order_by("pk").values("pk", "status", "n_dims", "is_critical")
        ),
        "audit_writes": AuditEvent.objects.exclude(action=AuditEvent.Action.VIEW).count(),
        "history": list(HouseholdEvent.objects.order_by("pk").values_list("pk", flat=True)),
    }


@pytest.fixture
def household(registry):
    """A target household with at least two open problems (so one can be wrong and one
    confirmed), the first such in the registry's order."""
    for h in Household.objects.filter(registry=registry).order_by("village_code", "pk"):
        if h.problems.filter(status=Problem.Status.OPEN).count() >= 2:
            return h
    pytest.fail("the tiny registry has no household with two problems")


@pytest.fixture
def other_household(registry, household):
    """A household in another district-less-far area: another subdistrict of the district."""
    return (
        Household.objects.filter(registry=registry)
        .exclude(subdistrict_code=household.subdistrict_code)
        .order_by("pk")
        .first()
    )


@pytest.fixture
def team(make_user, household):
    return make_user("subdistrict", household.subdistrict_code, first_name="ทีม", last_name="ตำบล")


@pytest.fixture
def district(make_user, household):
    return make_user("district", household.district_code)


@pytest.fixture
def province(make_user, household):
    return make_user("province", household.province_code)


@pytest.fixture
def outsiders(make_user, household, other_household):
    """One account per role whose area does not cover `household`."""
    return {
        "subdistrict": make_user("subdistrict", other_household.subdistrict_code),
        "mentor": make_user("mentor", other_household.subdistrict_code),
        "district": make_user("district", "3402"),
        "province": make_user("province", "35"),
        "agency": make_user("agency", household.district_code),
    }


def marks_for(household, wrong: set[str] = frozenset()) -> dict[str, str]:
    codes = household.problems.filter(status=Problem.Status.OPEN).values_list(
        "indicator", flat=True
    )
    return {c: ("wrong" if c in wrong else "confirmed") for c in codes}


def form_data(household, **overrides) -> dict:
    """What a team records: every shown problem confirmed, and an income that agrees with
    them (income per person decides I3: 20,000 a head when I3 is shown, 50,000 if not)."""
    data = {
        "household_status": "lives_here",
        "members_now": 3,
        "income_year": "60000" if "I3" in marks_for(household) else "150000",
        "debt_formal": "10000",
        "debt_informal": "0",
        "savings": "500",
        "can_repay": "partly",
        "household_type": "developable",
        "note": "",
        "marks": marks_for(household),
        "added": [],
    }
    data.update(overrides)
    return data
