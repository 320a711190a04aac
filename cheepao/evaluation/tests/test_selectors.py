"""The evaluation's figures on the known two years (tests/conftest.py): per area, per
indicator (helped against not helped), per agency and programme (baht per household
that escaped). This is the test the issue asks for: known help gives known numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cheepao.core.context import Context
from cheepao.evaluation import selectors
from cheepao.evaluation.services import evaluation_compute


@pytest.fixture
def ev(known_help):
    return evaluation_compute(
        ctx=Context.cli(), registry=known_help["registry"], after_run_path=known_help["after"]
    )


def test_the_province(ev, make_user):
    page = selectors.page(make_user("province", "34"), ev, "34")
    line = page.line
    assert (line.followed, line.found, line.escaped) == (8, 7, 3)
    assert line.escaped_pct == Decimal("42.9")
    assert line.stages == {"survives": 0, "sufficient": 3, "sustainable": 1}
    assert [(c.code, c.followed, c.found, c.escaped) for c in page.children] == [
        ("3401", 6, 5, 3),
        ("3402", 2, 2, 0),
    ]


def test_per_indicator_helped_against_not_helped(ev, make_user):
    page = selectors.page(make_user("province", "34"), ev, "34")
    got = {
        s.subject: (
            s.deprived_before, s.escaped, s.still, s.newly,
            s.helped, s.helped_escaped, s.helped_pct,
            s.not_helped, s.not_helped_escaped, s.not_helped_pct,
        )
        for s in page.subjects
    }  # fmt: skip
    assert got == {
        # A1 A3 escaped, A2 A4 A7 still (A5 left: not counted); helped A1 A2.
        "I3": (5, 2, 3, 0, 2, 1, Decimal("50.0"), 3, 1, Decimal("33.3")),
        # A6 escaped (its help was for the dimension, not this indicator), A7 newly.
        "L2": (1, 1, 0, 1, 0, 0, None, 1, 1, Decimal("100.0")),
        "E2": (1, 0, 1, 0, 0, 0, None, 1, 0, Decimal("0.0")),
    }


def test_per_agency_and_programme(ev, make_user):
    page = selectors.page(make_user("province", "34"), ev, "34")
    agencies = [
        (a.name, a.subject, a.households, a.escaped, a.escaped_pct, a.baht, a.baht_per_escaped)
        for a in page.agencies
    ]
    assert agencies == [
        # ค: A5's help is not counted (not in the later survey); A6 escaped living poverty.
        ("สำนักงาน ค", "living", 1, 1, Decimal("100.0"), Decimal("2000.00"), Decimal("2000.00")),
        # พ: A1 (escaped, 5,000) and A2 (still, 3,000): 8,000 baht for one escape.
        ("สำนักงาน พ", "I3", 2, 1, Decimal("50.0"), Decimal("8000.00"), Decimal("8000.00")),
    ]
    programmes = [
        (p.name, p.subject, p.households, p.escaped, p.baht_per_escaped) for p in page.programmes
    ]
    assert programmes == [("โครงการ ก", "I3", 2, 1, Decimal("8000.00"))]


def test_a_district(ev, make_user):
    page = selectors.page(make_user("district", "3402"), ev, "3402")
    assert (page.line.followed, page.line.escaped) == (2, 0)
    assert page.line.stages["sustainable"] == 1
    assert page.agencies == [] and page.programmes == []
    assert [c.code for c in page.children] == ["340201"]


def test_outside_the_area_is_none(ev, make_user):
    assert selectors.page(make_user("district", "3401"), ev, "3402") is None
    assert selectors.page(make_user("district", "3401"), ev, "34") is None
    assert selectors.page(make_user("agency", "34"), ev, "34") is None
