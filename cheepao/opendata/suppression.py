"""Suppression of small counts in the open data (ADR 0035). Pure Python, no Django.

The cells of one figure form a tree of sums: the country is the sum of its provinces, a
province of its districts, a district of its subdistricts (villages are never published).
Each parent with its children is one *group*, and each group is one equation a reader can
write down: parent = Σ children.

1. Primary suppression: a count n with 0 < n < threshold is hidden.
2. Complementary suppression: a group with exactly one hidden cell would give it away by
   differencing, so another cell of the group is hidden too: the smallest other child
   (positive counts first, then by value, then by code), or the parent when there is no
   other child. A cell hidden for one group also sits in a second group (as the parent of
   its own children, or as a child of its parent), so the rule runs again over every group
   of every level until nothing changes (a fixed point; the order is fixed, so the result
   is the same every time).

Why that is enough: take the hidden cells of one figure as the edges of a graph whose
vertices are the groups plus one "ground" vertex (a cell in one group only, a subdistrict
or the country, is an edge to ground). The equations of the groups are the rows of this
graph's incidence matrix, so a hidden cell can be worked out exactly when its edge is a
bridge. The groups form a tree and every group holds 0 or at least 2 hidden cells, so from
either end of any edge a walk that never turns back reaches ground without that edge: no
edge is a bridge, and no hidden cell is determined by the published totals. The attack
test (tests/test_attack.py) checks this with a rank test on the published files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# An area's parent code: the country ('') for a province, the prefix one level up else.
PUBLISHED_LENGTHS = (0, 2, 4, 6)


def parent_of(code: str) -> str | None:
    if code == "":
        return None
    return code[:-2] if len(code) > 2 else ""


def groups_of(codes: Iterable[str]) -> dict[str, list[str]]:
    """Each published parent with its published children (sorted), for the parents that
    have any."""
    present = set(codes)
    groups: dict[str, list[str]] = {}
    for code in sorted(present):
        parent = parent_of(code)
        if parent is not None and parent in present:
            groups.setdefault(parent, []).append(code)
    return groups


def primary(values: Mapping[str, int], threshold: int) -> set[str]:
    """The cells whose count is small: 0 < n < threshold."""
    return {code for code, n in values.items() if 0 < n < threshold}


def complete(
    values: Mapping[str, int], hidden: set[str], groups: Mapping[str, list[str]]
) -> set[str]:
    """`hidden` grown to the fixed point where no group holds exactly one hidden cell."""
    hidden = set(hidden)
    changed = True
    while changed:
        changed = False
        for parent in sorted(groups):
            children = groups[parent]
            members = [parent, *children]
            inside = [c for c in members if c in hidden]
            if len(inside) != 1:
                continue
            others = [c for c in children if c not in hidden]
            # The smallest other child (positive counts first), else the parent.
            hidden.add(min(others, key=lambda c: (values[c] == 0, values[c], c), default=parent))
            changed = True
    return hidden


def suppress(values: Mapping[str, int], threshold: int, *, complementary: bool = True) -> set[str]:
    """The codes whose value of one figure is hidden (`values`: code → count)."""
    hidden = primary(values, threshold)
    if not complementary or not hidden:
        return hidden
    return complete(values, hidden, groups_of(values))


def suppress_all(
    table: Mapping[str, Mapping[str, int]],
    figures: Iterable[str],
    threshold: int,
    *,
    complementary: bool = True,
) -> dict[str, set[str]]:
    """Per figure, the codes hidden (`table`: code → figure → count)."""
    return {
        f: suppress({c: row[f] for c, row in table.items()}, threshold, complementary=complementary)
        for f in figures
    }
