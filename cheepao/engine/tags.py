"""Life-stage, family-type and vulnerable-group tags (SPEC §4, seed 004 ผนวก ก).

Tags are plain boolean columns so any of them can be a filter in the registry or a group in
the Alkire-Foster decomposition. Life stages come from the catalogue (the manual's bands
overlap, so a 15-year-old is both adolescent and working age). Family types and vulnerable
groups follow the manual's definitions; each is one named expression in the tables below.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from cheepao.engine.catalogue import Catalogue


def life_stage_flags(m: ir.Table, cat: Catalogue) -> dict[str, ir.BooleanValue]:
    """Life stage code -> is this member in it (bands overlap)."""
    out = {}
    for s in cat.life_stages:
        expr = m.age >= s.age_min
        if s.age_max is not None:
            expr = expr & (m.age <= s.age_max)
        out[s.code] = expr
    return out


def life_stage_columns(m: ir.Table, cat: Catalogue) -> dict[str, ir.BooleanValue]:
    return {f"ls_{code}": flag for code, flag in life_stage_flags(m, cat).items()}


# Vulnerable groups (ผนวก ก ข้อ 1). The third group, people not free to decide (prisoners),
# is not collected by the household survey; it arrives with imported lists.
VULNERABLE = {
    "vg_high_risk": lambda m: m.pregnant.fill_null(False) | (m.age >= 60),
    "vg_disabled_ill": lambda m: m.disabled.fill_null(False) | m.chronic_illness.fill_null(False),
}


def vulnerable_columns(m: ir.Table) -> dict[str, ir.BooleanValue]:
    return {name: fn(m) for name, fn in VULNERABLE.items()}


def _count(cond: ir.BooleanValue) -> ir.IntegerValue:
    return cond.fill_null(False).cast("int64").sum()


def family_types(members: ir.Table) -> ir.Table:
    """One row per household with ft_<type> flags (ผนวก ก ข้อ 9)."""
    m = members
    rel = m.relation
    is_child = rel.isin(["child", "stepchild"])
    head_age = ibis.ifelse(rel == "head", m.age, ibis.null("int64"))
    spouse_age = ibis.ifelse(rel == "spouse", m.age, ibis.null("int64"))
    head_sex = ibis.ifelse(rel == "head", m.sex, ibis.null("string"))
    spouse_sex = ibis.ifelse(rel == "spouse", m.sex, ibis.null("string"))
    agg = m.group_by("hh_id").aggregate(
        _n=m.count(),
        _n_elderly=_count(m.age >= 60),
        _n_spouse=_count(rel == "spouse"),
        _n_minor_child=_count(is_child & (m.age < 18)),
        _n_child_gen=_count(rel.isin(["child", "stepchild", "child_in_law"])),
        _n_grandchild=_count(rel == "grandchild"),
        _n_stepchild=_count(rel == "stepchild"),
        _head_age=head_age.max(),
        _spouse_age=spouse_age.max(),
        _head_sex=head_sex.max(),
        _spouse_sex=spouse_sex.max(),
    )
    a = agg
    rules = {
        # a father or mother raising children alone
        "ft_single_parent": (a._n_spouse == 0) & (a._n_minor_child > 0),
        # grandparents and grandchildren, the parents' generation absent
        "ft_skipped_generation": (a._n_grandchild > 0) & (a._n_child_gen == 0),
        # two or more members, all 60 or older
        "ft_elderly_only": (a._n >= 2) & (a._n_elderly == a._n),
        "ft_same_sex_couple": (a._n_spouse > 0) & (a._head_sex == a._spouse_sex),
        # one partner brought children from an earlier union
        "ft_blended": a._n_stepchild > 0,
        # a couple both under 20
        "ft_teen": (a._n_spouse > 0) & (a._head_age < 20) & (a._spouse_age < 20),
    }
    return a.select("hh_id", **{k: v.fill_null(False) for k, v in rules.items()})


FAMILY_TYPES = (
    "ft_single_parent",
    "ft_skipped_generation",
    "ft_elderly_only",
    "ft_same_sex_couple",
    "ft_blended",
    "ft_teen",
)
