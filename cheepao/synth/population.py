"""Who lives where: households and their members for one province, as numpy arrays.

Household composition is drawn from a table of household types (data, below) shaped on
the rural Thai north-east: many elderly and children, working-age adults often away in
Bangkok or abroad, so skipped-generation and elderly-only households are common and the
mean household has fewer than three members. Each type gives the head's age and sex and,
per relation, a distribution of how many such members there are and how old they are
relative to the head. Everything is drawn for all households of a type at once.

The population is the part of the survey that persists between years (people, their
birth dates, PINs, names, disability); `survey.py` draws each year's answers on top.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cheepao.engine import contract
from cheepao.synth import geo, ids, names
from cheepao.synth.frame import Frame, rank_in_group
from cheepao.synth.scales import Scale

REL = {r: i for i, r in enumerate(contract.RELATION)}
MAX_MEMBERS = 9
# spread (log sd) of district effects on deprivation: per dimension and overall
DISTRICT_DIM_SIGMA = 0.9
DISTRICT_SIGMA = 0.5
EPOCH = np.datetime64("1970-01-01", "D")


@dataclass(frozen=True)
class Role:
    """How many members of one relation a household type has, and how old they are.

    counts[k] is the probability of k such members. Age is uniform on the intersection of
    [lo, hi] and [head_age + rel_lo, head_age + rel_hi].
    """

    relation: str
    counts: tuple[float, ...]
    lo: int
    hi: int
    rel_lo: int = -200
    rel_hi: int = 200
    female: float = 0.5


@dataclass(frozen=True)
class HouseholdType:
    name: str
    weight: float
    head_lo: int
    head_hi: int
    head_female: float
    roles: tuple[Role, ...] = field(default_factory=tuple)
    # the head's age is lo + (hi - lo) * U**head_skew: > 1 crowds towards lo
    head_skew: float = 1.0


SPOUSE = Role("spouse", (0, 1), 18, 99, -8, 4)
HOUSEHOLD_TYPES = (
    HouseholdType("elderly_alone", 0.11, 60, 95, 0.66, head_skew=1.6),
    HouseholdType("adult_alone", 0.09, 20, 59, 0.40),
    HouseholdType(
        "elderly_couple",
        0.10,
        60,
        90,
        0.30,
        (
            Role("spouse", (0, 1), 55, 95, -8, 4),
            Role("sibling", (0.9, 0.1), 55, 95, -10, 10),
        ),
        head_skew=1.4,
    ),
    HouseholdType("couple", 0.08, 20, 59, 0.28, (SPOUSE,)),
    HouseholdType(
        "nuclear",
        0.22,
        22,
        56,
        0.28,
        (
            SPOUSE,
            Role("child", (0, 0.47, 0.38, 0.12, 0.03), 0, 24, -42, -17),
        ),
    ),
    HouseholdType(
        "single_parent",
        0.07,
        22,
        58,
        0.78,
        (Role("child", (0, 0.62, 0.30, 0.08), 0, 24, -42, -17),),
    ),
    HouseholdType(
        "skipped_generation",
        0.08,
        52,
        85,
        0.55,
        (
            Role("spouse", (0.4, 0.6), 45, 95, -8, 4),
            Role("grandchild", (0, 0.58, 0.32, 0.10), 0, 17, -80, -36),
        ),
    ),
    HouseholdType(
        "three_generation",
        0.15,
        48,
        85,
        0.35,
        (
            Role("spouse", (0.3, 0.7), 45, 95, -8, 4),
            Role("child", (0, 0.85, 0.15), 18, 50, -40, -18, female=0.65),
            Role("child_in_law", (0.5, 0.5), 18, 55, -42, -14, female=0.3),
            Role("grandchild", (0.22, 0.45, 0.25, 0.08), 0, 25, -80, -36),
        ),
    ),
    HouseholdType(
        "with_parent",
        0.05,
        28,
        55,
        0.35,
        (
            SPOUSE,
            Role("child", (0.25, 0.45, 0.25, 0.05), 0, 24, -42, -17),
            Role("parent", (0, 0.85, 0.15), 50, 100, 18, 40, female=0.68),
            Role("parent_in_law", (0.85, 0.15), 50, 100, 15, 40, female=0.7),
        ),
    ),
    HouseholdType(
        "blended",
        0.02,
        25,
        52,
        0.3,
        (
            Role("spouse", (0, 1), 20, 60, -8, 4),
            Role("child", (0.5, 0.4, 0.1), 0, 12, -40, -18),
            Role("stepchild", (0, 0.7, 0.3), 0, 20, -45, -16),
        ),
    ),
    HouseholdType(
        "other",
        0.03,
        25,
        80,
        0.5,
        (
            Role("sibling", (0.55, 0.45), 15, 90, -15, 15),
            Role("relative", (0.4, 0.5, 0.1), 0, 80),
            Role("non_relative", (0.8, 0.2), 15, 60),
        ),
    ),
)


def reference_date(survey_year: int) -> np.datetime64:
    """The survey's reference date: 1 March of the Gregorian year (Buddhist Era - 543)."""
    return np.datetime64(f"{survey_year - 543:04d}-03-01", "D")


