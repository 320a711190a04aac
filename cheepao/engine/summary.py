"""Registers and Alkire-Foster tables from one aggregate per area.

Every number in a register (ทะเบียนงบหน้า) and every sum behind an AF table is an integer
sum over households or target persons, so it adds up: the sums per village, added in
pandas, give the sums per subdistrict, district, province, life stage and country exactly.
A run therefore asks the backend one question (`area_sums`: one expression, one scan of
the household table and one of the target persons) instead of one or more per register
level and AF group; at national scale each of those scans cost seconds, and on a small
province the fixed cost of a query (Ibis compilation, planning) dominated the run.

The backend returns integers only; ratios are divided on the driver (ADR 0003), so the
tables are the same on every backend and whatever the grain the sums were taken at.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import ibis.expr.types as ir
import pandas as pd

from cheepao.engine import af as af_mod
from cheepao.engine import geography
from cheepao.engine import register as register_mod
from cheepao.engine.catalogue import Catalogue

#: The grain a run sums at: every area level is a column of it, so rolling up needs no
#: assumption about how codes nest.
AREA_KEYS = ("province_code", "district_code", "subdistrict_code", "village_code")


def _stage_prefix(stage: str | None) -> str:
    return "" if stage is None else f"{stage}__"


def _weights_of(cat: Catalogue, stages: bool) -> dict[str | None, str]:
    """AF weight column per population: all persons, then each life stage's members."""
    out: dict[str | None, str] = {None: "n_members"}
    if stages:
        out.update({s.code: f"n_ls_{s.code}" for s in cat.life_stages})
    return out


def _parts(
    h: ir.Table,
    persons: ir.Table | None,
    cat: Catalogue,
    af: tuple[af_mod.Weights, Fraction] | None,
    register: bool,
    stages: bool,
) -> list[tuple[ir.Table, dict[str, ir.Value]]]:
    """(rows, metrics over them) for each part of the sums.

    Only the totals need every household. The register counts the targets (~5 % of
    households) and AF sums the poor (~0.1 % at k = 1/3): each of the ~120 AF sums then
    touches only the poor rows.
    """
    totals: dict[str, ir.Value] = {"_households": h.count()}
    parts = [(h, totals)]
    if register:
        t = h.filter(h.is_target | h.is_critical)
        target = t.is_target.cast("int64")
        parts.append(
            (
                t,
                {
                    "target_households": target.sum(),
                    "members": (t.n_members * target).sum(),
                    "critical_households": t.is_critical.cast("int64").sum(),
                    **{
                        f"dim_{d.code}": (t[f"dim_{d.code}"].cast("int64") * target).sum()
                        for d in cat.dimensions
                    },
                },
            )
        )
        if persons is not None:
            p = persons.filter(persons.is_target)
            deprived_card = p.is_deprived & p.welfare_card.fill_null(False)
            parts.append(
                (
                    p,
                    {
                        "welfare_card_holders": deprived_card.cast("int64").sum(),
                        "target_persons": p.is_target_person.cast("int64").sum(),
                    },
                )
            )
    if af is not None:
        w, k = af
        scored = af_mod.with_score(h, w, k)
        poor = scored.filter(scored._poor)
        sums: dict[str, ir.Value] = {}
        for stage, col in _weights_of(cat, stages).items():
            p = _stage_prefix(stage)
            totals.update({f"{p}{n}": e for n, e in af_mod.totals(h, col).items()})
            sums.update({f"{p}{n}": e for n, e in af_mod.poor_sums(poor, w, col).items()})
        parts.append((poor, sums))
    return parts


def area_sums(
    households: ir.Table,
    persons: ir.Table | None,
    cat: Catalogue,
    *,
    keys: Sequence[str] = AREA_KEYS,
    af: tuple[af_mod.Weights, Fraction] | None = None,
    register: bool = True,
    stages: bool = True,
) -> pd.DataFrame:
    """Integer sums per `keys` (one row in all when `keys` is empty), in one query.

    Columns: `_households` (every household, so areas without targets are rows too);
    with `register`, the register's counts (persons' counts need `persons`, the members
    of target households); with `af` = (weights, k), every AF sum for all persons
    (`persons`, `poor_persons`, ...) and, with `stages`, for each life stage
    (`<stage>__persons`, ...).
    """
    keys = list(keys)
    parts = [_agg(t, keys, m) for t, m in _parts(households, persons, cat, af, register, stages)]
    out = parts[0]
    for part in parts[1:]:
        if keys:
            # an area without targets or poor households has no row in those parts: 0
            counts = [part[c].fill_null(0).name(c) for c in part.columns if c not in keys]
            out = out.left_join(part, keys).select(out, *counts)
        else:
            out = out.cross_join(part)
    # through Arrow: Ibis's to_pandas turns every column holding a null into Python objects
    df = out.to_pyarrow().to_pandas()
    counts = [c for c in df.columns if c not in keys]
    return pd.concat([df[keys], df[counts].fillna(0).astype("int64")], axis=1)


