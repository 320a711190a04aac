"""demo_evaluation on the two known years: 2567 loaded beside 2568 (which stays the
working registry), known help recorded through routing's and the Logbook's verbs, the
evaluation computed; run twice, it adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from cheepao.core.context import Context
from cheepao.evaluation.models import Evaluation, Outcome
from cheepao.households.selectors.register import registry_latest
from cheepao.households.services import registry_load
from cheepao.logbook.models import Entry

pytestmark = pytest.mark.django_db


def _run(two_years) -> str:
    out = StringIO()
    call_command(
        "demo_evaluation", "--province", "34", "--runs", str(two_years[2568].parent), stdout=out
    )
    return out.getvalue()


def test_demo_evaluation(geography, two_years, settings):
    settings.CHEEPAO_RUNS_DIR = two_years[2568].parent
    registry_load(ctx=Context.cli(), run=str(two_years[2568]))
    call_command("demo_accounts", "--province", "34", stdout=StringIO())
    said = _run(two_years)
    assert registry_latest().survey_year == 2568
    helps = Entry.objects.filter(part="help")
    # Every other household of the demo district (3401) with a problem, in the order the
    # registry holds them (A1 A2 A3 A4 A6 A5): A1, A3, A6, each for its first problem.
    assert sorted(helps.values_list("household__hh_id", "indicator", "value")) == [
        ("A1", "I3", 5000), ("A3", "I3", 5000), ("A6", "L2", 5000),
    ]  # fmt: skip
    assert {e.household.registry.survey_year for e in helps} == {2567}
    assert {e.occurred_on.isoformat() for e in helps} == {"2024-06-15"}
    ev = Evaluation.objects.get()
    assert (ev.before_year, ev.after_year, ev.households, ev.found) == (2567, 2568, 8, 7)
    helped = sorted(
        Outcome.objects.filter(evaluation=ev, subject__in=["I3", "L2"], helped=True).values_list(
            "household__hh_id", "subject", "status"
        )
    )
    assert helped == [("A1", "I3", "escaped"), ("A3", "I3", "escaped"), ("A6", "L2", "escaped")]
    assert "A1, A3, A6" in said
    before = (Entry.objects.count(), Outcome.objects.count(), Evaluation.objects.count())
    _run(two_years)
    assert (Entry.objects.count(), Outcome.objects.count(), Evaluation.objects.count()) == before
