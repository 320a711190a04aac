"""The verification result (column 5 of form ศจพ.1), derived from the marks.

The manual (seed 004 appendix ค, section 8 (4) 4.1) defines four results by what the team
found against what TPMAP showed. The team never chooses one: it follows from the ✓/✗ marks
and the new problems, so two teams marking the same way always get the same result and the
summary counts cannot be gamed. Kept free of Django so it can be tested exhaustively.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

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


# ---------------------------------------------------------------- income per person decides

# An indicator of the form "income per person at least <threshold>" (I3 in the TPMAP set,
# seed 004 appendix ง item 15: "ไม่ต่ำกว่า 38,000 บาทต่อคนต่อปี") is not a matter of
# opinion once the team has recorded the household's income and the people living in it:
# below the threshold the household fails it, at or above it passes. The marks and new
# problems of the form must agree with that, and the result follows from them.


def income_fails(income_year: Decimal, members_now: int, threshold: Decimal) -> bool | None:
    """Whether income per person is below `threshold`, or None when no one lives in the
    household (there is no income per person then). Exact, without division: the income
    is compared with threshold × people, so 114,000.00 baht for 3 people (38,000.00 each)
    passes and 113,999.99 fails."""
    if members_now <= 0:
        return None
    return Decimal(income_year) < Decimal(threshold) * members_now


def income_marks(
    marks: Mapping[str, str],
    added: Iterable[str],
    open_codes: Iterable[str],
    decided: Mapping[str, bool],
) -> tuple[dict[str, str], list[str]]:
    """The marks and new problems after the income rule: for each indicator `decided`
    (code → fails), a shown problem is confirmed when it fails and wrong when it does not;
    one not shown is added when it fails and never added when it does not."""
    shown = set(open_codes)
    marks = dict(marks)
    added = list(dict.fromkeys(added))
    for code, fails in decided.items():
        if code in shown:
            marks[code] = CONFIRMED if fails else WRONG
        elif fails and code not in added:
            added.append(code)
        elif not fails:
            added = [c for c in added if c != code]
    return marks, added
