r"""Alkire-Foster measures against a five-household example computed by hand.

Default weights: 1/5 per dimension, split equally among its indicators:
    health H1-H4, living L1-L4, education E1-E4: 1/20 each  = 3/60
    income I1-I3:                                1/15 each  = 4/60
    access A1-A2:                                1/10 each  = 6/60
so every score is a whole number of 1/60 "units" (D = 60).

The households (golden.af_rows; area = district):

    hh  size  ages             deprived in                    units  score
    A   4     40 38 10 4       H4 L2 I3                 3+3+4 = 10   1/6
    B   3     45 75 12         H4 E4 I1 I3 A1       3+3+4+4+6 = 20   1/3  (exactly)
    C   1     50               L1 L2 L3 L4 E4 I3 A2  4*3+3+4+6 = 25   5/12
    D   3     30 28 1          -                               0    0
    E   5     65 62 35 33 7    H2                              3   1/20
    A, B, E in district 3401 (12 people); C, D in district 3402 (4 people). N = 16.

H = poor persons / N;  A = sum(size*score over poor) / poor persons;  M0 = H*A;
ch_c = persons in poor households deprived in c / N;
pct_c = 100 * w_c * ch_c / M0 = 100 * units_c * cens_c / poor score units.

k = 1/3 (20 units): poor B (20 >= 20, the boundary) and C.  A (10) and E (3) are not.
    poor persons 3+1 = 4, poor households 2, H = 4/16 = 1/4
    poor score = 3*20 + 1*25 = 85 units; A = 85/(4*60) = 17/48; M0 = 85/(16*60) = 17/192
    ch: H4 3/16 (B), E4 (3+1)/16, I1 3/16, I3 (3+1)/16, A1 3/16, L1..L4 1/16, A2 1/16
    pct (x 100/85): H4 3*3=9 -> 180/17; E4 3*4=12 -> 240/17; I1 4*3=12 -> 240/17;
        I3 4*4=16 -> 320/17; A1 6*3=18 -> 360/17; L1..L4 3*1 -> 60/17 each; A2 6 -> 120/17
        sum = (180+240+240+320+360+4*60+120)/17 = 1700/17 = 100
k = 34/100: B (1/3 < 0.34) drops out; only C: H = 1/16, A = 25/60 = 5/12, M0 = 5/192;
    pct (x 100/25): L1..L4 12 each, E4 12, I3 16, A2 24.
k = 1/10 (6 units): poor A, B, C: 8 persons, 3 households, H = 1/2
    poor score = 4*10 + 3*20 + 25 = 125; A = 125/480 = 25/96; M0 = 125/960 = 25/192
    ch: H4 (4+3)/16, L2 (4+1)/16, I3 (4+3+1)/16, E4 4/16, I1 3/16, A1 3/16, L1 L3 L4 A2 1/16
    pct (x 100/125): H4 21 -> 84/5; L2 15 -> 12; I3 32 -> 128/5; E4 12 -> 48/5;
        I1 12 -> 48/5; A1 18 -> 72/5; L1 L3 L4 3 -> 12/5; A2 6 -> 24/5   (sum 100)
k = 1/20 (3 units): E (exactly 1/20) joins: 13 persons, 4 households, H = 13/16
    poor score = 125 + 5*3 = 140; A = 140/780 = 7/39; M0 = 140/960 = 7/48
    ch as for 1/10 plus H2 5/16; pct (x 100/140): H2 15 -> 75/7; H4 21 -> 15; L2 -> 75/7;
        I3 32 -> 160/7; E4, I1 12 -> 60/7; A1 18 -> 90/7; L1 L3 L4 -> 15/7; A2 -> 30/7
k = 1: nobody is poor: H = A = M0 = 0, every ch and pct 0.

By district at k = 1/3:
    3401: 12 persons, 3 households, poor B: H = 3/12 = 1/4, A = 20/60 = 1/3, M0 = 1/12
          pct (x 100/60, cens 3): H4 15, E4 15, I1 20, I3 20, A1 30
    3402: 4 persons, 2 households, poor C: H = 1/4, A = 5/12, M0 = 25/240 = 5/48
    population-weighted: 12/16 * 1/12 + 4/16 * 5/48 = 1/16 + 5/192 = 17/192 = national M0.

By life stage at k = 1/3 (bands overlap; a person counts in every band they are in):
    early_childhood (0-5)  A's 4, D's 1                  2 persons, none poor
    school_age (5-14)      A's 10, B's 12, E's 7         3 persons, B's 12 poor: H = 1/3,
                                                         A = 1/3, M0 = 1/9
    adolescent (15-21)     nobody                        a row of zeros
    working_age (15-59)    40 38 | 45 | 50 | 30 28 | 35 33  8 persons in 5 households;
                           B's 45 and C's 50 poor: H = 2/8, A = 45/120 = 3/8, M0 = 3/32
    elderly (60+)          B's 75, E's 65 62             3 persons, 2 households, B's 75
                                                         poor: H = 1/3, A = 1/3, M0 = 1/9

All weight on income (I1 = I2 = I3 = 1/3, D = 3): A 1/3 (I3), B 2/3 (I1, I3), C 1/3 (I3).
    k = 1/3: A, B, C poor; poor score 4/3 + 2 + 1/3 = 11/3; H = 1/2, A = 11/24,
             M0 = 11/48; pct_I1 = 100 * (1/3 * 3/16) / (11/48) = 300/11, pct_I3 = 800/11.
    k = 1/2: only B; H = 3/16, A = 2/3, M0 = 1/8; pct_I1 = pct_I3 = 50.
"""

