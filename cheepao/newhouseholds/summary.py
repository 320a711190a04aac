"""Part 3 of form ศจพ.2, "summary of the household's problems", for the preview and the
saved household alike: failing dimensions, each failing indicator with the manual's reason
and, for person indicators, the members it fails for."""

from __future__ import annotations

from typing import Any

from cheepao.newhouseholds.forms import pick


def summary(cat: Any, failing: list[str], persons: list[tuple[str, list[str]]]) -> list[dict]:
    """`persons`: (name, failing person-indicator codes) per member, in member order."""
    out = []
    for d in cat.dimensions:
        inds = []
        for ind in cat.indicators_of(d.code):
            if ind.code not in failing:
                continue
            who = [name for name, codes in persons if ind.code in codes]
            why = pick(ind.why_th, "")  # the manual states reasons in Thai only
            inds.append({"code": ind.code, "text": pick(ind.th, ind.en), "why": why, "who": who})
        if inds:
            out.append({"code": d.code, "name": pick(d.th, d.en), "indicators": inds})
    return out


def from_assessment(cat: Any, result: Any) -> list[dict]:
    persons = [
        (
            f"{p.get('title') or ''}{p.get('first_name') or ''} {p.get('last_name') or ''}".strip(),
            [i.code for i in cat.indicators if i.unit == "person" and p.get(f"p_{i.code}")],
        )
        for p in result.persons
    ]
    return summary(cat, result.failing, persons)


def from_household(household: Any) -> list[dict]:
    cat = household.registry.catalogue
    failing = [p.indicator for p in household.problems.all() if p.status == "open"]
    persons = [(m.full_name, list(m.failing or [])) for m in household.members.all()]
    return summary(cat, failing, persons)


def dimension_names(cat: Any, codes: list[str]) -> list[str]:
    return [pick(d.th, d.en) for d in cat.dimensions if d.code in codes]


def as_context(
    cat: Any, failing: list[str], dims: list[str], n_dims: int, critical: bool, items: list[dict]
) -> dict[str, Any]:
    return {
        "dimensions": [
            {"name": pick(d.th, d.en), "failing": d.code in dims} for d in cat.dimensions
        ],
        "n_dims": n_dims,
        "critical": critical,
        "items": items,
        "n_failing": len(failing),
    }