def birth_dates(age: np.ndarray, ref: np.datetime64, rng: np.random.Generator) -> np.ndarray:
    """Birth dates (datetime64[D]) uniform among the days that give `age` at `ref`."""
    ref_year = int(str(ref)[:4])
    years = ref_year - np.asarray(age, np.int64)
    # age a at 1 March of Y: born from 2 March of Y-a-1 to 1 March of Y-a inclusive
    start = (years - 1 - 1970).astype("datetime64[Y]").astype("datetime64[M]") + 2
    start = start.astype("datetime64[D]") + 1
    end = (years - 1970).astype("datetime64[Y]").astype("datetime64[M]") + 2
    end = end.astype("datetime64[D]")
    span = (end - start).astype(np.int64) + 1
    return start + (rng.random(len(age)) * span).astype(np.int64)


def age_at(birth: np.ndarray, ref: np.datetime64) -> np.ndarray:
    """Completed years at `ref` (a 1 March reference, so 29 February needs no special case)."""
    y = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    month_start = birth.astype("datetime64[M]")
    m = month_start.astype(np.int64) % 12 + 1
    d = (birth - month_start.astype("datetime64[D]")).astype(np.int64) + 1
    ref_year = int(str(ref)[:4])
    after_ref = (m > 3) | ((m == 3) & (d > 1))
    return ref_year - y - after_ref.astype(np.int64)


def _counts(probs: tuple[float, ...], n: int, rng: np.random.Generator) -> np.ndarray:
    cdf = np.cumsum(probs) / np.sum(probs)
    return np.searchsorted(cdf, rng.random(n), side="right")


