"""Accounts are created, deactivated and reset only down the hierarchy, inside one's area."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.urls import reverse
from django.utils import translation

from cheepao.accounts import services
from cheepao.accounts.models import Body, User
from cheepao.accounts.roles import RULES, Role
from cheepao.accounts.tests.conftest import snapshot
from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.core.errors import Invalid, Refused

pytestmark = pytest.mark.django_db
CREATE = "/accounts/new/"
# The demo chain: Ubon Ratchathani › Mueang Ubon › Nai Mueang › village 1.
CHAIN = "34010101"
HOME_AREA = {
    Role.NATIONAL: "",
    Role.PROVINCE: "34",
    Role.DISTRICT: "3401",
    Role.SUBDISTRICT: "340101",
    Role.MENTOR: "34010101",
    Role.AGENCY: "34",
}


def area_for(role: str, creator_area: str) -> str:
    """The first area this role may hold inside the creator's area (along the demo chain)."""
    lengths = RULES[role].area_lengths
    length = next((n for n in lengths if n >= len(creator_area)), lengths[-1])
    return CHAIN[:length]


def picked(area: str) -> dict[str, str]:
    """The area picker's fields for an area: one chosen area per level, down to `area`
    (levels at or above the creator's own area are not fields, and are ignored)."""
    levels = (("area_province", 2), ("area_district", 4), ("area_subdistrict", 6))
    data = {name: area[:n] for name, n in levels if len(area) >= n}
    if len(area) == 8:
        data["area_village"] = area
    return data


def form(role, area, username="new-person", **extra):
    data = {
        "full_name": "นางสาวสมใจ ใจดี",
        "username": username,
        "role": role,
        **picked(area),
        "body": "new",
        "new_body_name": "สำนักงานทดสอบ",
        "phone": "0812345678",
        "email": "",
    }
    data.update(extra)
    return data


def tables():
    return snapshot(User), snapshot(Body), AuditEvent.objects.count()


PICK_FROM_LIST = "โปรดเลือกพื้นที่จากรายการ รายการจะแสดงพื้นที่ที่อยู่ภายในพื้นที่ที่เลือกไว้ด้านบน"
CASES = [(creator, role) for creator in Role.values for role in Role.values]


@pytest.mark.parametrize("creator_role,role", CASES)
def test_each_role_creates_exactly_what_rules_say(client, make_user, sign_in, creator_role, role):
    creator = make_user(creator_role, HOME_AREA[creator_role])
    sign_in(client, creator)
    may_manage = bool(RULES[creator_role].creates)
    page = client.get(CREATE)
    if not may_manage:
        assert page.status_code == 404
        before = tables()
        response = client.post(CREATE, form(role, area_for(role, creator.area_code)))
        assert response.status_code == 404 and tables() == before
        return
    assert page.status_code == 200
    before = tables()
    area = area_for(role, creator.area_code)
    response = client.post(CREATE, form(role, area))
    if role in RULES[creator_role].creates:
        assert response.status_code == 200
        account = User.objects.get(username="new-person")
        assert (account.role, account.area_code, account.created_by) == (role, area, creator)
        assert account.must_change_password and account.is_active
        assert (account.first_name, account.last_name) == ("นางสาวสมใจ", "ใจดี")
        assert account.body.kind == RULES[role].body_kind and account.body.area_code == area
        html = response.content.decode()
        assert "รหัสผ่านนี้แสดงเพียงครั้งเดียวเท่านั้น" in html
    else:
        assert response.status_code == 200
        assert "ท่านไม่มีสิทธิ์สร้างบัญชีในบทบาทนี้" in response.content.decode()
        assert tables() == before


def test_one_time_password_is_shown_once_and_works(client, make_user, sign_in):
    creator = make_user("district", "3401")
    sign_in(client, creator)
    response = client.post(CREATE, form("subdistrict", "340101"))
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    start = html.index('id="one-time-password">') + len('id="one-time-password">')
    password = html[start : html.index("<", start)]
    assert len(password) >= 14
    account = User.objects.get(username="new-person")
    validate_password(password, account)
    assert account.check_password(password) and password not in account.password
    # Nowhere else: not in the audit log, not on the account's page.
    assert not AuditEvent.objects.filter(summary__contains=password).exists()
    assert password not in str(list(AuditEvent.objects.values_list("changes", flat=True)))
    assert (
        password not in client.get(reverse("accounts:detail", args=[account.pk])).content.decode()
    )


