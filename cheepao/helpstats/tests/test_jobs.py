"""The job, the management command and the demo command."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from cheepao.core.context import Context
from cheepao.core.errors import Invalid, NotFound
from cheepao.helpstats.jobs import COMPUTE, compute_start
from cheepao.helpstats.models import MonthFigures
from cheepao.helpstats.tests.conftest import MONTH
from cheepao.jobs.models import Job

pytestmark = pytest.mark.django_db


def test_the_job_computes_its_months_with_progress_and_result(month_world, make_user):
    w = month_world
    province = make_user("province", w["district"][:2])
    job = compute_start(
        ctx=Context.cli(province), month_codes=["2568-10", "2568-11"], area=w["district"][:2]
    )
    job.refresh_from_db()
    assert (job.kind, job.state, job.done, job.total) == (COMPUTE, "done", 2, 2)
    rows = MonthFigures.objects.filter(month__in=[MONTH, MONTH.replace(month=10)]).count()
    assert job.result == {"months": 2, "rows": rows}
    october = MonthFigures.objects.get(month=MONTH.replace(month=10), area_code="", body=None)
    assert (october.acts, october.baht, october.helped_to_date) == (1, Decimal("200.00"), 1)


def test_the_job_is_refused_before_anything_is_queued(month_world, make_user):
    w = month_world
    jobs = Job.objects.count()
    with pytest.raises(Invalid):
        compute_start(ctx=Context.cli(make_user("province", "34")), month_codes=["11-2568"])
    with pytest.raises(NotFound):
        compute_start(
            ctx=Context.cli(make_user("province", "10")),
            month_codes=["2568-11"],
            area=w["district"],
        )
    with pytest.raises(NotFound):
        compute_start(
            ctx=Context.cli(make_user("agency", w["district"], body=w["health"])),
            month_codes=["2568-11"],
            area=w["district"],
        )
    assert Job.objects.count() == jobs and not MonthFigures.objects.exists()


def test_the_command_computes_one_month_or_all(month_world):
    out = io.StringIO()
    call_command("helpstats_compute", "--month", "2568-11", stdout=out)
    assert out.getvalue().startswith("2568-11: ")
    assert set(MonthFigures.objects.values_list("month", flat=True)) == {MONTH}
    with pytest.raises(CommandError):
        call_command("helpstats_compute", "--month", "2025-11", stdout=out)
    with pytest.raises(CommandError):
        call_command("helpstats_compute", stdout=out)
    call_command("helpstats_compute", "--all", stdout=out)
    computed = sorted(set(MonthFigures.objects.values_list("month", flat=True)))
    assert computed[0] == MONTH.replace(month=3)  # the need of March is the first work


def test_demo_helpstats_is_idempotent(month_world):
    out = io.StringIO()
    call_command("demo_helpstats", "--province", "34", stdout=out)
    assert "2568-03" in out.getvalue()
    rows = list(
        MonthFigures.objects.order_by("month", "area_code", "body").values_list(
            "month", "area_code", "body", "acts", "baht", "targets"
        )
    )
    call_command("demo_helpstats", "--province", "34", stdout=out)
    assert (
        list(
            MonthFigures.objects.order_by("month", "area_code", "body").values_list(
                "month", "area_code", "body", "acts", "baht", "targets"
            )
        )
        == rows
    )
