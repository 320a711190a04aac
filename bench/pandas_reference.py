"""The TPMAP indicators, summary register and Alkire-Foster measures written plainly in pandas.

This is how an analyst would do it in a notebook: load both tables, write each of the 17
rules by hand, group by household. It exists for two reasons: the benchmark compares the
engine's speed against it, and the tests compare the engine's results against it on
generated data (two independent implementations agreeing is a strong check).

It reads the same survey files and follows SPEC §4; it deliberately does not use the
engine's catalogue or expressions.
"""

from __future__ import annotations

import json
import sys
import time
from fractions import Fraction
from pathlib import Path

T0 = time.perf_counter()

import pandas as pd  # noqa: E402  (imports are timed: they are part of the cost)

INCOME_THRESHOLD = 38000
NEWBORN_MIN_G = 2500

DIMENSIONS = {
    "health": ["H1", "H2", "H3", "H4"],
    "living": ["L1", "L2", "L3", "L4"],
    "education": ["E1", "E2", "E3", "E4"],
    "income": ["I1", "I2", "I3"],
    "access": ["A1", "A2"],
}


def fails(answer: pd.Series) -> pd.Series:
    """A question answered 'no' (an unanswered question is not a failure)."""
    return answer.eq(False)


def person_indicators(m: pd.DataFrame) -> pd.DataFrame:
    age = m["age"]
    full_time_student = m["student_status"] == "full_time"
    dependent_disabled = m["disabled"].fillna(False) & ~m["self_care"].fillna(True)
    has_income = m["income_year"].fillna(0) > 0
    has_occupation = m["has_occupation"]

    p = pd.DataFrame({"hh_id": m["hh_id"]})
    newborn = m["newborn"].fillna(False)
    p["H1"] = newborn & (m["birth_weight_g"] < NEWBORN_MIN_G)
    p["H4"] = (age >= 6) & fails(m["exercise"])
    p["E1"] = age.between(3, 5) & fails(m["preschool_care"])
    p["E2"] = age.between(6, 14) & fails(m["compulsory_schooling"])
    p["E3"] = m["m3_graduate"].fillna(False) & fails(m["continued_m4"])
    p["E4"] = age.between(15, 59) & fails(m["literacy"])
    works_and_earns = has_occupation.fillna(True) & has_income
    p["I1"] = age.between(15, 59) & ~full_time_student & ~dependent_disabled & ~works_and_earns
    works_or_earns = has_occupation.fillna(False) | has_income
    p["I2"] = (age >= 60) & ~dependent_disabled & ~works_or_earns
    p["A1"] = (age >= 60) & fails(m["elderly_cared"])
    p["A2"] = m["disabled"].fillna(False) & fails(m["disabled_cared"])
    return p.fillna(False)


def household_indicators(h: pd.DataFrame, n_members: pd.Series) -> pd.DataFrame:
    out = pd.DataFrame(index=h.index)
    food = ["food_fda_mark", "food_meat_cooked", "food_vegetables_safe", "food_handwash_spoon"]
    medicine = [
        "med_household_remedies",
        "med_no_drug_sets",
        "med_herbal_own",
        "med_no_false_supplements",
    ]
    home = [
        "home_clean",
        "home_kitchen",
        "home_water_storage",
        "home_vector_control",
        "home_waste",
        "home_drainage",
        "home_toilet",
        "home_chemicals",
    ]
    out["H2"] = h[food].eq(False).any(axis=1)
    out["H3"] = h[medicine].eq(False).any(axis=1)
    out["L1"] = h[["housing_secure", "housing_durable"]].eq(False).any(axis=1)
    out["L2"] = fails(h["drinking_water_enough"])
    out["L3"] = fails(h["use_water_enough"])
    out["L4"] = h[home].eq(False).any(axis=1)
    income = (
        h[["income_main", "income_secondary", "income_other", "income_own_production"]]
        .fillna(0)
        .sum(axis=1)
    )
    # amounts are integer satang (see `read`): "ไม่ต่ำกว่า 38,000" compared exactly
    out["I3"] = income < INCOME_THRESHOLD * 100 * n_members
    return out


