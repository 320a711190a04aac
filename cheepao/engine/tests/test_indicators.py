"""Every indicator's edges, on hand-made households (cases in golden.py).

All INDICATOR_CASES run in one `api.compute` call; each test then reads one household.
For each case the set of indicators the household is deprived in is asserted exactly (the
other flags must be false), and so is the set of person-level indicators each member fails.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pandas as pd
import pytest

from cheepao.engine import api, backends, catalogue, validate
from cheepao.engine.tests import golden
from cheepao.engine.tests.factories import household, member, tables

engine_con = golden.engine_con

CASES = {c.hh_id: c for c in golden.INDICATOR_CASES}


@pytest.fixture(scope="module")
def result(engine_con):
    hh, mm = golden.rows(golden.INDICATOR_CASES)
    r = golden.compute(hh, mm, engine_con)
    households = r.households.to_pandas().set_index("hh_id")
    persons = r.persons.to_pandas().set_index(["hh_id", "member_no"]).sort_index()
    return households, persons


def _true(row, prefix: str, codes) -> set[str]:
    return {c for c in codes if bool(row[f"{prefix}{c}"])}


def test_the_cases_are_distinct_households():
    assert len(CASES) == len(golden.INDICATOR_CASES)


def test_every_indicator_has_a_failing_case():
    failing = set().union(
        *(c.deprived for c in golden.INDICATOR_CASES if c.hh_id != "all_deprived")
    )
    assert failing == set(golden.CODES)


@pytest.mark.parametrize("hh_id", list(CASES))
def test_household_deprivations(result, hh_id):
    households, _ = result
    c = CASES[hh_id]
    row = households.loc[hh_id]
    assert _true(row, "d_", golden.CODES) == set(c.deprived), c.why
    for col, value in c.expect.items():
        if isinstance(value, float):
            assert row[col] == pytest.approx(value, rel=1e-12), col
        else:
            assert row[col] == value, col


@pytest.mark.parametrize("hh_id", list(CASES))
def test_person_failures(result, hh_id):
    _, persons = result
    c = CASES[hh_id]
    members = persons.loc[hh_id]
    assert sorted(members.index) == sorted(m["member_no"] for m in c.members)
    for no, row in members.iterrows():
        expected = set(c.failed.get(no, frozenset()))
        assert _true(row, "p_", golden.PERSON_CODES) == expected, f"member {no}: {c.why}"


@pytest.mark.parametrize("hh_id", list(CASES))
def test_dimensions_follow_indicators(result, hh_id):
    households, _ = result
    c = CASES[hh_id]
    row = households.loc[hh_id]
    dims = golden.dims_of(c.deprived)
    assert _true(row, "dim_", golden.DIMENSIONS) == dims
    assert row["n_dims"] == len(dims)
    assert bool(row["is_target"]) is (len(dims) >= 1)
    assert bool(row["is_critical"]) is (len(dims) >= 3)


def test_household_with_no_applicable_member(result):
    households, _ = result
    row = households.loc["no_applicable_member"]
    for code in ("E1", "E2", "H1", "I2", "A1", "A2"):
        assert not row[f"d_{code}"], code
    assert row["n_dims"] == 0
    assert not row["is_target"]


def test_all_deprived_household(result):
    households, persons = result
    row = households.loc["all_deprived"]
    assert all(bool(row[f"d_{c}"]) for c in golden.CODES)
    assert all(bool(row[f"dim_{d}"]) for d in golden.DIMENSIONS)
    assert row["n_dims"] == 5
    assert bool(row["is_target"]) and bool(row["is_critical"])
    # household-level indicators make every member deprived, so all six are target persons
    assert persons.loc["all_deprived"]["is_target_person"].tolist() == [True] * 6


def test_age_edges_cover_the_brief():
    assert sorted(golden.AGE_EDGES) == [2, 3, 5, 6, 14, 15, 59, 60]


# ------------------------------------------------------------------ thresholds


def _income_household(hh_id: str, per_person: float, year: int = 2568):
    return (
        [household(hh_id, income=2 * per_person, year=year)],
        [member(hh_id, 1, 40, year=year), member(hh_id, 2, 38, relation="spouse", year=year)],
    )


def _i3(result: api.Result) -> dict[str, bool]:
    df = result.households.to_pandas()
    return dict(zip(df.hh_id, df.d_I3.astype(bool), strict=True))


def test_threshold_override(engine_con):
    hh, mm = [], []
    for hh_id, per_person in (("p39999", 39999.0), ("p40000", 40000.0), ("p38000", 38000.0)):
        h, m = _income_household(hh_id, per_person)
        hh += h
        mm += m
    default = golden.compute(hh, mm, engine_con)
    assert default.thresholds["income_per_person_year"] == 38000
    assert _i3(default) == {"p39999": False, "p40000": False, "p38000": False}
    raised = golden.compute(hh, mm, engine_con, thresholds={"income_per_person_year": 40000})
    assert raised.thresholds["income_per_person_year"] == 40000
    assert _i3(raised) == {"p39999": True, "p40000": False, "p38000": True}


def test_threshold_with_satang_is_exact_and_sub_satang_is_refused(engine_con):
    hh, mm = [], []
    for hh_id, per_person in (("p38000_50", 38000.50), ("p38000_49", 38000.49)):
        h, m = _income_household(hh_id, per_person)
        hh += h
        mm += m
    raised = golden.compute(hh, mm, engine_con, thresholds={"income_per_person_year": 38000.50})
    assert _i3(raised) == {"p38000_50": False, "p38000_49": True}
    with pytest.raises(api.EngineError, match="at most two decimals"):
        golden.compute(hh, mm, engine_con, thresholds={"income_per_person_year": 38000.005})


def test_a_member_with_a_bad_national_id_still_counts(engine_con):
    """Issue 9 item 12: seed 004 ข้อ 15 divides the income by everyone in the household.
    70,000 baht for two people is 35,000 each (I3); the second member's PIN fails its check
    digit, which once dropped the member and made it 70,000 for one (not I3). The member is
    kept, the PIN reported, and the household flagged for the team to correct."""
    hh = [household("bad_pin", income=70000)]
    mm = [
        member("bad_pin", 1, 40, pin="3101700230712"),
        member("bad_pin", 2, 38, relation="spouse", pin="1101700230701"),  # check digit 8
    ]
    checked = validate.validate_survey(*tables(hh, mm))
    assert [(r["row"], r["column"], r["code"]) for r in checked.rejects.to_pylist()] == [
        (3, "pin", "pin_check_digit")
    ]
    assert checked.summary.tables["members"].rows_rejected == 0
    r = api.compute(
        backends.bind(checked.households, engine_con),
        backends.bind(checked.members, engine_con),
        con=engine_con,
    )
    row = r.households.to_pandas().iloc[0]
    assert row["n_members"] == 2
    assert row["income_per_person"] == Decimal("35000.00")
    assert bool(row["d_I3"]) and bool(row["needs_correction"])
    persons = r.persons.to_pandas().set_index("member_no")
    assert persons.loc[2, "pin"] == "1101700230701"
    assert persons.loc[2, "data_problems"] == "pin_check_digit"
    assert pd.isna(persons.loc[1, "data_problems"])


def test_threshold_is_looked_up_by_survey_year(engine_con):
    base = catalogue.load("tpmap_mpi_17")
    assert base.threshold("income_per_person_year", 2562) == 38000
    assert base.threshold("income_per_person_year", 2600) == 38000  # not listed: default
    thresholds = {
        "income_per_person_year": {"default": 38000, "by_survey_year": {2566: 30000}},
        "newborn_weight_g": {"default": 2500},
    }
    cat = dataclasses.replace(base, thresholds=thresholds)
    hh, mm = [], []
    for year in (2566, 2568):
        h, m = _income_household("p35000", 35000.0, year=year)
        hh += h
        mm += m
    in_2566 = golden.compute(hh, mm, engine_con, catalogue=cat, survey_year=2566)
    in_2568 = golden.compute(hh, mm, engine_con, catalogue=cat, survey_year=2568)
    assert in_2566.thresholds["income_per_person_year"] == 30000
    assert in_2568.thresholds["income_per_person_year"] == 38000
    assert _i3(in_2566) == {"p35000": False}
    assert _i3(in_2568) == {"p35000": True}
    # the survey year read from the data picks the same threshold
    only_2566 = golden.compute(hh[:1], mm[:2], engine_con, catalogue=cat)
    assert only_2566.survey_year == 2566
    assert only_2566.thresholds["income_per_person_year"] == 30000


def test_several_survey_years_need_a_choice(engine_con):
    hh, mm = [], []
    for year in (2567, 2568):
        h, m = _income_household("y", 50000.0, year=year)
        hh += h
        mm += m
    with pytest.raises(api.EngineError, match="several survey years"):
        golden.compute(hh, mm, engine_con)


def test_unknown_profile_is_refused(engine_con):
    h, m = _income_household("u", 50000.0)
    with pytest.raises(catalogue.CatalogueError, match="unknown target profile"):
        golden.compute(h, m, engine_con, profile="nope")


def test_compute_accepts_arrow_tables_with_a_connection(engine_con):
    # regression: on ibis 12 + sqlglot 30, con.create_table(name, <Arrow table>) fails
    h, m = tables([household("arrow", income=30000)], [member("arrow", 1, 40)])
    r = api.compute(h, m, con=engine_con)
    assert r.households.to_pandas().d_I3.tolist() == [True]


# ------------------------------------------------------------------ unanswered questions
# indicators.py: "An unanswered question never makes anyone poor: nulls read as 'passes'."


UNANSWERED = {
    "occupation_unanswered": dict(age=70, has_occupation=None, income_year=0.0),
    "income_unanswered": dict(age=40, has_occupation=True, income_year=None),
}


@pytest.fixture(scope="module")
def unanswered(engine_con) -> dict[str, dict[str, bool]]:
    """hh_id -> {I1, I2 flag} of its one member, all UNANSWERED cases in one compute."""
    hh = [household(hh_id) for hh_id in UNANSWERED]
    mm = [
        member(hh_id, 1, a["age"], **{k: v for k, v in a.items() if k != "age"})
        for hh_id, a in UNANSWERED.items()
    ]
    persons = golden.compute(hh, mm, engine_con).persons.to_pandas().set_index("hh_id")
    return {h: {c: bool(persons.at[h, f"p_{c}"]) for c in ("I1", "I2")} for h in UNANSWERED}


def test_unanswered_occupation_does_not_fail_i2(unanswered):
    assert unanswered["occupation_unanswered"] == {"I1": False, "I2": False}


def test_unanswered_income_does_not_fail_i1(unanswered):
    assert unanswered["income_unanswered"] == {"I1": False, "I2": False}
