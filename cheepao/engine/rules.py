"""The kinds of rule an indicator is written in, each in one place.

An indicator of the catalogue says whom it asks (`applies`: an age band, a member flag
that must hold, flags that exempt) and when an answer passes (`passes`, one of the kinds
below). For each kind this module holds everything the engine knows about it:

- what it reads (`answers_of`, `thresholds_of`: the catalogue checks the names);
- its expression over a whole table (`passes`, `applies`: Ibis, so DuckDB and PySpark);
- for one household or member, given its answers: whether it fails and which answers made
  it fail (`explain`), for a page or a report that says why a problem is there.

| kind | passes when | an unanswered question | the answers that make it fail |
| --- | --- | --- | --- |
| `all: [a, b]` | every answer is yes | passes | each "no" |
| `any: [a, b]` | at least one answer is yes | passes | every answer (all "no") |
| `at_least: [value, threshold]` | value >= the named threshold | passes | the value, with the threshold |

An unanswered question never makes anyone poor (the validator refuses the rows that leave
a required answer empty). An average (`AVERAGES`: income per person) is compared without
dividing, exactly (ADR 0015). A new kind of rule is a new branch in each function here,
its name in `KINDS`, and an ADR; `catalogue.py` and `indicators.py` take it from here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

import ibis
import ibis.expr.types as ir
import pandas as pd

from cheepao.engine import money

KINDS = ("all", "any", "at_least")


@dataclass(frozen=True)
class Rule:
    """When an answer passes: `kind` is one of `KINDS`; `args` the columns (at_least: the
    value's column and the threshold's name)."""

    kind: str
    args: tuple[str, ...]


@dataclass(frozen=True)
class Applies:
    """Whom a person indicator asks: an age band (inclusive, completed years), a member
    flag that must hold (`where`), flags that exempt (`exempt`)."""

    age_min: int | None = None
    age_max: int | None = None
    where: str | None = None
    exempt: tuple[str, ...] = ()


class Indicator(Protocol):
    """What `explain` reads of a catalogue's indicator (`catalogue.Indicator`)."""

    code: str
    unit: str
    passes: Rule
    applies: Applies


# Derived values that are averages: `at_least` compares them without dividing, exactly
# (numerator >= threshold x denominator), so 38,000.00 baht per person passes (ADR 0015).
AVERAGES = {"income_per_person": ("income_total", "n_members")}


def shape_error(rule: Rule) -> str | None:
    """What is wrong with the shape of a rule's arguments, or None."""
    if not rule.args:
        return "names no answer"
    if rule.kind == "at_least" and len(rule.args) != 2:
        return "takes [value, threshold]"
    return None


def answers_of(rule: Rule) -> tuple[str, ...]:
    """The answer columns (or derived flags) a rule reads."""
    if rule.kind == "at_least":
        return (rule.args[0],)
    return tuple(rule.args)


def thresholds_of(rule: Rule) -> tuple[str, ...]:
    """The named thresholds a rule compares with."""
    return (rule.args[1],) if rule.kind == "at_least" else ()


# ---------------------------------------------------------------- over a table (Ibis)


def passes(t: ir.Table, rule: Rule, thresholds: Mapping[str, Any]) -> ir.BooleanValue:
    """The rule over every row of `t` (null answers pass)."""
    if rule.kind == "all":
        out = ibis.literal(True)
        for c in rule.args:
            out = out & t[c].fill_null(True)
        return out
    if rule.kind == "any":
        out = ibis.literal(False)
        for c in rule.args:
            out = out | t[c].fill_null(True)
        return out
    value, threshold = rule.args
    if value in AVERAGES:
        total, count = AVERAGES[value]
        return money.at_least_per_person(t[total], t[count], thresholds[threshold]).fill_null(True)
    return (t[value] >= float(thresholds[threshold])).fill_null(True)