def _uniform_int(lo: np.ndarray, hi: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    hi = np.maximum(lo, hi)
    return lo + (rng.random(len(lo)) * (hi - lo + 1)).astype(np.int64)


def compose(n: int, rng: np.random.Generator) -> tuple[np.ndarray, Frame]:
    """Household types for n households and their members (unnumbered, unnamed).

    Returns the type index per household and a frame of members with `hh` (row of the
    household), `rel`, `age`, `female`, sorted by household then relation then age.
    """
    weights = np.array([t.weight for t in HOUSEHOLD_TYPES])
    htype = _counts(tuple(weights), n, rng)
    head_age = np.zeros(n, np.int64)
    head_female = np.zeros(n, bool)
    parts = []
    for ti, t in enumerate(HOUSEHOLD_TYPES):
        rows = np.flatnonzero(htype == ti)
        if not len(rows):
            continue
        u = rng.random(len(rows)) ** t.head_skew
        head_age[rows] = t.head_lo + (u * (t.head_hi - t.head_lo + 1)).astype(np.int64)
        head_female[rows] = rng.random(len(rows)) < t.head_female
        parts.append(
            Frame(
                hh=rows,
                rel=np.full(len(rows), REL["head"]),
                age=head_age[rows],
                female=head_female[rows],
            )
        )
        for role in t.roles:
            k = _counts(role.counts, len(rows), rng)
            hh = np.repeat(rows, k)
            if not len(hh):
                continue
            ha = head_age[hh]
            age = _uniform_int(
                np.maximum(role.lo, ha + role.rel_lo), np.minimum(role.hi, ha + role.rel_hi), rng
            )
            age = np.clip(age, 0, contract.AGE_MAX - 5)
            if role.relation == "spouse":
                # opposite sex, with a few same-sex couples
                female = head_female[hh] ^ (rng.random(len(hh)) >= 0.004)
            else:
                female = rng.random(len(hh)) < role.female
            parts.append(
                Frame(hh=hh, rel=np.full(len(hh), REL[role.relation]), age=age, female=female)
            )
    m = Frame.concat(parts)
    order = np.lexsort((-m["age"], m["rel"], m["hh"]))
    m = m.take(order)
    keep = rank_in_group(m["hh"]) < MAX_MEMBERS
    return htype, m.take(keep)


def fertile(m: Frame, age: np.ndarray) -> np.ndarray:
    """Women the survey asks whether they are pregnant."""
    return m["female"] & (age >= 15) & (age <= 45)


def draw_pregnancy(m: Frame, age: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Pregnant at the reference date; drawn once per year so births can follow."""
    p = np.select([age < 20, age < 35], [0.025, 0.06], 0.02)
    return fertile(m, age) & (rng.random(len(age)) < p)


def married_flags(
    m: Frame, age: np.ndarray, has_spouse_hh: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Whether a woman goes by นาง: wives, widows, mothers of the household; else by chance."""
    rel = m["rel"]
    married = (rel == REL["spouse"]) | (rel == REL["child_in_law"])
    married |= (rel == REL["head"]) & has_spouse_hh
    married |= np.isin(rel, [REL["parent"], REL["parent_in_law"]])
    older = (age >= 40) & (rng.random(len(rel)) < 0.8)
    mid = (age >= 25) & (rng.random(len(rel)) < 0.45)
    return married | older | mid


@dataclass
class Province:
    """The persistent state of one province's synthetic population between survey years."""

    code: str
    seed: int
    households: Frame
    members: Frame
    district_codes: np.ndarray  # 4-digit ints, index = households["district_ix"]
    # deprivation propensity per district (rows) and dimension (columns), and overall
    district_dim_mult: np.ndarray
    next_person: int = 0
    pin_counters: dict[int, int] = field(default_factory=dict)
    house_counters: dict[int, int] = field(default_factory=dict)
    # per village (subdistrict*100 + village): last running number used
    village_running: dict[int, int] = field(default_factory=dict)
    village_centres: dict[int, tuple[float, float]] = field(default_factory=dict)
    # last year's deprivation per indicator, keyed by household uid (set by survey.py)
    previous: dict | None = None

    def salt(self, stage: int, modulus: int) -> int:
        """A number fixed by seed and province, to offset serial numbers."""
        return int(self.rng(99, stage).integers(0, modulus))

    def rng(self, *stage: int) -> np.random.Generator:
        return np.random.default_rng(np.random.SeedSequence([self.seed, int(self.code), *stage]))


def _alloc(counters: dict[int, int], groups: np.ndarray) -> np.ndarray:
    """Next free counter values per group, in row order; updates `counters`."""
    out = ids.running_within(groups)
    if not len(groups):
        return out
    uniq, inverse = np.unique(groups, return_inverse=True)
    base = np.array([counters.get(int(g), 0) for g in uniq], np.int64)
    out = out + base[inverse]
    sizes = np.bincount(inverse, minlength=len(uniq))
    for g, b, s in zip(uniq, base, sizes, strict=True):
        counters[int(g)] = int(b + s)
    return out


def assign_pins(
    prov: Province, birth: np.ndarray, district: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """New PINs: category 1 (born 1984 on) or 3 (earlier, house registry), a few others."""
    born = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    u = rng.random(len(born))
    category = np.where(
        born >= 1984,
        np.where(u < 0.95, 1, np.where(u < 0.98, 2, 8)),
        np.where(u < 0.9, 3, np.where(u < 0.95, 4, 5)),
    )
    # most people were registered in the district they live in, some elsewhere in the province
    others = prov.district_codes
    moved = rng.random(len(born)) < 0.15
    office = np.where(moved, others[rng.integers(0, len(others), len(born))], district)
    counter = _alloc(prov.pin_counters, category * 10_000 + office)
    return ids.make_pins(category, office, counter, salt=prov.salt(5, 10**7))


def new_people(
    prov: Province,
    m: Frame,
    hh: Frame,
    ref: np.datetime64,
    rng: np.random.Generator,
    surname: np.ndarray | None = None,
) -> Frame:
    """Give composed members (hh = row in `hh`, rel, age, female) identity and traits."""
    n = len(m)
    hrow = m["hh"]
    age = m["age"]
    female = m["female"]
    birth = birth_dates(age, ref, rng)
    born_year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    first = names.first_names(female, born_year, rng)
    # members share the household surname, except in-laws and some spouses and grandchildren
    own = rng.integers(0, len(names.SURNAMES), n)
    rel = m["rel"]
    shares = np.ones(n, bool)
    shares[(rel == REL["spouse"]) & (rng.random(n) < 0.25)] = False
    shares[np.isin(rel, [REL["child_in_law"], REL["parent_in_law"], REL["non_relative"]])] = False
    shares[(rel == REL["grandchild"]) & (rng.random(n) < 0.4)] = False
    shares[(rel == REL["stepchild"]) & (rng.random(n) < 0.6)] = False
    hh_surname = hh["surname"][hrow] if surname is None else surname
    last = np.where(shares, hh_surname, own)
    p_dis = np.select([age < 15, age < 60, age < 80], [0.006, 0.014, 0.045], 0.09)
    disabled = rng.random(n) < p_dis
    self_care = ~(disabled & (rng.random(n) < np.where(age >= 70, 0.5, 0.3)))
    p_chronic = np.select([age < 15, age < 40, age < 60], [0.01, 0.03, 0.1], 0.24)
    uid = prov.next_person + np.arange(n, dtype=np.int64)
    prov.next_person += n
    return Frame(
        uid=uid,
        hh=hh["uid"][hrow],
        rel=rel.astype(np.int64),
        female=female,
        birth=birth,
        pin=assign_pins(prov, birth, hh["district"][hrow], rng),
        first=first,
        last=last,
        married=np.zeros(n, bool),
        disabled=disabled,
        self_care=self_care,
        chronic=rng.random(n) < p_chronic,
        # persistent lots: schooling level reached, welfare-card propensity, literacy
        u_edu=rng.random(n),
        u_card=rng.random(n),
        pregnant=np.zeros(n, bool),
    )


def _house_numbers(
    village_key: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """House numbers climbing through a village with gaps; some are sub-numbers like 45/3."""
    n = len(village_key)
    step = rng.integers(1, 4, n)
    step[rng.random(n) < 0.15] = 0  # a sub-house of the previous number
    starts = np.r_[0, np.flatnonzero(village_key[1:] != village_key[:-1]) + 1]
    step[starts] = np.maximum(step[starts], 1)
    csum = np.cumsum(step)
    sizes = np.diff(np.r_[starts, n])
    base = csum - np.repeat(csum[starts] - step[starts], sizes)
    base = np.maximum(base, 1)
    sub = np.where(step == 0, rng.integers(1, 9, n), 0)
    return base, sub


def new_households(
    prov: Province,
    sub: np.ndarray,
    village: np.ndarray,
    district_ix: np.ndarray,
    rng: np.random.Generator,
    house_offset: np.ndarray | None = None,
) -> Frame:
    """Households for (subdistrict, village) rows sorted by village: ids, address, place.

    `house_offset` is the highest house number already used in each row's village.
    """
    vkey = sub * 100 + village
    running = _alloc(prov.village_running, vkey) + 1
    district = prov.district_codes[district_ix]
    shapes = geo.district_shapes()
    lon0 = np.array([prov.village_centres[int(k)][0] for k in vkey])
    lat0 = np.array([prov.village_centres[int(k)][1] for k in vkey])
    lon = np.empty(len(sub))
    lat = np.empty(len(sub))
    for dix in np.unique(district_ix):
        rows = np.flatnonzero(district_ix == dix)
        shape = shapes[str(prov.district_codes[dix])]
        lon[rows], lat[rows] = geo.scatter_around(shape, lon0[rows], lat0[rows], 0.6 * geo.KM, rng)
    house_base, house_sub = _house_numbers(vkey, rng)
    counter = _alloc(prov.house_counters, district)
    n = len(sub)
    return Frame(
        uid=ids.hh_uid(sub, village, running),
        sub=sub,
        village=village,
        running=running,
        district=district,
        district_ix=district_ix,
        house_base=house_base + (0 if house_offset is None else house_offset),
        house_sub=house_sub,
        house_code=ids.make_house_codes(district, counter, salt=prov.salt(3, 10**6)),
        lon=np.round(lon, 6),
        lat=np.round(lat, 6),
        surname=rng.integers(0, len(names.SURNAMES), n),
        # poverty propensity (persistent) and the household's place in the income ladder
        z=rng.normal(0, 1, n),
        zq=rng.normal(0, 1, n),
        htype=np.zeros(n, np.int64),
    )


def build(code: str, scale: Scale, seed: int, survey_year: int, n_dimensions: int) -> Province:
    """The first survey year's population of a province."""
    districts = geo.districts_of(code, scale.districts)
    dcodes = np.array([int(d.code) for d in districts], np.int64)
    prov = Province(
        code=code,
        seed=seed,
        households=Frame(),
        members=Frame(),
        district_codes=dcodes,
        district_dim_mult=np.ones((len(dcodes), 1)),
    )
    rng = prov.rng(1)
    # districts differ: in one most targets fail education, in the next income (seed 003)
    shape = (len(dcodes), n_dimensions)
    prov.district_dim_mult = rng.lognormal(0, DISTRICT_DIM_SIGMA, shape) * rng.lognormal(
        0, DISTRICT_SIGMA, (len(dcodes), 1)
    )
    shapes = geo.district_shapes()
    subs, vills, dix = [], [], []
    for di, d in enumerate(districts):
        shape = shapes[d.code]
        n_sub = len(d.subdistricts)
        s_lon, s_lat = geo.sample_inside(shape, n_sub, rng)
        nv = scale.villages_min + rng.binomial(scale.villages_max - scale.villages_min, 0.5, n_sub)
        v_sub = np.repeat(np.arange(n_sub), nv)
        v_lon, v_lat = geo.scatter_around(shape, s_lon[v_sub], s_lat[v_sub], 2.5 * geo.KM, rng)
        v_no = rank_in_group(v_sub) + 1
        sub_codes = np.array([int(s) for s in d.subdistricts], np.int64)[v_sub]
        for s, v, lo, la in zip(sub_codes, v_no, v_lon, v_lat, strict=True):
            prov.village_centres[int(s * 100 + v)] = (float(lo), float(la))
        # households per village: around the scale's mean, some hamlets, some big villages
        mu = scale.households_per_village
        size = np.round(mu * np.exp(rng.normal(0, 0.35, len(v_no)) - 0.06)).astype(np.int64)
        size = np.clip(size, max(2, int(mu // 3)), int(mu * 3))
        subs.append(np.repeat(sub_codes, size))
        vills.append(np.repeat(v_no, size))
        dix.append(np.full(int(size.sum()), di))
    hh = new_households(
        prov, np.concatenate(subs), np.concatenate(vills).astype(np.int64), np.concatenate(dix), rng
    )
    # districts vary around the province, the province does not vary around RATES: scale
    # each dimension's multipliers to a household-weighted mean of 1
    weight = np.bincount(hh["district_ix"], minlength=len(dcodes))
    prov.district_dim_mult /= (weight @ prov.district_dim_mult) / weight.sum()
    prov.households = hh
    prov.members = populate(prov, hh, reference_date(survey_year), rng)
    return prov


def populate(prov: Province, hh: Frame, ref: np.datetime64, rng: np.random.Generator) -> Frame:
    """Members for new households `hh` (sets their type); returns the members frame."""
    htype, m = compose(len(hh), rng)
    hh["htype"] = htype
    members = new_people(prov, m, hh, ref, rng)
    has_spouse = np.zeros(len(hh), bool)
    has_spouse[m["hh"][m["rel"] == REL["spouse"]]] = True
    members["married"] = married_flags(members, m["age"], has_spouse[m["hh"]], rng)
    members["pregnant"] = draw_pregnancy(members, m["age"], rng)
    return members
