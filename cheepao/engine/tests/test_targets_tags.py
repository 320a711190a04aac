"""Dimensions, target households and persons per profile, critical targets, and the tags.

Target person (SPEC §4): a member of a target household who is deprived personally (a
person-level indicator) or through a household-level indicator of the household. Profile
`tpmap2562` also requires the state welfare card.
"""

from __future__ import annotations

import pytest

from cheepao.engine.tests import golden
from cheepao.engine.tests.factories import household, member

engine_con = golden.engine_con

TARGETS = {c.hh_id: c for c in golden.TARGET_CASES}
FAMILIES = {c.hh_id: c for c in golden.FAMILY_CASES}


def _target_rows():
    return [c.household for c in golden.TARGET_CASES], [
        m for c in golden.TARGET_CASES for m in c.members
    ]


@pytest.fixture(scope="module")
def by_profile(engine_con):
    hh, mm = _target_rows()
    out = {}
    for profile in ("default", "tpmap2562"):
        r = golden.compute(hh, mm, engine_con, profile=profile)
        out[profile] = (
            r.households.to_pandas().set_index("hh_id"),
            r.persons.to_pandas().set_index(["hh_id", "member_no"]).sort_index(),
        )
    return out


@pytest.fixture(scope="module")
def tagged(engine_con):
    r = golden.compute(*golden.tag_rows(), engine_con)
    return (
        r.households.to_pandas().set_index("hh_id"),
        r.persons.to_pandas().set_index(["hh_id", "member_no"]).sort_index(),
    )


# ------------------------------------------------------------------ targets


@pytest.mark.parametrize("hh_id", list(TARGETS))
def test_dimensions_target_and_critical(by_profile, hh_id):
    households, _ = by_profile["default"]
    c = TARGETS[hh_id]
    row = households.loc[hh_id]
    assert {d for d in golden.DIMENSIONS if row[f"dim_{d}"]} == set(c.dims), c.why
    assert row["n_dims"] == c.n_dims
    assert bool(row["is_target"]) is c.is_target
    assert bool(row["is_critical"]) is c.is_critical


@pytest.mark.parametrize("hh_id", list(TARGETS))
def test_personal_dimensions(by_profile, hh_id):
    _, persons = by_profile["default"]
    c = TARGETS[hh_id]
    for no, row in persons.loc[hh_id].iterrows():
        expected = set(c.pdims.get(no, frozenset()))
        assert {d for d in golden.DIMENSIONS if row[f"pdim_{d}"]} == expected, f"member {no}"
        assert bool(row["is_deprived"]) is bool(expected), f"member {no}"


@pytest.mark.parametrize("profile", ["default", "tpmap2562"])
@pytest.mark.parametrize("hh_id", list(TARGETS))
def test_target_persons(by_profile, profile, hh_id):
    _, persons = by_profile[profile]
    c = TARGETS[hh_id]
    members = persons.loc[hh_id]
    got = {no for no, row in members.iterrows() if row["is_target_person"]}
    assert got == set(c.targets[profile]), c.why


def test_profile_changes_persons_not_households(by_profile):
    cols = ["n_dims", "is_target", "is_critical", *[f"dim_{d}" for d in golden.DIMENSIONS]]
    a, _ = by_profile["default"]
    b, _ = by_profile["tpmap2562"]
    assert a[cols].sort_index().equals(b[cols].sort_index())


def test_parents_of_an_out_of_school_child_are_not_target_persons(by_profile):
    _, persons = by_profile["default"]
    m = persons.loc["t_e2_child"]
    assert m["is_target_person"].tolist() == [False, False, True]
    assert m["is_target"].tolist() == [True, True, True]  # the household is a target


def test_low_income_makes_every_member_a_target_person(by_profile):
    _, persons = by_profile["default"]
    assert persons.loc["t_i3"]["is_target_person"].tolist() == [True, True, True]
    _, persons = by_profile["tpmap2562"]
    assert persons.loc["t_i3"]["is_target_person"].tolist() == [True, False, False]


def test_target_household_counts(by_profile):
    households, persons = by_profile["default"]
    assert int(households["is_target"].sum()) == 6
    assert int(households["is_critical"].sum()) == 2
    assert int(persons["is_target_person"].sum()) == 1 + 3 + 2 + 2 + 2 + 2
    _, persons = by_profile["tpmap2562"]
    assert int(persons["is_target_person"].sum()) == 0 + 1 + 1 + 2 + 1 + 1


# ------------------------------------------------------------------ life stages


@pytest.mark.parametrize("age", list(golden.LIFE_STAGE_AGES))
def test_life_stages(tagged, age):
    _, persons = tagged
    no = list(golden.LIFE_STAGE_AGES).index(age) + 1
    row = persons.loc[("ls", no)]
    assert row["age"] == age
    got = {s for s in golden.LIFE_STAGES if row[f"ls_{s}"]}
    assert got == golden.LIFE_STAGE_AGES[age]


def test_life_stage_bands_overlap_as_in_the_manual():
    assert golden.LIFE_STAGE_AGES[5] == {"early_childhood", "school_age"}
    assert golden.LIFE_STAGE_AGES[15] == {"adolescent", "working_age"}
    assert golden.LIFE_STAGE_AGES[21] == {"adolescent", "working_age"}
    assert golden.LIFE_STAGE_AGES[22] == {"working_age"}


# ------------------------------------------------------------------ vulnerable groups


@pytest.mark.parametrize("no", [p[0] for p in golden.VULNERABLE_PEOPLE])
def test_vulnerable_groups(tagged, no):
    _, persons = tagged
    _, age, attrs, expected = golden.VULNERABLE_PEOPLE[no - 1]
    row = persons.loc[("vg", no)]
    got = {g for g in ("high_risk", "disabled_ill") if row[f"vg_{g}"]}
    assert got == expected, (age, attrs)


# ------------------------------------------------------------------ family types


@pytest.mark.parametrize("hh_id", list(FAMILIES))
def test_family_types(tagged, hh_id):
    households, _ = tagged
    c = FAMILIES[hh_id]
    row = households.loc[hh_id]
    got = {t for t in golden.FAMILY_TYPES if row[f"ft_{t}"]}
    assert got == set(c.types), c.why


def test_every_family_type_has_a_positive_and_a_negative_case():
    for t in golden.FAMILY_TYPES:
        assert any(t in c.types for c in golden.FAMILY_CASES), t
    assert sum(1 for c in golden.FAMILY_CASES if not c.types) >= len(golden.FAMILY_TYPES)


def test_household_without_members_of_a_type_gets_false_not_null(engine_con):
    # one adult alone: every family-type flag is a plain False (the join fills nulls)
    r = golden.compute([household("solo")], [member("solo", 1, 45)], engine_con)
    row = r.households.to_pandas().iloc[0]
    assert [row[f"ft_{t}"] for t in golden.FAMILY_TYPES] == [False] * 6
