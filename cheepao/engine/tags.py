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


def family_conditions(m: ir.Table) -> dict[str, ir.BooleanValue]:
    """Member-level facts the family types ask "does any member ...?" about (never null)."""
    rel = m.relation
    is_child = rel.isin(["child", "stepchild"])
    conds = {
        "_ft_spouse": rel == "spouse",
        "_ft_minor_child": is_child & (m.age < 18),
        "_ft_child_gen": rel.isin(["child", "stepchild", "child_in_law"]),
        "_ft_grandchild": rel == "grandchild",
        "_ft_stepchild": rel == "stepchild",
        # "all members are 60 or older" is "no member is not": an unknown age is not elderly
        "_ft_not_elderly": ~(m.age >= 60).fill_null(False),
    }
    return {k: v.fill_null(False) for k, v in conds.items()}


def family_sums(m: ir.Table) -> dict[str, ir.Value]:
    """Per-household values besides the "any member" facts (part of the one member scan)."""
    rel = m.relation
    return {
        "_ft_head_age": ibis.ifelse(rel == "head", m.age, ibis.null("int64")).max(),
        "_ft_spouse_age": ibis.ifelse(rel == "spouse", m.age, ibis.null("int64")).max(),
        "_ft_head_sex": ibis.ifelse(rel == "head", m.sex, ibis.null("string")).max(),
        "_ft_spouse_sex": ibis.ifelse(rel == "spouse", m.sex, ibis.null("string")).max(),
    }


def family_flags(a: ir.Table, n_members: str = "n_members") -> dict[str, ir.BooleanValue]:
    """ft_<type> flags (ผนวก ก ข้อ 9) from the household's `family_conditions` (any member)
    and `family_sums`."""
    rules = {
        # a father or mother raising children alone
        "ft_single_parent": ~a._ft_spouse & a._ft_minor_child,
        # grandparents and grandchildren, the parents' generation absent
        "ft_skipped_generation": a._ft_grandchild & ~a._ft_child_gen,
        # two or more members, all 60 or older
        "ft_elderly_only": (a[n_members] >= 2) & ~a._ft_not_elderly,
        "ft_same_sex_couple": a._ft_spouse & (a._ft_head_sex == a._ft_spouse_sex),
        # one partner brought children from an earlier union
        "ft_blended": a._ft_stepchild,
        # a couple both under 20
        "ft_teen": a._ft_spouse & (a._ft_head_age < 20) & (a._ft_spouse_age < 20),
    }
    return {k: v.fill_null(False) for k, v in rules.items()}


def family_types(members: ir.Table) -> ir.Table:
    """One row per household with ft_<type> flags."""
    agg = members.group_by("hh_id").aggregate(
        _n=members.count(),
        **{k: v.any() for k, v in family_conditions(members).items()},
        **family_sums(members),
    )
    return agg.select("hh_id", **family_flags(agg, "_n"))


FAMILY_TYPES = (
    "ft_single_parent",
    "ft_skipped_generation",
    "ft_elderly_only",
    "ft_same_sex_couple",
    "ft_blended",
    "ft_teen",
)
