"""The benchmark's sample computation written by hand as one DuckDB query: a floor, not a product.

bench/pandas_reference.py and bench/engine_sample.py compute the same outputs (all 17
indicators, dimensions and targets of every household, the district register with its
person counts, and Alkire-Foster H, A, M0 at k = 1/3). This script does it with nothing
but DuckDB: no Ibis, no pandas, no catalogue, one SQL statement with the rules and the
thresholds typed in, the members read once (a household's target persons are counted
from per-household sums: all its members when a household-level indicator fails, its
personally deprived members otherwise).

It exists to answer one question with a measurement: how fast can *any* DuckDB program do
this work on this machine? Its wall time bounds what the engine could reach, whatever we
did to Ibis, imports or query shape; `make bench` reports the pandas reference against it
next to the engine's own ratio. It prints the same JSON as the other two, so the bench
checks that its results are the same.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

T0 = time.perf_counter()

import duckdb  # noqa: E402  (timed from the very start of the process)

INCOME_THRESHOLD = 38000
NEWBORN_MIN_G = 2500
# AF weight of each indicator in 1/60ths: each dimension 12/60, split equally among its
# indicators
UNITS = {"health": 3, "living": 3, "education": 3, "income": 4, "access": 6}
POOR_UNITS = 20  # k = 1/3 of 60


def no(col: str) -> str:
    """A question answered 'no' (unanswered is not a failure)."""
    return f"coalesce(NOT {col}, false)"


def any_no(cols: list[str]) -> str:
    return "(" + " OR ".join(no(c) for c in cols) + ")"


DEPENDENT = "(coalesce(disabled, false) AND NOT coalesce(self_care, true))"
HAS_INCOME = "(coalesce(income_year, 0) > 0)"
PERSON = {
    "H1": f"coalesce(newborn, false) AND coalesce(birth_weight_g < {NEWBORN_MIN_G}, false)",
    "H4": f"coalesce(age >= 6, false) AND {no('exercise')}",
    "E1": f"coalesce(age BETWEEN 3 AND 5, false) AND {no('preschool_care')}",
    "E2": f"coalesce(age BETWEEN 6 AND 14, false) AND {no('compulsory_schooling')}",
    "E3": f"coalesce(m3_graduate, false) AND {no('continued_m4')}",
    "E4": f"coalesce(age BETWEEN 15 AND 59, false) AND {no('literacy')}",
    "I1": "coalesce(age BETWEEN 15 AND 59, false)"
    " AND NOT coalesce(student_status = 'full_time', false)"
    f" AND NOT {DEPENDENT} AND NOT (coalesce(has_occupation, true) AND {HAS_INCOME})",
    "I2": f"coalesce(age >= 60, false) AND NOT {DEPENDENT}"
    f" AND NOT (coalesce(has_occupation, false) OR {HAS_INCOME})",
    "A1": f"coalesce(age >= 60, false) AND {no('elderly_cared')}",
    "A2": f"coalesce(disabled, false) AND {no('disabled_cared')}",
}
HOUSEHOLD = {
    "H2": any_no(
        ["food_fda_mark", "food_meat_cooked", "food_vegetables_safe", "food_handwash_spoon"]
    ),
    "H3": any_no(
        [
            "med_household_remedies",
            "med_no_drug_sets",
            "med_herbal_own",
            "med_no_false_supplements",
        ]
    ),
    "L1": any_no(["housing_secure", "housing_durable"]),
    "L2": no("drinking_water_enough"),
    "L3": no("use_water_enough"),
    "L4": any_no(
        [
            "home_clean",
            "home_kitchen",
            "home_water_storage",
            "home_vector_control",
            "home_waste",
            "home_drainage",
            "home_toilet",
            "home_chemicals",
        ]
    ),
    "I3": "(coalesce(income_main, 0) + coalesce(income_secondary, 0) + coalesce(income_other, 0)"
    f" + coalesce(income_own_production, 0)) < {INCOME_THRESHOLD} * n",  # exact decimals
}
DIMENSIONS = {
    "health": ["H1", "H2", "H3", "H4"],
    "living": ["L1", "L2", "L3", "L4"],
    "education": ["E1", "E2", "E3", "E4"],
    "income": ["I1", "I2", "I3"],
    "access": ["A1", "A2"],
}


def query(survey_dir: Path) -> str:
    def files(table: str) -> str:
        d = survey_dir / table
        return str(d / "*.parquet") if d.is_dir() else str(survey_dir / f"{table}.parquet")

    pdep = " OR ".join(PERSON)
    hh_any = " OR ".join(HOUSEHOLD)
    dims = {d: " OR ".join(codes) for d, codes in DIMENSIONS.items()}
    units = " + ".join(f"{c}::INT * {UNITS[d]}" for d, codes in DIMENSIONS.items() for c in codes)
    return f"""
    WITH p AS (
      SELECT hh_id, coalesce(welfare_card, false) AS card,
             {", ".join(f"{e} AS {c}" for c, e in PERSON.items())}
      FROM read_parquet('{files("members")}')
    ), m AS (
      SELECT hh_id, count(*) AS n, count(*) FILTER (card) AS n_card,
             count(*) FILTER ({pdep}) AS n_pdep,
             count(*) FILTER (card AND ({pdep})) AS n_pdep_card,
             {", ".join(f"bool_or({c}) AS {c}" for c in PERSON)}
      FROM p GROUP BY hh_id
    ), h AS (
      SELECT substr(subdistrict_code, 1, 4) AS district, m.*,
             {", ".join(f"{e} AS {c}" for c, e in HOUSEHOLD.items())}
      FROM read_parquet('{files("households")}') JOIN m USING (hh_id)
    ), d AS (
      SELECT district, n, n_card, n_pdep, n_pdep_card, {hh_any} AS hh_any, {units} AS units,
             {", ".join(f"{e} AS dim_{d}" for d, e in dims.items())}
      FROM h
    ), t AS (
      SELECT *, dim_health OR dim_living OR dim_education OR dim_income OR dim_access
             AS is_target
      FROM d
    )
    SELECT district,
           count(*) FILTER (is_target) AS target_households,
           coalesce(sum(n) FILTER (is_target), 0) AS members,
           {", ".join(f"count(*) FILTER (is_target AND dim_{d}) AS dim_{d}" for d in dims)},
           coalesce(sum(CASE WHEN hh_any THEN n_card ELSE n_pdep_card END)
                    FILTER (is_target), 0) AS welfare_card_holders,
           coalesce(sum(CASE WHEN hh_any THEN n ELSE n_pdep END) FILTER (is_target), 0)
             AS target_persons,
           sum(n) AS persons,
           coalesce(sum(n) FILTER (units >= {POOR_UNITS}), 0) AS poor_persons,
           coalesce(sum(n * units) FILTER (units >= {POOR_UNITS}), 0) AS poor_units
    FROM t GROUP BY district ORDER BY district
    """


def run(survey_dir: str) -> dict:
    rows = duckdb.connect().sql(query(Path(survey_dir))).fetchall()
    names = [
        "target_households",
        "members",
        *[f"dim_{d}" for d in DIMENSIONS],
        "welfare_card_holders",
        "target_persons",
    ]
    register = {r[0]: dict(zip(names, map(int, r[1:-3]), strict=True)) for r in rows if r[1] > 0}
    persons = sum(r[-3] for r in rows)
    h = sum(r[-2] for r in rows) / persons
    m0 = sum(r[-1] for r in rows) / 60 / persons
    return {"register": register, "H": h, "A": m0 / h if h else 0.0, "M0": m0}


if __name__ == "__main__":
    t1 = time.perf_counter()
    print(json.dumps(run(sys.argv[1]), ensure_ascii=False))
    t2 = time.perf_counter()
    print(f"imports {t1 - T0:.3f} s, work {t2 - t1:.3f} s", file=sys.stderr)
