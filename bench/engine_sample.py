"""The engine doing exactly what bench/pandas_reference.py does, for a like-for-like timing.

Indicators and targets, the district register and the Alkire-Foster totals, from the same
survey files; prints the same summary so the two outputs can be compared.

Both sides compute the same things and write nothing: all 17 indicators, dimensions and
targets of every household, the person flags behind the register's person counts, the
district register and H, A, M0. The engine asks its backend one question for all of it
(`summary.area_sums`, as `cheepao compute` does), so DuckDB evaluates only what those
outputs need. Until 2026-12-01 this script first materialised the whole household table
(about 100 columns, with family types, life-stage counts and AF scores that the pandas
reference never computes) and then ran two more queries: the engine did more work than
the reference it was compared with.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

T0 = time.perf_counter()

import ibis  # noqa: E402  (imports are timed: they are part of the engine's cost)

from cheepao.engine import api, summary  # noqa: E402


def parquet(path: Path) -> str:
    return str(path / "*.parquet") if path.is_dir() else str(path)


def run(survey_dir: str) -> dict:
    d = Path(survey_dir)
    hh_path = d / "households" if (d / "households").is_dir() else d / "households.parquet"
    mb_path = d / "members" if (d / "members").is_dir() else d / "members.parquet"
    con = ibis.duckdb.connect()
    result = api.compute(
        con.read_parquet(parquet(hh_path)), con.read_parquet(parquet(mb_path)), con=con
    )
    hh = result.households
    persons = result.persons_of(hh.filter(hh.is_target))
    cat = result.catalogue
    sums = summary.area_sums(
        hh, persons, cat, keys=["district_code"], af=(result.weights, result.k), stages=False
    )
    reg = summary.register(sums, cat, "district").set_index("area_code").sort_index()
    af = summary.alkire_foster(sums, cat, result.weights, result.k, None).iloc[0]
    return {
        "register": {
            code: {c: int(v) for c, v in row.items() if c not in ("area_name_th", "area_name_en")}
            for code, row in reg.iterrows()
        },
        "H": float(af["H"]),
        "A": float(af["A"]),
        "M0": float(af["M0"]),
    }


if __name__ == "__main__":
    t1 = time.perf_counter()
    print(json.dumps(run(sys.argv[1]), ensure_ascii=False))
    t2 = time.perf_counter()
    print(f"imports {t1 - T0:.3f} s, work {t2 - t1:.3f} s", file=sys.stderr)
