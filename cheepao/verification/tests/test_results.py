"""The result of form ศจพ.1 follows from the marks alone (seed 004 appendix ค, column 5)."""

from __future__ import annotations

import itertools

import pytest

from cheepao.verification import results
from cheepao.verification.models import Result

# Every combination of (a shown problem confirmed, a shown problem wrong, a new problem found).
EXPECTED = {
    (True, False, False): "all_correct",
    (True, True, False): "partly_correct",
    (True, False, True): "partly_correct",
    (True, True, True): "partly_correct",
    (False, True, True): "all_wrong",
    (False, False, True): "all_wrong",
    (False, True, False): "no_problem_found",
    (False, False, False): "no_problem_found",
}


@pytest.mark.parametrize(
    ("confirmed", "wrong", "new"), list(itertools.product([True, False], repeat=3))
)
def test_every_combination(confirmed, wrong, new):
    marks = {}
    if confirmed:
        marks["H4"] = "confirmed"
    if wrong:
        marks["L1"] = "wrong"
    added = ["I3"] if new else []
    assert results.result_category(marks, added) == EXPECTED[(confirmed, wrong, new)]


def test_the_table_covers_every_combination_and_only_known_results():
    assert set(results.RESULT_TABLE) == set(itertools.product([True, False], repeat=3))
    assert set(results.RESULT_TABLE.values()) == set(Result.values)


@pytest.mark.parametrize(
    ("marks", "added", "expected"),
    [
        # The four example rows printed under the form in the manual.
        ({"H4": "confirmed", "L1": "confirmed"}, [], "all_correct"),
        ({"L2": "confirmed", "L4": "wrong"}, ["I3"], "partly_correct"),
        ({"H4": "wrong", "E2": "wrong"}, ["I2", "I3"], "all_wrong"),
        ({"L1": "wrong", "E2": "wrong", "E4": "wrong", "A1": "wrong"}, [], "no_problem_found"),
        # Many marks: one confirmation among many wrong is still partly correct.
        ({"H1": "wrong", "H2": "wrong", "H3": "confirmed"}, [], "partly_correct"),
    ],
)
def test_the_manuals_examples(marks, added, expected):
    assert results.result_category(marks, added) == expected


def test_an_unknown_mark_is_refused():
    with pytest.raises(ValueError, match="unknown marks"):
        results.result_category({"H1": "maybe"}, [])


def test_added_may_be_any_iterable():
    assert results.result_category({}, iter(["I3"])) == "all_wrong"
    assert results.result_category({}, ()) == "no_problem_found"
