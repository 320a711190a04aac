"""Golden cases for the engine: hand-made inputs and the outputs worked out by hand.

Everything here is data (rows built with `factories`, expected values written out
literally, fractions exact) so that the very same cases can run on any backend: the tests
take the connection from the `engine_con` fixture below, which is DuckDB today and can be
parametrised (DuckDB, PySpark) later without touching a case.

Nothing in this file reads the engine's catalogue to decide what is expected: the
dimension of each indicator, the weights and every count are restated by hand, so a wrong
rule in the catalogue or the code shows up as a failing test instead of a matching one.

Case groups:
- INDICATOR_CASES   one household per edge of each of the 17 indicators
- TARGET_CASES      dimensions, n_dims, target and critical, target persons per profile
- LIFE_STAGE_*, VULNERABLE_*, FAMILY_CASES  tags
- AF_*              the hand-computed Alkire-Foster example (see test_af.py for the working)
- REGISTER_*        a small two-district province and its summary registers
- COMPARE_*         two survey years with escapes, stays, new cases, leavers and joiners
- READING_CASES     households whose result depends on the catalogue's readings (ADR 0013),
                    with the exact result under every choice; COMPARE_READINGS for อยู่รอด
                    and ยั่งยืน
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal as D
from fractions import Fraction as F

import pytest

from cheepao.engine import api, backends, indicators
from cheepao.engine.tests.factories import household, member, tables

# ------------------------------------------------------------------ the rules, restated
# The tables in this file are laid out by hand, a case to a line or block where it fits,
# so that each reads as the worked example it is: the formatter leaves them alone.
# fmt: off

DIMENSION_OF = {
    "H1": "health", "H2": "health", "H3": "health", "H4": "health",
    "L1": "living", "L2": "living", "L3": "living", "L4": "living",
    "E1": "education", "E2": "education", "E3": "education", "E4": "education",
    "I1": "income", "I2": "income", "I3": "income",
    "A1": "access", "A2": "access",
}
CODES = tuple(DIMENSION_OF)
DIMENSIONS = ("health", "living", "education", "income", "access")
PERSON_CODES = ("H1", "H4", "E1", "E2", "E3", "E4", "I1", "I2", "A1", "A2")
HOUSEHOLD_CODES = ("H2", "H3", "L1", "L2", "L3", "L4", "I3")
# household-level answers behind each household indicator (all must be true to pass)
HOUSEHOLD_ANSWERS = {
    "H2": ("food_fda_mark", "food_meat_cooked", "food_vegetables_safe", "food_handwash_spoon"),
    "H3": ("med_household_remedies", "med_no_drug_sets", "med_herbal_own",
           "med_no_false_supplements"),
    "L1": ("housing_secure", "housing_durable"),
    "L2": ("drinking_water_enough",),
    "L3": ("use_water_enough",),
    "L4": ("home_clean", "home_kitchen", "home_water_storage", "home_vector_control",
           "home_waste", "home_drainage", "home_toilet", "home_chemicals"),
}
# default AF weights: 1/5 per dimension split equally among its indicators
DEFAULT_WEIGHTS = {
    **{c: F(1, 20) for c in ("H1", "H2", "H3", "H4", "L1", "L2", "L3", "L4",
                             "E1", "E2", "E3", "E4")},
    **{c: F(1, 15) for c in ("I1", "I2", "I3")},
    **{c: F(1, 10) for c in ("A1", "A2")},
}
LIFE_STAGES = ("early_childhood", "school_age", "adolescent", "working_age", "elderly")
FAMILY_TYPES = ("single_parent", "skipped_generation", "elderly_only", "same_sex_couple",
                "blended", "teen")

# fmt: on


def dims_of(codes: frozenset[str] | set[str]) -> set[str]:
    return {DIMENSION_OF[c] for c in codes}


# ------------------------------------------------------------------ backend


@pytest.fixture(scope="module", params=backends.ENGINES)
def engine_con(request):
    """The backend every golden test runs on: each test runs once on DuckDB, once on PySpark.

    Both connections live for the whole test session (conftest.py); Spark is only started
    when a Spark test is selected, and is skipped (failed under CI) when it cannot start.
    """
    return request.getfixturevalue(f"{request.param}_con")


def compute(household_rows: list[dict], member_rows: list[dict], con, **kwargs) -> api.Result:
    """`api.compute` on typed Arrow tables bound to `con`, as the pipeline calls it."""
    h, m = tables(household_rows, member_rows)
    return api.compute(backends.bind(h, con), backends.bind(m, con), con=con, **kwargs)


def materialise(result: api.Result, con) -> api.Result:
    """The same result with its household and person tables executed once and bound back
    to `con`, so that many AF or register queries on one result do not each re-run the
    whole indicator pipeline.

    As the pipeline does (through Parquet), the persons are joined to the executed
    households (`indicators.target_persons`, the last step of `api.compute`) instead of
    running the household plan a second time inside the person query.
    """
    households = backends.bind(result.households.to_pyarrow(), con)
    persons = indicators.target_persons(
        result.persons_base, households, result.catalogue, result.profile
    )
    return dataclasses.replace(
        result, households=households, persons=backends.bind(persons.to_pyarrow(), con)
    )


# ------------------------------------------------------------------ helpers to build rows

# Every answer a member can give, all "no": the member fails whatever applies at their age.
ALL_NO = dict(
    exercise=False,
    preschool_care=False,
    compulsory_schooling=False,
    literacy=False,
    has_occupation=False,
    income_year=0.0,
    elderly_cared=False,
)


@dataclass(frozen=True)
class HouseholdCase:
    """One household; `deprived` is the exact set of d_<code> flags that are true.

    `failed` gives, per member number, the exact set of person-level p_<code> flags that
    are true (members not listed fail nothing). `expect` holds further exact household
    values (income_per_person, n_members, ...).
    """

    hh_id: str
    why: str
    household: dict
    members: tuple[dict, ...]
    deprived: frozenset[str]
    failed: Mapping[int, frozenset[str]] = field(default_factory=dict)
    expect: Mapping[str, object] = field(default_factory=dict)


def case(
    hh_id: str,
    why: str,
    deprived: set[str],
    members: list[dict],
    failed: Mapping[int, set[str]] | None = None,
    expect: Mapping[str, object] | None = None,
    **hh_answers,
) -> HouseholdCase:
    return HouseholdCase(
        hh_id,
        why,
        household(hh_id, **hh_answers),
        tuple(members),
        frozenset(deprived),
        {k: frozenset(v) for k, v in (failed or {}).items()},
        dict(expect or {}),
    )


def rows(cases) -> tuple[list[dict], list[dict]]:
    hh, mm = [], []
    for c in cases:
        hh.append(c.household)
        mm.extend(c.members)
    return hh, mm


def _head(hh_id: str, age: int = 40, **kw) -> dict:
    return member(hh_id, 1, age, relation="head", **kw)


def _relation(age: int) -> str:
    return "parent" if age >= 60 else "child"


# ------------------------------------------------------------------ indicator edges
# fmt: off

# A member answering "no" to everything fails exactly what applies at their age:
# E1 3-5, H4 6+, E2 6-14, E4 and I1 15-59, I2 and A1 60+.
AGE_EDGES = {
    2: set(),
    3: {"E1"},
    5: {"E1"},
    6: {"H4", "E2"},
    14: {"H4", "E2"},
    15: {"H4", "E4", "I1"},
    59: {"H4", "E4", "I1"},
    60: {"H4", "I2", "A1"},
}


def _age_cases() -> list[HouseholdCase]:
    out = []
    for age, fails in AGE_EDGES.items():
        hh = f"age_{age:02d}"
        out.append(case(
            hh, f"a member aged {age} answering no to everything fails {sorted(fails)}",
            fails,
            [_head(hh), member(hh, 2, age, relation=_relation(age), **ALL_NO)],
            failed={2: fails},
        ))
    return out


def _newborn_cases() -> list[HouseholdCase]:
    def nb(hh, why, deprived, **kw):
        fails = {2: deprived} if deprived else {}
        return case(hh, why, deprived, [_head(hh), member(hh, 2, 0, **kw)], failed=fails)

    return [
        nb("h1_2499g", "newborn of 2,499 g is underweight", {"H1"},
           newborn=True, birth_weight_g=2499),
        nb("h1_2500g", "newborn of exactly 2,500 g passes", set(),
           newborn=True, birth_weight_g=2500),
        nb("h1_not_newborn", "a light baby not born in the survey year is not asked", set(),
           newborn=False, birth_weight_g=1800),
        nb("h1_weight_unknown", "an unanswered weight never makes anyone poor", set(),
           newborn=True, birth_weight_g=None),
    ]


def _adults(hh: str, n: int) -> list[dict]:
    return [_head(hh)] + [member(hh, i, 40 - i, relation="spouse" if i == 2 else "sibling")
                          for i in range(2, n + 1)]


def _income_cases() -> list[HouseholdCase]:
    # Amounts are exact decimals (ADR 0015): income_total and income_per_person are
    # DECIMAL(18, 2), compared here to the satang; per person is cut, never rounded up.
    zero = dict(income_main=0.0, income_secondary=0.0, income_other=0.0,
                income_own_production=0.0)
    out = [
        case("i3_38000_00", "exactly 38,000 baht per person per year is not deprived",
             set(), _adults("i3_38000_00", 2), income=76000,
             expect={"income_total": D("76000.00"), "income_per_person": D("38000.00"),
                     "n_members": 2}),
        case("i3_37999_99", "37,999.99 baht per person per year is deprived", {"I3"},
             _adults("i3_37999_99", 2), income=75999.98,
             expect={"income_per_person": D("37999.99")}),
    ]
    for source in ("income_main", "income_secondary", "income_other", "income_own_production"):
        hh = f"i3_only_{source.removeprefix('income_')}"
        out.append(case(
            hh, f"{source} alone counts toward household income", set(), _adults(hh, 3),
            **{**zero, source: 114000.0},
            expect={"income_total": D("114000.00"), "income_per_person": D("38000.00")},
        ))
    out += [
        case("i3_all_sources", "28,500 from each of the four sources: 114,000 / 3 = 38,000",
             set(), _adults("i3_all_sources", 3), income_main=28500.0,
             income_secondary=28500.0, income_other=28500.0, income_own_production=28500.0,
             expect={"income_total": D("114000.00"), "income_per_person": D("38000.00")}),
        case("i3_all_sources_short", "113,999.97 over four sources / 3 = 37,999.99", {"I3"},
             _adults("i3_all_sources_short", 3), income_main=28500.0,
             income_secondary=28500.0, income_other=28500.0, income_own_production=28499.97),
        # 100,000 / 4 members = 25,000 (it would be 50,000 per earner, or per adult)
        case("i3_all_members", "income is divided by all members, children included",
             {"I3"},
             [_head("i3_all_members"), member("i3_all_members", 2, 38, relation="spouse"),
              member("i3_all_members", 3, 8), member("i3_all_members", 4, 4)],
             income=100000, expect={"income_per_person": D("25000.00"), "n_members": 4}),
        # Satang at the threshold (issue 9 item 11): in binary floating point these sums
        # fall a hair short of 38,000 per person and the household was marked poor.
        case("i3_satang_38000", "37,999.70 + 0.10 + 0.10 + 0.10 is exactly 38,000.00 for one "
             "person: ไม่ต่ำกว่า 38,000 passes", set(), [_head("i3_satang_38000")],
             income_main=37999.70, income_secondary=0.10, income_other=0.10,
             income_own_production=0.10,
             expect={"income_total": D("38000.00"), "income_per_person": D("38000.00")}),
        case("i3_satang_114000", "28,499.97 + 28,500.01 x 3 = 114,000.00 for three: 38,000 each",
             set(), _adults("i3_satang_114000", 3), income_main=28499.97,
             income_secondary=28500.01, income_other=28500.01, income_own_production=28500.01,
             expect={"income_total": D("114000.00"), "income_per_person": D("38000.00")}),
        case("i3_satang_one_short", "113,999.99 / 3 = 37,999.996...: deprived, shown as "
             "37,999.99 (cut to the satang, never rounded up to 38,000.00)", {"I3"},
             _adults("i3_satang_one_short", 3), income_main=113999.70, income_secondary=0.10,
             income_other=0.10, income_own_production=0.09,
             expect={"income_total": D("113999.99"), "income_per_person": D("37999.99")}),
    ]
    return out


def _i1_i2_cases() -> list[HouseholdCase]:
    def one(hh, why, deprived, age, failed=None, **kw):
        fails = {2: failed if failed is not None else deprived}
        return case(hh, why, deprived,
                    [_head(hh), member(hh, 2, age, relation=_relation(age), **kw)],
                    failed={k: v for k, v in fails.items() if v})

    jobless = dict(has_occupation=False, income_year=0.0)
    dependent = dict(disabled=True, self_care=False)
    return [
        one("i1_full_time_student_20", "a full-time student is exempt from I1", set(), 20,
            student_status="full_time", **jobless),
        one("i1_part_time_student_20", "a part-time student is not exempt", {"I1"}, 20,
            student_status="part_time", **jobless),
        one("i1_occupation_no_income", "I1 needs an occupation and income", {"I1"}, 30,
            has_occupation=True, income_year=0.0),
        one("i1_income_no_occupation", "I1 needs an occupation and income", {"I1"}, 30,
            has_occupation=False, income_year=50000.0),
        one("i1_dependent_disabled_40", "a disabled adult who cannot care for themselves "
            "is exempt from I1", set(), 40, disabled_cared=True, **dependent, **jobless),
        one("i1_disabled_self_caring_40", "a disabled adult who can care for themselves "
            "is not exempt", {"I1"}, 40, disabled=True, self_care=True, disabled_cared=True,
            **jobless),
        one("a2_dependent_disabled_not_cared", "exempt from I1, still deprived in A2",
            {"A2"}, 40, disabled_cared=False, **dependent, **jobless),
        one("i2_dependent_disabled_65", "aged 65, cannot care for themselves: exempt from "
            "I2", set(), 65, disabled_cared=True, **dependent, **jobless),
        one("i2_occupation_only", "I2 passes with an occupation", set(), 70,
            has_occupation=True, income_year=0.0),
        one("i2_income_only", "I2 passes with income", set(), 70,
            has_occupation=False, income_year=12000.0),
        one("i2_neither_70", "no occupation and no income at 70", {"I2"}, 70, **jobless),
        one("e3_m3_not_continued", "finished M.3, did not continue", {"E3"}, 16,
            m3_graduate=True, continued_m4=False),
        one("e3_m3_continued", "finished M.3 and continued", set(), 16,
            m3_graduate=True, continued_m4=True),
        one("e3_not_m3_graduate", "E3 applies only to M.3 graduates", set(), 16,
            m3_graduate=False, continued_m4=False),
        one("a2_disabled_not_cared", "a disabled member not cared for", {"A2"}, 30,
            disabled=True, self_care=True, disabled_cared=False),
        one("a2_not_disabled", "A2 applies only to disabled members", set(), 30,
            disabled=False, disabled_cared=False),
        one("a1_elderly_not_cared", "an elderly member not cared for", {"A1"}, 70,
            elderly_cared=False),
    ]


def _household_level_cases() -> list[HouseholdCase]:
    out = [case("all_pass", "every answer yes", set(), _adults("all_pass", 2))]
    for code, answers in HOUSEHOLD_ANSWERS.items():
        for a in answers:
            hh = f"{code.lower()}_{a}"
            out.append(case(hh, f"{a} false fails {code}", {code}, _adults(hh, 2),
                            **{a: False}))
    return out


def _special_cases() -> list[HouseholdCase]:
    hh = "no_applicable_member"
    irrelevant = dict(preschool_care=False, compulsory_schooling=False, elderly_cared=False,
                      disabled_cared=False, newborn=False, birth_weight_g=2000,
                      m3_graduate=False, continued_m4=False)
    no_applicable = case(
        hh, "two adults 30 and 40: nobody E1, E2, H1, E3, I2, A1 or A2 applies to, so "
        "their 'no' answers to those questions change nothing", set(),
        [_head(hh, 40, **irrelevant), member(hh, 2, 30, relation="spouse", **irrelevant)],
    )
    hh = "all_deprived"
    all_deprived = case(
        hh, "every one of the 17 indicators fails", set(CODES),
        [
            _head(hh, 40, exercise=False, literacy=False, has_occupation=False,
                  income_year=0.0, disabled=True, self_care=True, disabled_cared=False),
            member(hh, 2, 0, newborn=True, birth_weight_g=2000, relation="grandchild"),
            member(hh, 3, 4, preschool_care=False),
            member(hh, 4, 10, compulsory_schooling=False),
            member(hh, 5, 16, m3_graduate=True, continued_m4=False),
            member(hh, 6, 70, relation="parent", has_occupation=False, income_year=0.0,
                   elderly_cared=False),
        ],
        failed={1: {"H4", "E4", "I1", "A2"}, 2: {"H1"}, 3: {"E1"}, 4: {"E2"}, 5: {"E3"},
                6: {"I2", "A1"}},
        expect={"n_dims": 5, "is_target": True, "is_critical": True, "income_total": D("0.00"),
                **{f"dim_{d}": True for d in DIMENSIONS}},
        income=0, **{a: False for answers in HOUSEHOLD_ANSWERS.values() for a in answers},
    )
    return [no_applicable, all_deprived]


INDICATOR_CASES: tuple[HouseholdCase, ...] = (
    *_age_cases(), *_newborn_cases(), *_income_cases(), *_i1_i2_cases(),
    *_household_level_cases(), *_special_cases(),
)

# ------------------------------------------------------------------ targets


@dataclass(frozen=True)
class TargetCase:
    """Exact household result and, per member, (is_deprived, pdim set, target persons).

    `targets` maps profile -> member numbers that are target persons under it.
    """

    hh_id: str
    why: str
    household: dict
    members: tuple[dict, ...]
    dims: frozenset[str]
    n_dims: int
    is_target: bool
    is_critical: bool
    pdims: Mapping[int, frozenset[str]]  # member -> personal dimensions (unlisted: none)
    targets: Mapping[str, frozenset[int]]


def _target(hh_id, why, members, *, dims, n_dims, is_target, is_critical, pdims, default,
            tpmap2562, **hh_answers) -> TargetCase:
    return TargetCase(
        hh_id, why, household(hh_id, **hh_answers), tuple(members), frozenset(dims), n_dims,
        is_target, is_critical, {k: frozenset(v) for k, v in pdims.items()},
        {"default": frozenset(default), "tpmap2562": frozenset(tpmap2562)},
    )


TARGET_CASES: tuple[TargetCase, ...] = (
    _target(
        "t_none", "passes everything: not a target, nobody deprived, even with a card",
        [_head("t_none", welfare_card=True), member("t_none", 2, 10)],
        dims=set(), n_dims=0, is_target=False, is_critical=False, pdims={},
        default=set(), tpmap2562=set(),
    ),
    _target(
        "t_e2_child", "one child out of school: only the child is a target person",
        [_head("t_e2_child", welfare_card=True),
         member("t_e2_child", 2, 38, relation="spouse", welfare_card=True),
         member("t_e2_child", 3, 10, compulsory_schooling=False)],
        dims={"education"}, n_dims=1, is_target=True, is_critical=False,
        pdims={3: {"education"}}, default={3}, tpmap2562=set(),
    ),
    _target(
        "t_i3", "low income is household-level: every member is a target person",
        [_head("t_i3", welfare_card=True), member("t_i3", 2, 38, relation="spouse"),
         member("t_i3", 3, 7)],
        dims={"income"}, n_dims=1, is_target=True, is_critical=False,
        pdims={1: {"income"}, 2: {"income"}, 3: {"income"}},
        default={1, 2, 3}, tpmap2562={1}, income=90000,
    ),
    _target(
        "t_two_dims", "H2 (household) and E4 (the head): two dimensions, not critical",
        [_head("t_two_dims", literacy=False),
         member("t_two_dims", 2, 38, relation="spouse", welfare_card=True)],
        dims={"health", "education"}, n_dims=2, is_target=True, is_critical=False,
        pdims={1: {"health", "education"}, 2: {"health"}},
        default={1, 2}, tpmap2562={2}, food_vegetables_safe=False,
    ),
    _target(
        "t_one_dim_two_indicators", "H1 and H4 are both health: one dimension",
        [_head("t_one_dim_two_indicators", exercise=False, welfare_card=True),
         member("t_one_dim_two_indicators", 2, 0, newborn=True, birth_weight_g=2100,
                welfare_card=True)],
        dims={"health"}, n_dims=1, is_target=True, is_critical=False,
        pdims={1: {"health"}, 2: {"health"}}, default={1, 2}, tpmap2562={1, 2},
    ),
    _target(
        "t_critical", "H2, L2 and I1: three dimensions, critical",
        [_head("t_critical", has_occupation=False, income_year=0.0, welfare_card=True),
         member("t_critical", 2, 38, relation="spouse")],
        dims={"health", "living", "income"}, n_dims=3, is_target=True, is_critical=True,
        pdims={1: {"health", "living", "income"}, 2: {"health", "living"}},
        default={1, 2}, tpmap2562={1}, food_fda_mark=False, drinking_water_enough=False,
    ),
    _target(
        "t_four_dims", "E1, I2, A1 personal and L3 household: four dimensions",
        [_head("t_four_dims", 68, has_occupation=False, income_year=0.0,
               elderly_cared=False, welfare_card=True),
         member("t_four_dims", 2, 4, relation="grandchild", preschool_care=False)],
        dims={"living", "education", "income", "access"}, n_dims=4, is_target=True,
        is_critical=True,
        pdims={1: {"living", "income", "access"}, 2: {"living", "education"}},
        default={1, 2}, tpmap2562={1}, use_water_enough=False,
    ),
)

# ------------------------------------------------------------------ tags

# member age -> life stages (bands overlap: 0-5, 5-14, 15-21, 15-59, 60+)
LIFE_STAGE_AGES = {
    0: {"early_childhood"},
    5: {"early_childhood", "school_age"},
    6: {"school_age"},
    14: {"school_age"},
    15: {"adolescent", "working_age"},
    21: {"adolescent", "working_age"},
    22: {"working_age"},
    59: {"working_age"},
    60: {"elderly"},
    95: {"elderly"},
}
LIFE_STAGE_MEMBERS = tuple(
    member("ls", no, age, relation="head" if no == 1 else "relative")
    for no, age in enumerate(LIFE_STAGE_AGES, start=1)
)

# (member_no, age, attributes, expected vulnerable tags)
VULNERABLE_PEOPLE = (
    (1, 25, {"pregnant": True}, {"high_risk"}),
    (2, 59, {}, set()),
    (3, 60, {}, {"high_risk"}),
    (4, 30, {"disabled": True, "self_care": True}, {"disabled_ill"}),
    (5, 40, {"chronic_illness": True}, {"disabled_ill"}),
    (6, 28, {"pregnant": True, "chronic_illness": True}, {"high_risk", "disabled_ill"}),
    (7, 35, {"pregnant": False}, set()),
)
VULNERABLE_MEMBERS = tuple(
    member("vg", no, age, relation="head" if no == 1 else "relative", **attrs)
    for no, age, attrs, _ in VULNERABLE_PEOPLE
)


@dataclass(frozen=True)
class FamilyCase:
    hh_id: str
    why: str
    members: tuple[dict, ...]
    types: frozenset[str]


def _fam(hh_id: str, why: str, types: set[str], *people: tuple[str, int, str]) -> FamilyCase:
    """people: (relation, age, sex) in member order; the first is the head."""
    ms = tuple(member(hh_id, no, age, relation=rel, sex=sex)
               for no, (rel, age, sex) in enumerate(people, start=1))
    return FamilyCase(hh_id, why, ms, frozenset(types))


FAMILY_CASES: tuple[FamilyCase, ...] = (
    _fam("fam_single_parent", "a mother alone with her child", {"single_parent"},
         ("head", 35, "F"), ("child", 8, "M")),
    _fam("fam_two_parents", "father, mother, child", set(),
         ("head", 37, "M"), ("spouse", 35, "F"), ("child", 8, "M")),
    _fam("fam_skipped_generation", "grandparents and a grandchild", {"skipped_generation"},
         ("head", 66, "F"), ("spouse", 68, "M"), ("grandchild", 10, "F")),
    _fam("fam_three_generations", "grandmother, her adult son and his child", set(),
         ("head", 66, "F"), ("child", 40, "M"), ("grandchild", 10, "F")),
    _fam("fam_elderly_only", "a couple aged 70 and 68", {"elderly_only"},
         ("head", 70, "F"), ("spouse", 68, "M")),
    _fam("fam_elderly_and_59", "a 70-year-old with a 59-year-old spouse", set(),
         ("head", 70, "F"), ("spouse", 59, "M")),
    _fam("fam_elderly_alone", "one person aged 75 (elderly only needs two)", set(),
         ("head", 75, "F")),
    _fam("fam_same_sex", "two women", {"same_sex_couple"},
         ("head", 30, "F"), ("spouse", 32, "F")),
    _fam("fam_mixed_sex", "a man and a woman", set(),
         ("head", 30, "F"), ("spouse", 32, "M")),
    _fam("fam_blended", "a couple, their child and a stepchild", {"blended"},
         ("head", 40, "M"), ("spouse", 38, "F"), ("child", 10, "F"), ("stepchild", 12, "M")),
    _fam("fam_teen", "a couple aged 19 and 18", {"teen"},
         ("head", 19, "M"), ("spouse", 18, "F")),
    _fam("fam_teen_and_20", "a couple aged 20 and 18 (teen needs both under 20)", set(),
         ("head", 20, "M"), ("spouse", 18, "F")),
)


def tag_rows() -> tuple[list[dict], list[dict]]:
    hh = [household("ls"), household("vg"), *[household(c.hh_id) for c in FAMILY_CASES]]
    mm = [*LIFE_STAGE_MEMBERS, *VULNERABLE_MEMBERS, *[m for c in FAMILY_CASES for m in c.members]]
    return hh, mm


# ------------------------------------------------------------------ Alkire-Foster example
# Five households in two districts of Ubon Ratchathani; the working is in test_af.py.

AF_MEMBERS_AGES = {  # for reading: the members and ages of each household
    "A": (40, 38, 10, 4), "B": (45, 75, 12), "C": (50,), "D": (30, 28, 1),
    "E": (65, 62, 35, 33, 7),
}


def af_rows() -> tuple[list[dict], list[dict]]:
    hh = [
        # A: 4 people, 25,000 baht each (I3), not enough drinking water (L2), head idle (H4)
        household("A", subdistrict="340101", village=1, income=100000,
                  drinking_water_enough=False),
        # B: 3 people, 10,000 baht each (I3)
        household("B", subdistrict="340101", village=2, income=30000),
        # C: 1 person, 10,000 baht (I3), insecure house, no water, no toilet (L1-L4)
        household("C", subdistrict="340201", village=1, income=10000, housing_secure=False,
                  drinking_water_enough=False, use_water_enough=False, home_toilet=False),
        # D: passes everything
        household("D", subdistrict="340201", village=1),
        # E: 5 people, meat not cooked (H2)
        household("E", subdistrict="340101", village=1, food_meat_cooked=False),
    ]
    mm = [
        _head("A", 40, exercise=False), member("A", 2, 38, relation="spouse"),
        member("A", 3, 10), member("A", 4, 4),
        # B's head: no exercise (H4), cannot read (E4), no work, no income (I1)
        _head("B", 45, exercise=False, literacy=False, has_occupation=False, income_year=0.0),
        # B's father: a pension (passes I2) but nobody cares for him (A1)
        member("B", 2, 75, relation="parent", has_occupation=False, income_year=36000.0,
               elderly_cared=False),
        member("B", 3, 12),
        # C: disabled, not cared for (A2), cannot read (E4); works for 10,000 (passes I1)
        _head("C", 50, disabled=True, self_care=True, disabled_cared=False, literacy=False,
              income_year=10000.0),
        _head("D", 30), member("D", 2, 28, relation="spouse"), member("D", 3, 1),
        _head("E", 65), member("E", 2, 62, relation="spouse"), member("E", 3, 35),
        member("E", 4, 33, relation="child_in_law"), member("E", 5, 7, relation="grandchild"),
    ]
    return hh, mm


AF_DEPRIVED = {
    "A": {"H4", "L2", "I3"},
    "B": {"H4", "E4", "I1", "I3", "A1"},
    "C": {"L1", "L2", "L3", "L4", "E4", "I3", "A2"},
    "D": set(),
    "E": {"H2"},
}
AF_SIZES = {"A": 4, "B": 3, "C": 1, "D": 3, "E": 5}
# score in units of 1/60 (health/living/education 3, income 4, access 6)
AF_SCORE_UNITS = {"A": 10, "B": 20, "C": 25, "D": 0, "E": 3}


@dataclass(frozen=True)
class AFExpect:
    persons: int
    poor_persons: int
    households: int
    poor_households: int
    H: F
    A: F
    M0: F
    ch: Mapping[str, F]  # censored headcount ratios; codes not listed are 0
    pct: Mapping[str, F]  # % contributions; codes not listed are 0


AF_NATIONAL = {
    F(1, 3): AFExpect(
        16, 4, 5, 2, F(1, 4), F(17, 48), F(17, 192),
        ch={"H4": F(3, 16), "L1": F(1, 16), "L2": F(1, 16), "L3": F(1, 16), "L4": F(1, 16),
            "E4": F(4, 16), "I1": F(3, 16), "I3": F(4, 16), "A1": F(3, 16), "A2": F(1, 16)},
        pct={"H4": F(180, 17), "L1": F(60, 17), "L2": F(60, 17), "L3": F(60, 17),
             "L4": F(60, 17), "E4": F(240, 17), "I1": F(240, 17), "I3": F(320, 17),
             "A1": F(360, 17), "A2": F(120, 17)},
    ),
    F(1, 10): AFExpect(
        16, 8, 5, 3, F(1, 2), F(25, 96), F(25, 192),
        ch={"H4": F(7, 16), "L1": F(1, 16), "L2": F(5, 16), "L3": F(1, 16), "L4": F(1, 16),
            "E4": F(4, 16), "I1": F(3, 16), "I3": F(8, 16), "A1": F(3, 16), "A2": F(1, 16)},
        pct={"H4": F(84, 5), "L1": F(12, 5), "L2": F(12), "L3": F(12, 5), "L4": F(12, 5),
             "E4": F(48, 5), "I1": F(48, 5), "I3": F(128, 5), "A1": F(72, 5),
             "A2": F(24, 5)},
    ),
    F(1, 20): AFExpect(
        16, 13, 5, 4, F(13, 16), F(7, 39), F(7, 48),
        ch={"H2": F(5, 16), "H4": F(7, 16), "L1": F(1, 16), "L2": F(5, 16), "L3": F(1, 16),
            "L4": F(1, 16), "E4": F(4, 16), "I1": F(3, 16), "I3": F(8, 16), "A1": F(3, 16),
            "A2": F(1, 16)},
        pct={"H2": F(75, 7), "H4": F(15), "L1": F(15, 7), "L2": F(75, 7), "L3": F(15, 7),
             "L4": F(15, 7), "E4": F(60, 7), "I1": F(60, 7), "I3": F(160, 7),
             "A1": F(90, 7), "A2": F(30, 7)},
    ),
    # just above B's 1/3: only C is poor
    F(34, 100): AFExpect(
        16, 1, 5, 1, F(1, 16), F(5, 12), F(5, 192),
        ch={c: F(1, 16) for c in ("L1", "L2", "L3", "L4", "E4", "I3", "A2")},
        pct={"L1": F(12), "L2": F(12), "L3": F(12), "L4": F(12), "E4": F(12), "I3": F(16),
             "A2": F(24)},
    ),
    # nobody has every deprivation
    F(1): AFExpect(16, 0, 5, 0, F(0), F(0), F(0), ch={}, pct={}),
}

AF_BY_DISTRICT = {  # at k = 1/3
    "3401": AFExpect(
        12, 3, 3, 1, F(1, 4), F(1, 3), F(1, 12),
        ch={"H4": F(1, 4), "E4": F(1, 4), "I1": F(1, 4), "I3": F(1, 4), "A1": F(1, 4)},
        pct={"H4": F(15), "E4": F(15), "I1": F(20), "I3": F(20), "A1": F(30)},
    ),
    "3402": AFExpect(
        4, 1, 2, 1, F(1, 4), F(5, 12), F(5, 48),
        ch={c: F(1, 4) for c in ("L1", "L2", "L3", "L4", "E4", "I3", "A2")},
        pct={"L1": F(12), "L2": F(12), "L3": F(12), "L4": F(12), "E4": F(12), "I3": F(16),
             "A2": F(24)},
    ),
}

AF_BY_LIFE_STAGE = {  # at k = 1/3; ch given for working age only
    "early_childhood": AFExpect(2, 0, 2, 0, F(0), F(0), F(0), ch={}, pct={}),
    "school_age": AFExpect(
        3, 1, 3, 1, F(1, 3), F(1, 3), F(1, 9),
        ch={"H4": F(1, 3), "E4": F(1, 3), "I1": F(1, 3), "I3": F(1, 3), "A1": F(1, 3)},
        pct={"H4": F(15), "E4": F(15), "I1": F(20), "I3": F(20), "A1": F(30)},
    ),
    "adolescent": AFExpect(0, 0, 0, 0, F(0), F(0), F(0), ch={}, pct={}),
    "working_age": AFExpect(
        8, 2, 5, 2, F(1, 4), F(3, 8), F(3, 32),
        ch={"H4": F(1, 8), "L1": F(1, 8), "L2": F(1, 8), "L3": F(1, 8), "L4": F(1, 8),
            "E4": F(2, 8), "I1": F(1, 8), "I3": F(2, 8), "A1": F(1, 8), "A2": F(1, 8)},
        # poor score 20 + 25 = 45 units: 100 * u * cens / 45
        pct={"H4": F(20, 3), "L1": F(20, 3), "L2": F(20, 3), "L3": F(20, 3),
             "L4": F(20, 3), "E4": F(40, 3), "I1": F(80, 9), "I3": F(160, 9),
             "A1": F(40, 3), "A2": F(40, 3)},
    ),
    "elderly": AFExpect(
        3, 1, 2, 1, F(1, 3), F(1, 3), F(1, 9),
        ch={"H4": F(1, 3), "E4": F(1, 3), "I1": F(1, 3), "I3": F(1, 3), "A1": F(1, 3)},
        pct={"H4": F(15), "E4": F(15), "I1": F(20), "I3": F(20), "A1": F(30)},
    ),
}

# all weight on the income dimension, split equally: A 1/3, B 2/3, C 1/3
AF_INCOME_WEIGHTS = {"I1": "1/3", "I2": "1/3", "I3": "1/3"}
AF_INCOME_ONLY = {
    F(1, 3): AFExpect(
        16, 8, 5, 3, F(1, 2), F(11, 24), F(11, 48),
        # censoring still reports every indicator among the poor, weighted or not
        ch={"H4": F(7, 16), "L1": F(1, 16), "L2": F(5, 16), "L3": F(1, 16), "L4": F(1, 16),
            "E4": F(4, 16), "I1": F(3, 16), "I3": F(8, 16), "A1": F(3, 16), "A2": F(1, 16)},
        pct={"I1": F(300, 11), "I3": F(800, 11)},
    ),
    F(1, 2): AFExpect(
        16, 3, 5, 1, F(3, 16), F(2, 3), F(1, 8),
        ch={"H4": F(3, 16), "E4": F(3, 16), "I1": F(3, 16), "I3": F(3, 16), "A1": F(3, 16)},
        pct={"I1": F(50), "I3": F(50)},
    ),
}

# ------------------------------------------------------------------ register example
# Ubon Ratchathani (34): district 3401 (subdistricts 340101 ในเมือง, 340104 หัวเรือ) and
# district 3402 (subdistrict 340201 นาคำ), where nobody is a target.


def register_rows() -> tuple[list[dict], list[dict]]:
    hh = [
        household("R1", subdistrict="340101", village=1, income=30000),  # I3
        household("R2", subdistrict="340101", village=1),  # not a target
        household("R3", subdistrict="340101", village=2),  # E2 (one child)
        household("R4", subdistrict="340104", village=1, income=20000,  # H2, L1, I3
                  food_handwash_spoon=False, housing_durable=False),
        household("R6", subdistrict="340104", village=1),  # A1
        household("R5", subdistrict="340201", village=1),  # not a target
    ]
    mm = [
        _head("R1", 45, welfare_card=True), member("R1", 2, 43, relation="spouse",
                                                    welfare_card=True),
        member("R1", 3, 10),
        _head("R2", 50, welfare_card=True), member("R2", 2, 20),
        _head("R3", 40, welfare_card=True), member("R3", 2, 38, relation="spouse",
                                                    welfare_card=True),
        member("R3", 3, 10, compulsory_schooling=False), member("R3", 4, 16),
        _head("R4", 60, welfare_card=True), member("R4", 2, 58, relation="spouse",
                                                    welfare_card=True),
        _head("R6", 70, elderly_cared=False, welfare_card=True),
        _head("R5", 33, welfare_card=True), member("R5", 2, 31, relation="spouse",
                                                    welfare_card=True),
        member("R5", 3, 9, welfare_card=True),
    ]
    return hh, mm


REGISTER_COLUMNS = ("target_households", "welfare_card_holders", "members", "dim_health",
                    "dim_living", "dim_education", "dim_income", "dim_access",
                    "target_persons")
# level -> rows in register order (most targets first, then code):
#   (code, Thai name, *counts in REGISTER_COLUMNS order), profile `default`
REGISTER_EXPECTED = {
    "province": [("34", "อุบลราชธานี", 4, 5, 10, 1, 1, 1, 2, 1, 7)],
    "district": [
        ("3401", "เมืองอุบลราชธานี", 4, 5, 10, 1, 1, 1, 2, 1, 7),
        ("3402", "ศรีเมืองใหม่", 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ],
    "subdistrict": [
        ("340101", "ในเมือง", 2, 2, 7, 0, 0, 1, 1, 0, 4),
        ("340104", "หัวเรือ", 2, 3, 3, 1, 1, 0, 1, 1, 3),
        ("340201", "นาคำ", 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ],
    "village": [
        ("34010401", "หมู่ที่ 1 ต.หัวเรือ", 2, 3, 3, 1, 1, 0, 1, 1, 3),
        ("34010101", "หมู่ที่ 1 ต.ในเมือง", 1, 2, 3, 0, 0, 0, 1, 0, 3),
        ("34010102", "หมู่ที่ 2 ต.ในเมือง", 1, 0, 4, 0, 0, 1, 0, 0, 1),
        ("34020101", "หมู่ที่ 1 ต.นาคำ", 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ],
}
# under tpmap2562 only card holders count: R1 2, R3 0, R4 2, R6 1
REGISTER_TPMAP2562_TARGET_PERSONS = {
    "province": {"34": 5},
    "district": {"3401": 5, "3402": 0},
    "subdistrict": {"340101": 2, "340104": 3, "340201": 0},
    "village": {"34010401": 3, "34010101": 2, "34010102": 0, "34020101": 0},
}
SEED_003_HEADERS = [
    "ที่",
    "อำเภอ",
    "จำนวนครัวเรือนเป้าหมาย (ครัวเรือน)",
    "จำนวนผู้ถือบัตรสวัสดิการแห่งรัฐ (คน)",
    "จำนวนสมาชิกในบ้าน (คน)",
    "จำนวน คร. ตกเกณฑ์ ยากจนด้านสุขภาพ (MPI)",
    "จำนวน คร. ตกเกณฑ์ ยากจนด้านความเป็นอยู่ (MPI)",
    "จำนวน คร. ตกเกณฑ์ ยากจนด้านการศึกษา (MPI)",
    "จำนวน คร. ตกเกณฑ์ ยากจนด้านรายได้ (MPI)",
    "จำนวน คร. ตกเกณฑ์ ยากจนด้านการเข้าถึงบริการรัฐ (MPI)",
    "จำนวนคนจนเป้าหมาย TPMAP (คน)",
]

# ------------------------------------------------------------------ comparison example
COMPARE_BEFORE, COMPARE_AFTER = 2567, 2568


def compare_rows() -> tuple[list[dict], list[dict]]:
    """Both survey years in one pair of tables (the engine computes one year at a time).

    X1 escapes income poverty; X2 keeps a child out of school; X3 newly lacks drinking
    water; X4 is only in the earlier survey (left); X5 only in the later one (joined);
    X6 never fails; X7 keeps low income, fixes its house (L1) but its grandmother is no
    longer cared for (A1), and moves from 340201 to 340101; X8's disabled member gets care.
    """
    hh, mm = [], []
    for year in (COMPARE_BEFORE, COMPARE_AFTER):
        later = year == COMPARE_AFTER
        y = {"year": year}
        hh += [
            household("X1", subdistrict="340101", income=1e6 if later else 30000, **y),
            household("X2", subdistrict="340101", **y),
            household("X3", subdistrict="340101", village=2, drinking_water_enough=not later,
                      **y),
            household("X6", subdistrict="340201", **y),
            household("X7", subdistrict="340101" if later else "340201",
                      village=1 if later else 2, income=40000, housing_secure=later, **y),
            household("X8", subdistrict="340201", **y),
        ]
        mm += [
            _head("X1", 40, **y), member("X1", 2, 10, **y),
            _head("X2", 40, **y), member("X2", 2, 10, compulsory_schooling=False, **y),
            _head("X3", 40, **y),
            _head("X6", 40, **y),
            _head("X7", 40, **y),
            member("X7", 2, 70, relation="parent", elderly_cared=not later, **y),
            _head("X8", 40, disabled=True, self_care=True, disabled_cared=later, **y),
        ]
    hh.append(household("X4", subdistrict="340201", food_fda_mark=False, year=COMPARE_BEFORE))
    mm.append(_head("X4", 40, year=COMPARE_BEFORE))
    hh.append(household("X5", subdistrict="340201", income=30000, year=COMPARE_AFTER))
    mm.append(_head("X5", 40, year=COMPARE_AFTER))
    return hh, mm


SUBJECTS = (*CODES, *DIMENSIONS, "target")


@dataclass(frozen=True)
class CompareExpect:
    default: str  # status of every subject not in `statuses`
    statuses: Mapping[str, str]
    survives: bool
    sustainable: bool
    area: str  # district counted in (the later year's, else the earlier one's)


COMPARE_EXPECTED = {
    "X1": CompareExpect("never", {"I3": "escaped", "income": "escaped", "target": "escaped"},
                        survives=True, sustainable=False, area="3401"),
    "X2": CompareExpect("never", {"E2": "still", "education": "still", "target": "still"},
                        survives=True, sustainable=True, area="3401"),
    "X3": CompareExpect("never", {"L2": "newly", "living": "newly", "target": "newly"},
                        survives=False, sustainable=False, area="3401"),
    "X4": CompareExpect("left", {}, survives=False, sustainable=False, area="3402"),
    "X5": CompareExpect("joined", {}, survives=False, sustainable=False, area="3402"),
    "X6": CompareExpect("never", {}, survives=True, sustainable=False, area="3402"),
    "X7": CompareExpect("never", {"I3": "still", "L1": "escaped", "A1": "newly",
                                  "income": "still", "living": "escaped", "access": "newly",
                                  "target": "still"},
                        survives=False, sustainable=False, area="3401"),
    "X8": CompareExpect("never", {"A2": "escaped", "access": "escaped", "target": "escaped"},
                        survives=True, sustainable=True, area="3402"),
}
# area totals: the non-zero escaped_/still_/newly_ counts and the four household counts
COMPARE_AREAS = {
    "3401": {
        "escaped_I3": 1, "still_I3": 1, "escaped_L1": 1, "newly_A1": 1, "still_E2": 1,
        "newly_L2": 1, "escaped_income": 1, "still_income": 1, "escaped_living": 1,
        "newly_living": 1, "still_education": 1, "newly_access": 1,
        "escaped_target": 1, "still_target": 2, "newly_target": 1,
        "households_before": 4, "households_after": 4, "survives": 2, "sustainable": 1,
    },
    "3402": {
        "escaped_A2": 1, "escaped_access": 1, "escaped_target": 1,
        "households_before": 3, "households_after": 3, "survives": 2, "sustainable": 1,
    },
}


# ------------------------------------------------------------------ readings (ADR 0013)
# อยู่รอด / ยั่งยืน of the comparison example under the other choice of each reading (the
# defaults are COMPARE_EXPECTED). X3 newly fails living only and X7 still fails income and
# newly fails access: each passes 3 of 5. X1 was income-poor before and passes now.
COMPARE_READINGS = {
    ("survives", "any_3_of_5"): {
        "survives": {"X1", "X2", "X3", "X6", "X7", "X8"},
    },
    ("sustainable", "later_year"): {
        "sustainable": {"X1", "X2", "X8"},
    },
}
# fmt: on


@dataclass(frozen=True)
class ReadingCase:
    """One household whose result depends on `reading`: `expect[choice]` gives exact
    household values under each choice (the other readings at their defaults)."""

    reading: str
    hh_id: str
    why: str
    household: dict
    members: tuple[dict, ...]
    expect: Mapping[str, Mapping[str, object]]


def _reading(reading, hh_id, why, members, expect, **hh_answers) -> ReadingCase:
    return ReadingCase(reading, hh_id, why, household(hh_id, **hh_answers), tuple(members), expect)


# Survey year 2568 is Gregorian 2025: the factories' default year.
_NB = dict(relation="grandchild", birth_weight_g=2000)
# fmt: off
READING_CASES: tuple[ReadingCase, ...] = (
    # critical (seed 004 ผนวก ก ข้อ 4)
    _reading("critical", "r_crit_health_edu_access",
             "fails health (H2), education (E4) and access (A1): 3 of 5, but not income "
             "or living",
             [_head("r_crit_health_edu_access", literacy=False),
              member("r_crit_health_edu_access", 2, 70, relation="parent",
                     elderly_cared=False)],
             {"any_3_of_5": {"n_dims": 3, "is_critical": True},
              "income_living_health": {"n_dims": 3, "is_critical": False}},
             food_fda_mark=False),
    _reading("critical", "r_crit_income_living_health",
             "fails income (I3), living (L2) and health (H3)",
             [_head("r_crit_income_living_health")],
             {"any_3_of_5": {"n_dims": 3, "is_critical": True},
              "income_living_health": {"n_dims": 3, "is_critical": True}},
             income=20000, drinking_water_enough=False, med_no_drug_sets=False),
    _reading("critical", "r_crit_income_living",
             "fails income and living only", [_head("r_crit_income_living")],
             {"any_3_of_5": {"n_dims": 2, "is_critical": False},
              "income_living_health": {"n_dims": 2, "is_critical": False}},
             income=20000, housing_durable=False),
    # disabled_care (seed 004 ภาคผนวก ง ข้อ 17)
    _reading("disabled_care", "r_a2_self_caring",
             "a disabled member who can care for themselves, not cared for",
             [_head("r_a2_self_caring"),
              member("r_a2_self_caring", 2, 30, relation="sibling", disabled=True,
                     self_care=True, disabled_cared=False)],
             {"any_disabled": {"d_A2": True, "dim_access": True},
              "cannot_self_care": {"d_A2": False, "dim_access": False}}),
    _reading("disabled_care", "r_a2_dependent",
             "a disabled member who cannot care for themselves, not cared for",
             [_head("r_a2_dependent"),
              member("r_a2_dependent", 2, 30, relation="sibling", disabled=True,
                     self_care=False, disabled_cared=False, has_occupation=False,
                     income_year=0.0)],
             {"any_disabled": {"d_A2": True, "d_I1": False},
              "cannot_self_care": {"d_A2": True, "d_I1": False}}),
    # occupation_income (seed 004 ภาคผนวก ง ข้อ 13)
    _reading("occupation_income", "r_i1_allowance_only",
             "aged 50 with an occupation, but 12,000 a year only from allowances",
             [_head("r_i1_allowance_only"),
              member("r_i1_allowance_only", 2, 50, relation="sibling", has_occupation=True,
                     income_year=12000.0, income_work_year=0.0)],
             {"any_income": {"d_I1": False, "dim_income": False},
              "work_income": {"d_I1": True, "dim_income": True}}),
    _reading("occupation_income", "r_i1_work",
             "aged 50, 60,000 a year from the work itself",
             [_head("r_i1_work"),
              member("r_i1_work", 2, 50, relation="sibling", has_occupation=True,
                     income_year=60000.0, income_work_year=60000.0)],
             {"any_income": {"d_I1": False}, "work_income": {"d_I1": False}}),
    _reading("occupation_income", "r_i1_work_not_asked",
             "the survey did not split off work income: income of all sources decides",
             [_head("r_i1_work_not_asked"),
              member("r_i1_work_not_asked", 2, 50, relation="sibling", has_occupation=True,
                     income_year=60000.0, income_work_year=None)],
             {"any_income": {"d_I1": False}, "work_income": {"d_I1": False}}),
    _reading("occupation_income", "r_i1_nothing",
             "an occupation and no income at all, work income not asked",
             [_head("r_i1_nothing"),
              member("r_i1_nothing", 2, 50, relation="sibling", has_occupation=True,
                     income_year=0.0, income_work_year=None)],
             {"any_income": {"d_I1": True}, "work_income": {"d_I1": True}}),
    # newborn_window (seed 004 ภาคผนวก ง แบบ ศจพ.2 ข้อ 1)
    _reading("newborn_window", "r_h1_born_last_year",
             "born in June 2024, within 12 months of the 2568 survey, 2,000 g",
             [_head("r_h1_born_last_year"),
              member("r_h1_born_last_year", 2, 0, newborn=True,
                     birth_date=date(2024, 6, 1), **_NB)],
             {"twelve_months": {"d_H1": True}, "survey_year": {"d_H1": False}}),
    _reading("newborn_window", "r_h1_born_this_year",
             "born in February 2025 (พ.ศ. 2568), not answered as a newborn, 2,000 g",
             [_head("r_h1_born_this_year"),
              member("r_h1_born_this_year", 2, 0, newborn=False,
                     birth_date=date(2025, 2, 1), **_NB)],
             {"twelve_months": {"d_H1": False}, "survey_year": {"d_H1": True}}),
    _reading("newborn_window", "r_h1_no_birth_date",
             "a newborn of 2,000 g without a birth date: the newborn answer decides",
             [_head("r_h1_no_birth_date"),
              member("r_h1_no_birth_date", 2, 0, newborn=True, **_NB)],
             {"twelve_months": {"d_H1": True}, "survey_year": {"d_H1": True}}),
)
# fmt: on
