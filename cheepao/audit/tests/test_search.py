"""The audit search (national only), its CSV export, and the append-only rule."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from cheepao.accounts.roles import Role
from cheepao.audit.models import AppendOnly, AuditEvent
from cheepao.audit.services import audit_record
from cheepao.core.context import Context
from cheepao.jobs.models import Job

pytestmark = pytest.mark.django_db
BKK = ZoneInfo("Asia/Bangkok")


def _event(at: datetime, *, actor, **fields) -> AuditEvent:
    with mock.patch("django.utils.timezone.now", return_value=at):
        return audit_record(ctx=Context.cli(actor), **fields)


@pytest.fixture
def national(client, make_user, sign_in):
    user = make_user(Role.NATIONAL, "")
    sign_in(client, user)
    return user


@pytest.fixture
def events(make_user):
    """A small log: two users, three days (Bangkok time), three areas."""
    somchai = make_user(Role.DISTRICT, "3401", username="somchai")
    malee = make_user(Role.PROVINCE, "34", username="malee")
    day = lambda d, h=10: datetime(2025, 11, d, h, 0, tzinfo=BKK)  # noqa: E731
    made = [
        _event(
            day(20),
            actor=somchai,
            action="view",
            object_type="households.household",
            object_id=7,
            area_code="34010101",
            summary="folder",
        ),
        _event(
            day(20, 23),
            actor=somchai,
            action="view",
            object_type="households.household",
            object_id=8,
            area_code="34010102",
            summary="folder",
        ),
        _event(
            day(21, 0),
            actor=somchai,
            action="update",
            object_type="households.household",
            object_id=7,
            area_code="34010101",
            summary="marks",
        ),
        _event(
            day(21),
            actor=malee,
            action="export",
            object_type="imports.listimport",
            object_id=1,
            area_code="34",
            summary="rejects",
        ),
        _event(
            day(22),
            actor=malee,
            action="view",
            object_type="households.household",
            object_id=9,
            area_code="35010101",
            summary="folder",
        ),
        _event(day(22), actor=None, action="login_failed", summary="bad password"),
    ]
    return made


def _ids(response) -> list[int]:
    return [e.pk for e in response.context["page"]]


@pytest.mark.parametrize(
    "query,expected",
    [
        ({}, [5, 4, 3, 2, 1, 0]),
        ({"username": "somchai"}, [2, 1, 0]),
        ({"username": "MALEE"}, [4, 3]),
        ({"action": "view"}, [4, 1, 0]),
        ({"object_type": "households.household"}, [4, 2, 1, 0]),
        ({"object_type": "households.household", "object_id": "7"}, [2, 0]),
        ({"area_prefix": "3401"}, [2, 1, 0]),
        ({"area_prefix": "34"}, [3, 2, 1, 0]),
        ({"date_from": "2025-11-21"}, [5, 4, 3, 2]),
        ({"date_to": "2025-11-20"}, [1, 0]),
        ({"date_from": "2568-11-21", "date_to": "2568-11-21"}, [3, 2]),  # Buddhist Era typed
        ({"username": "somchai", "action": "view", "date_to": "2025-11-20"}, [1, 0]),
        ({"username": "nobody"}, []),
    ],
)
def test_search_filters_with_exact_results(client, national, events, query, expected):
    # Signing in is recorded too (today, by the national user): newer than the test log.
    mine = list(
        AuditEvent.objects.filter(actor=national)
        .order_by("-at", "-id")
        .values_list("pk", flat=True)
    )
    if set(query) - {"date_from"}:
        mine = []
    response = client.get(reverse("audit:search"), query)
    assert response.status_code == 200
    assert _ids(response) == mine + [events[i].pk for i in expected]
    assert response.context["page"].paginator.count == len(mine) + len(expected)


def test_bad_filters_redisplay_the_form(client, national, events):
    response = client.get(
        reverse("audit:search"), {"date_from": "2025-11-22", "date_to": "2025-11-20"}
    )
    assert response.status_code == 400
    assert response.context["page"] is None
    assert client.get(reverse("audit:search"), {"area_prefix": "34x"}).status_code == 400


def test_the_page_shows_buddhist_era_dates(client, national, events):
    html = client.get(reverse("audit:search"), {"username": "malee"}).content.decode()
    assert "22 พ.ย. 2568 เวลา 10:00 น." in html


def test_pages_of_100_newest_first(client, national):
    for i in range(150):
        audit_record(ctx=Context.cli(national), action="search", summary=f"n{i}")
    first = client.get(reverse("audit:search"), {"action": "search"})
    second = client.get(reverse("audit:search"), {"action": "search", "page": 2})
    s1 = [e.summary for e in first.context["page"]]
    s2 = [e.summary for e in second.context["page"]]
    assert len(s1) == 100 and len(s2) == 50
    assert s1[0] == "n149" and s2[-1] == "n0"
    assert 'href="?action=search&amp;page=2"' in first.content.decode()


def test_export_is_the_whole_result_and_is_itself_audited(client, national, events):
    """The search page posts its search to start a background job (run at once here); the
    job's page offers the file to its maker; making it and each download are audit rows."""
    page = client.get(reverse("audit:search"), {"username": "somchai"}).content.decode()
    assert f'<form method="post" action="{reverse("audit:export")}"' in page
    assert '<input type="hidden" name="username" value="somchai">' in page
    before = AuditEvent.objects.count()
    response = client.post(reverse("audit:export"), {"username": "somchai"})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.state, job.started_by) == ("audit.export", "done", national)
    assert job.params == {"filter": {"username": "somchai"}} and job.result == {"records": 3}
    made = AuditEvent.objects.latest("id")
    assert (made.action, made.actor, made.object_type, made.channel) == (
        "export",
        national,
        "audit.auditevent",
        "task",
    )
    assert made.changes == {"filter": {"username": "somchai"}, "records": 3, "job": str(job.pk)}
    assert AuditEvent.objects.count() == before + 1

    job_page = client.get(response["Location"]).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in job_page
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    assert "no-store" in download["Cache-Control"]
    assert download["Content-Disposition"].startswith('attachment; filename="cheepao_audit_')
    text = b"".join(download.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == [
        "at",
        "user",
        "action",
        "object_type",
        "object_id",
        "area_code",
        "summary",
        "ip",
        "changes",
    ]
    assert [(r[1], r[2], r[4]) for r in rows[1:]] == [
        ("somchai", "update", "7"),
        ("somchai", "view", "8"),
        ("somchai", "view", "7"),
    ]
    assert rows[-1][0] == "2025-11-20T10:00:00+07:00"
    assert AuditEvent.objects.count() == before + 2
    taken = AuditEvent.objects.latest("id")
    assert (taken.action, taken.actor, taken.object_type, taken.ip, taken.channel) == (
        "export",
        national,
        "audit.auditevent",
        "127.0.0.1",
        "web",
    )
    assert taken.changes == {
        "filter": {"username": "somchai"},
        "records": 3,
        "job": str(job.pk),
        "download": True,
    }


def test_the_export_holds_the_rows_that_existed_when_it_began(national, events):
    from cheepao.audit import services
    from cheepao.audit.selectors import AuditFilter
    from cheepao.core.context import Context

    there = AuditEvent.objects.count()
    job = services.audit_export_start(ctx=Context(actor=national), audit_filter=AuditFilter())
    # every event there was, and nothing written since (the export's own row included)
    assert job.result == {"records": there}
    assert AuditEvent.objects.count() == there + 1


def test_an_export_needs_a_post_and_a_valid_search(client, national, events):
    before = AuditEvent.objects.count()
    assert client.get(reverse("audit:export"), {"username": "somchai"}).status_code == 405
    assert client.post(reverse("audit:export"), {"date_from": "yesterday"}).status_code == 400
    assert AuditEvent.objects.count() == before and not Job.objects.exists()


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
def test_other_roles_get_404_and_nothing_is_recorded(
    client, make_user, sign_in, events, role, area
):
    sign_in(client, make_user(role, area))
    before = AuditEvent.objects.count()
    assert client.get(reverse("audit:search")).status_code == 404
    assert client.get(reverse("audit:search"), {"username": "somchai"}).status_code == 404
    assert client.get(reverse("audit:export"), {"username": "somchai"}).status_code == 404
    assert client.post(reverse("audit:export"), {"username": "somchai"}).status_code == 404
    assert AuditEvent.objects.count() == before
    assert not Job.objects.exists()


def test_events_cannot_be_changed_or_deleted(events):
    event = AuditEvent.objects.get(pk=events[0].pk)
    snapshot = list(AuditEvent.objects.order_by("pk").values())
    event.summary = "rewritten"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(summary="rewritten")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.all().delete()
    assert list(AuditEvent.objects.order_by("pk").values()) == snapshot


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
def test_postgresql_trigger_refuses_raw_sql(events):
    event = events[0]
    snapshot = list(AuditEvent.objects.order_by("pk").values())
    table = AuditEvent._meta.db_table
    for sql, params in (
        (f"UPDATE {table} SET summary = %s WHERE id = %s", ["rewritten", event.pk]),
        (f"DELETE FROM {table} WHERE id = %s", [event.pk]),
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
    assert list(AuditEvent.objects.order_by("pk").values()) == snapshot


def test_signed_out_visitors_are_sent_to_sign_in(client, events):
    before = AuditEvent.objects.count()
    for name in ("audit:search", "audit:export"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    assert AuditEvent.objects.count() == before
