"""The summary register (ทะเบียนงบหน้า, seed 003) and the comparison between survey years.

Register example (golden.register_rows), Ubon Ratchathani:

    hh  area (village)  members (card)           fails            target persons
    R1  34010101        45c 43c 10               I3 (household)   all 3 (2 with card)
    R2  34010101        50c 20                   -                -
    R3  34010102        40c 38c 10 16            E2 (the 10)      the child (no card)
    R4  34010401        60c 58c                  H2 L1 I3         both (both with card)
    R6  34010401        70c                      A1               1 (card)
    R5  34020101        33c 31c 9c               -                -

welfare-card column = card holders among the deprived members of target households:
R1 2 + R3 0 + R4 2 + R6 1 = 5 (R3's parents hold cards but are not deprived; R2's and R5's
cards are outside target households). Members = 3 + 4 + 2 + 1 = 10. District 3402 has no
target and still gets its row of zeros.

Comparison example: see golden.compare_rows and COMPARE_EXPECTED.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cheepao.engine import api, compare, register
from cheepao.engine.tests import golden

engine_con = golden.engine_con

LEVELS = ("province", "district", "subdistrict", "village")
COLS = list(golden.REGISTER_COLUMNS)


@pytest.fixture(scope="module")
def registers(engine_con):
    hh, mm = golden.register_rows()
    out = {}
    for profile in ("default", "tpmap2562"):
        r = golden.materialise(golden.compute(hh, mm, engine_con, profile=profile), engine_con)
        out[profile] = (r, {level: r.register(level) for level in LEVELS})
    return out


# ------------------------------------------------------------------ register


@pytest.mark.parametrize("level", LEVELS)
def test_register_counts(registers, level):
    _, regs = registers["default"]
    df = regs[level]
    got = [
        (row.area_code, row.area_name_th, *[int(getattr(row, c)) for c in COLS])
        for row in df.itertuples()
    ]
    assert got == golden.REGISTER_EXPECTED[level]


@pytest.mark.parametrize("level", LEVELS)
def test_register_columns(registers, level):
    _, regs = registers["default"]
    assert list(regs[level].columns) == ["area_code", "area_name_th", "area_name_en", *COLS]


def test_areas_without_targets_get_zeros(registers):
    _, regs = registers["default"]
    row = regs["district"].set_index("area_code").loc["3402"]
    assert row["area_name_en"] == "Si Mueang Mai"
    assert [int(row[c]) for c in COLS] == [0] * len(COLS)


@pytest.mark.parametrize("level", LEVELS)
def test_tpmap2562_welfare_card_column_equals_target_persons(registers, level):
    _, regs = registers["tpmap2562"]
    df = regs[level]
    assert df["welfare_card_holders"].tolist() == df["target_persons"].tolist()
    assert (
        dict(zip(df.area_code, df.target_persons, strict=True))
        == (golden.REGISTER_TPMAP2562_TARGET_PERSONS[level])
    )
    # households, members and dimensions do not depend on the profile
    _, default = registers["default"]
    same = [c for c in COLS if c != "target_persons"]
    pd.testing.assert_frame_equal(df[["area_code", *same]], default[level][["area_code", *same]])


def test_within(registers):
    r, _ = registers["default"]
    df = r.register("village", within="3401")
    assert df["area_code"].tolist() == ["34010401", "34010101", "34010102"]
    assert r.register("subdistrict", within="340201")["target_households"].tolist() == [0]


def test_unknown_level_is_refused(registers):
    r, _ = registers["default"]
    with pytest.raises(api.EngineError, match="unknown level"):
        r.register("region")


@pytest.fixture(scope="module")
def table(registers):
    r, regs = registers["default"]
    return register.presentable(regs["district"], "district", r.catalogue)


def test_presentable_has_the_seed_003_headers(table):
    assert list(table.columns) == golden.SEED_003_HEADERS


def test_presentable_rows_and_total(table):
    assert table.values.tolist() == [
        ["1", "เมืองอุบลราชธานี", 4, 5, 10, 1, 1, 1, 2, 1, 7],
        ["2", "ศรีเมืองใหม่", 0, 0, 0, 0, 0, 0, 0, 0, 0],
        ["", "รวม", 4, 5, 10, 1, 1, 1, 2, 1, 7],
    ]


@pytest.mark.parametrize("level", LEVELS)
def test_total_row_is_the_column_sum(registers, level):
    r, regs = registers["default"]
    t = register.presentable(regs[level], level, r.catalogue)
    body, total = t.iloc[:-1], t.iloc[-1]
    assert total.iloc[0] == ""
    assert total.iloc[1] == "รวม"
    assert body.iloc[:, 0].tolist() == [str(i) for i in range(1, len(body) + 1)]
    for col in t.columns[2:]:
        assert total[col] == body[col].sum(), col
    assert (
        t.columns[1]
        == {"province": "จังหวัด", "district": "อำเภอ", "subdistrict": "ตำบล", "village": "หมู่บ้าน"}[
            level
        ]
    )


def test_presentable_in_english(registers):
    r, regs = registers["default"]
    t = register.presentable(regs["subdistrict"], "subdistrict", r.catalogue, lang="en")
    assert t.columns[:2].tolist() == ["No.", "Subdistrict"]
    assert t.iloc[:, 1].tolist() == ["Nai Mueang", "Hua Ruea", "Na Kham", "Total"]
    assert t.iloc[-1, 2:].tolist() == [4, 5, 10, 1, 1, 1, 2, 1, 7]


# ------------------------------------------------------------------ compare


@pytest.fixture(scope="module")
def years(engine_con):
    hh, mm = golden.compare_rows()
    return tuple(
        golden.materialise(golden.compute(hh, mm, engine_con, survey_year=y), engine_con)
        for y in (golden.COMPARE_BEFORE, golden.COMPARE_AFTER)
    )


@pytest.fixture(scope="module")
def statuses(years):
    before, after = years
    cmp = compare.compare_households(before.households, after.households, before.catalogue)
    return cmp.to_pandas().set_index("hh_id").sort_index()


def test_each_year_is_computed_alone(years):
    before, after = years
    assert (before.survey_year, after.survey_year) == (2567, 2568)
    assert sorted(before.households.to_pandas().hh_id) == ["X1", "X2", "X3", "X4", "X6", "X7", "X8"]
    assert sorted(after.households.to_pandas().hh_id) == ["X1", "X2", "X3", "X5", "X6", "X7", "X8"]


def test_compared_households(statuses):
    assert statuses.index.tolist() == sorted(golden.COMPARE_EXPECTED)


@pytest.mark.parametrize("hh_id", list(golden.COMPARE_EXPECTED))
def test_statuses(statuses, hh_id):
    e = golden.COMPARE_EXPECTED[hh_id]
    row = statuses.loc[hh_id]
    got = {s: row[f"s_{s}"] for s in golden.SUBJECTS}
    assert got == {s: e.statuses.get(s, e.default) for s in golden.SUBJECTS}
    assert bool(row["survives"]) is e.survives
    assert bool(row["sustainable"]) is e.sustainable
    assert row["district_code"] == e.area


def _expected_area(code: str) -> dict[str, int]:
    out = {f"{st}_{s}": 0 for s in golden.SUBJECTS for st in ("escaped", "still", "newly")}
    out.update(households_before=0, households_after=0, survives=0, sustainable=0)
    out.update(golden.COMPARE_AREAS.get(code, {}))
    return out


def test_area_totals_by_district(years):
    before, after = years
    df = api.compare(before, after, "district")
    assert df["area_code"].tolist() == ["3401", "3402"]
    assert df["area_name_th"].tolist() == ["เมืองอุบลราชธานี", "ศรีเมืองใหม่"]
    for _, row in df.iterrows():
        expected = _expected_area(row["area_code"])
        assert {c: int(row[c]) for c in expected} == expected, row["area_code"]
    metrics = [c for c in df.columns if c not in ("area_code", "area_name_th", "area_name_en")]
    assert sorted(metrics) == sorted(_expected_area("3401"))


def test_area_totals_overall(years):
    before, after = years
    df = api.compare(before, after)
    assert len(df) == 1
    row = df.iloc[0]
    assert row["area_name_en"] == "All"
    a, b = _expected_area("3401"), _expected_area("3402")
    assert {c: int(row[c]) for c in a} == {c: a[c] + b[c] for c in a}


def test_survival_words(statuses):
    assert sorted(statuses.index[statuses["survives"].astype(bool)]) == ["X1", "X2", "X6", "X8"]
    assert sorted(statuses.index[statuses["sustainable"].astype(bool)]) == ["X2", "X8"]
