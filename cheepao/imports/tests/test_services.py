"""The services of list imports, called directly (not through the pages): starting an import
as a background job, the import itself with its progress, and every refusal of both with
its code and nothing stored (ADR 0017, 0021)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation

from cheepao.accounts.roles import Role
from cheepao.audit.models import AuditEvent
from cheepao.core import errors
from cheepao.core.context import Channel, Context
from cheepao.households.models import RegistryYear
from cheepao.imports import contract, services
from cheepao.imports.models import ListEntry, ListImport, RejectedRow, ReviewItem
from cheepao.jobs.models import Job
from cheepao.jobs.services import job_run

from . import corpus
from .helpers import csv_bytes, first_pin, person_row, two_households, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(make_user, registry):
    return make_user(Role.PROVINCE, "34")


def web(user) -> Context:
    return Context(actor=user, channel=Channel.WEB, address="10.0.0.7")


def stored() -> tuple:
    """Everything an import can leave behind: its rows, its audit rows, jobs and files."""
    return (
        ListImport.objects.count(),
        RejectedRow.objects.count(),
        ListEntry.objects.count(),
        ReviewItem.objects.count(),
        AuditEvent.objects.count(),
        Job.objects.count(),
        tuple(default_storage.listdir("uploads")[1]) if default_storage.exists("uploads") else (),
    )


def good_list() -> bytes:
    a, b = two_households()
    return csv_bytes([person_row(a, pin=first_pin(a)), person_row(b, house_code=b.house_code)])


def test_an_upload_is_stored_and_imported_by_the_uploaders_job(province):
    job = services.list_import_start(
        ctx=web(province), upload=upload(good_list(), "ThaiQM อุบล.csv"), name="", kind="thaiqm"
    )
    imp = ListImport.objects.get()
    assert (job.kind, job.state, job.started_by) == ("imports.list_import", "done", province)
    assert job.params["file_name"] == "ThaiQM อุบล.csv" and job.params["kind"] == "thaiqm"
    assert job.params["stored"].startswith("uploads/")
    assert not default_storage.exists(job.params["stored"])  # read, then deleted
    assert job.result == {
        "import": imp.pk,
        "rows_read": 2,
        "rows_rejected": 0,
        "rows_matched": 2,
        "rows_queued": 0,
    }
    assert (imp.file_name, imp.uploaded_by, imp.file_sha256) == (
        "ThaiQM อุบล.csv",
        province,
        job.params["sha256"],
    )
    # The work's audit rows say it ran as the uploader's background task.
    rows = AuditEvent.objects.filter(action="import")
    assert {(e.actor, e.channel) for e in rows} == {(province, "task")}
    assert rows.count() == 3  # the import, and each of the two households it named


@pytest.mark.parametrize(
    "case,code",
    [
        ("kind", "imports.kind"),
        ("size", "imports.too_large"),
        ("pdf", "imports.file_refused"),
        ("old_xls", "imports.file_refused"),
    ],
)
def test_what_needs_no_reading_is_refused_at_once_storing_nothing(
    province, monkeypatch, case, code
):
    content, name, kind = good_list(), "list.csv", "thaiqm"
    if case == "kind":
        kind = "survey"
    elif case == "size":
        monkeypatch.setattr(contract, "MAX_BYTES", 10)
    elif case == "pdf":
        content, name = corpus.PDF, "list.csv"
    else:
        content, name = corpus.OLD_XLS, "list.xls"
    before = stored()
    with pytest.raises(services.ImportRefused) as e:
        services.list_import_start(
            ctx=web(province), upload=upload(content, name), name="", kind=kind
        )
    assert e.value.code == code
    assert stored() == before


def test_a_refused_file_says_why_in_the_readers_language(province):
    with pytest.raises(services.ImportRefused) as e:
        services.list_import_start(
            ctx=web(province), upload=upload(corpus.PDF, "scan.csv"), name="", kind="thaiqm"
        )
    with translation.override("th"):
        assert "ไฟล์นี้เป็นเอกสาร PDF" in e.value.message
    with translation.override("en"):
        assert "PDF" in e.value.message and "ไฟล์" not in e.value.message
    assert e.value.as_data()["code"] == "imports.file_refused"


def test_without_a_registry_there_is_nothing_to_match(make_user, db):
    assert not RegistryYear.objects.exists()
    user = make_user(Role.PROVINCE, "34")
    with pytest.raises(services.ImportRefused) as e:
        services.list_import_start(
            ctx=web(user), upload=upload(b"pin\n1\n"), name="", kind="thaiqm"
        )
    assert e.value.code == "imports.no_registry"
    assert not Job.objects.exists()


@pytest.mark.parametrize("role,area", [(Role.DISTRICT, "3401"), (Role.MENTOR, "340101")])
def test_only_importers_start_an_import(make_user, registry, role, area):
    before = stored()
    with pytest.raises(errors.Refused) as e:
        services.list_import_start(
            ctx=web(make_user(role, area)), upload=upload(good_list()), name="", kind="thaiqm"
        )
    assert e.value.code == "imports.may_not_import"
    assert stored() == before


def test_a_file_the_reader_refuses_fails_the_job_and_stores_nothing(province):
    before = stored()
    job = services.list_import_start(
        ctx=web(province), upload=upload(csv_bytes([]), "header_only.csv"), name="", kind="thaiqm"
    )
    assert (job.state, job.error_code) == ("failed", "imports.file_refused")
    assert job.error_params["reason"]["th"].startswith("ไฟล์ไม่มีแถวข้อมูล")
    assert stored()[:5] == before[:5] and stored()[6] == before[6]  # only the job row is new


def test_an_upload_gone_before_its_turn_fails_with_a_reason(province, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = services.list_import_start(
        ctx=web(province), upload=upload(good_list()), name="", kind="thaiqm"
    )
    assert job.state == "queued" and default_storage.exists(job.params["stored"])
    default_storage.delete(job.params["stored"])
    job_run(job_id=str(job.pk))
    job.refresh_from_db()
    assert (job.state, job.error_code) == ("failed", "imports.upload_gone")
    assert not ListImport.objects.exists()


def test_the_import_reports_its_progress(province):
    reports = []
    imp = services.list_import(
        upload=ContentFile(good_list(), name="uploads/abc.csv"),
        file_name="ThaiQM.csv",
        name="ThaiQM",
        kind="thaiqm",
        ctx=Context.task(actor=province),
        on_progress=lambda **kw: reports.append(kw),
    )
    texts = [r["message"]["text"] for r in reports if "message" in r]
    assert texts == [
        "reading the file",
        "matching %(n)s good rows with the registry",
        "writing the import",
    ]
    assert reports[1]["total"] == 2 and reports[-1] == {"done": 2}
    assert imp.file_name == "ThaiQM.csv"
    assert set(AuditEvent.objects.filter(action="import").values_list("channel", flat=True)) == {
        "task"
    }
