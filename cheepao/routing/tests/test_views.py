"""Routing's pages over HTTP: the right account gets the page (200), any other the same
404 as for a missing record, and a refused or forbidden POST changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.households.models import HouseholdEvent
from cheepao.logbook.models import Entry
from cheepao.routing import services
from cheepao.routing.models import Case, Consent, Referral

pytestmark = pytest.mark.django_db


def state():
    return (
        list(Case.objects.order_by("pk").values()),
        list(Referral.objects.order_by("pk").values()),
        Consent.objects.count(),
        Entry.objects.count(),
        HouseholdEvent.objects.count(),
    )


@pytest.fixture
def referred(world):
    p = world["problem"]
    case = services.case_open(
        ctx=Context.cli(world["mentor"]),
        household_id=world["household"].pk,
        dimension=p.dimension,
        indicator=p.indicator,
    )
    ref = services.referral_send(
        ctx=Context.cli(world["mentor"]), case_id=case.pk, agency_id=world["office"].pk
    )
    return {**world, "case": case, "referral": ref}


def test_the_agency_inbox_lists_its_referrals_with_counts(referred, client, sign_in):
    sign_in(client, referred["agency"])
    html = client.get(reverse("routing:inbox")).content.decode()
    assert referred["household"].hh_id in html
    assert "รอตอบรับ (1)" in html
    assert AuditEvent.objects.filter(object_type="routing.inbox").exists()
    sign_in(client, referred["other_agency"])
    html = client.get(reverse("routing:inbox")).content.decode()
    assert referred["household"].hh_id not in html and "รอตอบรับ (0)" in html
    sign_in(client, referred["mentor"])
    assert client.get(reverse("routing:inbox")).status_code == 404


def test_the_case_page_reads_for_the_agency_and_the_team_not_others(referred, client, sign_in):
    url = reverse("routing:case", args=[referred["case"].pk])
    for who in ("agency", "mentor", "district", "other_mentor"):
        sign_in(client, referred[who])
        assert client.get(url).status_code == 200, who
    sign_in(client, referred["agency"])
    html = client.get(url).content.decode()
    assert "รับเรื่อง" in html and 'id="accept"' in html
    for who in ("other_agency", "foundation_user", "far_district"):
        sign_in(client, referred[who])
        assert client.get(url).status_code == 404, who


def test_an_agency_posting_on_a_case_not_routed_to_it_is_404_and_nothing_changes(
    referred, client, sign_in
):
    url = reverse("routing:case", args=[referred["case"].pk])
    sign_in(client, referred["other_agency"])
    before = state()
    for data in (
        {"action": "accept", "referral": referred["referral"].pk},
        {"action": "close", "reason": "x"},
        {"action": "refer", "agency": referred["other_office"].pk},
    ):
        assert client.post(url, data).status_code == 404
    assert state() == before


def test_accept_then_record_help_and_done_on_the_case_page(referred, client, sign_in):
    url = reverse("routing:case", args=[referred["case"].pk])
    ref = referred["referral"]
    sign_in(client, referred["agency"])
    assert client.post(url, {"action": "accept", "referral": ref.pk}).status_code == 302
    response = client.post(
        url,
        {
            "action": "help_done",
            "referral": ref.pk,
            "occurred_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
            "help_kind": "goods",
            "value": "500",
        },
    )
    assert response.status_code == 400  # a date in the future: nothing recorded, form kept
    assert Entry.objects.count() == 0
    assert 'value="500"' in response.content.decode()
    response = client.post(
        url,
        {
            "action": "help_done",
            "referral": ref.pk,
            "occurred_on": timezone.localdate().isoformat(),
            "help_kind": "goods",
            "value": "500",
            "note": "มอบยา",
        },
    )
    assert response.status_code == 302
    ref.refresh_from_db()
    assert ref.state == "done" and ref.done_entry.agency == referred["office"]


def test_a_refused_refer_says_why_and_changes_nothing(referred, client, sign_in):
    url = reverse("routing:case", args=[referred["case"].pk])
    sign_in(client, referred["mentor"])
    before = state()
    response = client.post(url, {"action": "refer", "agency": referred["foundation"].pk})
    assert response.status_code == 403
    assert "ความยินยอม" in response.content.decode()
    assert state() == before


def test_the_household_page_routes_its_problems(world, client, sign_in):
    h = world["household"]
    url = reverse("routing:household", args=[h.pk])
    sign_in(client, world["mentor"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "route_problems"}).status_code == 302
    n = h.problems.filter(status="open").exclude(indicator="").count()
    assert Case.objects.filter(household=h).count() == n
    html = client.get(url).content.decode()
    assert world["office"].name in html
    # The area's other mentor reads it but has no button; the agency does not reach it.
    sign_in(client, world["other_mentor"])
    html = client.get(url).content.decode()
    assert 'id="route-problems"' not in html
    before = state()
    assert client.post(url, {"action": "route_problems"}).status_code == 404
    sign_in(client, world["agency"])
    assert client.get(url).status_code == 404
    assert state() == before


def test_the_household_folder_links_to_its_cases(world, client, sign_in):
    sign_in(client, world["mentor"])
    html = client.get(reverse("households:folder", args=[world["household"].pk])).content.decode()
    assert reverse("routing:household", args=[world["household"].pk]) in html


def test_the_district_area_page(referred, client, sign_in):
    Referral.objects.update(follow_up_on=timezone.localdate() - datetime.timedelta(days=1))
    services.case_open(
        ctx=Context.cli(referred["district"]),
        household_id=referred["household"].pk,
        dimension="income",
        note="ต้องการอาชีพเสริม",
    )
    Case.objects.filter(indicator="").update(owner=None)
    sign_in(client, referred["district"])
    html = client.get(reverse("routing:area")).content.decode()
    assert referred["office"].name in html and "เกินกำหนด" in html
    assert 'id="no-owner"' in html
    sign_in(client, referred["mentor"])
    assert client.get(reverse("routing:area")).status_code == 404


def test_a_need_found_in_the_field_is_named_by_its_dimension_not_its_code(world, client, sign_in):
    """A case without an indicator shows (and tells the office) the dimension's Thai name,
    never the code 'income'."""
    from cheepao.notifications.models import Notification

    case = services.case_open(
        ctx=Context.cli(world["mentor"]),
        household_id=world["household"].pk,
        dimension="income",
        note="ต้องการทุนประกอบอาชีพ",
    )
    services.referral_send(
        ctx=Context.cli(world["mentor"]), case_id=case.pk, agency_id=world["office"].pk
    )
    sign_in(client, world["mentor"])
    for url in (
        reverse("routing:case", args=[case.pk]),
        reverse("routing:household", args=[world["household"].pk]),
    ):
        html = client.get(url).content.decode()
        assert "ด้านรายได้" in html and ">income<" not in html and ": income" not in html
    note = Notification.objects.get(user=world["agency"], kind="routing.referral_new")
    assert note.args["problem"] == "ด้านรายได้"
    history = client.get(reverse("households:folder", args=[world["household"].pk]))
    assert "income" not in history.content.decode().split("ประวัติ", 1)[-1]


def test_the_inbox_shows_fifty_referrals_a_page(world, client, sign_in):
    """A busy office's inbox is read a page at a time (bench/logbook.py: 2,000 referrals)."""
    h = world["household"]
    now = timezone.now()
    for n in range(51):
        case = Case.objects.create(
            household=h, village_code=h.village_code, dimension="income", opened_at=now
        )
        Referral.objects.create(
            case=case,
            village_code=h.village_code,
            agency=world["office"],
            follow_up_on=timezone.localdate() + datetime.timedelta(days=n + 1),
            sent_at=now + datetime.timedelta(seconds=n),
        )
    sign_in(client, world["agency"])
    first = client.get(reverse("routing:inbox")).content.decode()
    assert first.count("data-referral=") == 50 and 'id="inbox-next"' in first
    assert "รอตอบรับ (51)" in first and 'id="inbox-previous"' not in first
    second = client.get(reverse("routing:inbox") + "?tab=pending&page=2").content.decode()
    assert second.count("data-referral=") == 1 and 'id="inbox-previous"' in second
    assert 'id="inbox-next"' not in second
    assert client.get(reverse("routing:inbox") + "?page=x").status_code == 200