from __future__ import annotations

from fractions import Fraction as F

import pandas as pd
import pytest

from cheepao.engine import af, api
from cheepao.engine.tests import golden

engine_con = golden.engine_con

K = [F(1, 3), F(34, 100), F(1, 10), F(1, 20), F(1)]


@pytest.fixture(scope="module")
def lazy(engine_con) -> api.Result:
    return golden.compute(*golden.af_rows(), engine_con)


@pytest.fixture(scope="module")
def result(engine_con, lazy) -> api.Result:
    return golden.materialise(lazy, engine_con)


def exact(x: F) -> float:
    """The float nearest to x: what the engine must give, on every backend (ADR 0003).

    Every ratio is one division of two integer sums below 2**53, done on the driver, so it
    is the correctly rounded quotient, which is also what float(Fraction) gives.
    """
    return float(x)


def assert_row(row: pd.Series, e: golden.AFExpect, weights=golden.DEFAULT_WEIGHTS):
    assert (row["persons"], row["poor_persons"], row["households"], row["poor_households"]) == (
        e.persons,
        e.poor_persons,
        e.households,
        e.poor_households,
    )
    assert row["H"] == exact(e.H)
    assert row["A"] == exact(e.A)
    assert row["M0"] == exact(e.M0)
    for c in golden.CODES:
        assert row[f"ch_{c}"] == exact(e.ch.get(c, F(0))), f"ch_{c}"
        assert row[f"pct_{c}"] == exact(e.pct.get(c, F(0))), f"pct_{c}"


# ------------------------------------------------------------------ the hand working


@pytest.mark.parametrize(
    "expected",
    [
        *golden.AF_NATIONAL.values(),
        *golden.AF_BY_DISTRICT.values(),
        *golden.AF_BY_LIFE_STAGE.values(),
    ],
)
def test_hand_computed_values_are_consistent(expected):
    """The expected tables agree with themselves: M0 = H*A = sum(w*ch), pct sums to 100."""
    e = expected
    assert e.M0 == e.H * e.A
    if e.persons:
        assert F(e.poor_persons, e.persons) == e.H
    assert sum(golden.DEFAULT_WEIGHTS[c] * ch for c, ch in e.ch.items()) == e.M0
    if e.M0:
        assert sum(e.pct.values()) == 100
        for c, p in e.pct.items():
            assert p == 100 * golden.DEFAULT_WEIGHTS[c] * e.ch[c] / e.M0, c


def test_income_weight_working_is_consistent():
    w = {c: F(v) for c, v in golden.AF_INCOME_WEIGHTS.items()}
    for e in golden.AF_INCOME_ONLY.values():
        assert e.M0 == e.H * e.A == sum(w.get(c, 0) * ch for c, ch in e.ch.items())
        assert sum(e.pct.values()) == 100


def test_materialised_result_is_the_computed_one(lazy, result):
    """golden.materialise rebuilds the persons the way the pipeline does: same table."""
    for name, keys in (("households", ["hh_id"]), ("persons", ["hh_id", "member_no"])):
        a = getattr(lazy, name).to_pandas().sort_values(keys).reset_index(drop=True)
        b = getattr(result, name).to_pandas().sort_values(keys).reset_index(drop=True)
        pd.testing.assert_frame_equal(b, a, check_exact=True)


def test_default_weights_are_the_documented_fractions(result):
    assert result.weights.fractions == golden.DEFAULT_WEIGHTS
    assert sum(golden.DEFAULT_WEIGHTS.values()) == 1
    assert result.weights.denominator == 60
    assert result.weights.units == {c: int(w * 60) for c, w in golden.DEFAULT_WEIGHTS.items()}
    assert result.k == F(1, 3)


# ------------------------------------------------------------------ households


