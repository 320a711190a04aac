"""Year-over-year evaluation: who escaped, who is still deprived, who newly fell in.

Households are matched by `hh_id` across two survey years. For each indicator, each
dimension and the target status a household is one of:
  escaped  deprived in the earlier year, not in the later one
  still    deprived in both
  newly    not deprived earlier, deprived now
  never    deprived in neither
  left     only in the earlier survey (moved, dissolved)
  joined   only in the later survey (new household)
The manual's status words are computed for households in both years, by the catalogue's
readings (seed 004 ผนวก ก ข้อ 19-20; ADR 0013):
  survives (อยู่รอด)      passes the `survives` rule in the later year (default: passes
                          income, living and health)
  sustainable (ยั่งยืน)   a target of the earlier year that passes the `sustainable` rule
                          in the later year, and by default in the earlier one too (did not
                          fall back).
Per household (`household_outcomes`, the evaluation of help, ADR 0036) the later year's
stage word is the highest of the three that holds, lowest first:
  survives (อยู่รอด)      as above
  sufficient (พอเพียง)    survives, and is deprived in no indicator that makes a target in
                          the later year (ผนวก ก ข้อ 18 "ดำรงชีวิตอยู่ได้อย่างพอประมาณ":
                          the survey's reading of it; it uses no rule beyond the catalogue's)
  sustainable (ยั่งยืน)   as above
  "" (none)              none holds, or the household left
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pandas as pd

from cheepao.engine import geography, indicators
from cheepao.engine.catalogue import Catalogue

STATUSES = ("escaped", "still", "newly", "never", "left", "joined")
STAGES = ("survives", "sufficient", "sustainable")  # lowest first


def subjects(cat: Catalogue) -> list[tuple[str, str]]:
    """(name, flag column) of everything compared: indicators, dimensions, target status."""
    return [
        *[(i.code, f"d_{i.code}") for i in cat.indicators],
        *[(d.code, f"dim_{d.code}") for d in cat.dimensions],
        ("target", "is_target"),
    ]


def _status(before: ir.BooleanValue, after: ir.BooleanValue, in_a, in_b) -> ir.StringValue:
    return ibis.cases(
        (~in_b, "left"),
        (~in_a, "joined"),
        (before & after, "still"),
        (before & ~after, "escaped"),
        (~before & after, "newly"),
        else_="never",
    )


def compare_households(a: ir.Table, b: ir.Table, cat: Catalogue) -> ir.Table:
    """One row per household present in either year, with s_<subject> status columns."""
    subj = subjects(cat)
    keep = ["hh_id", "province_code", "district_code", "subdistrict_code", "village_code"]
    flags = [col for _, col in subj]
    sa = a.select(*keep, *flags).rename({f"{c}_a": c for c in [*keep, *flags]})
    sb = b.select(*keep, *flags).rename({f"{c}_b": c for c in [*keep, *flags]})
    j = sa.outer_join(sb, sa.hh_id_a == sb.hh_id_b)
    in_a = j.hh_id_a.notnull()
    in_b = j.hh_id_b.notnull()
    out = {c: ibis.coalesce(j[f"{c}_b"], j[f"{c}_a"]) for c in keep}
    for name, col in subj:
        out[f"s_{name}"] = _status(
            j[f"{col}_a"].fill_null(False), j[f"{col}_b"].fill_null(False), in_a, in_b
        )

    def rule(r, year: str):
        dims = {d.code: j[f"dim_{d.code}_{year}"] for d in cat.dimensions}
        return indicators.dimension_rule(dims, r, "passed")

    held = rule(cat.sustainable.passes, "b")
    if cat.sustainable.years == "both":
        held = held & rule(cat.sustainable.passes, "a")
    out["village_before"] = j.village_code_a  # null for a household that joined
    out["survives"] = in_a & in_b & rule(cat.survives, "b")
    out["sustainable"] = in_a & in_b & j.is_target_a.fill_null(False) & held
    return j.select(**out)


def compare_areas(cmp: ir.Table, cat: Catalogue, level: str | None) -> pd.DataFrame:
    """Counts of each status per subject, per area of `level` (None: one total row)."""
    metrics = {}
    for name, _ in subjects(cat):
        col = cmp[f"s_{name}"]
        for st in ("escaped", "still", "newly"):
            metrics[f"{st}_{name}"] = (col == st).cast("int64").sum()
    metrics["households_before"] = (cmp.s_target != "joined").cast("int64").sum()
    metrics["households_after"] = (cmp.s_target != "left").cast("int64").sum()
    metrics["survives"] = cmp.survives.cast("int64").sum()
    metrics["sustainable"] = cmp.sustainable.cast("int64").sum()
    if level is None:
        df = cmp.aggregate(**metrics).to_pandas()
        df.insert(0, "area_code", "")
        df.insert(1, "area_name_th", "ทั้งหมด")
        df.insert(2, "area_name_en", "All")
        return df
    key = geography.CODE_COLUMN[level]
    df = cmp.group_by(area_code=cmp[key]).aggregate(**metrics).to_pandas()
    df = geography.with_area_names(df, level)
    cols = ["area_code", "area_name_th", "area_name_en", *metrics]
    return df[cols].sort_values("area_code").reset_index(drop=True)


def household_outcomes(a: ir.Table, b: ir.Table, cat: Catalogue) -> ir.Table:
    """One row per household of the earlier year `a` (the year the help was given): hh_id,
    its village in that year, s_<subject> (escaped, still, newly, never or left) and the
    later year's stage word (`STAGES`, "" when none holds)."""
    cmp = compare_households(a, b, cat)
    j = cmp.filter(cmp.s_target != "joined")
    out_of_poverty = j.s_target.isin(["escaped", "never"])
    stage = ibis.cases(
        (j.sustainable, "sustainable"),
        (j.survives & out_of_poverty, "sufficient"),
        (j.survives, "survives"),
        else_="",
    )
    cols = [f"s_{name}" for name, _ in subjects(cat)]
    return j.select("hh_id", village_code=j.village_before, **{c: j[c] for c in cols}, stage=stage)
