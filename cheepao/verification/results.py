"""The verification result (column 5 of form ศจพ.1), derived from the marks.

The manual (seed 004 appendix ค, section 8 (4) 4.1) defines four results by what the team
found against what TPMAP showed. The team never chooses one: it follows from the ✓/✗ marks
and the new problems, so two teams marking the same way always get the same result and the
summary counts cannot be gamed. Kept free of Django so it can be tested exhaustively.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

ALL_CORRECT = "all_correct"
PARTLY_CORRECT = "partly_correct"
ALL_WRONG = "all_wrong"
NO_PROBLEM_FOUND = "no_problem_found"

CONFIRMED = "confirmed"
WRONG = "wrong"

# (any shown problem confirmed, any shown problem wrong, any new problem) → result.
# - all correct: every shown problem confirmed, none new;
# - partly correct: some confirmed and some wrong, or new ones added while some confirmed;
# - all wrong: nothing shown was confirmed, but new problems were found;
# - no problem found: nothing confirmed and nothing new (a likely inclusion error).
RESULT_TABLE: dict[tuple[bool, bool, bool], str] = {
    (True, False, False): ALL_CORRECT,
    (True, True, False): PARTLY_CORRECT,
    (True, False, True): PARTLY_CORRECT,
    (True, True, True): PARTLY_CORRECT,
    (False, True, True): ALL_WRONG,
    (False, False, True): ALL_WRONG,
    (False, True, False): NO_PROBLEM_FOUND,
    (False, False, False): NO_PROBLEM_FOUND,
}


def result_category(marks: Mapping[str, str], added: Iterable[str]) -> str:
    """The result for `marks` ({indicator: "confirmed" | "wrong"}) and the `added` codes."""
    unknown = {m for m in marks.values() if m not in (CONFIRMED, WRONG)}
    if unknown:
        raise ValueError(f"unknown marks: {sorted(unknown)}")
    values = list(marks.values())
    key = (CONFIRMED in values, WRONG in values, any(True for _ in added))
    return RESULT_TABLE[key]
