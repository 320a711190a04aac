"""Background jobs: started, run (inline here: settings_test uses the immediate backend),
followed on their page, failed with a reason and nothing half-written, their file taken
by their maker alone and on record."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from cheepao.accounts.models import Body
from cheepao.audit.models import AuditEvent
from cheepao.audit.services import audit_record
from cheepao.core import access, errors
from cheepao.core.context import Channel, Context
from cheepao.jobs import kinds, selectors, services
from cheepao.jobs.kinds import Kind
from cheepao.jobs.models import Job

pytestmark = pytest.mark.django_db

NO_ROOM = errors.define("test.no_room", _("There is no room for %(n)s more."))


# ---------------------------------------------------------------- kinds made for the tests


def count_to(job, progress, ctx):
    """Counts to params["n"], reporting as it goes; keeps a file when asked."""
    n = job.params["n"]
    progress(total=n, message=services.message(gettext_noop("counting")))
    for i in range(1, n + 1):
        progress(done=i)
    if job.params.get("file"):
        services.job_result_save(job=job, name="numbers.csv", content=io.BytesIO(b"1\n2\n"))
    return {"counted": n, "channel": ctx.channel, "actor": ctx.actor.pk}


def refuse(job, progress, ctx):
    services.job_result_save(job=job, name="half.csv", content=io.BytesIO(b"half"))
    raise errors.Conflict(NO_ROOM, n=3)


def break_halfway(job, progress, ctx):
    """Writes in one transaction, then fails inside it: nothing may stay."""
    with transaction.atomic():
        Body.objects.create(kind="agency", name="ต้องไม่เหลืออยู่", area_code="34")
        audit_record(ctx=ctx, action="create", object_type="test.half", summary="half")
        raise RuntimeError("the disk is full")


def audit_download(job, ctx):
    audit_record(
        ctx=ctx,
        action="export",
        object_type="test.numbers",
        object_id=str(job.pk),
        summary="numbers downloaded",
    )


def speak(job, progress, ctx):
    return {"language": translation.get_language()}


kinds.register(Kind("test.count", _("Counting"), count_to, on_download=audit_download))
kinds.register(Kind("test.speak", _("Speaking"), speak))
kinds.register(Kind("test.refuse", _("Refusing"), refuse, on_download=audit_download))
kinds.register(Kind("test.break", _("Breaking"), break_halfway))
kinds.register(Kind("test.nofile", _("No file audit"), count_to))


@pytest.fixture
def maker(make_user):
    return make_user("province", "34")


def start(user, kind="test.count", **params):
    return services.job_start(
        ctx=Context(actor=user, channel=Channel.WEB), kind=kind, params=params
    )


# ---------------------------------------------------------------- running


def test_a_job_runs_to_its_end_and_keeps_its_result(maker):
    job = start(maker, n=5)
    assert (job.state, job.done, job.total) == ("done", 5, 5)
    assert job.result == {"counted": 5, "channel": "task", "actor": maker.pk}
    assert job.started_by == maker and job.area_code == "34" and job.task_id
    assert job.started_at and job.finished_at and job.error_code == ""
    assert selectors.job_status(job).message in {"counting", "กำลังนับ"}
    assert services.progress_of(job) is None  # the cache is cleared once the row holds it


def test_the_work_speaks_the_language_of_the_page_that_started_it(maker):
    with translation.override("en"):
        job = start(maker, kind="test.speak")
    assert job.language == "en" and job.result == {"language": "en"}
    with translation.override("th"):
        assert start(maker, kind="test.speak").result == {"language": "th"}


def test_a_job_runs_once(maker):
    job = start(maker, n=2)
    finished = Job.objects.filter(pk=job.pk).values().get()
    services.job_run(job_id=str(job.pk))  # the task delivered twice
    assert Job.objects.filter(pk=job.pk).values().get() == finished


def test_a_refusal_fails_the_job_with_its_code_and_drops_its_file(maker, client, sign_in):
    job = start(maker, kind="test.refuse")
    assert (job.state, job.error_code, job.error_params) == ("failed", "test.no_room", {"n": 3})
    assert not job.result_file and job.result_name == ""
    assert not default_storage.listdir(f"jobs/{job.pk}")[1]
    sign_in(client, maker)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "There is no room for 3 more." in page  # a test's code has no Thai
    assert 'data-code="test.no_room"' in page
    assert "hx-trigger" not in page


def test_an_unexpected_error_leaves_nothing_half_written_and_says_so(maker, client, sign_in):
    before = (Body.objects.count(), AuditEvent.objects.filter(object_type="test.half").count())
    job = start(maker, kind="test.break")
    assert (job.state, job.error_code) == ("failed", "jobs.failed")
    assert job.error_params == {"job": str(job.pk)}
    assert (Body.objects.count(), AuditEvent.objects.filter(object_type="test.half").count()) == (
        before
    )
    sign_in(client, maker)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "ระบบหยุดทำงานนี้เพราะเกิดข้อผิดพลาดที่ไม่คาดไว้" in page
    assert str(job.pk) in page


def test_a_kind_that_keeps_a_file_must_record_its_downloads(maker):
    job = start(maker, kind="test.nofile", n=1, file=True)
    assert job.state == "failed" and job.error_code == "jobs.failed"
    assert not job.result_file


def test_only_signed_in_accounts_start_jobs():
    with pytest.raises(errors.Refused):
        services.job_start(ctx=Context.system(), kind="test.count", params={"n": 1})
    assert Job.objects.count() == 0


# ---------------------------------------------------------------- the pages


def test_a_running_job_page_follows_the_work(maker, client, sign_in):
    job = Job.objects.create(kind="test.count", started_by=maker, state="running", total=10)
    progress = services.Progress(job)
    progress(done=3, message=services.message(gettext_noop("counting")))
    sign_in(client, maker)
    url = reverse("jobs:detail", args=[job.pk])
    page = client.get(url).content.decode()
    assert f'hx-get="{url}" hx-trigger="every 2s"' in page
    assert '<progress max="10" value="3"' in page
    assert "3 จาก 10" in page
    part = client.get(url, headers={"HX-Request": "true", "HX-Target": "job-status"})
    html = part.content.decode()
    assert html.startswith('<div id="job-status"') and "<html" not in html
    assert "no-store" in part["Cache-Control"]
    progress(done=10)
    Job.objects.filter(pk=job.pk).update(state="done", done=10)
    html = client.get(url, headers={"HX-Request": "true", "HX-Target": "job-status"})
    assert "hx-trigger" not in html.content.decode()


def test_a_job_whose_worker_stopped_says_so(maker, client, sign_in, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = start(maker, n=1)
    assert job.state == "queued"
    sign_in(client, maker)
    url = reverse("jobs:detail", args=[job.pk])
    assert "hx-trigger" in client.get(url).content.decode()
    DBTaskResult.objects.filter(id=job.task_id).update(status="FAILED")
    page = client.get(url).content.decode()
    assert "ระบบทำงานเบื้องหลังหยุดไป" in page and "hx-trigger" not in page


def test_my_jobs_lists_mine_only(maker, make_user, client, sign_in):
    mine = start(maker, n=1)
    other = start(make_user("province", "34"), n=1)
    sign_in(client, maker)
    page = client.get(reverse("jobs:index")).content.decode()
    assert reverse("jobs:detail", args=[mine.pk]) in page
    assert reverse("jobs:detail", args=[other.pk]) not in page


@pytest.mark.parametrize("role,area", [("province", "34"), ("national", ""), ("district", "3401")])
def test_another_accounts_job_is_404_whatever_the_role(
    maker, make_user, client, sign_in, role, area
):
    job = start(maker, n=1, file=True)
    sign_in(client, make_user(role, area))
    before = AuditEvent.objects.count()
    for name in ("jobs:detail", "jobs:download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404, name
    missing = uuid.uuid4()
    for name in ("jobs:detail", "jobs:download"):
        assert client.get(reverse(name, args=[missing])).status_code == 404, name
    assert AuditEvent.objects.count() == before


def test_signed_out_visitors_are_sent_to_sign_in(maker, client):
    job = start(maker, n=1, file=True)
    for url in (
        reverse("jobs:index"),
        reverse("jobs:detail", args=[job.pk]),
        reverse("jobs:download", args=[job.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_maker_downloads_the_file_and_each_download_is_on_record(maker, client, sign_in):
    job = start(maker, n=2, file=True)
    assert job.result_name == "numbers.csv" and job.result_file.name.startswith(f"jobs/{job.pk}/")
    sign_in(client, maker)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in page
    for n in (1, 2):
        response = client.get(reverse("jobs:download", args=[job.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"1\n2\n"
        assert response["Content-Disposition"] == 'attachment; filename="numbers.csv"'
        assert "no-store" in response["Cache-Control"]
        rows = AuditEvent.objects.filter(object_type="test.numbers", object_id=str(job.pk))
        assert rows.count() == n
        assert rows.first().actor == maker and rows.first().channel == "web"


def test_a_job_without_a_file_has_nothing_to_download(maker, client, sign_in):
    job = start(maker, n=1)
    sign_in(client, maker)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_the_policy_is_in_the_access_table():
    assert ("jobs.job", "download", "own_job") in access.table()
    assert ("jobs.job", "view", "own_job") in access.table()


def test_who_may_act_on_a_job_is_its_maker(maker):
    job = start(maker, n=1)
    assert list(access.actors(job, "download")) == [maker]
