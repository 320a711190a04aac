"""The door: first-login password change and the second factor, held by AccountGuardMiddleware."""

from __future__ import annotations

from binascii import unhexlify
from urllib.parse import quote

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cheepao.accounts import services
from cheepao.accounts.models import User
from cheepao.accounts.views import SETUP_KEY_SESSION
from cheepao.audit.models import AuditEvent
from cheepao.conftest import TEST_PASSWORD
from cheepao.core.context import Context

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "ข้าวเหนียว-มะม่วง-2568"
PASSWORD_PAGE = "/accounts/password/"


def sign_in_with_password(client, user, password=TEST_PASSWORD):
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": password}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response


@pytest.fixture
def newcomer(make_user):
    return make_user("district", "3401", must_change_password=True)


def test_forced_password_change_blocks_every_other_page(client, newcomer, home_url):
    sign_in_with_password(client, newcomer)
    for path in (
        home_url,
        "/",
        "/accounts/",
        "/accounts/new/",
        "/registry/some/page/?a=1&b=2",
        "/accounts/two-step/",
        "/audit/",
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"{PASSWORD_PAGE}?next={quote(path, safe='/')}", path
    # A POST elsewhere is held too, and does nothing.
    response = client.post("/accounts/new/", {"username": "x"})
    assert response.status_code == 302 and response["Location"].startswith(PASSWORD_PAGE)
    assert User.objects.count() == 1
    # The password page itself, the language switch and sign-out stay open.
    assert client.get(PASSWORD_PAGE).status_code == 200
    assert client.post("/i18n/setlang/", {"language": "th", "next": "/"}).status_code == 302


def test_forced_password_change_then_lands_where_asked(client, newcomer, home_url, audit_rows):
    sign_in_with_password(client, newcomer)
    page = client.get(f"{PASSWORD_PAGE}?next=/accounts/")
    assert "ตั้งรหัสผ่านของท่านเอง" in page.content.decode()
    response = client.post(
        PASSWORD_PAGE,
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "next": "/accounts/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    newcomer.refresh_from_db()
    assert not newcomer.must_change_password and newcomer.check_password(NEW_PASSWORD)
    # Still signed in (the session follows the new password), and nothing holds the door now.
    assert client.get("/accounts/").status_code == 200
    [event] = audit_rows(action=AuditEvent.Action.UPDATE, object_id=str(newcomer.pk))
    assert "password changed (first sign-in)" in event.summary and event.actor_id == newcomer.pk


def test_password_change_refusals_are_thai_and_change_nothing(client, newcomer):
    sign_in_with_password(client, newcomer)
    before = User.objects.values_list().get(pk=newcomer.pk)
    cases = [
        (
            {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
            "รหัสผ่านปัจจุบันไม่ถูกต้อง",
        ),
        (
            {
                "old_password": TEST_PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD + "x",
            },
            "รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน",
        ),
        (
            {"old_password": TEST_PASSWORD, "new_password1": "short", "new_password2": "short"},
            "รหัสผ่านสั้นเกินไป ต้องมีอย่างน้อย 12 ตัวอักษร",
        ),
        (
            {
                "old_password": TEST_PASSWORD,
                "new_password1": "123456789012345",
                "new_password2": "123456789012345",
            },
            "รหัสผ่านเป็นตัวเลขทั้งหมด",
        ),
        (
            {
                "old_password": TEST_PASSWORD,
                "new_password1": "password12345",
                "new_password2": "password12345",
            },
            "รหัสผ่านนี้ใช้กันทั่วไป",
        ),
        (
            {
                "old_password": TEST_PASSWORD,
                "new_password1": TEST_PASSWORD,
                "new_password2": TEST_PASSWORD,
            },
            "ไม่ซ้ำกับรหัสผ่านปัจจุบัน",
        ),
    ]
    for data, message in cases:
        response = client.post(PASSWORD_PAGE, data)
        assert response.status_code == 200
        assert message in response.content.decode(), message
    assert User.objects.values_list().get(pk=newcomer.pk) == before
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()


@pytest.mark.parametrize("role,area", [("national", ""), ("province", "34")])
def test_two_factor_required_set_up_with_authenticator(
    client, make_user, role, area, home_url, audit_rows
):
    user = make_user(role, area)
    sign_in_with_password(client, user)
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-step/setup/?next=/accounts/"
    # Verifying without a device set up sends back to setup.
    assert client.get("/accounts/two-step/")["Location"].startswith("/accounts/two-step/setup/")

    page = client.get("/accounts/two-step/setup/?next=/accounts/")
    html = page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert "<svg" in html and "ตั้งค่าการยืนยันตัวตนสองขั้นตอน" in html
    key = client.session[SETUP_KEY_SESSION]
    assert services.totp_secret_text(key) in html
    assert not TOTPDevice.objects.exists()

    wrong = client.post("/accounts/two-step/setup/", {"code": "000000", "next": "/accounts/"})
    assert "รหัสไม่ตรงกัน" in wrong.content.decode()
    assert not TOTPDevice.objects.exists() and not StaticDevice.objects.exists()

    code = TOTP(unhexlify(key)).token()
    done = client.post("/accounts/two-step/setup/", {"code": f"{code:06d}", "next": "/accounts/"})
    assert done.status_code == 200 and "no-store" in done["Cache-Control"]
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == key
    codes = [t.token for t in StaticDevice.objects.get(user=user).token_set.all()]
    assert len(codes) == 10 and all(c in done.content.decode() for c in codes)
    assert client.get("/accounts/").status_code == 200
    assert "second factor set up" in audit_rows(action=AuditEvent.Action.CREATE)[-1].summary


def test_second_factor_with_backup_code(client, make_user, audit_rows):
    user = make_user("national", "")
    codes = services.backup_codes_issue(ctx=Context.cli(), user=user)
    sign_in_with_password(client, user)
    response = client.get("/accounts/new/")
    assert response["Location"] == "/accounts/two-step/?next=/accounts/new/"
    # With a device, setting up another one is refused: a password alone must not be enough.
    assert client.get("/accounts/two-step/setup/")["Location"].startswith("/accounts/two-step/")
    assert client.post("/accounts/two-step/setup/", {"code": "123456"}).status_code == 302
    assert not TOTPDevice.objects.exists()

    wrong = client.post("/accounts/two-step/", {"code": "notacode", "next": "/accounts/new/"})
    assert wrong.status_code == 200 and "รหัสไม่ถูกต้องหรือถูกใช้ไปแล้ว" in wrong.content.decode()
    assert client.get("/accounts/new/").status_code == 302
    StaticDevice.objects.filter(user=user).update(throttling_failure_count=0)

    typed = " ".join([codes[0][:4].upper(), codes[0][4:]])  # as people type it
    ok = client.post("/accounts/two-step/", {"code": typed, "next": "/accounts/new/"})
    assert ok.status_code == 302 and ok["Location"] == "/accounts/new/"
    assert client.get("/accounts/new/").status_code == 200
    assert client.get("/accounts/").status_code == 200
    # The code is spent.
    assert StaticDevice.objects.get(user=user).token_set.count() == 9
    actions = [
        (e.action, "refused" in e.summary)
        for e in audit_rows(object_id=str(user.pk))
        if "second factor" in e.summary
    ]
    assert actions[-2:] == [
        (AuditEvent.Action.LOGIN_FAILED, True),
        (AuditEvent.Action.LOGIN, False),
    ]


def test_backup_code_works_once(client, make_user):
    user = make_user("province", "34")
    codes = services.backup_codes_issue(ctx=Context.cli(), user=user)
    sign_in_with_password(client, user)
    assert client.post("/accounts/two-step/", {"code": codes[0]}).status_code == 302
    client.post(reverse("accounts:logout"))
    sign_in_with_password(client, user)
    again = client.post("/accounts/two-step/", {"code": codes[0]})
    assert again.status_code == 200
    assert client.get("/accounts/").status_code == 302


@pytest.mark.parametrize(
    "role,area",
    [("district", "3401"), ("subdistrict", "340101"), ("mentor", "34010101"), ("agency", "34")],
)
def test_no_second_factor_below_province(client, make_user, role, area, home_url):
    user = make_user(role, area)
    response = sign_in_with_password(client, user)
    # A mentor starts at "my households" (mentoring), the others at the registry.
    start = "/mentoring/mine/" if role == "mentor" else home_url
    assert response["Location"] == start
    assert client.get("/accounts/password/").status_code == 200
    response = client.get(start)
    assert not response.get("Location", "").startswith("/accounts/")


def test_forced_password_comes_before_second_factor(client, make_user):
    user = make_user("province", "34", must_change_password=True)
    services.backup_codes_issue(ctx=Context.cli(), user=user)
    sign_in_with_password(client, user)
    assert client.get("/accounts/two-step/")["Location"].startswith(PASSWORD_PAGE)
    client.post(
        PASSWORD_PAGE,
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "next": "/accounts/",
        },
    )
    assert client.get("/accounts/")["Location"] == "/accounts/two-step/?next=/accounts/"
