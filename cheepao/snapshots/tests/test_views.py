"""The snapshots page over HTTP: an account's own area's months, the build button (a job),
the close button (refusals shown, nothing changed), 404 for accounts that read none."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cheepao.core.context import Context
from cheepao.jobs.models import Job
from cheepao.snapshots.models import AreaMonth
from cheepao.snapshots.services import month_build
from cheepao.snapshots.tests.conftest import MONTH
from cheepao.snapshots.tests.test_services import table

pytestmark = pytest.mark.django_db
URL = "/snapshots/"


def test_the_url_is_agreed():
    assert reverse("snapshots:months") == URL


def test_the_subdistrict_reads_its_months_and_closes_one(snapshot_world, client, sign_in):
    w = snapshot_world
    month_build(ctx=Context.cli(), month="2568-11")
    team = w["team"]
    sign_in(client, team)
    page = client.get(URL).content.decode()
    assert 'data-month="2568-11" data-closed="no"' in page
    assert 'value="close"' in page and "พ.ย. 2568" in page
    response = client.post(URL, {"action": "close", "month": "2568-11"})
    assert response.status_code == 302
    row = AreaMonth.objects.get(month=MONTH, area_code=team.area_code)
    assert row.closed and row.closed_by == team
    page = client.get(URL).content.decode()
    assert 'data-month="2568-11" data-closed="yes"' in page
    assert 'value="close"' not in page


def test_the_district_is_told_which_subdistricts_are_open(snapshot_world, client, sign_in,
                                                          make_user):  # fmt: skip
    w = snapshot_world
    month_build(ctx=Context.cli(), month="2568-11")
    sign_in(client, make_user("district", w["district"]))
    page = client.get(URL).content.decode()
    assert 'class="snap-still-open"' in page
    assert 'value="close"' not in page  # not while a subdistrict under it is open
    before = table()
    response = client.post(URL, {"action": "close", "month": "2568-11"}, follow=True)
    assert response.status_code == 200
    assert "ยังไม่ได้ปิดเดือน" in response.content.decode()
    assert table() == before


def test_the_build_button_queues_a_job_of_the_own_area(snapshot_world, client, sign_in,
                                                        make_user):  # fmt: skip
    w = snapshot_world
    user = make_user("district", w["district"])
    sign_in(client, user)
    assert 'id="snap-none"' in client.get(URL).content.decode()
    response = client.post(URL, {"action": "build", "month": "2568-11"})
    job = Job.objects.get(kind="snapshots.build")
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    assert job.params == {"months": ["2568-11"], "area": w["district"]}
    assert AreaMonth.objects.filter(month=MONTH, area_code=w["district"]).exists()


def test_accounts_that_may_not_act_get_404_and_nothing_changes(snapshot_world, client, sign_in,
                                                                make_user):  # fmt: skip
    w = snapshot_world
    month_build(ctx=Context.cli(), month="2568-11")
    before, jobs = table(), Job.objects.count()
    sign_in(client, make_user("agency", w["district"], body=w["health"]))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"action": "build", "month": "2568-11"}).status_code == 404
    mentor = make_user("mentor", w["one"].village_code)
    sign_in(client, mentor)
    assert client.get(URL).status_code == 200
    assert client.post(URL, {"action": "close", "month": "2568-11"}).status_code == 404
    district = make_user("district", w["district"])
    sign_in(client, district)
    assert client.post(URL, {"action": "build", "month": "11-2568"}).status_code == 404
    assert client.post(URL, {"action": "nothing", "month": "2568-11"}).status_code == 404
    assert table() == before and Job.objects.count() == jobs
