"""A year passes: people die, are born, leave and arrive; households move in and out.

The population is advanced one year at a time between survey years so a gap of several
years compounds like real ones. Identity is untouched: a person keeps uid, PIN, name and
birth date, a household keeps hh_id, house and GPS point; age follows from the birth date
at the next reference date, so everyone is exactly one year older a year later.
"""

from __future__ import annotations

import numpy as np

from cheepao.synth import names
from cheepao.synth.frame import Frame, group_starts, lexsort
from cheepao.synth.population import (
    REL,
    Province,
    age_at,
    draw_pregnancy,
    new_households,
    new_people,
    populate,
    reference_date,
)

HOUSEHOLDS_LEAVING = 0.004  # whole households that move away in a year
HOUSEHOLDS_ARRIVING = 0.009  # new households per existing household and year
LEAVING_YOUNG = 0.03  # 18-35 year olds (not head or spouse) who leave for work or marriage
RETURNING = 0.01  # households a grown child returns to
BIRTH_AFTER_PREGNANCY = 0.85
BIRTH_OTHERWISE = 0.012  # women 15-45 not recorded pregnant who still give birth

# When the head dies and the spouse takes over, relations are re-read from the spouse.
SPOUSE_VIEW = {
    "head": "spouse",
    "spouse": "head",
    "stepchild": "child",
    "parent": "parent_in_law",
    "parent_in_law": "parent",
    "sibling": "relative",
}


def mortality(age: np.ndarray) -> np.ndarray:
    """Annual probability of death, close to a Thai life table (Gompertz from 30)."""
    q = 0.0004 + 0.00006 * np.exp(0.09 * age)
    q = np.where(age == 0, 0.007, q)
    return np.minimum(q, 0.35)


def spouse_takes_over(rel: np.ndarray, hix: np.ndarray, households: np.ndarray) -> np.ndarray:
    """Relations of everyone in `households` (row numbers) re-read from the spouse."""
    remap = np.array([REL[SPOUSE_VIEW.get(r, r)] for r in REL])
    return np.where(np.isin(hix, households), remap[rel], rel)


def advance(prov: Province, to_year: int) -> None:
    """Move the population from its current year to the reference date of `to_year`."""
    rng = prov.rng(3, to_year)
    ref = reference_date(to_year)
    hh, m = prov.households, prov.members
    hh["z"] = 0.95 * hh["z"] + np.sqrt(1 - 0.95**2) * rng.normal(0, 1, len(hh))
    hh["zq"] = 0.9 * hh["zq"] + np.sqrt(1 - 0.9**2) * rng.normal(0, 1, len(hh))

    order = lexsort((m["birth"], m["rel"], m["hh"]))
    m = m.take(order)
    hix = np.searchsorted(hh["uid"], m["hh"])
    age = age_at(m["birth"], ref)
    n = len(m)
    size = np.bincount(hix, minlength=len(hh))
    is_head = m["rel"] == REL["head"]
    spouse_of = np.full(len(hh), -1)
    sp = np.flatnonzero(m["rel"] == REL["spouse"])
    spouse_of[hix[sp]] = sp

    # deaths: a head with a spouse is succeeded by the spouse; a head alone with others
    # in the house is spared here (succession would need a family tree we do not keep)
    dies = rng.random(n) < mortality(age)
    head_alone = is_head & (spouse_of[hix] < 0) & (size[hix] > 1)
    dies &= ~head_alone
    succ = np.flatnonzero(dies & is_head & (spouse_of[hix] >= 0))
    dies[spouse_of[hix[succ]]] = False  # the successor lives to take over
    if len(succ):
        m["rel"] = spouse_takes_over(m["rel"], hix, hix[succ])
    # young people leave; whole households leave; dead single-person households close
    leaves = (
        (age >= 18)
        & (age <= 35)
        & ~np.isin(m["rel"], [REL["head"], REL["spouse"]])
        & (rng.random(n) < LEAVING_YOUNG)
    )
    hh_leaves = rng.random(len(hh)) < HOUSEHOLDS_LEAVING
    keep = ~dies & ~leaves & ~hh_leaves[hix]

    births = _births(prov, m, hix, age, keep, hh, ref, rng)
    returning = _returning(prov, m, hix, age, keep, hh, ref, rng)
    m = Frame.concat([m.take(keep), births, returning])
    # drop households left without anyone (moved away, or the last member died)
    alive = np.bincount(np.searchsorted(hh["uid"], m["hh"]), minlength=len(hh)) > 0
    hh = hh.take(alive)

    arrivals = _arrivals(prov, hh, ref, rng)
    prov.households = Frame.concat([hh, arrivals[0]])
    order = np.argsort(prov.households["uid"], kind="stable")
    prov.households = prov.households.take(order)
    prov.members = Frame.concat([m, arrivals[1]])

    # new disability and chronic illness with age
    m = prov.members
    age = age_at(m["birth"], ref)
    onset = rng.random(len(m)) < np.where(age >= 60, 0.006, 0.001)
    m["disabled"] = m["disabled"] | onset
    m["self_care"] = m["self_care"] & ~(onset & (rng.random(len(m)) < 0.4))
    m["chronic"] = m["chronic"] | ((age >= 40) & (rng.random(len(m)) < 0.012))
    m["pregnant"] = draw_pregnancy(m, age, rng)


