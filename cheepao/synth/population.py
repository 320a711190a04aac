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
from functools import cache

import numpy as np

from cheepao.engine import contract
from cheepao.synth import geo, ids, names, sizes
from cheepao.synth.frame import Frame, lexsort, rank_in_group
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


# Dates are datetime64[D], but calendar arithmetic on them (astype to years and months)
# is slow in numpy; these integer versions of Howard Hinnant's civil-date algorithms give
# the same answers on days since 1970-01-01 at a fraction of the cost.


def _march_year(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The year that began on the last 1 March on or before `days` (days since 1970), and
    the day within it (0 = 1 March, 306 = 1 January)."""
    z = days + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    return yoe + era * 400, doy


def march_first(year: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of 1 March of `year`."""
    y = np.asarray(year, np.int64)
    era = y // 400
    yoe = y - era * 400
    return era * 146_097 + yoe * 365 + yoe // 4 - yoe // 100 - 719_468


def calendar_year(dates: np.ndarray) -> np.ndarray:
    """Calendar year of datetime64[D] dates (as `astype("datetime64[Y]")` + 1970)."""
    y, doy = _march_year(dates.astype(np.int64))
    return y + (doy >= 306)


def birth_dates(age: np.ndarray, ref: np.datetime64, rng: np.random.Generator) -> np.ndarray:
    """Birth dates (datetime64[D]) uniform among the days that give `age` at `ref`."""
    ref_year = int(str(ref)[:4])
    years = ref_year - np.asarray(age, np.int64)
    # age a at 1 March of Y: born from 2 March of Y-a-1 to 1 March of Y-a inclusive
    end = march_first(years)
    start = march_first(years - 1) + 1
    span = end - start + 1
    days = start + (rng.random(len(age)) * span).astype(np.int64)
    return days.astype("datetime64[D]")


def age_at(birth: np.ndarray, ref: np.datetime64) -> np.ndarray:
    """Completed years at `ref` (a 1 March reference, so 29 February needs no special case).

    Born on 1 March of year y: y's March year. Born the day after: one year younger. So
    the age is the reference year minus the March year of the day before the birthday.
    """
    ref_year = int(str(ref)[:4])
    return ref_year - 1 - _march_year(birth.astype(np.int64) - 1)[0]


def _counts(probs: tuple[float, ...], n: int, rng: np.random.Generator) -> np.ndarray:
    cdf = np.cumsum(probs) / np.sum(probs)
    return np.searchsorted(cdf, rng.random(n), side="right")


def _uniform_int(lo: np.ndarray, hi: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    hi = np.maximum(lo, hi)
    return lo + (rng.random(len(lo)) * (hi - lo + 1)).astype(np.int64)


def type_weights(overrides: tuple[tuple[str, float], ...] = ()) -> np.ndarray:
    """Weights of HOUSEHOLD_TYPES, some replaced by (name, weight) pairs."""
    weights = {t.name: t.weight for t in HOUSEHOLD_TYPES}
    for name, w in overrides:
        if name not in weights:
            raise ValueError(f"unknown household type {name!r} (known: {', '.join(weights)})")
        weights[name] = w
    return np.array(list(weights.values()))


def compose(
    n: int, rng: np.random.Generator, weights: np.ndarray | None = None
) -> tuple[np.ndarray, Frame]:
    """Household types for n households and their members (unnumbered, unnamed).

    Returns the type index per household and a frame of members with `hh` (row of the
    household), `rel`, `age`, `female`, sorted by household then relation then age.
    """
    if weights is None:
        weights = type_weights()
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
    order = lexsort((-m["age"], m["rel"], m["hh"]))
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
class Registry:
    """Numbering shared by all units of a province: person ids, PIN and house counters.

    A province may be generated district by district (see `Plan`); PINs are issued by
    registration office and people are often registered in another district of their
    province, so the counters live here and the units draw from them in a fixed order.
    """

    next_person: int = 0
    pin_counters: dict[int, int] = field(default_factory=dict)
    house_counters: dict[int, int] = field(default_factory=dict)


@dataclass
class Province:
    """The persistent state of a province's synthetic population between survey years.

    With a whole-province plan this is the whole province; with a district plan it is one
    district (a unit), drawing from its own random streams (`stream`) and the province's
    shared `registry`.
    """

    code: str
    seed: int
    households: Frame
    members: Frame
    district_codes: np.ndarray  # 4-digit ints, index = households["district_ix"]
    # deprivation propensity per district (rows) and dimension (columns), and overall
    district_dim_mult: np.ndarray
    registry: Registry = field(default_factory=Registry)
    # village centres: key = subdistrict*100 + village (sorted), lon, lat
    villages: Frame = field(default_factory=Frame)
    # extra seed words of this unit's random streams: () for a whole province
    stream: tuple[int, ...] = ()
    # per village (subdistrict*100 + village): last running number used
    village_running: dict[int, int] = field(default_factory=dict)
    # last year's deprivation per indicator, keyed by household uid (set by survey.py)
    previous: dict | None = None
    # weights of HOUSEHOLD_TYPES for new households (None: as listed there)
    type_weights: np.ndarray | None = None

    def salt(self, stage: int, modulus: int) -> int:
        """A number fixed by seed and province, to offset serial numbers."""
        return _salt(self.seed, self.code, stage, modulus)

    def rng(self, *stage: int) -> np.random.Generator:
        return stream_rng(self.seed, self.code, *self.stream, *stage)


def stream_rng(seed: int, code: str, *words: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, int(code), *words]))