def compute(households: pd.DataFrame, members: pd.DataFrame, welfare_only: bool = False):
    """Household table with the 17 flags, dimensions and targets; person target flags."""
    p = person_indicators(members)
    person_codes = [c for c in p.columns if c != "hh_id"]
    per_household = p.groupby("hh_id")[person_codes].any()
    sizes = members.groupby("hh_id").size().rename("n_members")

    h = households.set_index("hh_id").join(sizes, how="inner")
    h = h.join(household_indicators(h, h["n_members"]))
    h = h.join(per_household)
    for dim, codes in DIMENSIONS.items():
        h[f"dim_{dim}"] = h[codes].any(axis=1)
    h["n_dims"] = h[[f"dim_{d}" for d in DIMENSIONS]].sum(axis=1)
    h["is_target"] = h["n_dims"] >= 1
    h["district_code"] = h["subdistrict_code"].str[:4]

    household_level = ["H2", "H3", "L1", "L2", "L3", "L4", "I3"]
    hh_any = h[household_level].any(axis=1)
    person = members[["hh_id", "welfare_card"]].copy()
    person["deprived"] = p[person_codes].any(axis=1).values | person["hh_id"].map(hh_any).values
    person["in_target"] = person["hh_id"].map(h["is_target"]).values
    person["target"] = person["deprived"] & person["in_target"]
    if welfare_only:
        person["target"] &= person["welfare_card"].fillna(False)
    person["district_code"] = person["hh_id"].map(h["district_code"]).values
    return h.reset_index(), person


def register(h: pd.DataFrame, person: pd.DataFrame) -> pd.DataFrame:
    targets = h[h["is_target"]]
    reg = targets.groupby("district_code").agg(
        target_households=("is_target", "size"),
        members=("n_members", "sum"),
        **{f"dim_{d}": (f"dim_{d}", "sum") for d in DIMENSIONS},
    )
    card = person[person["in_target"] & person["deprived"] & person["welfare_card"].fillna(False)]
    reg["welfare_card_holders"] = card.groupby("district_code").size()
    reg["target_persons"] = person[person["target"]].groupby("district_code").size()
    return reg.fillna(0).astype("int64").sort_index()


def alkire_foster(h: pd.DataFrame, k: Fraction = Fraction(1, 3)) -> dict:
    weights = {}
    for codes in DIMENSIONS.values():
        for code in codes:
            weights[code] = Fraction(1, len(DIMENSIONS)) / len(codes)
    score = sum(h[c].astype(int) * float(w) for c, w in weights.items())
    poor = score >= float(k) - 1e-12
    n = h["n_members"]
    persons = n.sum()
    H = (n * poor).sum() / persons
    M0 = (n * poor * score).sum() / persons
    A = M0 / H if H else 0.0
    censored = {c: (n * poor * h[c]).sum() / persons for c in weights}
    contribution = {c: 100 * float(w) * censored[c] / M0 if M0 else 0.0 for c, w in weights.items()}
    return {"H": H, "A": A, "M0": M0, "censored": censored, "contribution": contribution}


def read(survey_dir: str, table: str) -> pd.DataFrame:
    """One table; amounts of baht (exact decimals in the file) as integer satang."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    d = Path(survey_dir)
    t = pq.read_table(d / table if (d / table).is_dir() else d / f"{table}.parquet")
    for i, f in enumerate(t.schema):
        if pa.types.is_decimal(f.type):
            t = t.set_column(i, f.name, pc.cast(pc.multiply(t.column(i), 100), pa.int64()))
    return t.to_pandas()


def run(survey_dir: str) -> dict:
    """The district register and H, A, M0, as bench/engine_sample.py prints them."""
    households = read(survey_dir, "households")
    members = read(survey_dir, "members")
    h, person = compute(households, members)
    reg = register(h, person)
    af = alkire_foster(h)
    return {
        "register": {code: {c: int(v) for c, v in row.items()} for code, row in reg.iterrows()},
        "H": float(af["H"]),
        "A": float(af["A"]),
        "M0": float(af["M0"]),
    }


if __name__ == "__main__":
    t1 = time.perf_counter()
    print(json.dumps(run(sys.argv[1]), ensure_ascii=False))
    t2 = time.perf_counter()
    print(f"imports {t1 - T0:.3f} s, work {t2 - t1:.3f} s", file=sys.stderr)