def _births(
    prov: Province,
    m: Frame,
    hix: np.ndarray,
    age: np.ndarray,
    keep: np.ndarray,
    hh: Frame,
    ref: np.datetime64,
    rng: np.random.Generator,
) -> Frame:
    fertile = keep & m["female"] & (age >= 15) & (age <= 46)
    p = np.where(m["pregnant"], BIRTH_AFTER_PREGNANCY, BIRTH_OTHERWISE)
    mothers = np.flatnonzero(fertile & (rng.random(len(m)) < p))
    k = len(mothers)
    mrel = m["rel"][mothers]
    rel = np.select(
        [
            np.isin(mrel, [REL["head"], REL["spouse"]]),
            np.isin(mrel, [REL["child"], REL["stepchild"], REL["child_in_law"]]),
        ],
        [REL["child"], REL["grandchild"]],
        REL["relative"],
    )
    baby = Frame(hh=hix[mothers], rel=rel, age=np.zeros(k, np.int64), female=rng.random(k) < 0.49)
    people = new_people(prov, baby, hh, ref, rng, surname=m["last"][mothers])
    people["disabled"] = people["disabled"] & (rng.random(k) < 0.3)
    return people


def _returning(
    prov: Province,
    m: Frame,
    hix: np.ndarray,
    age: np.ndarray,
    keep: np.ndarray,
    hh: Frame,
    ref: np.datetime64,
    rng: np.random.Generator,
) -> Frame:
    """Grown children coming home from the city to a head aged 45 or more."""
    heads = np.flatnonzero(keep & (m["rel"] == REL["head"]) & (age >= 45))
    heads = heads[rng.random(len(heads)) < RETURNING]
    k = len(heads)
    child_age = np.clip(age[heads] - rng.integers(20, 36, k), 18, 45)
    back = Frame(
        hh=hix[heads], rel=np.full(k, REL["child"]), age=child_age, female=rng.random(k) < 0.5
    )
    people = new_people(prov, back, hh, ref, rng, surname=m["last"][heads])
    people["married"] = child_age >= 30
    return people


def _arrivals(
    prov: Province, hh: Frame, ref: np.datetime64, rng: np.random.Generator
) -> tuple[Frame, Frame]:
    """New households in existing villages, numbered after the village's last house."""
    k = rng.binomial(len(hh), HOUSEHOLDS_ARRIVING)
    if not k:
        return Frame(), Frame()
    pick = np.sort(rng.choice(len(hh), k, replace=False))
    # households are sorted by uid, so each village is one run of rows
    vkey = hh["sub"] * 100 + hh["village"]
    starts, _ = group_starts(vkey)
    last_house = np.maximum.reduceat(hh["house_base"], starts)
    offset = last_house[np.searchsorted(vkey[starts], vkey[pick])].astype(np.int64)
    fresh = new_households(
        prov,
        hh["sub"][pick],
        hh["village"][pick],
        hh["district_ix"][pick],
        rng,
        house_offset=offset,
    )
    fresh["surname"] = rng.integers(0, len(names.SURNAMES), k)
    members = populate(prov, fresh, ref, rng)
    return fresh, members
