"""Onboarding and looking after accounts (issue 9, item 8): a way in from every public page,
areas picked from lists limited to the creator's own, unlocking a locked-out colleague, an
honest wait after wrong second-factor codes, a question before deactivating or resetting,
and account services that check who may act themselves."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_static.models import StaticDevice

from cheepao.accounts import services
from cheepao.accounts.models import Body, User
from cheepao.accounts.tests.conftest import snapshot
from cheepao.audit.models import AuditEvent
from cheepao.conftest import TEST_PASSWORD
from cheepao.core.context import Context
from cheepao.core.errors import Refused

pytestmark = pytest.mark.django_db
CREATE = "/accounts/new/"
LOGIN = "/accounts/sign-in/"
SIGN_IN_LINK = f'<a href="{LOGIN}">เข้าสู่ระบบ (สำหรับเจ้าหน้าที่และทีมในพื้นที่)</a>'


def tables():
    return snapshot(User), snapshot(Body), AuditEvent.objects.count()


def _options(html: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))


# ------------------------------------------------------------------ a way in


@pytest.mark.parametrize("path", ["/", "/areas/34/", "/areas/3401/", "/no/such/page/"])
def test_every_public_page_links_to_sign_in(client, empty_runs_dir, geography, path):
    html = client.get(path).content.decode()
    assert SIGN_IN_LINK in html


def test_no_sign_in_link_for_the_signed_in_or_on_the_sign_in_page(
    client, empty_runs_dir, geography, make_user, sign_in
):
    assert f'href="{LOGIN}"' not in client.get(LOGIN).content.decode().split("<main", 1)[0]
    sign_in(client, make_user("district", "3401"))
    assert SIGN_IN_LINK not in client.get("/").content.decode()


# ------------------------------------------------------------------ the area picker


def test_a_district_picks_inside_its_district_only(client, make_user, sign_in):
    sign_in(client, make_user("district", "3401"))
    html = client.get(CREATE).content.decode()
    assert 'name="area_code"' not in html and "DOPA" not in html
    assert 'name="area_province"' not in html and 'name="area_district"' not in html
    subdistricts = _options(html, "area_subdistrict")
    # The empty choice names the district itself, never "the whole country".
    assert subdistricts[0] == ("", "— ทั้งอำเภอเมืองอุบลราชธานี —")
    assert ("340101", "ตำบลในเมือง") in subdistricts
    assert all(code.startswith("3401") for code, _label in subdistricts[1:])
    assert "ทั้งประเทศ" not in html
    # No village list before a subdistrict is chosen.
    assert _options(html, "area_village") == [("", "— โปรดเลือกตำบลก่อน —")]


def test_the_national_team_starts_from_the_whole_country(client, make_user, sign_in):
    sign_in(client, make_user("national", ""))
    html = client.get(CREATE).content.decode()
    provinces = _options(html, "area_province")
    assert provinces[0] == ("", "— ทั้งประเทศ —") and len(provinces) == 1 + 77
    assert ("34", "จังหวัดอุบลราชธานี") in provinces
    assert _options(html, "area_district") == [("", "— โปรดเลือกจังหวัดก่อน —")]


def test_picking_an_area_lists_the_areas_inside_it_and_creates_nothing(client, make_user, sign_in):
    sign_in(client, make_user("district", "3401"))
    before = tables()
    data = {
        "refresh_areas": "1",
        "role": "mentor",
        "full_name": "สมใจ",
        "area_subdistrict": "340101",
    }
    response = client.post(CREATE, data)
    assert response.status_code == 200 and tables() == before
    html = response.content.decode()
    assert "กรุณาตรวจสอบข้อมูล" not in html  # nothing is checked yet
    villages = _options(html, "area_village")
    assert villages[0] == ("", "— ทั้งตำบลในเมือง —")
    assert villages[1:4] == [("34010101", "หมู่ที่ 1"), ("34010102", "หมู่ที่ 2"), ("34010103", "หมู่ที่ 3")]
    assert 'value="สมใจ"' in html and '<option value="340101" selected>' in html
    # The lists are refreshed in place by htmx when an area is picked.
    assert 'hx-post="/accounts/new/"' in html and 'hx-select="#area-picker"' in html
    # Another district's subdistrict is not offered, so its villages are not either.
    html = client.post(CREATE, {**data, "area_subdistrict": "340201"}).content.decode()
    assert _options(html, "area_village") == [("", "— โปรดเลือกตำบลก่อน —")]


def test_a_mentor_team_is_created_for_a_picked_village(client, make_user, sign_in):
    creator = make_user("subdistrict", "340101")
    sign_in(client, creator)
    data = {
        "full_name": "นายพี่เลี้ยง ใจดี",
        "username": "mentor-5",
        "role": "mentor",
        "area_village": "34010105",
        "body": "new",
        "new_body_name": "ทีมพี่เลี้ยงหมู่ 5",
    }
    response = client.post(CREATE, data)
    assert response.status_code == 200
    account = User.objects.get(username="mentor-5")
    assert (account.role, account.area_code, account.created_by) == ("mentor", "34010105", creator)
    assert "หมู่ที่ 5 ตำบลในเมือง" in response.content.decode()


# ------------------------------------------------------------------ unlocking


def _lock_out(user: User) -> None:
    from django.conf import settings

    stranger = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        stranger.post(LOGIN, {"username": user.username, "password": "not-the-password"})
    locked = stranger.post(LOGIN, {"username": user.username, "password": TEST_PASSWORD})
    assert locked.status_code == 429
    # The lockout page says who can end it now.
    assert "ปลดการระงับการเข้าสู่ระบบให้ได้ทันที" in locked.content.decode()


def test_an_area_admin_unlocks_a_locked_out_account(client, make_user, sign_in):
    manager = make_user("district", "3401")
    person = make_user("subdistrict", "340101")
    _lock_out(person)
    sign_in(client, manager)
    listing = client.get("/accounts/").content.decode()
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in listing
    detail = client.get(reverse("accounts:detail", args=[person.pk])).content.decode()
    assert "ระงับการเข้าสู่ระบบถึง" in detail and "ปลดการระงับการเข้าสู่ระบบทันที" in detail

    response = client.post(reverse("accounts:unlock", args=[person.pk]))
    assert response.status_code == 302
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.actor, event.object_id) == ("update", manager, str(person.pk))
    assert event.summary == f"account {person.username} sign-in unlocked"
    assert event.changes["unlocked"] is True and event.changes["attempts"] >= 1
    detail = client.get(reverse("accounts:detail", args=[person.pk])).content.decode()
    assert "ระงับการเข้าสู่ระบบถึง" not in detail
    # The person signs in at once, from the address that was locked out.
    assert (
        Client().post(LOGIN, {"username": person.username, "password": TEST_PASSWORD}).status_code
        == 302
    )


def test_unlock_is_refused_outside_the_area_and_when_not_locked(client, make_user, sign_in):
    person = make_user("subdistrict", "340101")
    _lock_out(person)
    outsider = make_user("district", "3402")
    sign_in(client, outsider)
    before = tables()
    assert client.post(reverse("accounts:unlock", args=[person.pk])).status_code == 404
    with pytest.raises(Refused) as refused:
        services.account_unlock(ctx=Context.cli(outsider), account=person)
    assert refused.value.code == "accounts.not_managed"
    assert tables() == before and services.selectors.lockout_until(person) is not None

    manager, free = make_user("district", "3401"), make_user("mentor", "34010101")
    before = tables()
    with pytest.raises(Refused) as refused:
        services.account_unlock(ctx=Context.cli(manager), account=free)
    assert refused.value.code == "accounts.not_locked_out"
    assert tables() == before


# ------------------------------------------------------------------ an honest wait


def test_a_valid_backup_code_during_the_throttle_window_is_told_to_wait(client, make_user):
    user = make_user("national", "")
    codes = services.backup_codes_issue(ctx=Context.cli(), user=user)
    client.post(LOGIN, {"username": user.username, "password": TEST_PASSWORD})
    device = StaticDevice.objects.get(user=user)
    now = timezone.now()
    # Three wrong codes just before: the device refuses to look at any code for 4 seconds.
    StaticDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=3, throttling_failure_timestamp=now
    )
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(seconds=1)):
        response = client.post("/accounts/two-step/", {"code": codes[0]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "โปรดรออีก 3 วินาที" in html and "หากเป็นรหัสสำรองก็ยังใช้ได้อยู่" in html
    assert "รหัสไม่ถูกต้อง" not in html
    assert device.token_set.count() == 10  # the code was not used up
    event = AuditEvent.objects.latest("id")
    assert event.action == "login_failed" and event.changes == {"wait_seconds": 3}
    # Once the wait is over the same code works.
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(seconds=5)):
        response = client.post("/accounts/two-step/", {"code": codes[0]})
    assert response.status_code == 302
    assert device.token_set.count() == 9


# ------------------------------------------------------------------ asking first


@pytest.mark.parametrize(
    "action,question,button",
    [
        ("deactivate", "ระงับบัญชีของ", "ยืนยัน ระงับบัญชี"),
        ("reset_password", "ตั้งรหัสผ่านใหม่ให้", "ยืนยัน ตั้งรหัสผ่านใหม่"),
    ],
)
def test_deactivation_and_reset_ask_first(client, make_user, sign_in, action, question, button):
    manager = make_user("district", "3401")
    person = make_user("subdistrict", "340101", first_name="สมศรี", last_name="ใจดี")
    sign_in(client, manager)
    url = reverse(f"accounts:{action}", args=[person.pk])
    detail = client.get(reverse("accounts:detail", args=[person.pk])).content.decode()
    # The detail page leads to the question; it holds no form that acts at once.
    assert f'href="{url}"' in detail and f'action="{url}"' not in detail
    before = tables()
    page = client.get(url)
    assert page.status_code == 200 and tables() == before
    html = page.content.decode()
    assert f"{question} สมศรี ใจดี" in html and button in html
    assert f'<form method="post" action="{url}"' in html
    assert f'href="{reverse("accounts:detail", args=[person.pk])}">ยกเลิก</a>' in html
    response = client.post(url)
    assert response.status_code in (200, 302)
    person.refresh_from_db()
    if action == "deactivate":
        assert not person.is_active
    else:
        assert person.must_change_password and not person.check_password(TEST_PASSWORD)


# ------------------------------------------------------------------ services check


@pytest.mark.parametrize(
    "verb", ["account_deactivate", "account_reactivate", "account_reset_password", "account_unlock"]
)
def test_account_services_refuse_an_actor_who_may_not_act(make_user, verb):
    """Called directly (a script, a future API), the verbs ask the same question the pages
    do, and a refusal changes nothing."""
    person = make_user("subdistrict", "340101")
    if verb == "account_reactivate":
        User.objects.filter(pk=person.pk).update(is_active=False)
        person.refresh_from_db()
    if verb == "account_unlock":
        _lock_out(person)
    actors = [
        make_user("district", "3402"),  # another district
        make_user("subdistrict", "340101"),  # a colleague: may not create subdistrict accounts
        make_user("mentor", "34010101"),  # manages nobody
        make_user("district", "3401", is_active=False),  # deactivated manager
        person,  # oneself
        None,  # nobody
    ]
    for actor in actors:
        before = tables()
        with pytest.raises(Refused) as refused:
            getattr(services, verb)(ctx=Context.cli(actor), account=person)
        assert refused.value.code == "accounts.not_managed"
        assert tables() == before, actor
    # The manager of the area may.
    getattr(services, verb)(ctx=Context.cli(make_user("district", "3401")), account=person)


def test_backup_codes_for_someone_else_need_their_manager(make_user):
    person = make_user("province", "34")
    before = snapshot(StaticDevice), AuditEvent.objects.count()
    with pytest.raises(Refused) as refused:
        services.backup_codes_issue(ctx=Context.cli(make_user("province", "35")), user=person)
    assert refused.value.code == "accounts.not_managed"
    assert (snapshot(StaticDevice), AuditEvent.objects.count()) == before
    national = Context.cli(make_user("national", ""))
    assert len(services.backup_codes_issue(ctx=national, user=person)) == 10
    assert len(services.backup_codes_issue(ctx=Context.cli(person), user=person)) == 10


def test_own_account_verbs_refuse_without_a_signed_in_person(make_user):
    """Changing a password or setting up a second factor is the person's own: a caller
    without a signed-in account is refused by code and nothing is written."""
    user = make_user("national", "")
    before = tables(), snapshot(StaticDevice)
    for call in (
        lambda ctx: services.password_changed(ctx=ctx, new_password="ข้าวเหนียว-มะม่วง-2568"),
        lambda ctx: services.otp_enrol(ctx=ctx, key=services.totp_new_key(), token="123456"),
        lambda ctx: services.otp_check(ctx=ctx, token="123456"),
    ):
        with pytest.raises(Refused) as refused:
            call(Context.cli())
        assert refused.value.code == "accounts.own_account_only"
    assert (tables(), snapshot(StaticDevice)) == before
    services.backup_codes_issue(ctx=Context.cli(), user=user)
    before = tables(), snapshot(StaticDevice)
    with pytest.raises(Refused) as refused:
        services.otp_enrol(ctx=Context.cli(user), key=services.totp_new_key(), token="1")
    assert refused.value.code == "accounts.second_factor_set"
    assert (tables(), snapshot(StaticDevice)) == before


def test_the_wait_is_a_limited_refusal_with_its_seconds():
    from cheepao.core.errors import Limited

    wait = services.SecondFactorWait(3)
    assert isinstance(wait, Limited) and wait.status == 429
    assert (wait.code, wait.params) == ("accounts.second_factor_wait", {"seconds": 3})
    with translation.override("th"):
        assert "โปรดรออีก 3 วินาที" in wait.message
        assert wait.as_data()["message"] == wait.message