@cache
def _salt(seed: int, code: str, stage: int, modulus: int) -> int:
    return int(stream_rng(seed, code, 99, stage).integers(0, modulus))


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
    prov: Province, born: np.ndarray, district: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """New PINs: category 1 (born 1984 on) or 3 (earlier, house registry), a few others."""
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
    counter = _alloc(prov.registry.pin_counters, category * 10_000 + office)
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
    born_year = calendar_year(birth)
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
    uid = prov.registry.next_person + np.arange(n, dtype=np.int64)
    prov.registry.next_person += n
    return Frame(
        uid=uid,
        hh=hh["uid"][hrow],
        rel=rel.astype(np.int64),
        female=female,
        birth=birth,
        pin=assign_pins(prov, born_year, hh["district"][hrow], rng),
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
    centre = np.searchsorted(prov.villages["key"], vkey)
    lon, lat = _houses_placed(
        sub, prov.villages["lon"][centre], prov.villages["lat"][centre], _place_rng(rng)
    )
    house_base, house_sub = _house_numbers(vkey, rng)
    counter = _alloc(prov.registry.house_counters, district)
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


def _place_rng(rng: np.random.Generator) -> np.random.Generator:
    """The stream that places villages and houses, split off with one draw: how many
    tries a point takes inside a polygon never shifts the draws of the people."""
    return np.random.default_rng(int(rng.integers(2**63)))


def _houses_placed(
    sub: np.ndarray, lon0: np.ndarray, lat0: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Houses around their villages' centres, each inside its own subdistrict's polygon."""
    lon, lat = np.empty(len(sub)), np.empty(len(sub))
    codes, which = np.unique(sub, return_inverse=True)
    order = np.argsort(which, kind="stable")
    bounds = np.searchsorted(which[order], np.arange(len(codes) + 1))
    for i, code in enumerate(codes):
        rows = order[bounds[i] : bounds[i + 1]]
        shape = geo.subdistrict_shape(f"{int(code):06d}")
        lon[rows], lat[rows] = geo.scatter_around(shape, lon0[rows], lat0[rows], 0.6 * geo.KM, rng)
    return lon, lat


@dataclass
class Unit:
    """Districts generated together, with the random stream their households continue."""

    districts: np.ndarray  # district indexes into Plan.district_codes
    stream: tuple[int, ...]
    rng: np.random.Generator
    villages: Frame  # this unit's rows of Plan.villages


@dataclass
class Plan:
    """A province before anyone lives in it: districts, villages, their sizes and centres.

    Small scales generate a province as one unit (one set of random streams, as it always
    was). The national scale generates it district by district, each district a unit with
    its own streams, so memory is bounded by the largest district, not the largest
    province, and the province's files are written as its districts are done. Planning
    every village first fixes the province's size (the national scale sizes provinces by
    population) and each district's household weight before any district is drawn.
    """

    code: str
    seed: int
    district_codes: np.ndarray
    district_dim_mult: np.ndarray
    units: list[Unit]
    type_weights: np.ndarray | None = None
    registry: Registry = field(default_factory=Registry)


def _villages(
    district: geo.District, di: int, rng: np.random.Generator, scale: Scale
) -> tuple[Frame, np.ndarray]:
    """A district's villages (subdistrict, number, centre) and each one's size noise."""
    n_sub = len(district.subdistricts)
    place = _place_rng(rng)
    nv = scale.villages_min + rng.binomial(scale.villages_max - scale.villages_min, 0.5, n_sub)
    v_sub = np.repeat(np.arange(n_sub), nv)
    v_lon, v_lat = np.empty(len(v_sub)), np.empty(len(v_sub))
    # each subdistrict: a centre inside its polygon, its villages around it, inside it too
    for i, code in enumerate(district.subdistricts):
        shape = geo.subdistrict_shape(code)
        s_lon, s_lat = geo.sample_inside(shape, 1, place)
        rows = v_sub == i
        v_lon[rows], v_lat[rows] = geo.scatter_around(
            shape, np.repeat(s_lon, nv[i]), np.repeat(s_lat, nv[i]), 2.5 * geo.KM, place
        )
    v_no = rank_in_group(v_sub) + 1
    sub_codes = np.array([int(s) for s in district.subdistricts], np.int64)[v_sub]
    # households per village: around the mean, some hamlets, some big villages
    noise = rng.standard_normal(len(v_no))
    villages = Frame(
        sub=sub_codes,
        village=v_no.astype(np.int64),
        district_ix=np.full(len(v_no), di),
        key=sub_codes * 100 + v_no,
        lon=v_lon,
        lat=v_lat,
    )
    return villages, noise


def _village_sizes(noise: np.ndarray, mu: float) -> np.ndarray:
    size = np.round(mu * np.exp(0.35 * noise - 0.06)).astype(np.int64)
    return np.clip(size, max(2, int(mu // 3)), int(mu * 3))


def plan(code: str, scale: Scale, seed: int, n_dimensions: int) -> Plan:
    """Districts, villages and village sizes of a province; see `Plan`."""
    districts = geo.districts_of(code, scale.districts)
    dcodes = np.array([int(d.code) for d in districts], np.int64)
    rng = stream_rng(seed, code, 1)
    # districts differ: in one most targets fail education, in the next income (seed 003)
    shape = (len(dcodes), n_dimensions)
    dim_mult = rng.lognormal(0, DISTRICT_DIM_SIGMA, shape) * rng.lognormal(
        0, DISTRICT_SIGMA, (len(dcodes), 1)
    )
    if scale.by_district:
        rngs = [stream_rng(seed, code, int(dc), 1) for dc in dcodes]
    else:
        rngs = [rng] * len(dcodes)
    drawn = [_villages(d, di, rngs[di], scale) for di, d in enumerate(districts)]
    if scale.households_total is not None:
        # the province's share of the country, spread evenly over its villages
        n_villages = sum(len(v) for v, _ in drawn)
        mu = sizes.province_households(code, scale.households_total) / n_villages
    else:
        mu = scale.households_per_village
    for villages, noise in drawn:
        villages["size"] = _village_sizes(noise, mu)
    # districts vary around the province, the province does not vary around RATES: scale
    # each dimension's multipliers to a household-weighted mean of 1
    weight = np.array([int(v["size"].sum()) for v, _ in drawn], np.int64)
    dim_mult /= (weight @ dim_mult) / weight.sum()
    if scale.by_district:
        units = [
            Unit(np.array([di]), (int(dcodes[di]),), rngs[di], villages)
            for di, (villages, _) in enumerate(drawn)
        ]
    else:
        units = [Unit(np.arange(len(dcodes)), (), rng, Frame.concat([v for v, _ in drawn]))]
    weights = type_weights(scale.household_types) if scale.household_types else None
    return Plan(code, seed, dcodes, dim_mult, units, weights)


def build(plan: Plan, unit: Unit, survey_year: int) -> Province:
    """The first survey year's population of one unit of a planned province."""
    v = unit.villages
    prov = Province(
        code=plan.code,
        seed=plan.seed,
        households=Frame(),
        members=Frame(),
        district_codes=plan.district_codes,
        district_dim_mult=plan.district_dim_mult,
        registry=plan.registry,
        villages=Frame(key=v["key"], lon=v["lon"], lat=v["lat"]),
        stream=unit.stream,
        type_weights=plan.type_weights,
    )
    size = v["size"]
    hh = new_households(
        prov,
        np.repeat(v["sub"], size),
        np.repeat(v["village"], size),
        np.repeat(v["district_ix"], size),
        unit.rng,
    )
    prov.households = hh
    prov.members = populate(prov, hh, reference_date(survey_year), unit.rng)
    return prov


def populate(prov: Province, hh: Frame, ref: np.datetime64, rng: np.random.Generator) -> Frame:
    """Members for new households `hh` (sets their type); returns the members frame."""
    htype, m = compose(len(hh), rng, prov.type_weights)
    hh["htype"] = htype
    members = new_people(prov, m, hh, ref, rng)
    has_spouse = np.zeros(len(hh), bool)
    has_spouse[m["hh"][m["rel"] == REL["spouse"]]] = True
    members["married"] = married_flags(members, m["age"], has_spouse[m["hh"]], rng)
    members["pregnant"] = draw_pregnancy(members, m["age"], rng)
    return members
