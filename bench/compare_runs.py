"""Are two run directories the same result? For checking a faster engine against a reference.

    python bench/compare_runs.py REFERENCE_RUN NEW_RUN

Registers and Alkire-Foster tables must be equal cell for cell (floats bit for bit), the
register CSVs byte for byte, the spreadsheets cell for cell (value and format), and households.parquet / persons.parquet must hold the same
rows over the columns both have (as multisets, so row order may differ). Columns only one
side has are listed, because a changed layout is a contract change someone must approve.
Exit status 0 when everything matches.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pandas as pd


def _frames_equal(a: pd.DataFrame, b: pd.DataFrame) -> str | None:
    if list(a.columns) != list(b.columns):
        return f"columns differ: {list(a.columns)} vs {list(b.columns)}"
    if len(a) != len(b):
        return f"{len(a)} rows vs {len(b)}"
    for c in a.columns:
        x, y = a[c], b[c]
        if str(x.dtype) != str(y.dtype):
            return f"{c}: dtype {x.dtype} vs {y.dtype}"
        if not x.equals(y):
            bad = (x != y) & ~(x.isna() & y.isna())
            i = int(bad.to_numpy().nonzero()[0][0])
            return f"{c}: row {i}: {x.iloc[i]!r} vs {y.iloc[i]!r}"
    return None


def _cells(path: Path) -> list[list[tuple]]:
    """What a reader of the spreadsheet sees: every cell's value and look."""
    import openpyxl

    ws = openpyxl.load_workbook(path).active
    return [
        [(c.value, c.font.b, c.number_format, c.border.left.style) for c in row]
        for row in ws.iter_rows()
    ] + [[ws.freeze_panes]]


def _table_rows(con, a: Path, b: Path) -> list[str]:
    ca = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM '{a}'").fetchall()]
    cb = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM '{b}'").fetchall()]
    out = []
    only_a = [c for c in ca if c not in cb]
    only_b = [c for c in cb if c not in ca]
    if only_a:
        out.append(f"{a.name}: only in reference: {only_a}")
    if only_b:
        out.append(f"{a.name}: only in new: {only_b}")
    cols = ", ".join(f'"{c}"' for c in ca if c in cb)
    na = con.execute(f"SELECT count(*) FROM '{a}'").fetchone()[0]
    nb = con.execute(f"SELECT count(*) FROM '{b}'").fetchone()[0]
    if na != nb:
        out.append(f"{a.name}: {na} rows vs {nb}")
    for x, y in ((a, b), (b, a)):
        n = con.execute(
            f"SELECT count(*) FROM (SELECT {cols} FROM '{x}' EXCEPT ALL SELECT {cols} FROM '{y}')"
        ).fetchone()[0]
        if n:
            out.append(f"{a.name}: {n} rows of {x.parent.name} not in {y.parent.name}")
    return out


def compare(ref: Path, new: Path) -> list[str]:
    problems = []
    for f in sorted(ref.glob("register_*.parquet")) + sorted(ref.glob("af_*.parquet")):
        g = new / f.name
        if not g.exists():
            problems.append(f"{f.name}: missing")
            continue
        diff = _frames_equal(pd.read_parquet(f), pd.read_parquet(g))
        if diff:
            problems.append(f"{f.name}: {diff}")
    for f in sorted(ref.glob("register_*.csv")):
        if (new / f.name).read_bytes() != f.read_bytes():
            problems.append(f"{f.name}: bytes differ")
    for f in sorted(ref.glob("register_*.xlsx")):
        if _cells(f) != _cells(new / f.name):
            problems.append(f"{f.name}: cells differ (value, bold, number format or border)")
    con = duckdb.connect()
    for name in ("households.parquet", "persons.parquet"):
        problems += _table_rows(con, ref / name, new / name)
    return problems


def main() -> None:
    ref, new = Path(sys.argv[1]), Path(sys.argv[2])
    problems = compare(ref, new)
    for p in problems:
        print(p)
    print("identical" if not problems else f"{len(problems)} difference(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
