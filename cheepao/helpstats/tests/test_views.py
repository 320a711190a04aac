"""The statistics pages: own area 200, an area outside 404 (and nothing changed), an
agency account sees its own office's lines only, the XLSX export has safe cells."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.helpstats.models import MonthFigures
from cheepao.helpstats.services import month_compute
from cheepao.jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(month_world):
    month_compute(ctx=Context.cli(), month="2568-11")
    return month_world


def test_the_district_sees_its_month_targets_and_agencies(computed, client, sign_in, make_user):
    w = computed
    sign_in(client, make_user("district", w["district"]))
    page = client.get(reverse("helpstats:month"), {"month": "2568-11"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="stats-acts">2<' in html and 'id="stats-baht">1,700<' in html
    assert 'id="stats-overdue">1<' in html and 'id="stats-escalated">1<' in html
    assert "สำนักงานสาธารณสุขอำเภอทดสอบ" in html and "=มูลนิธิทดสอบ" in html
    # Targets against their deadlines: November is past March and September, not December.
    assert 'data-target="recorded" data-state="missed"' not in html  # attribute order
    assert 'data-state="missed" data-target="recorded"' in html
    assert 'data-state="not_yet" data-target="helped_all"' in html
    assert "พ.ย. 2568" in html


def test_an_agency_account_sees_its_own_office_only(computed, client, sign_in, make_user):
    w = computed
    sign_in(client, make_user("agency", w["district"], body=w["health"]))
    html = client.get(reverse("helpstats:month"), {"month": "2568-11"}).content.decode()
    assert 'id="stats-body">สำนักงานสาธารณสุขอำเภอทดสอบ<' in html
    assert 'id="stats-sent">3<' in html  # its three referrals, not the district's five
    assert "=มูลนิธิทดสอบ" not in html
    # Another office's account, and an account with no office: nothing to read.
    for user in (
        make_user("agency", w["district"], body=w["foundation"]),
        make_user("agency", w["district"]),
    ):
        sign_in(client, user)
        assert 'id="stats-sent">3<' not in client.get(reverse("helpstats:month")).content.decode()
    assert client.get(reverse("helpstats:area", args=[w["district"]])).status_code == 404


def test_an_area_outside_is_404_and_nothing_changes(computed, client, sign_in, make_user):
    w = computed
    other = "3402" if w["district"] != "3402" else "3401"
    sign_in(client, make_user("district", other))
    before = (list(MonthFigures.objects.values()), AuditEvent.objects.count(), Job.objects.count())
    for code in (w["district"], w["one"].village_code, w["district"][:2], "x", "123"):
        url = reverse("helpstats:area", args=[code])
        assert client.get(url, {"month": "2568-11"}).status_code == 404, code
        assert client.get(url, {"month": "2568-11", "format": "xlsx"}).status_code == 404
        assert client.post(url, {"action": "compute", "month": "2568-11"}).status_code == 404
    assert (
        list(MonthFigures.objects.values()),
        AuditEvent.objects.count(),
        Job.objects.count(),
    ) == before
    sign_in(client, make_user("mentor", w["one"].village_code))
    assert client.get(reverse("helpstats:area", args=[w["district"]])).status_code == 404
    assert client.get(reverse("helpstats:area", args=[w["one"].village_code])).status_code == 200


def test_the_xlsx_has_the_figures_and_safe_cells(computed, client, sign_in, make_user):
    w = computed
    sign_in(client, make_user("province", w["district"][:2]))
    url = reverse("helpstats:area", args=[w["district"]])
    response = client.get(url, {"month": "2568-11", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert 1700 in values and "=มูลนิธิทดสอบ" in values
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    # The export is audited: who took which area's month.
    from cheepao.audit.models import AuditEvent

    row = AuditEvent.objects.get(object_type="helpstats.month", action="export")
    assert (row.object_id, row.area_code) == ("2568-11", w["district"])


def test_computing_again_from_the_page_starts_a_job(computed, client, sign_in, make_user):
    w = computed
    sign_in(client, make_user("district", w["district"]))
    url = reverse("helpstats:area", args=[w["district"]])
    response = client.post(url, {"action": "compute", "month": "2568-11"})
    job = Job.objects.get(kind="helpstats.compute")
    assert response.status_code == 302 and response["Location"] == reverse(
        "jobs:detail", args=[job.pk]
    )
    assert job.params == {"months": ["2568-11"], "area": w["district"]}
