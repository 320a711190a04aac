"""The engine doing exactly what bench/pandas_reference.py does, for a like-for-like timing.

Indicators and targets, the district register and the Alkire-Foster totals, from the same
survey files; prints the same summary so the two outputs can be compared.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import ibis

from cheepao.engine import af as af_mod
from cheepao.engine import api, register


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
    # computed once, then the register and AF read it (as `cheepao compute` does)
    hh = con.create_table("households_result", result.households)
    persons = result.persons_of(hh.filter(hh.is_target))
    reg = register.compute_register(hh, persons, result.catalogue, "district")
    reg = reg.set_index("area_code").sort_index()
    af = af_mod.alkire_foster(hh, None, result.catalogue).iloc[0]
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
    print(json.dumps(run(sys.argv[1]), ensure_ascii=False))
