"""The notification pages over HTTP: the inbox (own only, newest first, unread marked),
opening one (marks it read, goes only to a path inside Cheepao), mark all read, the
channels page, and the bell on every page. Another account's notification is a 404 and
nothing changes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.notifications import services
from cheepao.notifications.context import bell
from cheepao.notifications.models import Notification, Preference
from cheepao.plans import notices

pytestmark = pytest.mark.django_db

LINE_ID = "U" + "ab" * 16


@pytest.fixture
def people(make_user):
    return {
        "actor": make_user("subdistrict", "340101"),
        "mentor": make_user("mentor", "34010101"),
        "other": make_user("mentor", "34010101"),
    }


def send(people, user, number, url="/notifications/settings/"):
    return services.notify(
        ctx=Context.cli(people["actor"]),
        users=[user],
        kind=notices.RETURNED,
        url=url,
        number=number,
        household="UBN-00042",
    )[0]


def state():
    return (
        list(Notification.objects.order_by("pk").values()),
        list(Preference.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


def test_the_inbox_shows_ones_own_newest_first_unread_marked(people, client, sign_in):
    first = send(people, people["mentor"], 1)
    send(people, people["mentor"], 2)
    send(people, people["other"], 3)
    services.notification_read(ctx=Context.cli(people["mentor"]), notification_id=first.pk)
    sign_in(client, people["mentor"])
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("แผนพัฒนาครัวเรือนฉบับที่ 2") < html.index("แผนพัฒนาครัวเรือนฉบับที่ 1")
    assert "ฉบับที่ 3" not in html
    assert html.count('class="notification unread"') == 1
    assert "ยังไม่ได้อ่าน 1 รายการ" in html


def test_opening_ones_own_marks_it_read_and_goes_to_its_place(people, client, sign_in):
    n = send(people, people["mentor"], 1)
    sign_in(client, people["mentor"])
    response = client.post(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302 and response.url == "/notifications/settings/"
    n.refresh_from_db()
    assert n.read_at is not None


@pytest.mark.parametrize("url", ["//evil.example/x", "https://evil.example/", ""])
def test_a_place_outside_cheepao_is_never_followed(people, client, sign_in, url):
    n = send(people, people["mentor"], 1, url=url)
    sign_in(client, people["mentor"])
    response = client.post(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302 and response.url == reverse("notifications:inbox")


def test_another_accounts_notification_is_404_and_nothing_changes(people, client, sign_in):
    n = send(people, people["mentor"], 1)
    sign_in(client, people["other"])
    before = state()
    for pk in (n.pk, n.pk + 1000):
        assert client.post(reverse("notifications:open", args=[pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[n.pk])).status_code == 405
    assert client.post(reverse("notifications:read_all")).status_code == 302
    assert "ฉบับที่ 1" not in client.get(reverse("notifications:inbox")).content.decode()
    assert state() == before


def test_signed_out_is_sent_to_sign_in_and_nothing_changes(people, client):
    n = send(people, people["mentor"], 1)
    before = state()
    for url in (reverse("notifications:open", args=[n.pk]), reverse("notifications:read_all")):
        assert client.post(url).status_code == 302
    assert client.get(reverse("notifications:inbox")).status_code == 302
    assert state() == before


def test_mark_all_read(people, client, sign_in):
    send(people, people["mentor"], 1)
    send(people, people["mentor"], 2)
    theirs = send(people, people["other"], 3)
    sign_in(client, people["mentor"])
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "การแจ้งเตือนทั้งหมดของท่านถูกทำเครื่องหมายว่าอ่านแล้ว" in response.content.decode()
    assert not Notification.objects.filter(user=people["mentor"], read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_channels_page(people, client, sign_in):
    sign_in(client, people["mentor"])
    url = reverse("notifications:preferences")
    html = client.get(url).content.decode()
    assert "ระบบชี้เป้านี้ยังไม่ได้เปิดการส่งข้อความทาง LINE" in html
    assert "บัญชีของท่านไม่มีที่อยู่อีเมล" in html
    response = client.post(url, {"line": "on", "line_user_id": LINE_ID})
    assert response.status_code == 302
    pref = Preference.objects.get(user=people["mentor"])
    assert (pref.email, pref.line, pref.line_user_id) == (False, True, LINE_ID)


def test_a_bad_line_user_id_is_shown_in_thai_and_nothing_changes(people, client, sign_in):
    sign_in(client, people["mentor"])
    before = state()
    response = client.post(
        reverse("notifications:preferences"), {"line": "on", "line_user_id": "@somchai"}
    )
    assert response.status_code == 400
    assert "รหัสผู้ใช้ LINE ขึ้นต้นด้วยตัวอักษร U" in response.content.decode()
    assert 'value="@somchai"' in response.content.decode()  # what was typed is kept
    assert state() == before


# ---------------------------------------------------------------- the bell


def test_the_bell_counts_unread_on_every_page_in_one_query(people, client, sign_in):
    send(people, people["mentor"], 1)
    send(people, people["mentor"], 2)
    send(people, people["other"], 3)
    sign_in(client, people["mentor"])
    html = client.get(reverse("households:home")).content.decode()
    assert 'class="bell bell-unread" href="/notifications/"' in html
    assert '<span class="bell-count">2</span>' in html
    request = RequestFactory().get("/")
    request.user = people["mentor"]
    with CaptureQueriesContext(connection) as queries:
        assert bell(request) == {"bell": {"unread": 2}}
    assert len(queries) == 1
    services.notifications_read_all(ctx=Context.cli(people["mentor"]))
    html = client.get(reverse("households:home")).content.decode()
    assert '<span class="bell-count">0</span>' in html and "bell-unread" not in html


def test_no_bell_for_the_signed_out(client):
    html = client.get("/").content.decode()
    assert "bell-count" not in html