def test_create_writes_body_account_and_audit(client, make_user, sign_in, audit_rows):
    creator = make_user("province", "34")
    sign_in(client, creator)
    client.post(CREATE, form("district", "3402", new_body_name="ศจพ.อ.ศรีเมืองใหม่"))
    account = User.objects.get(username="new-person")
    body_event, account_event = audit_rows(action=AuditEvent.Action.CREATE)
    assert body_event.object_type == "accounts.body" and body_event.actor_id == creator.pk
    assert account_event.object_id == str(account.pk) and account_event.area_code == "3402"
    assert account_event.changes["role"] == "district" and account_event.ip == "127.0.0.1"


def test_existing_body_of_the_right_kind(client, make_user, sign_in):
    creator = make_user("district", "3401")
    team = Body.objects.create(
        name="ทีมปฏิบัติการตำบลในเมือง", kind="operations_team", area_code="340101"
    )
    sign_in(client, creator)
    assert team.name in client.get(CREATE).content.decode()
    response = client.post(
        CREATE, form("subdistrict", "340101", body=str(team.pk), new_body_name="")
    )
    assert response.status_code == 200
    assert User.objects.get(username="new-person").body == team
    assert Body.objects.count() == 1


@pytest.mark.parametrize(
    "creator_role,data,message",
    [
        # Areas are picked from lists of the areas inside the creator's: anything else
        # (another province's district, a code that does not exist, letters) is not in
        # the list.
        ("province", form("district", "3501"), PICK_FROM_LIST),
        ("province", form("district", "3499"), PICK_FROM_LIST),
        ("province", form("district", "34a1"), PICK_FROM_LIST),
        ("district", form("subdistrict", "340201"), PICK_FROM_LIST),
        ("district", form("mentor", "34010100"), PICK_FROM_LIST),
        ("subdistrict", form("mentor", "34010201"), PICK_FROM_LIST),
        ("national", form("province", "99"), PICK_FROM_LIST),
        # The level must be the role's: the message says which level to choose.
        ("province", form("district", "34"), "บทบาทนี้ทำงานในพื้นที่ระดับอำเภอ โปรดเลือกจากรายการ"),
        (
            "district",
            form("subdistrict", "3401"),
            "บทบาทนี้ทำงานในพื้นที่ระดับตำบล โปรดเลือกจากรายการ",
        ),
        (
            "district",
            form("subdistrict", "34010101"),
            "บทบาทนี้ทำงานในพื้นที่ระดับตำบล โปรดเลือกจากรายการ",
        ),
        ("district", form("mentor", "3401"), "บทบาทนี้ทำงานในพื้นที่ระดับตำบล หรือหมู่บ้าน"),
        (
            "district",
            form("subdistrict", "340101", new_body_name=""),
            "กรุณาระบุชื่อหน่วยงานใหม่ หรือเลือกหน่วยงานที่มีอยู่",
        ),
        (
            "district",
            form("subdistrict", "340101", username="bad name!"),
            "ชื่อผู้ใช้ใช้ได้เฉพาะตัวอักษร ตัวเลข และ . @ + - _",
        ),
        ("district", form("subdistrict", "340101", full_name=""), "โปรดกรอกข้อมูลช่องนี้"),
        ("district", form("subdistrict", "340101", body="999999"), "กรุณาเลือกหน่วยงานจากรายการ"),
    ],
)
def test_refusals_return_the_form_in_thai_and_create_nothing(
    client, make_user, sign_in, creator_role, data, message
):
    creator = make_user(creator_role, HOME_AREA[creator_role])
    sign_in(client, creator)
    before = tables()
    response = client.post(CREATE, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "กรุณาตรวจสอบข้อมูล" in html
    assert tables() == before


def test_taken_username_and_wrong_body_kind(client, make_user, sign_in):
    creator = make_user("district", "3401")
    other = make_user("subdistrict", "340101", username="somjai")
    centre = Body.objects.create(name="ศจพ.อ.เมือง", kind="district_centre", area_code="3401")
    elsewhere = Body.objects.create(name="ทีมตำบลอื่น", kind="operations_team", area_code="340102")
    sign_in(client, creator)
    before = tables()
    html = client.post(CREATE, form("subdistrict", "340101", username="SomJai")).content.decode()
    assert "ชื่อผู้ใช้นี้มีผู้ใช้แล้ว" in html
    for body in (centre, elsewhere):
        html = client.post(
            CREATE, form("subdistrict", "340101", body=str(body.pk))
        ).content.decode()
        assert "หน่วยงานนี้ไม่ตรงกับบัญชี" in html
    assert tables() == before and other.username == "somjai"


@pytest.mark.parametrize(
    "creator_role,creator_area,role,area,code",
    [
        ("district", "3401", "province", "34", "accounts.role_not_creatable"),  # above
        ("subdistrict", "340101", "district", "3401", "accounts.role_not_creatable"),
        ("mentor", "34010101", "mentor", "34010101", "accounts.role_not_creatable"),
        ("", "", "mentor", "34010101", "accounts.role_not_creatable"),  # no role
        (None, None, "mentor", "34010101", "accounts.role_not_creatable"),  # nobody
        ("district", "3401", "subdistrict", "350101", "accounts.area_outside"),
        ("district", "3401", "subdistrict", "340201", "accounts.area_outside"),
        ("district", "3401", "subdistrict", "3401", "accounts.area_level"),
        ("district", "3401", "subdistrict", "340199", "accounts.no_such_area"),
    ],
)
def test_account_create_called_without_permission_refuses_by_code(
    make_user, geography, creator_role, creator_area, role, area, code
):
    """Called directly (a script, a future API), account_create asks who may create whom,
    where, itself; a refusal writes no account, no body and no audit row."""
    creator = None if creator_role is None else make_user(creator_role, creator_area)
    before = snapshot(User), snapshot(Body), AuditEvent.objects.count()
    with pytest.raises((Refused, Invalid)) as refused:
        services.account_create(
            ctx=Context.cli(creator),
            username="x-user",
            full_name="x",
            role=role,
            area_code=area,
            new_body_name="b",
        )
    assert refused.value.code == code
    assert (snapshot(User), snapshot(Body), AuditEvent.objects.count()) == before


def test_account_create_refuses_a_body_that_does_not_fit_a_missing_body_and_a_taken_name(
    make_user, geography
):
    creator = make_user("district", "3401")
    make_user("subdistrict", "340101", username="somjai")
    centre = Body.objects.create(name="ศจพ.อ.เมือง", kind="district_centre", area_code="3401")
    ctx = Context.cli(creator)
    before = snapshot(User), snapshot(Body), AuditEvent.objects.count()
    cases = [
        ({"username": "x-user", "body": centre}, "accounts.body_does_not_fit", "body"),
        ({"username": "x-user", "new_body_name": "  "}, "accounts.choose_body", "new_body_name"),
        ({"username": "SomJai", "new_body_name": "b"}, "accounts.username_taken", "username"),
    ]
    for given, code, field in cases:
        with pytest.raises(Invalid) as refused:
            services.account_create(
                ctx=ctx, full_name="x", role="subdistrict", area_code="340101", **given
            )
        assert refused.value.code == code and list(refused.value.fields) == [field]
        assert (snapshot(User), snapshot(Body), AuditEvent.objects.count()) == before
    # The Thai words are the ones the form always showed.
    with translation.override("th"):
        assert refused.value.field_messages() == {"username": "ชื่อผู้ใช้นี้มีผู้ใช้แล้ว"}
    account, _password = services.account_create(
        ctx=ctx,
        username="x-user",
        full_name="x",
        role="subdistrict",
        area_code="340101",
        new_body_name="ทีมตำบล",
    )
    assert account.created_by == creator
    event = AuditEvent.objects.latest("id")
    assert (event.actor, event.channel) == (creator, "cli")


def test_list_shows_managed_accounts_and_bodies_only(client, make_user, sign_in):
    district = make_user("district", "3401")
    mine = [
        make_user("subdistrict", "340101"),
        make_user("mentor", "34010105"),
        make_user("district", "3401"),
        make_user("agency", "3401"),
    ]
    not_mine = [
        make_user("subdistrict", "340201"),
        make_user("province", "34"),
        make_user("agency", "34"),
        make_user("national", ""),
    ]
    Body.objects.create(name="ทีมพี่เลี้ยงหมู่ 5", kind="mentor_team", area_code="340101")
    Body.objects.create(name="ศจพ.จ.อุบล", kind="province_centre", area_code="34")
    sign_in(client, district)
    html = client.get("/accounts/").content.decode()
    for account in mine:
        assert reverse("accounts:detail", args=[account.pk]) in html
    for account in [*not_mine, district]:
        assert reverse("accounts:detail", args=[account.pk]) not in html
    assert "ทีมพี่เลี้ยงหมู่ 5" in html and "ศจพ.จ.อุบล" not in html


@pytest.mark.parametrize("role,area", [("mentor", "34010101"), ("agency", "34"), ("", "")])
def test_roles_that_manage_nothing_get_404(client, make_user, sign_in, role, area):
    user = make_user(role, area, is_superuser=(role == ""), is_staff=(role == ""))
    target = make_user("mentor", "34010101")
    sign_in(client, user)
    before = tables()
    for path in ("/accounts/", CREATE, f"/accounts/{target.pk}/"):
        assert client.get(path).status_code == 404, path
    for action in ("deactivate", "reactivate", "reset-password", "unlock"):
        assert client.post(f"/accounts/{target.pk}/{action}/").status_code == 404
    for action in ("deactivate", "reset-password"):
        assert client.get(f"/accounts/{target.pk}/{action}/").status_code == 404
    assert tables() == before


def test_deactivate_reactivate_reset_for_managed_account(client, make_user, sign_in, audit_rows):
    manager = make_user("district", "3401")
    account = make_user("subdistrict", "340101")
    sign_in(client, manager)
    detail = reverse("accounts:detail", args=[account.pk])
    assert client.get(detail).status_code == 200

    response = client.post(f"/accounts/{account.pk}/deactivate/")
    assert response.status_code == 302 and response["Location"] == detail
    account.refresh_from_db()
    assert not account.is_active
    response = client.post(f"/accounts/{account.pk}/reactivate/")
    account.refresh_from_db()
    assert account.is_active

    old_hash = account.password
    response = client.post(f"/accounts/{account.pk}/reset-password/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    html = response.content.decode()
    start = html.index('id="one-time-password">') + len('id="one-time-password">')
    password = html[start : html.index("<", start)]
    account.refresh_from_db()
    assert account.password != old_hash and account.check_password(password)
    assert account.must_change_password and len(password) >= 14

    summaries = [
        e.summary for e in audit_rows(action=AuditEvent.Action.UPDATE, object_id=str(account.pk))
    ]
    assert summaries == [
        f"account {account.username} deactivated",
        f"account {account.username} reactivated",
        f"account {account.username} password reset",
    ]
    updates = audit_rows(action=AuditEvent.Action.UPDATE)
    assert all((e.actor_id, e.channel) == (manager.pk, "web") for e in updates)


def test_deactivated_person_is_signed_out(client, make_user, sign_in):
    manager = make_user("district", "3401")
    person = make_user("subdistrict", "340101")
    from django.test import Client

    theirs = sign_in(Client(), person)
    assert theirs.get("/accounts/").status_code == 200
    services.account_deactivate(ctx=Context.cli(manager), account=person)
    assert theirs.get("/accounts/").status_code == 302  # back to the sign-in page


@pytest.mark.parametrize(
    "manager_role,manager_area,role,area",
    [
        ("district", "3401", "subdistrict", "340201"),  # outside the area
        ("district", "3401", "province", "34"),  # above
        ("subdistrict", "340101", "district", "3401"),  # role it may not create
        ("subdistrict", "340101", "mentor", "34010201"),  # another subdistrict's mentor
        ("province", "34", "district", "3501"),
        ("province", "34", "province", "34"),  # itself
    ],
)
def test_unmanaged_accounts_404_and_nothing_changes(
    client, make_user, sign_in, manager_role, manager_area, role, area
):
    manager = make_user(manager_role, manager_area)
    if (role, area) == (manager_role, manager_area) and role == "province":
        target = manager
    else:
        target = make_user(role, area)
    sign_in(client, manager)
    before = tables()
    assert client.get(f"/accounts/{target.pk}/").status_code == 404
    for action in ("deactivate", "reactivate", "reset-password", "unlock"):
        assert client.post(f"/accounts/{target.pk}/{action}/").status_code == 404
    for action in ("deactivate", "reset-password"):
        assert client.get(f"/accounts/{target.pk}/{action}/").status_code == 404
    assert client.get("/accounts/999999/").status_code == 404
    assert client.post("/accounts/999999/deactivate/").status_code == 404
    assert tables() == before


def test_actions_change_nothing_on_get(client, make_user, sign_in):
    """Deactivation and password reset ask first on a page of their own (GET); reactivation
    and unlocking take a POST only. No GET changes anything."""
    manager = make_user("district", "3401")
    account = make_user("subdistrict", "340101")
    sign_in(client, manager)
    before = tables()
    for action in ("reactivate", "unlock"):
        assert client.get(f"/accounts/{account.pk}/{action}/").status_code == 405
    for action in ("deactivate", "reset-password"):
        assert client.get(f"/accounts/{account.pk}/{action}/").status_code == 200
    assert tables() == before


def test_english_switch(client, make_user, sign_in):
    sign_in(client, make_user("district", "3401"))
    client.cookies["django_language"] = "en"
    html = client.get(CREATE).content.decode()
    assert "Create an account" in html and "Subdistrict operations team" in html
