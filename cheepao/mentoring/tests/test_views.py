"""The mentoring pages over HTTP: the district appoints a team in two steps, assigns a
village, hands households over; the mentor starts at "my households"; the district and the
subdistrict see the unassigned and silent households; the appointment order prints as HTML
and as a Thai A4 PDF. Others get 404 (or 403 for a list their role has not), nothing
changed; every list of households is a recorded read."""

from __future__ import annotations

import re
import zlib
from datetime import timedelta

import pytest
from django.utils import timezone

from cheepao.audit.models import AuditEvent
from cheepao.conftest import TEST_PASSWORD
from cheepao.core.context import Context
from cheepao.households.models import Household, HouseholdEvent
from cheepao.households.services import history_record
from cheepao.mentoring import services
from cheepao.mentoring.models import Assignment, MentorTeam, TeamMember
from cheepao.mentoring.tests.conftest import add_households, snapshot

pytestmark = pytest.mark.django_db


def test_district_appoints_in_two_steps(client, sign_in, district, mentors, village):
    sign_in(client, district)
    page = client.get("/mentoring/appoint/")
    assert page.status_code == 200
    assert "ขั้นตอนที่ 1 จาก 2" in page.content.decode()
    step1 = {
        "step": "1",
        "subdistrict_code": village[:6],
        "name": "ทีมพี่เลี้ยง 1",
        "order_no": "45/2568",
        "order_date": "2025-01-15",
    }
    second = client.post("/mentoring/appoint/", step1)
    html = second.content.decode()
    assert second.status_code == 200 and "ขั้นตอนที่ 2 จาก 2" in html
    assert mentors[0].username in html  # the subdistrict's mentor accounts are offered
    members = {
        "m0-user": mentors[0].pk,
        "m0-kind": "civil_servant",
        "m0-position": "พัฒนากร",
        "m1-user": mentors[1].pk,
        "m1-kind": "civil_servant",
        "m2-name": "นายเพื่อน บ้านใกล้",
        "m2-kind": "neighbour",
        "m2-phone": "0812345678",
        "lead": "0",
    }
    # No lead: refused, the form comes back with what was typed, nothing appointed.
    before = snapshot()
    again = client.post("/mentoring/appoint/", {**step1, "step": "2", **{**members, "lead": ""}})
    assert again.status_code == 400
    assert "กรุณาเลือกหัวหน้าทีมหนึ่งคนเท่านั้น" in again.content.decode()
    assert "นายเพื่อน บ้านใกล้" in again.content.decode()
    assert snapshot() == before
    done = client.post("/mentoring/appoint/", {**step1, "step": "2", **members})
    team = MentorTeam.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/mentoring/team/{team.pk}/"
    assert team.order_no == "45/2568" and str(team.order_date) == "2025-01-15"
    assert team.members.get(is_lead=True).user == mentors[0]
    assert team.members.get(user__isnull=True).phone == "0812345678"


def test_only_a_district_opens_the_appoint_form(client, sign_in, make_user, village):
    for role, code in (("subdistrict", village[:6]), ("mentor", village), ("province", "34")):
        sign_in(client, make_user(role, code))
        assert client.get("/mentoring/appoint/").status_code == 403


def test_assign_a_village_and_the_team_page(client, sign_in, district, team, village, registry):
    add_households(registry, village, 27)  # 30: two carers × 10, 10 left
    sign_in(client, district)
    form = client.get(f"/mentoring/team/{team.pk}/assign/")
    assert form.status_code == 200 and village in form.content.decode()
    # A cap that is not a number is put back on the form, nothing assigned.
    bad = client.post(f"/mentoring/team/{team.pk}/assign/", {"village_code": village, "cap": "x"})
    assert bad.status_code == 200 and not Assignment.objects.exists()
    done = client.post(f"/mentoring/team/{team.pk}/assign/", {"village_code": village, "cap": 10})
    assert done.status_code == 302
    assert Assignment.objects.count() == 20
    page = client.get(f"/mentoring/team/{team.pk}/")
    html = page.content.decode()
    assert html.count('class="mentoring-card') >= 3 + 20
    read = AuditEvent.objects.filter(action="view", object_type="mentoring.mentorteam").latest("pk")
    assert len(read.changes["households"]) == 20
    # The unassigned list of the district shows the 10 left (and the rest of its district).
    unassigned = client.get("/mentoring/unassigned/").content.decode()
    left = Household.objects.filter(village_code=village).exclude(
        pk__in=Assignment.objects.values("household_id")
    )
    assert all(h.hh_id in unassigned for h in left)


