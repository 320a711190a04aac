"""Sign-in, sign-out, lockout, and their audit rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cheepao.accounts.models import User
from cheepao.audit.models import AuditEvent
from cheepao.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/sign-in/"


def test_sign_in_page_is_thai(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="th">' in html
    assert "เข้าสู่ระบบ" in html and "ชื่อผู้ใช้" in html and "รหัสผ่าน" in html


def test_sign_in_success_goes_home_and_is_audited(client, make_user, home_url, audit_rows):
    user = make_user("district", "3401")
    response = client.post(LOGIN, {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == home_url
    assert int(client.session["_auth_user_id"]) == user.pk
    [event] = audit_rows(action=AuditEvent.Action.LOGIN)
    assert event.actor_id == user.pk and event.ip == "127.0.0.1" and event.channel == "web"
    assert event.object_id == str(user.pk) and event.area_code == "3401"


def test_sign_in_failure_shows_thai_message_and_is_audited(client, make_user, audit_rows):
    user = make_user("district", "3401")
    response = client.post(LOGIN, {"username": user.username, "password": "wrong-password-1"})
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()
    assert "_auth_user_id" not in client.session
    [event] = audit_rows(action=AuditEvent.Action.LOGIN_FAILED)
    assert event.actor is None and user.username in event.summary
    assert (event.channel, event.ip) == ("web", "127.0.0.1")
    assert TEST_PASSWORD not in event.summary and "wrong-password" not in str(event.changes)
    assert User.objects.get(pk=user.pk).last_login is None


def test_deactivated_account_cannot_sign_in(client, make_user):
    user = make_user("district", "3401", is_active=False)
    response = client.post(LOGIN, {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_lockout_after_failure_limit(client, make_user, settings, audit_rows):
    user = make_user("subdistrict", "340101")
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = client.post(LOGIN, {"username": user.username, "password": "not-the-password"})
        assert response.status_code == 200
    response = client.post(LOGIN, {"username": user.username, "password": "not-the-password"})
    assert response.status_code == 429
    before = User.objects.values_list().get(pk=user.pk)
    # Now even the right password is refused, with the lockout page, and nothing changes.
    response = client.post(LOGIN, {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 429
    html = response.content.decode()
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in html
    assert "ท่านลองเข้าสู่ระบบได้อีกครั้งหลัง" in html and "น." in html
    assert "ผู้ดูแลบัญชี" in html
    assert "_auth_user_id" not in client.session
    assert User.objects.values_list().get(pk=user.pk) == before
    assert audit_rows(action=AuditEvent.Action.LOGIN) == []
    assert len(audit_rows(action=AuditEvent.Action.LOGIN_FAILED)) == limit + 1


def test_lockout_is_per_username(client, make_user, settings):
    """Locking one person out does not lock out a colleague at the same address."""
    locked, colleague = make_user("mentor", "34010101"), make_user("mentor", "34010102")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": locked.username, "password": "nope-nope-nope"})
    response = client.post(LOGIN, {"username": colleague.username, "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_sign_out_is_post_only_and_audited(client, make_user, sign_in, audit_rows):
    user = make_user("district", "3401")
    sign_in(client, user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    [event] = audit_rows(action=AuditEvent.Action.LOGOUT)
    assert event.actor_id == user.pk and (event.channel, event.ip) == ("web", "127.0.0.1")


def test_pages_need_sign_in(client):
    for name in (
        "accounts:list",
        "accounts:create",
        "accounts:password_change",
        "accounts:otp_setup",
        "accounts:otp_verify",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
