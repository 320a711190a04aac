"""Hand-made households for engine tests: everything passes unless a test says otherwise."""

from __future__ import annotations

import itertools

import pandas as pd
import pyarrow as pa

from cheepao.engine import contract, money

_seq = itertools.count(1)

HOUSEHOLD_PASS = {c.name: True for c in contract.HOUSEHOLDS.columns if c.type == contract.BOOL}


def household(
    hh_id: str,
    *,
    subdistrict: str = "340101",
    village: int = 1,
    income: float = 1e6,
    year: int = 2568,
    **answers,
) -> dict:
    row = {c: None for c in contract.HOUSEHOLDS.names}
    row.update(HOUSEHOLD_PASS)
    row.update(
        survey_year=year,
        hh_id=hh_id,
        subdistrict_code=subdistrict,
        village_no=village,
        house_no=str(next(_seq)),
        income_main=float(income),
        income_secondary=0.0,
        income_other=0.0,
        income_own_production=0.0,
    )
    row.update(answers)
    return row


def member(hh_id: str, no: int, age: int, *, year: int = 2568, **attrs) -> dict:
    """A member who passes every indicator that applies to their age."""
    row = {c: None for c in contract.MEMBERS.names}
    row.update(
        survey_year=year,
        hh_id=hh_id,
        member_no=no,
        first_name=f"ชื่อ{no}",
        last_name="ทดสอบ",
        sex="F" if no % 2 else "M",
        age=age,
        relation="head" if no == 1 else "child",
        student_status="none",
        has_occupation=age >= 15,
        income_year=100000.0 if age >= 15 else 0.0,
        disabled=False,
        self_care=True,
        chronic_illness=False,
        welfare_card=False,
        newborn=False,
        m3_graduate=False,
    )
    if age >= 6:
        row["exercise"] = True
    if 3 <= age <= 5:
        row["preschool_care"] = True
    if 6 <= age <= 14:
        row["compulsory_schooling"] = True
    if 15 <= age <= 59:
        row["literacy"] = True
    if age >= 60:
        row["elderly_cared"] = True
    row.update(attrs)
    if row.get("disabled") and row.get("disabled_cared") is None:
        row["disabled_cared"] = True
    if row.get("m3_graduate") and row.get("continued_m4") is None:
        row["continued_m4"] = True
    return row


def _typed(rows: list[dict], table: contract.Table) -> pa.Table:
    """Rows as the contract types them; amounts given as numbers (37999.7) become the
    exact decimals they are written as (37,999.70), as a file's cells are read."""
    schema = pa.schema([(c.name, c.arrow) for c in table.columns])
    money_cols = [c.name for c in table.columns if c.type == contract.MONEY]
    rows = [
        {**r, **{c: None if r.get(c) is None else money.amount(r[c]) for c in money_cols}}
        for r in rows
    ]
    df = pd.DataFrame(rows, columns=table.names)
    return pa.Table.from_pandas(df, schema=schema, preserve_index=False)


def tables(households: list[dict], members: list[dict]) -> tuple[pa.Table, pa.Table]:
    return _typed(households, contract.HOUSEHOLDS), _typed(members, contract.MEMBERS)