def test_hand_over_form(client, sign_in, district, team, village, registry):
    services.households_assign(ctx=Context.cli(district), team=team, village_code=village)
    lead = team.members.get(is_lead=True)
    mate = team.members.get(is_lead=False, kind="civil_servant")
    sign_in(client, district)
    assert client.get(f"/mentoring/team/{team.pk}/handover/").status_code == 200
    before = snapshot()
    empty = client.post(
        f"/mentoring/team/{team.pk}/handover/",
        {"from_member": lead.pk, "to_member": lead.pk, "note": "ย้าย", "cap": 10},
    )
    assert empty.status_code == 200 and snapshot() == before
    done = client.post(
        f"/mentoring/team/{team.pk}/handover/",
        {"from_member": lead.pk, "to_member": mate.pk, "note": "ย้ายราชการ", "cap": 10},
    )
    assert done.status_code == 302
    assert Assignment.objects.filter(mentor=mate, ended_at__isnull=True).count() == 3


def test_member_add_leave_and_end(client, sign_in, district, team):
    sign_in(client, district)
    added = client.post(
        f"/mentoring/team/{team.pk}/members/add/", {"name": "อสม. ใจดี", "kind": "volunteer"}
    )
    assert added.status_code == 302
    new = TeamMember.objects.get(name="อสม. ใจดี")
    client.post(f"/mentoring/team/{team.pk}/members/{new.pk}/leave/")
    assert not TeamMember.objects.get(pk=new.pk).active
    lead = team.members.get(is_lead=True)
    refused = client.post(f"/mentoring/team/{team.pk}/members/{lead.pk}/leave/", follow=True)
    assert "หัวหน้าทีมออกจากทีมไม่ได้" in refused.content.decode()
    client.post(f"/mentoring/team/{team.pk}/end/")
    assert not MentorTeam.objects.get(pk=team.pk).active


