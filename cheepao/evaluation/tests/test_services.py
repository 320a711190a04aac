"""evaluation_compute on two survey years with known help (tests/conftest.py): exact
outcomes, help joined per subject, refusals that change nothing."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.core.errors import Invalid, Refused
from cheepao.evaluation.models import Evaluation, Outcome
from cheepao.evaluation.services import campaign_year, evaluation_compute


def _compute(w, ctx=None, path=None):
    return evaluation_compute(
        ctx=ctx or Context.cli(), registry=w["registry"], after_run_path=str(path or w["after"])
    )


def _rows(ev):
    return {
        (o.household.hh_id, o.subject): (o.status, o.helped, o.acts, o.baht, o.stage)
        for o in Outcome.objects.filter(evaluation=ev).select_related("household")
    }


def test_campaign_year_of_a_registry():
    from datetime import date

    assert campaign_year(2567) == (date(2024, 1, 1), date(2025, 1, 1))


def test_outcomes_exactly(known_help):
    ev = _compute(known_help)
    assert (ev.before_year, ev.after_year, ev.households, ev.found) == (2567, 2568, 8, 7)
    assert ev.catalogue == "tpmap_mpi_17@v2"
    rows = _rows(ev)
    z = Decimal(0)
    assert rows == {
        ("A1", "I3"): ("escaped", True, 2, Decimal("5000.00"), ""),
        ("A1", "income"): ("escaped", True, 2, Decimal("5000.00"), ""),
        ("A1", "target"): ("escaped", True, 2, Decimal("5000.00"), "sufficient"),
        ("A2", "I3"): ("still", True, 1, Decimal("3000.00"), ""),
        ("A2", "income"): ("still", True, 1, Decimal("3000.00"), ""),
        ("A2", "target"): ("still", True, 1, Decimal("3000.00"), ""),
        ("A3", "I3"): ("escaped", False, 0, z, ""),
        ("A3", "income"): ("escaped", False, 0, z, ""),
        ("A3", "target"): ("escaped", False, 0, z, "sufficient"),
        ("A4", "I3"): ("still", False, 0, z, ""),
        ("A4", "income"): ("still", False, 0, z, ""),
        ("A4", "target"): ("still", False, 0, z, ""),
        ("A5", "I3"): ("left", True, 1, Decimal("1000.00"), ""),
        ("A5", "income"): ("left", True, 1, Decimal("1000.00"), ""),
        ("A5", "target"): ("left", True, 1, Decimal("1000.00"), ""),
        ("A6", "L2"): ("escaped", False, 0, z, ""),
        ("A6", "living"): ("escaped", True, 1, Decimal("2000.00"), ""),
        ("A6", "target"): ("escaped", True, 1, Decimal("2000.00"), "sufficient"),
        ("A7", "I3"): ("still", False, 0, z, ""),
        ("A7", "income"): ("still", False, 0, z, ""),
        ("A7", "L2"): ("newly", False, 0, z, ""),
        ("A7", "living"): ("newly", False, 0, z, ""),
        ("A7", "target"): ("still", False, 0, z, ""),
        ("A8", "E2"): ("still", False, 0, z, ""),
        ("A8", "education"): ("still", False, 0, z, ""),
        ("A8", "target"): ("still", False, 0, z, "sustainable"),
    }
    villages = dict(
        Outcome.objects.filter(evaluation=ev, subject="target").values_list(
            "household__hh_id", "village_code"
        )
    )
    assert villages["A1"] == "34010101" and villages["A8"] == "34020101"
    event = AuditEvent.objects.filter(object_type="evaluation.evaluation").latest("pk")
    assert event.changes["outcomes"] == 26


def test_computed_again_whole(known_help):
    first = _compute(known_help)
    before = sorted(_rows(first).items())
    again = _compute(known_help)
    assert again.pk == first.pk
    assert Evaluation.objects.count() == 1
    assert sorted(_rows(again).items()) == before


def _state():
    return (
        list(Evaluation.objects.values()),
        list(Outcome.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("role", ["district", "subdistrict", "mentor", "agency"])
def test_refused_below_the_province(known_help, make_user, role):
    before = _state()
    with pytest.raises(Refused) as e:
        _compute(known_help, ctx=Context.cli(make_user(role, "3401")))
    assert e.value.code == "evaluation.not_permitted"
    assert _state() == before


def test_a_province_account_may(known_help):
    ev = _compute(known_help, ctx=Context.cli(known_help["maker"]))
    assert ev.computed_by == known_help["maker"]


def test_refused_no_run(known_help, tmp_path):
    before = _state()
    with pytest.raises(Invalid) as e:
        _compute(known_help, path=tmp_path / "nothing")
    assert e.value.code == "evaluation.run_not_found"
    assert _state() == before


def test_refused_after_year_not_later(known_help, two_years):
    before = _state()
    with pytest.raises(Invalid) as e:
        _compute(known_help, path=two_years[2567])
    assert e.value.code == "evaluation.not_later"
    assert _state() == before


def test_refused_other_indicator_set(known_help):
    registry = known_help["registry"]
    registry.indicator_set_id = "thaiqm_other"
    registry.save(update_fields=["indicator_set_id"])
    before = _state()
    with pytest.raises(Invalid) as e:
        _compute(known_help)
    assert e.value.code == "evaluation.other_indicators"
    assert _state() == before


def test_refused_a_run_read_with_another_catalogue(known_help, tmp_path):
    other = Path(tmp_path) / "2568"
    shutil.copytree(known_help["after"], other)
    manifest = json.loads((other / "manifest.json").read_text())
    manifest["catalogue_sha256"] = "0" * 64
    (other / "manifest.json").write_text(json.dumps(manifest))
    before = _state()
    with pytest.raises(Invalid) as e:
        _compute(known_help, path=other)
    assert e.value.code == "registry.catalogue_differs"
    assert _state() == before


def test_refused_the_registrys_run_gone(known_help, tmp_path):
    registry = known_help["registry"]
    registry.run_path = str(tmp_path / "gone")
    registry.save(update_fields=["run_path"])
    before = _state()
    with pytest.raises(Invalid) as e:
        _compute(known_help)
    assert e.value.code == "evaluation.before_run_not_found"
    assert _state() == before


def test_the_command(known_help):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "evaluation_compute", "--before", "2567", "--after-run", str(known_help["after"]),
        stdout=out,
    )  # fmt: skip
    assert out.getvalue().strip() == (
        "evaluation 2567→2568: 8 households followed, 7 found in the later survey."
    )


def test_the_command_refuses_with_the_message(known_help, two_years):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    before = _state()
    with pytest.raises(CommandError, match="2568"):
        call_command("evaluation_compute", "--before", "2568", "--after-run", "x")
    with pytest.raises(CommandError):
        call_command("evaluation_compute", "--before", "2567", "--after-run", str(two_years[2567]))
    assert _state() == before


def test_the_job(known_help, make_user):
    from cheepao.evaluation import jobs
    from cheepao.jobs.models import Job

    district = make_user("district", "3401")
    with pytest.raises(Refused) as e:
        jobs.compute_start(
            ctx=Context.cli(district), registry_id=known_help["registry"].pk,
            after_run_path=str(known_help["after"]),
        )  # fmt: skip
    assert e.value.code == "evaluation.not_permitted"
    assert Job.objects.count() == 0
    job = jobs.compute_start(
        ctx=Context.cli(known_help["maker"]), registry_id=known_help["registry"].pk,
        after_run_path=str(known_help["after"]),
    )  # fmt: skip
    assert job.kind == "evaluation.compute"
    result = jobs.run(job, lambda **kw: None, Context.task(known_help["maker"]))
    assert result["households"] == 8