def _agg(t: ir.Table, keys: list[str], metrics: dict[str, ir.Value]) -> ir.Table:
    return t.group_by(keys).aggregate(**metrics) if keys else t.aggregate(**metrics)


def rollup(sums: pd.DataFrame, key: str | None) -> pd.DataFrame:
    """`sums` added up per `key` (one row of the total when None), exact in int64."""
    counts = [c for c in sums.columns if c not in AREA_KEYS]
    if key is None:
        return sums[counts].sum().to_frame().T.astype("int64")
    return sums.groupby(key, sort=True, dropna=False)[counts].sum().reset_index()


def register(sums: pd.DataFrame, cat: Catalogue, level: str) -> pd.DataFrame:
    """The register at `level` from area sums that hold that level's code column."""
    key = geography.CODE_COLUMN[level]
    df = rollup(sums, key).rename(columns={key: "area_code"})
    return register_mod.with_names(df, level, cat)


def alkire_foster(
    sums: pd.DataFrame, cat: Catalogue, w: af_mod.Weights, k: Fraction, by: str | None
) -> pd.DataFrame:
    """The AF table for `by` (None, an area level or life_stage) from area sums."""
    if by is None:
        return af_mod.finish(_population(rollup(sums, None), None), [], w, k)
    if by in af_mod.AREA_GROUPS:
        (key,) = af_mod.AREA_GROUPS[by]
        return af_mod.finish(_population(rollup(sums, key), None, key), [key], w, k)
    if by != "life_stage":
        raise af_mod.AFError(f"unknown group {by!r} (known: {', '.join(af_mod.GROUPS)})")
    total = rollup(sums, None)
    rows = pd.concat([_population(total, s.code) for s in cat.life_stages], ignore_index=True)
    order = [s.code for s in cat.life_stages]
    rows.insert(0, "life_stage", order)
    table = af_mod.finish(rows, ["life_stage"], w, k)
    return table.set_index("life_stage").loc[order].reset_index()


def _population(df: pd.DataFrame, stage: str | None, key: str | None = None) -> pd.DataFrame:
    """The AF sums of one population (all persons, or a life stage) under plain names."""
    p = _stage_prefix(stage)
    names = {
        c: c[len(p) :]
        for c in df.columns
        if c.startswith(p) and "__" not in c[len(p) :] and c not in AREA_KEYS
    }
    out = df[list(names)].rename(columns=names).reset_index(drop=True)
    if key is not None:
        out.insert(0, key, df[key].to_numpy())
    return out


# ---------------------------------------------------------------- one table at a time
#
# A run takes every register level and AF group from one `area_sums` query; these two give
# one table straight from a result's tables (a unit test, `api.Result`, a run's AF at
# another k). They live here, above `af` and `register`, which know nothing of the sums.


def register_of(
    households: ir.Table, persons: ir.Table, cat: Catalogue, level: str
) -> pd.DataFrame:
    """The register at `level`: one row per area of that level present in the data (areas
    without targets give zeros)."""
    sums = area_sums(households, persons, cat, keys=[geography.CODE_COLUMN[level]])
    return register(sums, cat, level)


def af_of(
    households: ir.Table,
    cat: Catalogue,
    *,
    k: object | None = None,
    weights: Mapping[str, object] | None = None,
    by: str | None = None,
) -> pd.DataFrame:
    """AF table for the whole input (by=None) or per group, from the household table alone.

    Members share their household's score, so a person group is a weighted sum over
    households: area groups weigh each household by its size, a life stage by its members
    in that stage (`n_ls_<stage>`).
    """
    w = af_mod.Weights.of(cat, weights)
    kf = af_mod.check_k(cat.default_k if k is None else k)
    if by is not None and by not in af_mod.GROUPS:
        raise af_mod.AFError(f"unknown group {by!r} (known: {', '.join(af_mod.GROUPS)})")
    sums = area_sums(
        households,
        None,
        cat,
        keys=af_mod.AREA_GROUPS.get(by, []),
        af=(w, kf),
        register=False,
        stages=by == "life_stage",
    )
    return alkire_foster(sums, cat, w, kf, by)