def applies(m: ir.Table, a: Applies) -> ir.BooleanValue:
    """Whom an indicator asks, over every member row of `m` (null: not asked)."""
    out = ibis.literal(True)
    if a.age_min is not None:
        out = out & (m.age >= a.age_min)
    if a.age_max is not None:
        out = out & (m.age <= a.age_max)
    if a.where is not None:
        out = out & m[a.where].fill_null(False)
    for flag in a.exempt:
        out = out & ~m[flag].fill_null(False)
    return out


# ---------------------------------------------------------------- one household or member


@dataclass(frozen=True)
class Reason:
    """One answer that made a rule fail: the column, the answer as given, and for a
    comparison the threshold's name and value."""

    column: str
    value: Any
    threshold: str | None = None
    limit: Any = None


@dataclass(frozen=True)
class Explanation:
    """Whether the indicator fails for these answers (`fails`), whether it asks them at all
    (`applies`, always true for a household indicator), and the answers that made it fail
    (empty when it does not)."""

    indicator: str
    applies: bool
    fails: bool
    reasons: tuple[Reason, ...] = ()


def _known(value: Any) -> Any:
    """None for an unanswered cell (None, NaN, pandas' NA), else the value."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _flag(value: Any) -> bool | None:
    value = _known(value)
    return None if value is None else bool(value)


def _at_least(value: Any, limit: Any, column: str) -> bool:
    if column in AVERAGES:
        return money.amount(value) >= money.exact(limit)
    if isinstance(value, Decimal):
        return value >= money.exact(limit)
    return float(value) >= float(limit)


def failing(
    rule: Rule, answers: Mapping[str, Any], thresholds: Mapping[str, Any]
) -> tuple[Reason, ...]:
    """The answers that make `rule` fail (empty when the answers pass it).

    `answers` maps the rule's columns to one household's or member's answers (missing or
    null: unanswered); an average (`income_per_person`) may be given as the average cut to
    the satang, or as its total and count (`income_total`, `n_members`), compared exactly.
    """
    if rule.kind == "all":
        return tuple(Reason(c, answers.get(c)) for c in rule.args if _flag(answers.get(c)) is False)
    if rule.kind == "any":
        flags = [_flag(answers.get(c)) for c in rule.args]
        if all(f is False for f in flags):
            return tuple(Reason(c, answers.get(c)) for c in rule.args)
        return ()
    column, name = rule.args
    limit = thresholds[name]
    value = _known(answers.get(column))
    if column in AVERAGES:
        total, count = (_known(answers.get(c)) for c in AVERAGES[column])
        if total is not None and count:
            shown = money.per_person(total, int(count)) if value is None else value
            if money.meets(total, int(count), limit):
                return ()
            return (Reason(column, shown, name, limit),)
    if value is None or _at_least(value, limit, column):
        return ()
    return (Reason(column, value, name, limit),)


def asks(a: Applies, answers: Mapping[str, Any]) -> bool:
    """Whether an indicator asks this member (`applies`): the age band (`age`), the flag
    that must hold (`where`), and no exempting flag; an unknown age or flag does not ask."""
    age = _known(answers.get("age"))
    if a.age_min is not None and (age is None or age < a.age_min):
        return False
    if a.age_max is not None and (age is None or age > a.age_max):
        return False
    if a.where is not None and not _flag(answers.get(a.where)):
        return False
    return not any(_flag(answers.get(flag)) for flag in a.exempt)


def explain(
    indicator: Indicator, answers: Mapping[str, Any], thresholds: Mapping[str, Any]
) -> Explanation:
    """Why `indicator` fails, or not, for one household (a household indicator: its own
    answers) or one member (a person indicator: the member's answers, with `age` and the
    derived flags the engine computes, as in the run's persons table)."""
    asked = indicator.unit == "household" or asks(indicator.applies, answers)
    reasons = failing(indicator.passes, answers, thresholds) if asked else ()
    return Explanation(indicator.code, asked, bool(reasons), reasons)
