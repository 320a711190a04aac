"""National-ID lookups in the registry search (issue 9, item 2): each one an audit row with
the masked PIN, at most CHEEPAO_PIN_LOOKUP_LIMIT per account in a rolling window."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from stdnum.th import pin as th_pin

from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.households.models import Member
from cheepao.households.pii import mask_pin
from cheepao.households.services import PIN_LOOKUP, PinLookupLimit, pin_lookups_record

pytestmark = pytest.mark.django_db
SEARCH = "/registry/search/"
LIMITED = "ระบบจึงพักการตรวจไว้ก่อน"


def _pin(n: int) -> str:
    body = f"8{n:011d}"
    return body + th_pin.calc_check_digit(body)


@pytest.fixture
def team(make_user, sign_in, client, registry):
    user = make_user("subdistrict", "340105")
    sign_in(client, user)
    return user


@pytest.fixture
def inside(registry) -> Member:
    return Member.objects.filter(household__subdistrict_code="340105").order_by("pk").first()


def test_a_search_by_pin_is_a_lookup_row_with_the_masked_pin(client, team, inside):
    client.get(SEARCH, {"pin": inside.pin})
    client.get(SEARCH, {"last_name": inside.last_name})
    lookup, by_name = AuditEvent.objects.filter(action="search").order_by("pk")
    assert (lookup.actor, lookup.object_type, lookup.object_id) == (
        team,
        PIN_LOOKUP,
        mask_pin(inside.pin),
    )
    assert inside.pin not in f"{lookup.summary} {lookup.changes}"
    assert by_name.object_type == ""  # a search by name looks no national ID up


def test_lookups_and_searches_read_in_thai_in_the_log(client, team, inside):
    """The audit rows of a lookup and of a search: English with codes as written, Thai with
    the form's words and the village's name when read (ADR 0012)."""
    from django.utils import translation

    from cheepao.geo.selectors import area_label

    pin_lookups_record(ctx=Context.cli(team), pins=[inside.pin], purpose="form ศจพ.2 preview")
    village = inside.household.village_code
    client.get(SEARCH, {"pin": inside.pin, "village": village})
    recorded, searched = AuditEvent.objects.filter(action="search").order_by("pk")
    masked = mask_pin(inside.pin)
    assert recorded.summary == f"national ID lookup (form ศจพ.2 preview): {masked}"
    assert searched.summary == f"search: pin={masked}, village={village}"
    with translation.override("th"):
        assert recorded.summary_text == f"ตรวจเลขประจำตัวประชาชน (ตรวจทานแบบ ศจพ.2): {masked}"
        assert searched.summary_text == (
            f"ค้นหา เลขประจำตัวประชาชน (13 หลัก): {masked}, หมู่บ้าน: {area_label(village)}"
        )
        assert recorded.object_label == "การตรวจเลขประจำตัวประชาชน"


def test_a_search_over_the_limit_is_refused_in_thai_and_searches_nothing(
    client, team, inside, settings
):
    settings.CHEEPAO_PIN_LOOKUP_LIMIT = 2
    settings.CHEEPAO_PIN_LOOKUP_WINDOW_MINUTES = 15
    for _ in range(2):
        assert client.get(SEARCH, {"pin": inside.pin}).status_code == 200
    before = AuditEvent.objects.count()
    response = client.get(SEARCH, {"pin": inside.pin})
    html = response.content.decode()
    assert response.status_code == 429
    assert LIMITED in html and "15 นาที" in html and "โปรดลองใหม่ในอีก 15 นาที" in html
    assert inside.household.hh_id not in html and inside.first_name not in html
    assert AuditEvent.objects.count() == before
    # A search by name is not a lookup of a national ID: it still runs.
    response = client.get(SEARCH, {"last_name": inside.last_name})
    assert response.status_code == 200 and inside.last_name in response.content.decode()


def test_the_limit_is_per_account_and_rolls(
    client, team, inside, settings, make_user, sign_in, monkeypatch
):
    settings.CHEEPAO_PIN_LOOKUP_LIMIT = 2
    settings.CHEEPAO_PIN_LOOKUP_WINDOW_MINUTES = 30
    for _ in range(2):
        assert client.get(SEARCH, {"pin": inside.pin}).status_code == 200
    assert client.get(SEARCH, {"pin": inside.pin}).status_code == 429
    # Another account of the same team has its own allowance.
    sign_in(client, make_user("subdistrict", "340105"))
    assert client.get(SEARCH, {"pin": inside.pin}).status_code == 200
    # Thirty minutes on, the first account's lookups have left the window.
    later = timezone.now() + timedelta(minutes=31)
    monkeypatch.setattr(timezone, "now", lambda: later)
    sign_in(client, team)
    assert client.get(SEARCH, {"pin": inside.pin}).status_code == 200


def test_the_wait_is_until_enough_lookups_leave_the_window(team, settings, monkeypatch):
    settings.CHEEPAO_PIN_LOOKUP_LIMIT = 2
    settings.CHEEPAO_PIN_LOOKUP_WINDOW_MINUTES = 60
    start = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: start)
    pin_lookups_record(ctx=Context.cli(team), pins=[_pin(1)], purpose="test")
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(minutes=20))
    pin_lookups_record(ctx=Context.cli(team), pins=[_pin(2)], purpose="test")
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(minutes=25))
    with pytest.raises(PinLookupLimit) as one:
        pin_lookups_record(ctx=Context.cli(team), pins=[_pin(3)], purpose="test")
    assert one.value.wait == 35  # the first lookup leaves at minute 60
    with pytest.raises(PinLookupLimit) as two:
        pin_lookups_record(ctx=Context.cli(team), pins=[_pin(3), _pin(4)], purpose="test")
    assert two.value.wait == 55  # both must leave: the second at minute 80
    with pytest.raises(PinLookupLimit) as three:
        pin_lookups_record(ctx=Context.cli(team), pins=[_pin(3), _pin(4), _pin(5)], purpose="test")
    assert three.value.wait == 60  # more than the limit at once: a whole window
    assert three.value.code == "households.pin_limit"
    assert three.value.status == 429
    assert three.value.params == {"limit": 2, "window": 60, "wait": 60}
    rows = AuditEvent.objects.filter(object_type=PIN_LOOKUP).order_by("pk")
    assert list(rows.values_list("object_id", flat=True)) == [mask_pin(_pin(1)), mask_pin(_pin(2))]


def test_an_anonymous_caller_looks_nothing_up(registry):
    from django.contrib.auth.models import AnonymousUser

    from cheepao.core.errors import Refused

    with pytest.raises(Refused) as refused:
        pin_lookups_record(ctx=Context.cli(AnonymousUser()), pins=[_pin(1)], purpose="test")
    assert refused.value.code == "households.pin_signed_out"
    assert not AuditEvent.objects.filter(object_type=PIN_LOOKUP).exists()
