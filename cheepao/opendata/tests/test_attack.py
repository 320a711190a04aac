"""The suppression attack (issue 13 item 5): an attacker downloads every published file of
a month (every level, CSV and JSON), writes down each sum the files imply (a parent is the
sum of its children, for each figure) and tries to recover each hidden count, (a) by
differencing, and (b) by linear algebra: a hidden cell is determined exactly when its unit
vector lies in the row space of the known system (rank test, no bounds assumed). With
complementary suppression nothing is recovered; without it the same attack recovers cells,
which shows that the attack bites."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from cheepao.opendata import files, selectors
from cheepao.opendata.tests.conftest import MONTH, make_rows, realistic_villages

MONTH_CODE = "2569-11"


def download_everything(client) -> dict[str, dict[str, dict]]:
    """Every published file of the month, merged: code → {field: value}; a field is None
    where any file hides it. The CSVs must agree with the JSON files where both publish."""
    cells: dict[str, dict] = {}
    for data in [json.loads(client.get(f"/open-data/{MONTH_CODE}/all.json").content)] + [
        json.loads(client.get(f"/open-data/{MONTH_CODE}/{lv}.json").content)
        for lv in selectors.PAGE_LEVELS
    ]:
        for area in data["areas"]:
            cells.setdefault(area["code"], {}).update(area)
    for level in selectors.PAGE_LEVELS:
        text = client.get(f"/open-data/{MONTH_CODE}/{level}.csv").content.decode("utf-8-sig")
        lines = [line for line in text.splitlines() if not line.startswith("#")]
        for row in csv.DictReader(io.StringIO("\n".join(lines))):
            known = cells[row["code"]]
            for f in selectors.FIGURES:
                value = None if row[f] == files.MARK else int(row[f])
                assert value == known[f], (row["code"], f)
    return cells


def systems(cells: dict[str, dict], figure: str):
    """The attacker's equations for one figure: unknowns (the hidden codes), and for each
    published parent with published children, the row of Σ children − parent over the
    unknowns with its known right-hand side."""
    unknown = sorted(c for c, a in cells.items() if a[figure] is None)
    index = {c: i for i, c in enumerate(unknown)}
    rows, rhs = [], []
    for parent in cells:
        children = [c for c, a in cells.items() if a["parent"] == parent]
        if not children:
            continue
        row, constant = np.zeros(len(unknown)), 0
        for code, sign in [(parent, 1)] + [(c, -1) for c in children]:
            if code in index:
                row[index[code]] += sign
            else:
                constant -= sign * cells[code][figure]
        rows.append(row)
        rhs.append(constant)  # row · x = constant
    return unknown, np.array(rows).reshape(len(rows), len(unknown)), np.array(rhs)


def differencing(unknown, matrix, rhs) -> dict[str, float]:
    """Solve any equation with one unknown left, substitute, repeat."""
    found: dict[int, float] = {}
    progress = True
    while progress:
        progress = False
        for row, constant in zip(matrix, rhs, strict=True):
            left = [j for j in np.flatnonzero(row) if j not in found]
            if len(left) == 1:
                j = left[0]
                found[j] = (constant - sum(row[k] * v for k, v in found.items())) / row[j]
                progress = True
    return {unknown[j]: v for j, v in found.items()}


def determined(unknown, matrix) -> list[str]:
    """The unknowns whose unit vector lies in the row space of the system."""
    if not len(unknown):
        return []
    rank = np.linalg.matrix_rank(matrix) if len(matrix) else 0
    out = []
    for j, code in enumerate(unknown):
        unit = np.zeros((1, len(unknown)))
        unit[0, j] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit]) if len(matrix) else unit) == rank:
            out.append(code)
    return out


def attack(cells) -> dict[str, dict[str, list[str]]]:
    broken = {}
    for figure in selectors.FIGURES:
        unknown, matrix, rhs = systems(cells, figure)
        by_diff = sorted(differencing(unknown, matrix, rhs))
        by_rank = determined(unknown, matrix)
        if by_diff or by_rank:
            broken[figure] = {"differencing": by_diff, "rank": by_rank}
    return broken


@pytest.fixture
def published(client, month_rows):
    return download_everything(client)


def test_the_fixture_has_many_small_cells(published, month_rows):
    small = [
        (c, f)
        for c, row in month_rows.items()
        if len(c) <= 6
        for f in selectors.FIGURES
        if 0 < row[f] < 5
    ]
    hidden = [(c, f) for c, a in published.items() for f in selectors.FIGURES if a[f] is None]
    assert len(small) >= 60
    assert set(small) <= set(hidden)
    assert len(hidden) > len(small)  # complementary cells too
    assert all(len(c) <= 6 for c in published)  # never a village


def test_no_hidden_cell_is_recovered(published):
    assert attack(published) == {}


def test_rates_never_involve_a_hidden_count(published):
    for code, area in published.items():
        for r in selectors.RATES:
            if area[r.numerator] is None or area[r.denominator] is None:
                assert area[r.name] is None and r.name in area["suppressed"], (code, r.name)


def test_published_cells_are_the_true_counts(published, month_rows):
    for code, area in published.items():
        for f in selectors.FIGURES:
            assert area[f] in (None, month_rows[code][f])


def test_without_complementary_suppression_the_attack_recovers_cells(month_rows):
    pub = selectors.compute(MONTH, 5, complementary=False)
    data = json.loads(files.json_bytes(pub))
    cells = {a["code"]: a for a in data["areas"]}
    broken = attack(cells)
    assert len(broken) >= 6
    # Both methods find cells, and what differencing finds is the true hidden count.
    assert all(set(found["differencing"]) <= set(found["rank"]) for found in broken.values())
    for figure, found in broken.items():
        assert found["rank"]
        unknown, matrix, rhs = systems(cells, figure)
        for code, value in differencing(unknown, matrix, rhs).items():
            assert round(value) == month_rows[code][figure]
            assert 0 < month_rows[code][figure] < 5


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_other_fixtures_hold_too(db, geography, client, seed):
    make_rows(realistic_villages(seed))
    assert attack(download_everything(client)) == {}
