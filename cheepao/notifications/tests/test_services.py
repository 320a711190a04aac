"""The notification verbs through the service interface: notify and its copies (e-mail in
django.core.mail.outbox, LINE through a replaced sender, never the network), reading one's
own notifications, and the account's channels; every refusal with its code and nothing
changed."""

from __future__ import annotations

import json
import urllib.request

import pytest
from django.core import mail
from django.db import transaction

from cheepao.audit.models import AuditEvent
from cheepao.core import errors
from cheepao.core.context import Context
from cheepao.notifications import channels, services
from cheepao.notifications.models import Notification, Preference
from cheepao.plans import notices

pytestmark = pytest.mark.django_db

LINE_ID = "U" + "0123456789abcdef" * 2


def state():
    return (
        list(Notification.objects.order_by("pk").values()),
        list(Preference.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


def refused(exc_type, code, call, **kwargs):
    before = state()
    with pytest.raises(exc_type) as caught:
        call(**kwargs)
    assert caught.value.code == code
    assert state() == before


@pytest.fixture
def people(make_user):
    return {
        "actor": make_user("subdistrict", "340101", email="team@example.org"),
        "mentor": make_user("mentor", "34010101", email="mentor@example.org"),
        "other": make_user("mentor", "34010101", email="other@example.org"),
        "no_mail": make_user("mentor", "34010101"),
    }


def send(people, *users, kind=notices.RETURNED, url="/plans/household/1/", **args):
    args = args or {"number": 2, "household": "UBN-00042"}
    return services.notify(
        ctx=Context.cli(people["actor"]), users=users, kind=kind, url=url, **args
    )


def test_notify_leaves_out_the_actor_inactive_accounts_and_repeats(people, make_user):
    gone = make_user("mentor", "34010101", is_active=False)
    made = send(people, people["mentor"], people["mentor"], people["actor"], gone, None)
    assert [n.user for n in made] == [people["mentor"]]
    assert made[0].args == {"number": "2", "household": "UBN-00042"}
    with pytest.raises(ValueError):
        send(people, people["mentor"], kind="nobody.defined")


def test_one_thai_mail_per_notification_after_commit(
    people, django_capture_on_commit_callbacks, line_sent
):
    with django_capture_on_commit_callbacks(execute=True):
        made = send(people, people["mentor"], people["other"], people["no_mail"])
        assert mail.outbox == []  # nothing leaves before the verb commits
    assert len(made) == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["mentor@example.org", "other@example.org"]
    assert all(len(m.to) == 1 for m in mail.outbox)
    message = mail.outbox[0]
    assert (
        message.subject
        == (
            "ชี้เป้า: แผนพัฒนาครัวเรือนฉบับที่ 2 ของครัวเรือน UBN-00042 ถูกส่งกลับไปยังทีมพี่เลี้ยง"
            "พร้อมความเห็น โปรดเปิดแผนเพื่ออ่านความเห็น"
        )[:119]
        + "…"
    )
    assert "เปิดดูในชี้เป้า: /plans/household/1/" in message.body
    assert "ท่านได้รับข้อความนี้ตามการตั้งค่าการแจ้งเตือน" in message.body
    assert line_sent == []  # LINE is off by default


def test_nothing_is_sent_when_the_verb_does_not_commit(
    people, django_capture_on_commit_callbacks, line_sent
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send(people, people["mentor"])
        raise RuntimeError("the verb failed")
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_an_account_that_turned_e_mail_off_gets_none(people, django_capture_on_commit_callbacks):
    services.preferences_set(ctx=Context.cli(people["mentor"]), email=False)
    with django_capture_on_commit_callbacks(execute=True):
        send(people, people["mentor"], people["other"])
    assert [m.to for m in mail.outbox] == [["other@example.org"]]


def test_a_failed_mail_never_undoes_the_verb(
    people, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    tried = []

    def broken(*args, **kwargs):
        tried.append(args)
        raise OSError("mail server down")

    monkeypatch.setattr(channels, "send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        send(people, people["mentor"], people["other"])
    assert Notification.objects.count() == 2
    assert len(tried) == 1  # the rest of the batch does not hammer a server that is down
    assert "not sent" in caplog.text


def test_line_is_off_by_default_even_for_an_account_that_asked(
    people, django_capture_on_commit_callbacks, line_sent, settings
):
    assert settings.CHEEPAO_LINE_CHANNEL_TOKEN == ""
    services.preferences_set(
        ctx=Context.cli(people["mentor"]), email=False, line=True, line_user_id=LINE_ID
    )
    with django_capture_on_commit_callbacks(execute=True):
        send(people, people["mentor"])
    assert line_sent == [] and mail.outbox == []


def test_line_when_switched_on(people, django_capture_on_commit_callbacks, line_sent, settings):
    settings.CHEEPAO_LINE_CHANNEL_TOKEN = "channel-token"
    settings.CHEEPAO_SITE_URL = "https://cheepao.example/"
    services.preferences_set(
        ctx=Context.cli(people["mentor"]), email=True, line=True, line_user_id=LINE_ID
    )
    with django_capture_on_commit_callbacks(execute=True):
        made = send(people, people["mentor"], people["other"])
    assert len(line_sent) == 1  # `other` did not switch LINE on
    token, to, text, key = line_sent[0]
    assert (token, to) == ("channel-token", LINE_ID)
    assert text.startswith("แผนพัฒนาครัวเรือนฉบับที่ 2 ของครัวเรือน UBN-00042")
    assert "เปิดดูในชี้เป้า: https://cheepao.example/plans/household/1/" in text
    assert len(key) == 36  # a UUID, the same for the same notification
    assert len(mail.outbox) == 2
    assert made[0].read_at is None


def test_a_failed_line_push_is_logged_never_raised_and_not_repeated(
    people, monkeypatch, django_capture_on_commit_callbacks, settings, caplog
):
    settings.CHEEPAO_LINE_CHANNEL_TOKEN = "channel-token"
    tried = []

    def broken(**kwargs):
        tried.append(kwargs["to"])
        raise TimeoutError("LINE did not answer")

    monkeypatch.setattr(channels, "line_post", broken)
    for who in ("mentor", "other"):
        services.preferences_set(
            ctx=Context.cli(people[who]), email=False, line=True, line_user_id=LINE_ID
        )
    with django_capture_on_commit_callbacks(execute=True):
        send(people, people["mentor"], people["other"])
    assert Notification.objects.count() == 2
    assert tried == [LINE_ID]
    assert "LINE message of notification" in caplog.text


def test_the_line_request_itself(monkeypatch):
    """The real sender's request (URL, headers, body, timeout), caught before the network."""
    seen = {}

    class Answer:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self):
            return b"{}"

    def fake_urlopen(request, timeout):
        seen.update(
            url=request.full_url,
            method=request.get_method(),
            headers=dict(request.header_items()),
            body=json.loads(request.data.decode("utf-8")),
            timeout=timeout,
        )
        return Answer()

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    channels.line_post(token="tok", to=LINE_ID, text="สวัสดี", retry_key="k-1")
    assert seen == {
        "url": "https://api.line.me/v2/bot/message/push",
        "method": "POST",
        "headers": {
            "Authorization": "Bearer tok",
            "Content-type": "application/json",
            "X-line-retry-key": "k-1",
        },
        "body": {"to": LINE_ID, "messages": [{"type": "text", "text": "สวัสดี"}]},
        "timeout": channels.LINE_TIMEOUT,
    }


# ---------------------------------------------------------------- reading one's own


def test_opening_marks_read_once_with_its_audit_row(people):
    n = send(people, people["mentor"])[0]
    ctx = Context.cli(people["mentor"])
    audit = AuditEvent.objects.count()
    opened = services.notification_read(ctx=ctx, notification_id=n.pk)
    assert opened.read_at is not None
    assert AuditEvent.objects.count() == audit + 1
    first = opened.read_at
    again = services.notification_read(ctx=ctx, notification_id=n.pk)
    assert again.read_at == first and AuditEvent.objects.count() == audit + 1


def test_another_accounts_notification_is_not_found(people):
    n = send(people, people["mentor"])[0]
    for pk in (n.pk, n.pk + 1000, "x"):
        refused(
            errors.NotFound,
            "access.not_found",
            services.notification_read,
            ctx=Context.cli(people["other"]),
            notification_id=pk,
        )
    refused(
        errors.Refused,
        "access.denied",
        services.notification_read,
        ctx=Context.cli(None),
        notification_id=n.pk,
    )


def test_mark_all_read_touches_only_ones_own(people):
    send(people, people["mentor"], people["other"])
    send(people, people["mentor"])
    assert services.notifications_read_all(ctx=Context.cli(people["mentor"])) == 2
    assert not Notification.objects.filter(user=people["mentor"], read_at__isnull=True).exists()
    assert Notification.objects.get(user=people["other"]).read_at is None
    audit = AuditEvent.objects.count()
    assert services.notifications_read_all(ctx=Context.cli(people["mentor"])) == 0
    assert AuditEvent.objects.count() == audit


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("/plans/household/1/", "/plans/household/1/"),
        ("//evil.example/", ""),
        ("https://evil.example/", ""),
        ("/\\evil.example", ""),
        ("", ""),
    ],
)
def test_only_a_path_inside_cheepao_is_followed(url, safe):
    assert services.safe_url(url) == safe


# ---------------------------------------------------------------- preferences


def test_preferences_are_saved_with_their_audit_row(people):
    ctx = Context.cli(people["mentor"])
    pref = services.preferences_set(ctx=ctx, email=False, line=True, line_user_id=LINE_ID)
    assert (pref.email, pref.line, pref.line_user_id) == (False, True, LINE_ID)
    event = AuditEvent.objects.order_by("pk").last()
    assert event.object_type == "notifications.preference"
    assert event.changes == {
        "email": [True, False],
        "line": [False, True],
        "line_user_id": ["", LINE_ID],
    }
    services.preferences_set(ctx=ctx, email=True)
    assert Preference.objects.get(user=people["mentor"]).line is False


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"email": True, "line": True, "line_user_id": ""}, "notifications.line_without_id"),
        ({"email": True, "line": False, "line_user_id": "@cheepao"}, "notifications.line_user_id"),
        (
            {"email": True, "line": True, "line_user_id": LINE_ID.upper()},
            "notifications.line_user_id",
        ),
    ],
)
def test_bad_preferences_are_refused(people, data, code):
    services.preferences_set(ctx=Context.cli(people["mentor"]), email=False)
    refused(
        errors.Invalid, code, services.preferences_set, ctx=Context.cli(people["mentor"]), **data
    )


def test_preferences_need_an_account(people):
    refused(
        errors.Refused, "access.denied", services.preferences_set, ctx=Context.cli(None), email=True
    )