def test_household_scores(result):
    df = result.households.to_pandas().set_index("hh_id").sort_index()
    for hh_id, deprived in golden.AF_DEPRIVED.items():
        assert {c for c in golden.CODES if df.at[hh_id, f"d_{c}"]} == deprived, hh_id
    assert df["n_members"].to_dict() == golden.AF_SIZES
    assert df["af_score_units"].to_dict() == golden.AF_SCORE_UNITS
    for hh_id, units in golden.AF_SCORE_UNITS.items():
        assert df.at[hh_id, "af_score"] == exact(F(units, 60)), hh_id
    # poor at the default k = 1/3: B sits exactly on the cutoff and is poor
    assert df["af_poor"].astype(bool).to_dict() == {
        "A": False,
        "B": True,
        "C": True,
        "D": False,
        "E": False,
    }


def test_household_poor_flag_follows_k(engine_con):
    r = golden.compute(*golden.af_rows(), engine_con, k="1/20")
    df = r.households.to_pandas().set_index("hh_id").sort_index()
    assert df["af_poor"].astype(bool).to_dict() == {
        "A": True,
        "B": True,
        "C": True,
        "D": False,
        "E": True,
    }


# ------------------------------------------------------------------ national


def test_national_on_the_lazy_result(lazy):
    assert_row(lazy.af().iloc[0], golden.AF_NATIONAL[F(1, 3)])


@pytest.mark.parametrize("k", K, ids=str)
def test_national(result, k):
    df = result.af(k=k)
    assert len(df) == 1
    row = df.iloc[0]
    assert row["k"] == str(k)
    assert_row(row, golden.AF_NATIONAL[k])


@pytest.mark.parametrize("k", [F(1, 3), F(1, 10), F(1, 20), F(34, 100)], ids=str)
def test_contributions_sum_to_100(result, k):
    row = result.af(k=k).iloc[0]
    assert sum(row[f"pct_{c}"] for c in golden.CODES) == pytest.approx(100, rel=1e-12)


@pytest.mark.parametrize(
    ("k", "as_fraction"),
    [("1/3", F(1, 3)), ("0.34", F(34, 100)), (0.1, F(1, 10)), (0.05, F(1, 20)), (1, F(1))],
    ids=str,
)
def test_k_may_be_given_as_text_or_number(result, k, as_fraction):
    row = result.af(k=k).iloc[0]
    assert row["k"] == str(as_fraction)
    assert row["poor_persons"] == golden.AF_NATIONAL[as_fraction].poor_persons
    assert row["M0"] == exact(golden.AF_NATIONAL[as_fraction].M0)


def test_exact_cutoff_at_one_third(result):
    """B's score is exactly 1/3 (20/60): poor at k = 1/3, not poor a hair above it.

    The float sum of B's weights is not 1/3, so a float comparison would decide B's fate
    by rounding; the engine compares whole units and must not.
    """
    assert 1 / 20 + 1 / 20 + 1 / 15 + 1 / 15 + 1 / 10 != 1 / 3
    assert result.af(k=F(1, 3)).iloc[0]["poor_households"] == 2  # B and C
    assert result.af(k="0.33333333333334").iloc[0]["poor_households"] == 1  # C only
    # the float 1/3 is 0.3333333333333333, a hair below 1/3: B stays poor
    assert result.af(k=1 / 3).iloc[0]["poor_households"] == 2


# ------------------------------------------------------------------ decomposition


def test_by_district(result):
    df = result.af(by="district")
    assert df["district_code"].tolist() == ["3401", "3402"]
    for _, row in df.iterrows():
        assert_row(row, golden.AF_BY_DISTRICT[row["district_code"]])


@pytest.mark.parametrize(
    ("level", "k"),
    [
        ("district", F(1, 3)),
        ("district", F(1, 10)),
        ("village", F(1, 20)),
        ("subdistrict", F(34, 100)),
        ("province", F(1, 3)),
    ],
    ids=str,
)
def test_area_groups_add_up_to_the_nation(result, level, k):
    national = result.af(k=k).iloc[0]
    df = result.af(k=k, by=level)
    assert df["persons"].sum() == national["persons"]
    assert df["poor_persons"].sum() == national["poor_persons"]
    assert df["households"].sum() == national["households"]
    share = df["persons"] / national["persons"]
    assert (share * df["M0"]).sum() == pytest.approx(national["M0"], rel=1e-12, abs=1e-15)
    assert (share * df["H"]).sum() == pytest.approx(national["H"], rel=1e-12, abs=1e-15)
    for c in golden.CODES:
        assert (share * df[f"ch_{c}"]).sum() == pytest.approx(
            national[f"ch_{c}"], rel=1e-12, abs=1e-15
        ), c


