"""Catalogue rules turned into Ibis expressions: person flags, household flags, targets.

Everything here is written once as Ibis expressions so the same code runs on DuckDB (one
machine) and PySpark (a cluster). No Python loop ever touches a row; loops below run over
the catalogue's 17 indicators to build column expressions.

Conventions of the outputs (see `outputs.py` for the full schemas):
- `p_<code>`: this member fails person-level indicator <code>.
- `d_<code>`: the household is deprived in indicator <code> (any applicable member fails;
  household-level indicators are evaluated on the household row).
- `dim_<dimension>`: the household fails the dimension (deprived in any of its indicators).

An unanswered question never makes anyone poor: nulls read as "passes". The validator
refuses rows that leave a required answer empty, so this matters only for hand-made input.
"""

from __future__ import annotations

from collections.abc import Mapping

import ibis
import ibis.expr.types as ir

from cheepao.engine import money, rules, tags
from cheepao.engine.catalogue import Catalogue, DimensionRule
from cheepao.engine.tags import life_stage_flags


@ibis.udf.agg.builtin
def bit_or(x: int) -> int:
    """Bitwise OR of a group's values: DuckDB's and Spark SQL's `bit_or` (Ibis compiles
    its own BitOr for DuckDB only)."""


def area_columns(t: ir.Table) -> dict[str, ir.Value]:
    """Codes of every area level, derived from the subdistrict code and village number."""
    return {
        "province_code": t.subdistrict_code[:2],
        "district_code": t.subdistrict_code[:4],
        "village_code": t.subdistrict_code.concat(t.village_no.cast("string").lpad(2, "0")),
    }


def derived_person(m: ir.Table) -> dict[str, ir.Value]:
    has_income = m.income_year > 0  # unanswered stays unknown, never "no income"
    # income from the member's own work (reading occupation_income); a survey that does not
    # split it off leaves only the income of all sources to go by
    work = m.income_work_year > 0 if "income_work_year" in m.columns else None
    newborn = m.newborn.fill_null(False)
    if "birth_date" in m.columns:
        # reading newborn_window: born in the survey's year (Buddhist Era − 543)
        in_year = m.birth_date.year() == (m.survey_year - 543)
        born_in_year = ibis.ifelse(m.birth_date.notnull(), in_year, newborn)
    else:
        born_in_year = newborn
    return {
        "has_income": has_income,
        "has_work_income": has_income if work is None else ibis.coalesce(work, has_income),
        "full_time_student": m.student_status.fill_null("") == "full_time",
        "dependent_disabled": m.disabled.fill_null(False) & ~m.self_care.fill_null(True),
        "born_in_survey_year": born_in_year,
    }


def dimension_rule(
    failing: Mapping[str, ir.BooleanValue], rule: DimensionRule, counted: str
) -> ir.BooleanValue:
    """A catalogue rule over a household's dimensions. `failing` maps every dimension to
    its "fails" flag; the rule counts the dimensions failed (`counted="failed"`: who is
    critical) or passed (`"passed"`: who survives)."""
    flags = {
        d: (f.fill_null(False) if counted == "failed" else ~f.fill_null(False))
        for d, f in failing.items()
    }
    if rule.kind == "at_least":
        return sum(f.cast("int64") for f in flags.values()) >= rule.n
    out = ibis.literal(True)
    for d in rule.dimensions:
        out = out & flags[d]
    return out


INCOME_SOURCES = ("income_main", "income_secondary", "income_other", "income_own_production")
AVERAGES = rules.AVERAGES


def person_flags(members: ir.Table, cat: Catalogue, thresholds: Mapping[str, float]) -> ir.Table:
    """Members with derived flags and p_<code> for each person-level indicator."""
    m = members.mutate(**derived_person(members))
    flags = {
        f"p_{ind.code}": (
            rules.applies(m, ind.applies) & ~rules.passes(m, ind.passes, thresholds)
        ).fill_null(False)
        for ind in cat.indicators
        if ind.unit == "person"
    }
    return m.mutate(**flags)


def person_table(members: ir.Table, cat: Catalogue, thresholds: Mapping[str, float]) -> ir.Table:
    """Members with derived flags, p_<code>, life stages and vulnerable groups."""
    persons = person_flags(members, cat, thresholds)
    return persons.mutate(
        **tags.life_stage_columns(persons, cat), **tags.vulnerable_columns(persons)
    )