def test_mentor_starts_at_my_households(client, district, team, mentors, village, registry):
    services.households_assign(ctx=Context.cli(district), team=team, village_code=village)
    response = client.post(
        "/accounts/sign-in/", {"username": mentors[1].username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/mentoring/mine/"
    mine = Assignment.objects.get(mentor__user=mentors[1]).household
    # A visit written by the mentor is the last contact.
    history_record(
        ctx=Context.cli(mentors[1]), household=mine, kind="mentoring.assigned", team="t", mentor="m"
    )
    html = client.get("/mentoring/mine/").content.decode()
    hh_ids = re.findall(r"<strong>([^<]+)</strong>", html)
    assert hh_ids[0] == mine.hh_id  # mine first, then the team's others
    assert len(hh_ids) == 3
    assert "ติดต่อล่าสุด" in html
    read = AuditEvent.objects.filter(action="view", actor=mentors[1]).latest("pk")
    assert len(read.changes["households"]) == 3
    # Other accounts keep the registry as their start page.
    client.logout()
    response = client.post(
        "/accounts/sign-in/", {"username": district.username, "password": TEST_PASSWORD}
    )
    assert response["Location"] == "/registry/"


def test_no_contact_for_n_days(
    client, sign_in, district, team, mentors, village, registry, make_user
):
    services.households_assign(ctx=Context.cli(district), team=team, village_code=village)
    first, second, third = Assignment.objects.order_by("pk")
    # Contacted today by its team: not listed. Contacted 40 days ago: listed for 30, not 60.
    history_record(
        ctx=Context.cli(mentors[0]),
        household=first.household,
        kind="mentoring.assigned",
        team="t",
        mentor="m",
    )
    HouseholdEvent.objects.create(  # written 40 days ago (history is append-only)
        household=second.household,
        kind="mentoring.assigned",
        data={"team": "t", "mentor": "m"},
        actor=mentors[1],
        at=timezone.now() - timedelta(days=40),
    )
    # An event by someone outside the team is no contact.
    history_record(
        ctx=Context.cli(district),
        household=third.household,
        kind="mentoring.assigned",
        team="t",
        mentor="m",
    )
    sign_in(client, make_user("subdistrict", village[:6]))
    html = client.get("/mentoring/no-contact/").content.decode()
    assert first.household.hh_id not in html
    assert second.household.hh_id in html and third.household.hh_id in html
    html60 = client.get("/mentoring/no-contact/?days=60").content.decode()
    assert second.household.hh_id not in html60 and third.household.hh_id in html60
    sign_in(client, mentors[0])
    assert client.get("/mentoring/no-contact/").status_code == 403
    assert client.get("/mentoring/unassigned/").status_code == 403


def _inflate(pdf: bytes):
    """The PDF's compressed streams, inflated (fonts live in object streams)."""
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            yield zlib.decompress(m.group(1))
        except zlib.error:
            continue


def test_appointment_order_html_and_thai_pdf(client, sign_in, district, team, village, registry):
    services.households_assign(ctx=Context.cli(district), team=team, village_code=village)
    sign_in(client, district)
    html = client.get(f"/mentoring/team/{team.pk}/order/").content.decode()
    assert "เรื่อง แต่งตั้งทีมพี่เลี้ยง" in html and "หัวหน้าทีม" in html and "123/2568" in html
    assert "สมชาย ใจดี" in html and "พัฒนากร" in html
    response = client.get(f"/mentoring/team/{team.pk}/order.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    # A Thai font from fonts-thai-tlwg is embedded and maps glyphs to Thai letters (ท U+0E17).
    inflated = b"".join(_inflate(pdf))
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+(Garuda|Loma)", inflated), "no Thai font"
    assert b"<0E17>" in inflated.upper() or b"0E17>" in inflated.upper()
    assert AuditEvent.objects.filter(action="export", object_type="mentoring.mentorteam").exists()


def test_outsiders_get_404_and_nothing_changes(client, sign_in, team, make_user, village, registry):
    other_district = make_user("district", "3402")
    other_mentor = make_user("mentor", "34010501")
    urls = [
        f"/mentoring/team/{team.pk}/",
        f"/mentoring/team/{team.pk}/order/",
        f"/mentoring/team/{team.pk}/order.pdf",
        f"/mentoring/team/{team.pk}/assign/",
        f"/mentoring/team/{team.pk}/handover/",
        f"/mentoring/team/{team.pk}/members/add/",
    ]
    posts = [
        f"/mentoring/team/{team.pk}/assign/",
        f"/mentoring/team/{team.pk}/members/{team.members.first().pk}/leave/",
        f"/mentoring/team/{team.pk}/end/",
    ]
    before = snapshot()
    for user in (other_district, other_mentor):
        sign_in(client, user)
        for url in urls:
            assert client.get(url).status_code == 404, url
        for url in posts:
            assert client.post(url, {"village_code": village, "cap": 10}).status_code == 404, url
    # A viewer of the subdistrict reads the team but may not change it.
    sign_in(client, make_user("subdistrict", village[:6]))
    assert client.get(f"/mentoring/team/{team.pk}/").status_code == 200
    assert client.get(f"/mentoring/team/{team.pk}/assign/").status_code == 404
    assert client.post(posts[0], {"village_code": village, "cap": 10}).status_code == 404
    assert snapshot() == before


def test_pages_in_english(client, sign_in, district, team, mentors, village, registry):
    services.households_assign(ctx=Context.cli(district), team=team, village_code=village)
    client.cookies["django_language"] = "en"
    sign_in(client, mentors[0])
    assert '<h1 tabindex="-1">My households</h1>' in client.get("/mentoring/mine/").content.decode()
    sign_in(client, district)
    html = client.get(f"/mentoring/team/{team.pk}/order/").content.decode()
    assert "Subject: appointment of a mentor team" in html and "Team lead" in html


def test_a_village_account_sees_only_its_villages_households_of_a_team(
    client, sign_in, district, team, village, registry, make_user
):
    other_village = village[:6] + "01"
    theirs = add_households(registry, other_village, 2)
    ctx = Context.cli(district)
    services.households_assign(ctx=ctx, team=team, village_code=village)
    services.households_assign(ctx=ctx, team=team, village_code=other_village)
    sign_in(client, make_user("mentor", other_village))
    for url in (f"/mentoring/team/{team.pk}/", f"/mentoring/team/{team.pk}/order/"):
        html = client.get(url).content.decode()
        assert all(h.hh_id in html for h in theirs), url
        for h in Household.objects.filter(village_code=village):
            assert h.hh_id not in html, url
