"""Alkire-Foster multidimensional poverty measures on top of TPMAP's indicator flags.

Scores are kept as exact integers: each weight is a fraction, all weights are scaled to a
common denominator D, and "poor at cutoff k" is decided by integer comparison
(score_units * k.den >= k.num * D). With the default weights (1/20, 1/15, 1/10) and k = 1/3
a float comparison would put households whose score is exactly 1/3 on either side by
rounding luck; here they are always poor, as the method says.

The unit of identification is the household (its members share its score); the unit of
measurement is the person, so H is the share of persons living in poor households. Any
person attribute (area codes, life stage) can be a decomposition group.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import ibis
import ibis.expr.types as ir
import pandas as pd

from cheepao.engine.catalogue import Catalogue, parse_fraction

AREA_GROUPS = {
    "province": ["province_code"],
    "district": ["district_code"],
    "subdistrict": ["subdistrict_code"],
    "village": ["village_code"],
}
GROUPS = (*AREA_GROUPS, "life_stage")


class AFError(ValueError):
    pass


@dataclass(frozen=True)
class Weights:
    fractions: dict[str, Fraction]
    units: dict[str, int]
    denominator: int

    @classmethod
    def of(cls, cat: Catalogue, weights: Mapping[str, object] | None = None) -> Weights:
        fr = dict(cat.default_weights())
        if weights:
            unknown = set(weights) - set(fr)
            if unknown:
                raise AFError(f"weights for unknown indicators: {sorted(unknown)}")
            fr = {c: parse_fraction(weights.get(c, 0)) for c in fr}
        if any(w < 0 for w in fr.values()):
            raise AFError("weights must not be negative")
        if sum(fr.values()) != 1:
            raise AFError(f"weights must sum to 1, they sum to {sum(fr.values())}")
        den = math.lcm(*(w.denominator for w in fr.values()))
        units = {c: int(w * den) for c, w in fr.items()}
        return cls(fr, units, den)


def check_k(k: object) -> Fraction:
    kf = parse_fraction(k)
    if not (0 < kf <= 1):
        raise AFError(f"k must be greater than 0 and at most 1, got {k}")
    return kf


def score_units(h: ir.Table, w: Weights) -> ir.IntegerValue:
    return sum(h[f"d_{c}"].cast("int64") * u for c, u in w.units.items())


def _aggregate(
    t: ir.Table, keys: Sequence[str], w: Weights, k: Fraction, weight: str | None
) -> pd.DataFrame:
    """`t` has d_<code>, hh_id and keys; `weight` is the persons a row stands for (None = 1)."""
    t = t.mutate(_score=score_units(t, w))
    t = t.mutate(_poor=(t._score * k.denominator) >= (k.numerator * w.denominator))
    n = t[weight] if weight else ibis.literal(1)
    poor_n = ibis.ifelse(t._poor, n, 0)
    metrics = {
        "persons": n.sum() if weight else t.count(),
        "poor_persons": poor_n.sum(),
        "households": t.count() if weight else t.hh_id.nunique(),
        "poor_households": (
            t._poor.cast("int64").sum() if weight else t.hh_id.nunique(where=t._poor)
        ),
        "_poor_score": (poor_n * t._score).sum(),
        **{f"_cens_{c}": (poor_n * t[f"d_{c}"].cast("int64")).sum() for c in w.units},
    }
    agg = t.group_by(list(keys)).aggregate(**metrics) if keys else t.aggregate(**metrics)
    df = agg.to_pandas()
    return finish(df, keys, w, k)


def finish(df: pd.DataFrame, keys: Sequence[str], w: Weights, k: Fraction) -> pd.DataFrame:
    """Ratios from the integer sums, in Python so that every backend gives the same bits."""
    rows = []
    for rec in df.to_dict("records"):
        persons = int(rec["persons"] or 0)
        poor = int(rec["poor_persons"] or 0)
        poor_score = int(rec["_poor_score"] or 0)
        out = {key: rec[key] for key in keys}
        out.update(
            k=str(k),
            persons=persons,
            poor_persons=poor,
            households=int(rec["households"] or 0),
            poor_households=int(rec["poor_households"] or 0),
        )
        out["H"] = poor / persons if persons else 0.0
        out["A"] = poor_score / (poor * w.denominator) if poor else 0.0
        out["M0"] = poor_score / (persons * w.denominator) if persons else 0.0
        for c, u in w.units.items():
            cens = int(rec[f"_cens_{c}"] or 0)
            out[f"ch_{c}"] = cens / persons if persons else 0.0
            out[f"pct_{c}"] = 100.0 * cens * u / poor_score if poor_score else 0.0
        rows.append(out)
    cols = [
        *keys,
        "k",
        "persons",
        "poor_persons",
        "households",
        "poor_households",
        "H",
        "A",
        "M0",
        *[f"ch_{c}" for c in w.units],
        *[f"pct_{c}" for c in w.units],
    ]
    result = pd.DataFrame(rows, columns=cols)
    if keys:
        result = result.sort_values(list(keys), kind="stable").reset_index(drop=True)
    return result


def alkire_foster(
    households: ir.Table,
    persons: ir.Table | None,
    cat: Catalogue,
    *,
    k: object | None = None,
    weights: Mapping[str, object] | None = None,
    by: str | None = None,
) -> pd.DataFrame:
    """AF table for the whole input (by=None) or per group.

    Area groups use the household table weighted by household size; life stage needs the
    person table because one household's members fall into different stages.
    """
    w = Weights.of(cat, weights)
    kf = check_k(cat.default_k if k is None else k)
    if by is None:
        return _aggregate(households, [], w, kf, "n_members")
    if by in AREA_GROUPS:
        return _aggregate(households, AREA_GROUPS[by], w, kf, "n_members")
    if by != "life_stage":
        raise AFError(f"unknown group {by!r} (known: {', '.join(GROUPS)})")
    if persons is None:
        raise AFError("life-stage decomposition needs the person table")
    dcols = [f"d_{c}" for c in w.units]
    p = persons.select("hh_id", *[f"ls_{s.code}" for s in cat.life_stages])
    hsel = households.select("hh_id", *dcols)
    pj = p.inner_join(hsel, "hh_id")
    parts = []
    for s in cat.life_stages:
        sub = pj.filter(pj[f"ls_{s.code}"]).mutate(life_stage=ibis.literal(s.code))
        parts.append(_aggregate(sub, ["life_stage"], w, kf, None))
    order = {s.code: n for n, s in enumerate(cat.life_stages)}
    df = pd.concat(parts, ignore_index=True)
    present = set(df["life_stage"])
    missing = [s.code for s in cat.life_stages if s.code not in present]
    if missing:
        # A stage with nobody in it still gets its row, with zeros, so tables line up.
        empty = finish(
            pd.DataFrame(
                [
                    {
                        "life_stage": code,
                        "persons": 0,
                        "poor_persons": 0,
                        "households": 0,
                        "poor_households": 0,
                        "_poor_score": 0,
                        **{f"_cens_{c}": 0 for c in w.units},
                    }
                    for code in missing
                ]
            ),
            ["life_stage"],
            w,
            kf,
        )
        df = pd.concat([df, empty], ignore_index=True)
    df["_o"] = df["life_stage"].map(order)
    return df.sort_values("_o").drop(columns="_o").reset_index(drop=True)
