"""The filters the registry pages use for verification status and household type."""

from __future__ import annotations

from cheepao.core.context import Context
from cheepao.households.models import Household
from cheepao.verification import selectors, services
from cheepao.verification.tests.conftest import form_data


def test_verification_status_filter_and_annotation(registry, household, team):
    services.verification_save(
        household=household, ctx=Context.cli(team), data=form_data(household)
    )
    qs = Household.objects.filter(registry=registry)
    total = qs.count()
    assert list(qs.filter(selectors.verification_status_q("draft"))) == [household]
    assert qs.filter(selectors.verification_status_q("not_verified")).count() == total - 1
    assert not qs.filter(selectors.verification_status_q("approved")).exists()
    assert not qs.filter(selectors.verification_status_q("nonsense")).exists()
    rows = dict(selectors.with_verification_status(qs).values_list("pk", "verification_status"))
    assert rows[household.pk] == "draft"
    assert set(rows.values()) == {"draft", "not_verified"}
    assert {code for code, _ in selectors.VERIFICATION_STATUSES} == {
        "not_verified",
        "draft",
        "submitted",
        "certified",
        "returned",
        "approved",
    }


def test_household_type_filter(registry, household, team):
    services.verification_save(
        household=household,
        ctx=Context.cli(team),
        data=form_data(household, household_type="welfare"),
    )
    qs = Household.objects.filter(registry=registry)
    assert list(qs.filter(selectors.household_type_q("welfare"))) == [household]
    assert not qs.filter(selectors.household_type_q("developable")).exists()
    assert qs.filter(selectors.household_type_q("unclassified")).count() == qs.count() - 1
    assert not qs.filter(selectors.household_type_q("x")).exists()
