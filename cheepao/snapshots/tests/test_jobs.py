"""The job, the management command and the demo command."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cheepao.core.context import Context
from cheepao.core.errors import Invalid, NotFound
from cheepao.jobs.models import Job
from cheepao.snapshots.jobs import BUILD, build_start
from cheepao.snapshots.models import AreaMonth
from cheepao.snapshots.tests.conftest import MONTH

pytestmark = pytest.mark.django_db


def test_the_job_builds_its_months_with_progress_and_result(snapshot_world, make_user):
    w = snapshot_world
    province = make_user("province", w["district"][:2])
    job = build_start(
        ctx=Context.cli(province), month_codes=["2568-10", "2568-11"], area=w["district"][:2]
    )
    job.refresh_from_db()
    assert (job.kind, job.state, job.done, job.total) == (BUILD, "done", 2, 2)
    rows = AreaMonth.objects.filter(month__in=[MONTH, MONTH.replace(month=10)]).count()
    assert job.result == {"months": 2, "rows": rows}
    november = AreaMonth.objects.get(month=MONTH, area_code=w["district"])
    assert (november.acts, november.acts_month) == (3, 2)


def test_the_job_is_refused_before_anything_is_queued(snapshot_world, make_user):
    w = snapshot_world
    jobs = Job.objects.count()
    with pytest.raises(Invalid):
        build_start(ctx=Context.cli(make_user("province", "34")), month_codes=["11-2568"])
    with pytest.raises(NotFound):
        build_start(
            ctx=Context.cli(make_user("province", "10")), month_codes=["2568-11"], area="34"
        )
    with pytest.raises(NotFound):
        build_start(
            ctx=Context.cli(make_user("agency", w["district"], body=w["health"])),
            month_codes=["2568-11"],
            area=w["district"],
        )
    assert Job.objects.count() == jobs and not AreaMonth.objects.exists()


def test_the_command_builds_one_month_or_all(snapshot_world):
    out = io.StringIO()
    call_command("snapshots_build", "--month", "2568-11", stdout=out)
    assert out.getvalue().startswith("2568-11: ")
    assert set(AreaMonth.objects.values_list("month", flat=True)) == {MONTH}
    for bad in (["--month", "2025-11"], [], ["--month", "2568-11", "--all"]):
        with pytest.raises(CommandError):
            call_command("snapshots_build", *bad, stdout=out)
    with pytest.raises(CommandError, match=r"snapshots\.bad_area"):
        call_command("snapshots_build", "--month", "2568-11", "--area", "3x", stdout=out)
    call_command("snapshots_build", "--all", "--area", snapshot_world["district"], stdout=out)
    built = sorted(set(AreaMonth.objects.values_list("month", flat=True)))
    assert built[0] == MONTH.replace(month=3)  # the need of March is the first work
    assert AreaMonth.objects.filter(month=MONTH.replace(month=3), area_code="").exists()


def test_demo_snapshots_builds_and_closes_as_far_as_the_accounts_reach(snapshot_world, make_user):
    w = snapshot_world
    one = w["one"]
    make_user("subdistrict", one.subdistrict_code, username="demo-subdistrict")
    make_user("district", one.district_code, username="demo-district")
    out = io.StringIO()
    call_command("demo_snapshots", "--province", "34", stdout=out)
    text = out.getvalue()
    assert "2568-03" in text  # built from the first work on
    # The latest ended month is the one closed (a team confirms last month now).
    from cheepao.helpstats import months
    from cheepao.snapshots.services import previous_month

    closing = previous_month(months.first_of(timezone.localdate()))
    last = months.code(closing)
    assert f"{last} demo-subdistrict: closed" in text
    closed = AreaMonth.objects.filter(month=closing, closed_at__isnull=False)
    assert closed.filter(area_code=one.subdistrict_code).exists()
    opened = AreaMonth.objects.filter(
        month=closing, level="subdistrict", area_code__startswith=one.district_code
    ).exclude(area_code=one.subdistrict_code)
    if opened.exists():
        assert f"{last} demo-district: not closed (snapshots.children_open)" in text
    rows = list(AreaMonth.objects.order_by("month", "area_code").values_list(
        "month", "area_code", "targets", "acts", "closed_at"))  # fmt: skip
    out = io.StringIO()
    call_command("demo_snapshots", "--province", "34", stdout=out)
    assert f"{last} demo-subdistrict: already closed" in out.getvalue()
    assert list(AreaMonth.objects.order_by("month", "area_code").values_list(
        "month", "area_code", "targets", "acts", "closed_at")) == rows  # fmt: skip
