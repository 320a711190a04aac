"""Per-household outcomes between two survey years (`api.outcomes`, ADR 0036).

The pair of years is golden.compare_rows (see its docstring and COMPARE_EXPECTED): each
household of the earlier year is one row with its status per subject, its village of the
earlier year and the later year's stage word, highest first: ยั่งยืน (X2, X8: targets
passing income, living and health in both years), พอเพียง (X1 escaped, X6 never deprived:
surviving and no longer a target), อยู่รอด (none here), none (X3 newly deprived, X4 left,
X7 still poor). X5 joined in the later year and is not followed.
"""

from __future__ import annotations

import dataclasses

import pytest

from cheepao.engine import api, catalogue, compare
from cheepao.engine.tests import golden


@pytest.fixture(scope="module")
def years(duckdb_con):
    hh, mm = golden.compare_rows()
    return tuple(
        golden.materialise(golden.compute(hh, mm, duckdb_con, survey_year=y), duckdb_con)
        for y in (golden.COMPARE_BEFORE, golden.COMPARE_AFTER)
    )


@pytest.fixture(scope="module")
def rows(years):
    return api.outcomes(*years).set_index("hh_id")


def test_one_row_per_household_of_the_earlier_year(rows):
    assert rows.index.tolist() == ["X1", "X2", "X3", "X4", "X6", "X7", "X8"]


def test_columns(years, rows):
    subjects = api.outcome_subjects(years[1].catalogue)
    assert subjects == list(golden.SUBJECTS)
    assert list(rows.reset_index().columns) == [
        "hh_id",
        "village_code",
        *[f"s_{s}" for s in subjects],
        "stage",
    ]


@pytest.mark.parametrize("hh_id", ["X1", "X2", "X3", "X4", "X6", "X7", "X8"])
def test_statuses_as_compare_gives_them(rows, hh_id):
    e = golden.COMPARE_EXPECTED[hh_id]
    got = {s: rows.loc[hh_id, f"s_{s}"] for s in golden.SUBJECTS}
    assert got == {s: e.statuses.get(s, e.default) for s in golden.SUBJECTS}


def test_village_is_the_earlier_years(rows):
    # X7 lived in 340201 village 2 in the earlier year and moved to 340101 village 1.
    assert rows.loc["X7", "village_code"] == "34020102"
    assert rows.loc["X1", "village_code"] == "34010101"


def test_stage_words(rows):
    assert rows["stage"].to_dict() == {
        "X1": "sufficient",
        "X2": "sustainable",
        "X3": "",
        "X4": "",
        "X6": "sufficient",
        "X7": "",
        "X8": "sustainable",
    }
    assert set(rows["stage"]) - {""} <= set(compare.STAGES)


def test_stage_follows_the_readings(years):
    # Read "sustainable" as the later year only: X1 (escaped, passes the three in the
    # later year) becomes ยั่งยืน too.
    rows = api.outcomes(*years, readings={"sustainable": "later_year"}).set_index("hh_id")
    assert rows.loc["X1", "stage"] == "sustainable"


def test_different_indicator_sets_are_refused(years):
    before, after = years
    other = catalogue.load("tpmap_mpi_17")
    changed = dataclasses.replace(
        after, catalogue=dataclasses.replace(other, indicators=other.indicators[:-1])
    )
    with pytest.raises(api.EngineError, match="different indicator sets"):
        api.outcomes(before, changed)
