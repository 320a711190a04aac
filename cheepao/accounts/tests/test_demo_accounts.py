"""manage.py demo_accounts: one account per role, idempotent, passwords printed once."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django_otp.plugins.otp_static.models import StaticToken

from cheepao.accounts.models import Body, User
from cheepao.accounts.roles import RULES
from cheepao.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
USERNAMES = [
    "demo-national",
    "demo-province",
    "demo-district",
    "demo-subdistrict",
    "demo-mentor",
    "demo-agency",
]


def run(*args) -> str:
    out = StringIO()
    call_command("demo_accounts", *args, stdout=out)
    return out.getvalue()


def printed(output: str) -> dict[str, tuple[str, str, str]]:
    """username → (role, area, password) from the printed table."""
    rows = {}
    for line in output.splitlines():
        match = re.match(
            r"\s+(demo-\w+)\s+(\w+)\s+(\S+)\s.*?\s(\S{4}-\S{4}-\S{4}-\S{4})\s", line + " "
        )
        if match:
            rows[match[1]] = (match[2], match[3], match[4])
    return rows


def backup_codes(output: str) -> dict[str, list[str]]:
    return {m[1]: m[2].split() for m in re.finditer(r"^\s+(demo-\w+): (.+)$", output, re.M)}


def test_demo_accounts_without_registry():
    output = run("--province", "34")
    rows = printed(output)
    assert list(rows) == USERNAMES
    expected = {
        "demo-national": ("national", "—"),
        "demo-province": ("province", "34"),
        "demo-district": ("district", "3401"),
        "demo-subdistrict": ("subdistrict", "340101"),
        "demo-mentor": ("mentor", "34010101"),
        "demo-agency": ("agency", "34"),
    }
    for username, (role, area, password) in rows.items():
        assert (role, area) == expected[username]
        account = User.objects.get(username=username)
        assert account.check_password(password) and account.is_active
        assert account.role == role and account.area_code == (area if area != "—" else "")
        assert account.body.kind == RULES[role].body_kind
        assert account.area_code.startswith(account.body.area_code)
        assert not account.must_change_password
    codes = backup_codes(output)
    assert set(codes) == {"demo-national", "demo-province"}
    assert all(len(c) == 10 for c in codes.values())
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.CREATE, summary__startswith="demo account"
        ).count()
        == 6
    )


def test_demo_accounts_is_idempotent_and_renews_passwords(client):
    first = run("--province", "34")
    users, bodies = User.objects.count(), Body.objects.count()
    second = run("--province", "34")
    assert (User.objects.count(), Body.objects.count()) == (users, bodies) == (6, 6)
    old, new = printed(first), printed(second)
    for username in USERNAMES:
        account = User.objects.get(username=username)
        assert not account.check_password(old[username][2])
        assert account.check_password(new[username][2])
    # Only the latest backup codes work.
    old_code, new_code = (
        backup_codes(first)["demo-national"][0],
        backup_codes(second)["demo-national"][0],
    )
    tokens = set(
        StaticToken.objects.filter(device__user__username="demo-national").values_list(
            "token", flat=True
        )
    )
    assert new_code in tokens and old_code not in tokens
    client.post(
        "/accounts/sign-in/", {"username": "demo-national", "password": new["demo-national"][2]}
    )
    assert client.post("/accounts/two-step/", {"code": new_code}).status_code == 302
    assert client.get("/accounts/").status_code == 200


def test_demo_subdistrict_is_the_busiest_of_the_district_when_a_registry_is_loaded(registry):
    from cheepao.households.models import Household

    busiest = (
        Household.objects.filter(district_code="3401")
        .values("subdistrict_code")
        .annotate(n=Count("id"))
        .order_by("-n", "subdistrict_code")
        .first()
    )
    rows = printed(run("--province", "34"))
    assert rows["demo-subdistrict"][1] == busiest["subdistrict_code"]
    mentor_village = rows["demo-mentor"][1]
    assert mentor_village.startswith(busiest["subdistrict_code"])
    assert Household.objects.filter(village_code=mentor_village).exists()


def test_demo_accounts_unknown_province():
    with pytest.raises(CommandError):
        run("--province", "99")
    assert not User.objects.exists()