def test_district_m0_weighted_by_population_is_the_national_m0():
    d = golden.AF_BY_DISTRICT
    n = sum(e.persons for e in d.values())
    assert sum(F(e.persons, n) * e.M0 for e in d.values()) == golden.AF_NATIONAL[F(1, 3)].M0


def test_by_life_stage(result):
    df = result.af(by="life_stage")
    assert df["life_stage"].tolist() == list(golden.LIFE_STAGES)
    for _, row in df.iterrows():
        e = golden.AF_BY_LIFE_STAGE[row["life_stage"]]
        assert (row["persons"], row["poor_persons"], row["households"], row["poor_households"]) == (
            e.persons,
            e.poor_persons,
            e.households,
            e.poor_households,
        ), row["life_stage"]
        assert row["H"] == exact(e.H)
        assert row["A"] == exact(e.A)
        assert row["M0"] == exact(e.M0)
        if e.ch:
            for c in golden.CODES:
                assert row[f"ch_{c}"] == exact(e.ch.get(c, F(0))), (row["life_stage"], c)
                assert row[f"pct_{c}"] == exact(e.pct.get(c, F(0))), (row["life_stage"], c)


def test_unknown_group_is_refused(result):
    with pytest.raises(af.AFError, match="unknown group"):
        result.af(by="nation")


# ------------------------------------------------------------------ weights


@pytest.mark.parametrize("k", list(golden.AF_INCOME_ONLY), ids=str)
def test_all_weight_on_income(result, k):
    row = result.af(k=k, weights=golden.AF_INCOME_WEIGHTS).iloc[0]
    e = golden.AF_INCOME_ONLY[k]
    assert (row["persons"], row["poor_persons"], row["households"], row["poor_households"]) == (
        e.persons,
        e.poor_persons,
        e.households,
        e.poor_households,
    )
    assert row["H"] == exact(e.H)
    assert row["A"] == exact(e.A)
    assert row["M0"] == exact(e.M0)
    for c in golden.CODES:
        assert row[f"ch_{c}"] == exact(e.ch.get(c, F(0))), c
        assert row[f"pct_{c}"] == exact(e.pct.get(c, F(0))), c


def test_weights_given_to_compute_score_the_households(engine_con):
    r = golden.compute(*golden.af_rows(), engine_con, weights=golden.AF_INCOME_WEIGHTS)
    assert r.weights.denominator == 3
    df = r.households.to_pandas().set_index("hh_id").sort_index()
    assert df["af_score_units"].to_dict() == {"A": 1, "B": 2, "C": 1, "D": 0, "E": 0}
    assert df["af_poor"].astype(bool).to_dict() == {
        "A": True,
        "B": True,
        "C": True,
        "D": False,
        "E": False,
    }
    row = r.af().iloc[0]  # the run's own weights are the default for af()
    assert row["M0"] == exact(golden.AF_INCOME_ONLY[F(1, 3)].M0)


def test_all_weight_on_one_indicator(result):
    row = result.af(k=1, weights={"I3": 1}).iloc[0]
    # A, B, C are deprived in I3: 8 of 16 people, each with score 1
    assert (row["poor_persons"], row["poor_households"]) == (8, 3)
    assert row["H"] == exact(F(1, 2))
    assert row["A"] == exact(F(1))
    assert row["M0"] == exact(F(1, 2))
    assert row["pct_I3"] == exact(F(100))


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"I3": "1/2"}, "sum to 1"),
        ({c: "1/17" for c in golden.CODES[:-1]}, "sum to 1"),
        ({"I3": 1, "X9": 0}, "unknown indicators"),
        ({"i3": 1}, "unknown indicators"),
        ({"I3": 2, "I1": -1}, "negative"),
    ],
    ids=["half", "sixteen_of_seventeen", "unknown_code", "lower_case_code", "negative"],
)
def test_rejected_weights(engine_con, result, weights, message):
    with pytest.raises(af.AFError, match=message):
        result.af(weights=weights)
    with pytest.raises(af.AFError, match=message):
        golden.compute(*golden.af_rows(), engine_con, weights=weights, survey_year=2568)


@pytest.mark.parametrize("k", [0, "0", 1.5, "3/2", -0.1, F(101, 100)], ids=str)
def test_rejected_k(engine_con, result, k):
    with pytest.raises(af.AFError, match="k must be"):
        result.af(k=k)
    with pytest.raises(af.AFError, match="k must be"):
        golden.compute(*golden.af_rows(), engine_con, k=k, survey_year=2568)


def test_k_of_one_is_allowed(result):
    assert result.af(k=1).iloc[0]["poor_persons"] == 0
