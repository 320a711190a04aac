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

import ibis.expr.types as ir
import numpy as np
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


def with_score(t: ir.Table, w: Weights, k: Fraction) -> ir.Table:
    """Score and poverty as columns, computed once per row rather than inside every sum."""
    t = t.mutate(_score=score_units(t, w))
    return t.mutate(_poor=(t._score * k.denominator) >= (k.numerator * w.denominator))


def totals(t: ir.Table, weight: str) -> dict[str, ir.Value]:
    """Population sums of a group, `weight` being the persons each household counts for."""
    n = t[weight]
    return {"persons": n.sum(), "households": t.count(where=n > 0)}


def poor_sums(t: ir.Table, w: Weights, weight: str) -> dict[str, ir.Value]:
    """Sums over `t`: the poor rows of a `with_score` table."""
    n = t[weight]
    return {
        "poor_persons": n.sum(),
        "poor_households": (n > 0).cast("int64").sum(),
        "_poor_score": (n * t._score).sum(),
        **{f"_cens_{c}": (n * t[f"d_{c}"].cast("int64")).sum() for c in w.units},
    }


def finish(df: pd.DataFrame, keys: Sequence[str], w: Weights, k: Fraction) -> pd.DataFrame:
    """Ratios from the integer sums, on the driver so that every backend gives the same bits.

    Sums stay below 2**53, so int64 -> float64 is exact and each division is the correctly
    rounded quotient, the same as Python's int / int.
    """

    def ints(col: str) -> np.ndarray:
        return pd.to_numeric(df[col]).fillna(0).astype("int64").to_numpy()

    persons = ints("persons")
    poor = ints("poor_persons")
    poor_score = ints("_poor_score")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = {key: df[key].to_numpy() for key in keys}
        out.update(
            k=str(k),
            persons=persons,
            poor_persons=poor,
            households=ints("households"),
            poor_households=ints("poor_households"),
            H=np.where(persons > 0, poor / persons, 0.0),
            A=np.where(poor > 0, poor_score / (poor * w.denominator), 0.0),
            M0=np.where(persons > 0, poor_score / (persons * w.denominator), 0.0),
        )
        for c in w.units:
            cens = ints(f"_cens_{c}")
            out[f"ch_{c}"] = np.where(persons > 0, cens / persons, 0.0)
        for c, u in w.units.items():
            cens = ints(f"_cens_{c}")
            out[f"pct_{c}"] = np.where(poor_score > 0, 100.0 * cens * u / poor_score, 0.0)
    result = pd.DataFrame(out, index=range(len(df)))
    if keys:
        result = result.sort_values(list(keys), kind="stable").reset_index(drop=True)
    return result
