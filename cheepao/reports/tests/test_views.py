"""The reports page over HTTP: the own area's report requested and downloaded, another
district's request and download 404 with nothing written, the other exports linked."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from cheepao.audit.models import AuditEvent
from cheepao.jobs.models import Job
from cheepao.reports.tests.conftest import DISTRICT, MONTH_CODE

pytestmark = pytest.mark.django_db


def request(client, area=DISTRICT, month=MONTH_CODE, fmt="xlsx", kind="monthly"):
    return client.post(
        reverse("reports:request"), {"kind": kind, "area": area, "month": month, "fmt": fmt}
    )


def test_the_district_requests_lists_and_downloads_its_report(
    snapshots, client, sign_in, make_user
):
    user = make_user("district", DISTRICT)
    sign_in(client, user)
    page = client.get(reverse("reports:index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<option value="{MONTH_CODE}" selected>พ.ย. 2569</option>' in html
    assert f'<option value="{DISTRICT}">' in html and '<option value="3402">' not in html
    assert f'<option value="{snapshots["subdistricts"][0].area_code}">' in html
    answer = request(client)
    assert answer.status_code == 302 and answer["Location"] == reverse("reports:index")
    job = Job.objects.get(started_by=user)
    html = client.get(reverse("reports:index")).content.decode()
    download = reverse("reports:download", args=[job.pk])
    assert f'href="{download}"' in html and job.result_name in html
    got = client.get(download)
    assert got.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(got.streaming_content))).active
    assert ws["B8"].value == "รวม" and ws["C8"].value == snapshots["district"].targets
    actions = list(
        AuditEvent.objects.filter(object_type="reports.monthly")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "export", "export"]


def test_another_districts_report_is_404_and_nothing_written(snapshots, client, sign_in, make_user):
    owner = make_user("district", DISTRICT)
    sign_in(client, owner)
    request(client)
    job = Job.objects.get(started_by=owner)
    sign_in(client, make_user("district", "3402"))
    jobs, events = Job.objects.count(), AuditEvent.objects.count()
    assert request(client).status_code == 404
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert (Job.objects.count(), AuditEvent.objects.count()) == (jobs, events)


def test_a_bad_request_shows_why_and_writes_nothing(snapshots, client, sign_in, make_user):
    sign_in(client, make_user("district", DISTRICT))
    events = AuditEvent.objects.count()
    page = request(client, fmt="docx")
    assert page.status_code == 400
    assert 'id="report-error"' in page.content.decode()
    assert not Job.objects.exists() and AuditEvent.objects.count() == events
    assert client.get(reverse("reports:request")).status_code == 405


def test_the_page_links_the_other_exports_of_the_area(snapshots, client, sign_in, make_user):
    sub = snapshots["subdistricts"][0].area_code
    sign_in(client, make_user("subdistrict", sub))
    html = client.get(reverse("reports:index")).content.decode()
    for url in (
        reverse("households:subdistrict", args=[sub]),
        reverse("households:search"),
        reverse("plans:area_xlsx", args=[sub]),
        reverse("plans:area_pdf", args=[sub]),
        reverse("helpstats:month") + "?format=xlsx",
    ):
        assert f'href="{url}"' in html
    village = sub + "01"
    client.logout()
    sign_in(client, make_user("mentor", village))
    html = client.get(reverse("reports:index")).content.decode()
    assert f'href="{reverse("households:village_export", args=[village])}"' in html
    assert 'id="report-none"' in html  # no snapshot of the village


def test_an_agency_sees_only_its_statistics_export(snapshots, client, sign_in, make_user):
    sign_in(client, make_user("agency", DISTRICT))
    html = client.get(reverse("reports:index")).content.decode()
    assert 'id="report-none"' in html and 'id="report-request"' not in html
    assert f'href="{reverse("helpstats:month")}?format=xlsx"' in html
    assert reverse("households:search") not in html.split('id="report-exports"')[1]
    assert 'href="/reports/"' in html  # the menu entry


def test_the_page_reads_in_english_and_the_file_stays_thai(snapshots, client, sign_in, make_user):
    sign_in(client, make_user("district", DISTRICT))
    client.cookies["django_language"] = "en"
    html = client.get(reverse("reports:index")).content.decode()
    assert '<h1 tabindex="-1">Reports</h1>' in html and "Request a monthly report" in html
    assert '<option value="2569-11" selected>Nov 2569 BE</option>' in html
    request(client)
    html = client.get(reverse("reports:index")).content.decode()
    assert "Monthly report" in html and "done" in html
    job = Job.objects.get()
    got = client.get(reverse("reports:download", args=[job.pk]))
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(got.streaming_content))).active
    assert ws["A1"].value.startswith("รายงานผลการขจัดความยากจน") and ws["B4"].value == "ตำบล"
