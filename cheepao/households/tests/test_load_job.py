"""Loading a survey year from the national page, as a background job (ADR 0021), and the
progress the load reports, on the job's page and from `manage.py load_registry`."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from cheepao.accounts.roles import Role
from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.engine import api as engine
from cheepao.households import jobs, services
from cheepao.households.models import Household, RegistryYear
from cheepao.jobs.models import Job

pytestmark = pytest.mark.django_db
URL = "/registry/load/"


@pytest.fixture
def national(client, make_user, sign_in, runs_dir, geography):
    user = make_user(Role.NATIONAL, "")
    sign_in(client, user)
    return user


def _targets(runs_dir) -> int:
    return jobs.target_households(engine.open_run(runs_dir / "2568"))


def test_the_national_page_lists_the_runs_and_loads_one_as_a_job(client, national, runs_dir):
    page = client.get(URL).content.decode()
    assert '<input type="radio" name="run" value="2568" checked>' in page
    assert "ข้อมูลปี 2568" in page
    assert f"{_targets(runs_dir):,} ครัวเรือนเป้าหมาย" in page

    response = client.post(URL, {"run": "2568"})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    registry = RegistryYear.objects.get()
    assert (job.kind, job.state, job.started_by) == ("households.registry_load", "done", national)
    assert job.result == {
        "survey_year": 2568,
        "households_created": registry.households,
        "households_present": 0,
        "members_created": registry.members,
        "problems_created": job.result["problems_created"],
    }
    assert (job.done, job.total) == (_targets(runs_dir), _targets(runs_dir))
    load = AuditEvent.objects.get(action="load")
    assert (load.actor, load.channel, load.object_id) == (national, "task", str(registry.pk))

    job_page = client.get(response["Location"]).content.decode()
    assert "เสร็จแล้ว" in job_page
    assert f'href="{reverse("households:home")}?year=2568"' in job_page
    assert f"เพิ่ม {registry.households:,} ครัวเรือน" in job_page
    again = client.get(URL).content.decode()
    assert "นำข้อมูลชุดนี้เข้าทะเบียนแล้ว" in again


def test_the_load_reports_its_progress_as_it_writes(national, runs_dir, monkeypatch):
    """Every batch of households written is a report the job's page reads (the cache), not a
    row the load's own transaction would hide."""
    monkeypatch.setattr(services, "LOAD_BATCH", 5)
    job = Job.objects.create(
        kind=jobs.REGISTRY_LOAD, started_by=national, state="running", params={"run": "2568"}
    )
    reports = []

    def progress(**kw):
        reports.append(kw)

    result = jobs.run(job, progress, Context.task(actor=national))
    total = _targets(runs_dir)
    assert reports[0]["total"] == total and reports[0]["done"] == 0
    done = [r["done"] for r in reports if "done" in r]
    assert done == [0, *range(5, total + 1, 5), total][: len(done)]
    assert done[-1] == total and len(done) >= total // 5
    assert result["households_created"] == Household.objects.count() == total


def test_load_registry_prints_its_progress(runs_dir, geography, monkeypatch):
    monkeypatch.setattr(services, "LOAD_BATCH", 10)
    out = io.StringIO()
    call_command("load_registry", "--run", str(runs_dir / "2568"), stdout=out)
    total = _targets(runs_dir)
    lines = out.getvalue().splitlines()
    assert lines[0] == f"registry: {total:,} target households in {runs_dir / '2568'}"
    assert lines[1] == f"registry: 10 of {total:,} households written"
    assert lines[-1] == "registry loaded"


@pytest.mark.parametrize("run", ["2567", "../2568", "2568/..", "", ".", "/etc"])
def test_a_run_that_is_not_in_the_runs_directory_is_refused(client, national, run):
    response = client.post(URL, {"run": run})
    assert response.status_code == 400
    assert "ไม่มีผลการคำนวณชื่อ" in response.content.decode()
    assert not Job.objects.exists() and not RegistryYear.objects.exists()


@pytest.mark.parametrize(
    "role,area",
    [
        (Role.PROVINCE, "34"),
        (Role.DISTRICT, "3401"),
        (Role.SUBDISTRICT, "340101"),
        (Role.MENTOR, "340101"),
        (Role.AGENCY, ""),
    ],
)
def test_only_national_accounts_load_the_registry(
    client, make_user, sign_in, runs_dir, geography, role, area
):
    sign_in(client, make_user(role, area))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"run": "2568"}).status_code == 404
    assert not Job.objects.exists() and not RegistryYear.objects.exists()


def test_the_service_refuses_an_account_that_may_not_load(make_user, runs_dir):
    from cheepao.core import errors

    with pytest.raises(errors.Refused) as e:
        services.registry_load_start(ctx=Context(actor=make_user(Role.PROVINCE, "34")), run="2568")
    assert e.value.code == "access.denied"
    assert not Job.objects.exists()


def test_a_worker_that_finds_its_account_deactivated_loads_nothing(national, runs_dir):
    national.is_active = False
    national.save(update_fields=["is_active"])
    job = Job.objects.create(
        kind=jobs.REGISTRY_LOAD, started_by=national, params={"run": "2568"}, state="queued"
    )
    from cheepao.jobs.services import job_run

    job_run(job_id=str(job.pk))
    job.refresh_from_db()
    assert (job.state, job.error_code) == ("failed", "access.denied")
    assert not RegistryYear.objects.exists()
