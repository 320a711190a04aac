"""Why an indicator fails, for one household or member (`rules.explain`, `api.explain`).

The explanation is the engine's own: `rules.py` holds each rule kind's expression over a
table and its reading of one row side by side. Two kinds of test hold them together:

- agreement: on every golden indicator case and every reading case under every choice,
  the verdict for each member (person indicators, `applies` included) and each household
  (household indicators) is exactly the flag the engine computed over the table;
- golden reasons: per rule kind, the exact answers that made it fail, written by hand.
"""

from __future__ import annotations

from decimal import Decimal as D

import ibis
import pytest

from cheepao.engine import api, catalogue, rules
from cheepao.engine.catalogue import CatalogueError, Rule
from cheepao.engine.rules import Reason
from cheepao.engine.tests import golden

THRESHOLDS = {"income_per_person_year": 38000, "newborn_weight_g": 2500}


@pytest.fixture(scope="module")
def duckdb_con():
    return ibis.duckdb.connect()


def _flags(result: api.Result) -> tuple[list[dict], list[dict]]:
    members = result.persons_base.to_pandas().to_dict("records")
    households = result.households.to_pandas().to_dict("records")
    return members, households


def _disagreements(result: api.Result) -> list[str]:
    members, households = _flags(result)
    cat, thresholds = result.catalogue, result.thresholds
    out = []
    for ind in cat.indicators:
        rows, flag = (
            (members, f"p_{ind.code}") if ind.unit == "person" else (households, ind.column)
        )
        for row in rows:
            said = api.explain(ind, row, thresholds)
            if said.fails != bool(row[flag]) or said.fails != bool(said.reasons):
                out.append(f"{row['hh_id']}/{row.get('member_no', '-')} {ind.code}: {said}")
    return out


def test_the_explanation_agrees_with_the_engine_on_every_golden_case(duckdb_con):
    hh, mm = golden.rows(golden.INDICATOR_CASES)
    result = golden.compute(hh, mm, duckdb_con)
    assert _disagreements(result) == []


@pytest.mark.parametrize(
    ("reading", "choice"),
    [(r.code, c.code) for r in catalogue.load().readings for c in r.choices],
)
def test_the_explanation_agrees_with_the_engine_under_every_reading(duckdb_con, reading, choice):
    hh = [c.household for c in golden.READING_CASES]
    mm = [m for c in golden.READING_CASES for m in c.members]
    result = golden.compute(hh, mm, duckdb_con, readings={reading: choice})
    assert _disagreements(result) == []


@pytest.fixture(scope="module")
def rows(duckdb_con) -> dict[tuple[str, int | None], dict]:
    hh, mm = golden.rows(golden.INDICATOR_CASES)
    members, households = _flags(golden.compute(hh, mm, duckdb_con))
    out: dict[tuple[str, int | None], dict] = {(r["hh_id"], None): r for r in households}
    out.update({(r["hh_id"], int(r["member_no"])): r for r in members})
    return out


# (case, member or None for the household, indicator) -> the exact reasons
GOLDEN_REASONS = {
    # all: each "no" answer, household and member
    ("l4_home_toilet", None, "L4"): (Reason("home_toilet", False),),
    ("h2_food_fda_mark", None, "H2"): (Reason("food_fda_mark", False),),
    ("i1_occupation_no_income", 2, "I1"): (Reason("has_income", False),),
    ("i1_income_no_occupation", 2, "I1"): (Reason("has_occupation", False),),
    ("a1_elderly_not_cared", 2, "A1"): (Reason("elderly_cared", False),),
    # any: every answer, all of them "no"
    ("i2_neither_70", 2, "I2"): (Reason("has_occupation", False), Reason("has_income", False)),
    ("i2_income_only", 2, "I2"): (),
    # at_least on a value: the value and the threshold it is below
    ("h1_2499g", 2, "H1"): (Reason("birth_weight_g", 2499, "newborn_weight_g", 2500),),
    ("h1_2500g", 2, "H1"): (),
    ("h1_weight_unknown", 2, "H1"): (),  # an unanswered question never makes anyone poor
    # at_least on an average: decided exactly from the total, shown cut to the satang
    ("i3_satang_one_short", None, "I3"): (
        Reason("income_per_person", D("37999.99"), "income_per_person_year", 38000),
    ),
    ("i3_satang_38000", None, "I3"): (),
    ("i3_38000_00", None, "I3"): (),
}


@pytest.mark.parametrize(("hh_id", "member", "code"), list(GOLDEN_REASONS))
def test_golden_reasons_per_rule_kind(rows, hh_id, member, code):
    ind = catalogue.load().indicator(code)
    said = api.explain(ind, rows[(hh_id, member)], THRESHOLDS)
    assert said.reasons == GOLDEN_REASONS[(hh_id, member, code)]
    assert said.fails == bool(GOLDEN_REASONS[(hh_id, member, code)])


def test_a_person_indicator_that_does_not_ask_the_member_never_fails(rows):
    h1 = catalogue.load().indicator("H1")
    said = api.explain(h1, rows[("h1_not_newborn", 2)], THRESHOLDS)
    assert (said.applies, said.fails, said.reasons) == (False, False, ())
    e2 = catalogue.load().indicator("E2")
    assert not api.explain(e2, {"age": None, "compulsory_schooling": False}, THRESHOLDS).applies


def test_answers_as_the_registry_keeps_them():
    """A household folder has the answers as stored (no derived total): the average cut
    to the satang decides the same way, since a threshold is whole satang."""
    i3 = catalogue.load().indicator("I3").passes
    assert rules.failing(i3, {"income_per_person": D("37999.99")}, THRESHOLDS) == (
        Reason("income_per_person", D("37999.99"), "income_per_person_year", 38000),
    )
    assert rules.failing(i3, {"income_per_person": D("38000.00")}, THRESHOLDS) == ()
    assert rules.failing(i3, {}, THRESHOLDS) == ()
    h2 = catalogue.load().indicator("H2").passes
    answers = {"food_fda_mark": True, "food_meat_cooked": None, "food_vegetables_safe": False}
    assert rules.failing(h2, answers, THRESHOLDS) == (Reason("food_vegetables_safe", False),)


def test_a_rule_kind_the_engine_does_not_know_is_refused_by_the_catalogue():
    assert rules.KINDS == ("all", "any", "at_least")
    with pytest.raises(CatalogueError, match=r"unknown rule kind 'most' \(kinds: all, any"):
        catalogue._rule({"most": ["a", "b"]})
    with pytest.raises(CatalogueError, match=r"a rule at_least takes \[value, threshold\]"):
        catalogue._rule({"at_least": ["income_per_person"]})
    assert rules.answers_of(Rule("at_least", ("birth_weight_g", "newborn_weight_g"))) == (
        "birth_weight_g",
    )