def household_flags(
    households: ir.Table,
    persons: ir.Table,
    cat: Catalogue,
    thresholds: Mapping[str, float],
) -> ir.Table:
    """One row per household: member counts, d_<code>, dim_<d>, n_dims, target, critical."""
    person_inds = [i for i in cat.indicators if i.unit == "person"]
    # Every "does any member ...?" question (the person indicators, the family facts) is
    # one bit of a per-member integer, OR-ed per household by one aggregate: the grouping
    # of tens of millions of members costs per aggregate, and this one replaces sixteen.
    anys = {
        **{f"d_{i.code}": persons[f"p_{i.code}"] for i in person_inds},
        **tags.family_conditions(persons),
    }
    if "data_problems" in persons.columns:  # a member kept with an ID to correct
        anys["needs_correction"] = persons.data_problems.notnull()
    bits = sum(flag.cast("int64") * (1 << n) for n, flag in enumerate(anys.values()))
    agg = persons.group_by("hh_id").aggregate(
        n_members=persons.count(),
        # count(where=) keeps these int64 on every backend (DuckDB's SUM(BIGINT) is HUGEINT)
        n_welfare_card=persons.count(where=persons.welfare_card.fill_null(False)),
        # members per life stage, so that any life-stage measure can be taken from the
        # household table alone (members share their household's flags and score)
        **{
            f"n_ls_{code}": persons.count(where=flag)
            for code, flag in life_stage_flags(persons, cat).items()
        },
        _any=bit_or(bits),
        **tags.family_sums(persons),
    )
    agg = agg.mutate(**{name: (agg._any & (1 << n)) != 0 for n, name in enumerate(anys)}).drop(
        "_any"
    )
    # baht with satang, summed exactly as decimals (ADR 0015)
    income_total = sum(
        (money.column(households[c]).fill_null(0) for c in INCOME_SOURCES[1:]),
        money.column(households[INCOME_SOURCES[0]]).fill_null(0),
    )
    h = households.mutate(income_total=income_total, **area_columns(households))
    h = h.inner_join(agg, "hh_id")
    h = h.mutate(**tags.family_flags(h)).drop(*[c for c in h.columns if c.startswith("_ft_")])
    h = h.mutate(income_per_person=money.per_person_expr(h.income_total, h.n_members))
    h = h.mutate(
        **{
            f"d_{i.code}": ~rules.passes(h, i.passes, thresholds)
            for i in cat.indicators
            if i.unit == "household"
        }
    )
    dims = {}
    for d in cat.dimensions:
        expr = ibis.literal(False)
        for i in cat.indicators_of(d.code):
            expr = expr | h[f"d_{i.code}"]
        dims[f"dim_{d.code}"] = expr
    h = h.mutate(**dims)
    n_dims = sum(h[f"dim_{d.code}"].cast("int64") for d in cat.dimensions)
    h = h.mutate(n_dims=n_dims)
    return h.mutate(
        is_target=h.n_dims >= cat.target_min_dimensions,
        is_critical=dimension_rule(
            {d.code: h[f"dim_{d.code}"] for d in cat.dimensions}, cat.critical, "failed"
        ),
    )


def household_level_any(h: ir.Table, cat: Catalogue, dimension: str | None = None):
    """The household is deprived in some household-level indicator (of `dimension`)."""
    out = ibis.literal(False)
    for i in cat.indicators:
        if i.unit == "household" and (dimension is None or i.dimension == dimension):
            out = out | h[f"d_{i.code}"]
    return out


def target_persons(
    persons: ir.Table, households: ir.Table, cat: Catalogue, profile: str
) -> ir.Table:
    """Persons joined to their household's result, with personal dimension flags.

    A person is deprived personally (a person-level indicator they fail) or through a
    household-level indicator of their household; a target person is a deprived member of a
    target household who also meets the profile's requirements (`tpmap2562`: welfare card).
    """
    prof = cat.profile(profile)
    hh_cols = [
        "hh_id",
        "province_code",
        "district_code",
        "subdistrict_code",
        "village_no",
        "village_code",
        "n_members",
        "n_dims",
        "is_target",
        "is_critical",
        *[f"d_{i.code}" for i in cat.indicators if i.unit == "household"],
        *[f"dim_{d.code}" for d in cat.dimensions],
    ]
    hh_any = household_level_any(households, cat)
    per_dim_hh = {d.code: household_level_any(households, cat, d.code) for d in cat.dimensions}
    hsel = households.select(
        *hh_cols,
        hh_level_any=hh_any,
        **{f"hh_level_{d}": e for d, e in per_dim_hh.items()},
    )
    j = persons.inner_join(hsel, "hh_id")
    pdims = {}
    for d in cat.dimensions:
        expr = j[f"hh_level_{d.code}"]
        for i in cat.indicators_of(d.code):
            if i.unit == "person":
                expr = expr | j[f"p_{i.code}"]
        pdims[f"pdim_{d.code}"] = expr
    j = j.mutate(**pdims)
    deprived = ibis.literal(False)
    for d in cat.dimensions:
        deprived = deprived | j[f"pdim_{d.code}"]
    j = j.mutate(is_deprived=deprived)
    requires = ibis.literal(True)
    for flag in prof.requires:
        requires = requires & j[flag].fill_null(False)
    j = j.mutate(is_target_person=j.is_target & j.is_deprived & requires)
    return j.drop("hh_level_any", *[f"hh_level_{d.code}" for d in cat.dimensions])
