"""The pages over the services: the district puts chosen unassigned households in a civil
servant's care (over the cap: the Thai refusal on the page, nothing changed), hands some
of a person's households over, finds the lists from its menu and area pages; a mentor's
"my households" shows each household's family folder and plan (one query per kind for the
page) and filters the returned plans. Others get 404 (403 for a list their role has not),
nothing changed."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cheepao.core.context import Context
from cheepao.households.models import Household
from cheepao.mentoring import services
from cheepao.mentoring.models import Assignment
from cheepao.mentoring.tests.conftest import add_households, snapshot

pytestmark = pytest.mark.django_db

OVER_CAP_TH = "ดูแลครัวเรือนอยู่แล้ว 10 ครัวเรือน ซึ่งเท่ากับจำนวนสูงสุดต่อคน (10)"


def _carers(team):
    return team.members.get(is_lead=True), team.members.get(is_lead=False, kind="civil_servant")


def test_district_assigns_the_ticked_households(client, sign_in, district, team, village):
    lead, _mate = _carers(team)
    sign_in(client, district)
    page = client.get(f"/mentoring/unassigned/?area={village[:6]}")
    html = page.content.decode()
    assert page.status_code == 200
    boxes = [int(v) for v in re.findall(r'name="household" value="(\d+)"', html)]
    # every household of the subdistrict, none ticked: its four target households in the
    # tiny registry (households.parquet) and the village's test-local one
    here = Household.objects.filter(subdistrict_code=village[:6], status=Household.Status.ACTIVE)
    assert sorted(boxes) == sorted(here.values_list("pk", flat=True)) and len(boxes) == 5
    assert f'<option value="{lead.pk}">' in html
    done = client.post(
        "/mentoring/unassigned/",
        {"area": village[:6], "mentor": lead.pk, "household": boxes[:2], "cap": 10},
    )
    assert (
        done.status_code == 302 and done["Location"] == f"/mentoring/unassigned/?area={village[:6]}"
    )
    free = Assignment.objects.filter(ended_at__isnull=True)
    assert sorted(free.values_list("household_id", flat=True)) == sorted(boxes[:2])
    assert {a.mentor_id for a in free} == {lead.pk}
    left = client.get(f"/mentoring/unassigned/?area={village[:6]}").content.decode()
    assert f'value="{boxes[2]}"' in left and f'value="{boxes[0]}"' not in left


def test_the_eleventh_household_is_refused_on_the_page(
    client, sign_in, district, team, village, registry
):
    lead, _mate = _carers(team)
    extra = add_households(registry, village, 8)  # 11 in the village
    sign_in(client, district)
    html = client.get(f"/mentoring/unassigned/?area={village}").content.decode()
    ids = [int(v) for v in re.findall(r'name="household" value="(\d+)"', html)]
    assert len(ids) == 11 and extra[0].pk in ids
    first = {"area": village, "mentor": lead.pk, "household": ids[:10], "cap": ""}
    assert client.post("/mentoring/unassigned/", first).status_code == 302
    before = snapshot()
    refused = client.post(
        "/mentoring/unassigned/", {"area": village, "mentor": lead.pk, "household": ids[10:]}
    )
    html = refused.content.decode()
    assert refused.status_code == 400
    assert f"{lead.name} {OVER_CAP_TH}" in html
    assert f'value="{ids[10]}" checked' in html  # the choice comes back
    assert snapshot() == before


def test_a_selection_over_the_cap_changes_nothing(client, sign_in, district, team, village):
    _lead, mate = _carers(team)
    sign_in(client, district)
    html = client.get(f"/mentoring/unassigned/?area={village}").content.decode()
    ids = [int(v) for v in re.findall(r'name="household" value="(\d+)"', html)]
    before = snapshot()
    refused = client.post(
        "/mentoring/unassigned/", {"area": village, "mentor": mate.pk, "household": ids, "cap": 2}
    )
    assert refused.status_code == 400 and mate.name in refused.content.decode()
    assert snapshot() == before
    nothing = client.post("/mentoring/unassigned/", {"area": village, "mentor": mate.pk})
    assert nothing.status_code == 400
    assert "กรุณาเลือกอย่างน้อยหนึ่งครัวเรือน" in nothing.content.decode()
    assert snapshot() == before


def test_others_cannot_assign(client, sign_in, make_user, district, team, village, mentors):
    lead, _mate = _carers(team)
    sign_in(client, district)
    html = client.get(f"/mentoring/unassigned/?area={village}").content.decode()
    ids = [int(v) for v in re.findall(r'name="household" value="(\d+)"', html)]
    post = {"area": village, "mentor": lead.pk, "household": ids}
    before = snapshot()
    # Another district: the households are not theirs (404), and neither is the team.
    other = make_user("district", "3402")
    sign_in(client, other)
    assert client.post("/mentoring/unassigned/", post).status_code == 404
    assert client.post("/mentoring/unassigned/", {**post, "area": "340201"}).status_code == 404
    # The subdistrict team reads the list but does not assign; a mentor has no such list.
    sign_in(client, make_user("subdistrict", village[:6]))
    assert client.get(f"/mentoring/unassigned/?area={village}").status_code == 200
    assert client.post("/mentoring/unassigned/", post).status_code == 403
    sign_in(client, mentors[0])
    assert client.get("/mentoring/unassigned/").status_code == 403
    assert client.post("/mentoring/unassigned/", post).status_code == 403
    assert snapshot() == before


def test_hand_over_some_households(client, sign_in, make_user, district, team, village, registry):
    lead, mate = _carers(team)
    households = add_households(registry, village, 3)
    services.households_assign_to(ctx=Context.cli(district), households=households, member=lead)
    url = f"/mentoring/team/{team.pk}/handover/"
    sign_in(client, district)
    step1 = client.get(url)
    assert step1.status_code == 200 and "ขั้นตอนที่ 1 จาก 2" in step1.content.decode()
    step2 = client.get(f"{url}?from_member={lead.pk}").content.decode()
    assert "ขั้นตอนที่ 2 จาก 2" in step2
    for h in households:  # all ticked by default
        assert f'name="household" value="{h.pk}" checked' in step2
    base = {"from_member": lead.pk, "to_member": mate.pk, "note": "ย้ายราชการ", "cap": 10}
    before = snapshot()
    none = client.post(url, {**base, "pick": "1"})
    assert none.status_code == 200
    assert "กรุณาเลือกอย่างน้อยหนึ่งครัวเรือน" in none.content.decode()
    assert snapshot() == before
    other = make_user("district", "3402")
    sign_in(client, other)
    assert (
        client.post(url, {**base, "pick": "1", "household": [households[0].pk]}).status_code == 404
    )
    assert client.get(f"{url}?from_member={lead.pk}").status_code == 404
    assert snapshot() == before
    sign_in(client, district)
    done = client.post(url, {**base, "pick": "1", "household": [households[0].pk]})
    assert done.status_code == 302
    current = Assignment.objects.filter(ended_at__isnull=True)
    assert current.get(household=households[0]).mentor == mate
    assert {a.mentor_id for a in current.exclude(household=households[0])} == {lead.pk}
    ended = Assignment.objects.get(household=households[0], ended_at__isnull=False)
    assert ended.handover_note == "ย้ายราชการ"


def test_lists_from_the_menu_and_the_area_pages(client, sign_in, make_user, district, village):
    sign_in(client, district)
    home = client.get("/mentoring/unassigned/").content.decode()
    assert 'href="/mentoring/no-contact/"' in home  # the menu
    area = client.get(reverse("households:subdistrict", args=[village[:6]])).content.decode()
    assert f'href="/mentoring/unassigned/?area={village[:6]}"' in area
    assert f'href="/mentoring/no-contact/?area={village[:6]}"' in area
    sign_in(client, make_user("subdistrict", village[:6]))
    page = client.get(reverse("households:village", args=[village])).content.decode()
    assert f'href="/mentoring/unassigned/?area={village}"' in page
    assert f'href="/mentoring/no-contact/?area={village}"' in page
    silent = client.get(f"/mentoring/no-contact/?area={village}&days=30")
    assert silent.status_code == 200
    # Another subdistrict's code does not widen the list: the whole own area is shown.
    other = client.get("/mentoring/unassigned/?area=34020101").content.decode()
    assert '<h1 tabindex="-1">ครัวเรือนที่ยังไม่ได้มอบหมาย</h1>' in other
    assert 'value="34020101" selected' not in other


def _card(html: str, household_pk: int) -> str:
    start = html.index(f'data-household="{household_pk}"')
    return html[start : html.index("</li>", start)]


def test_my_households_show_folder_and_plan(client, sign_in, mentors, care_state):
    folder_h, plan_h, bare_h = care_state
    sign_in(client, mentors[0])
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/mentoring/mine/")
    assert page.status_code == 200
    html = page.content.decode()
    folder_card = _card(html, folder_h.pk)
    assert "แบบสรุปข้อมูลครัวเรือน: ฉบับที่ 1 วันที่" in folder_card
    assert "แผนพัฒนา: ยังไม่มีแผน" in folder_card
    plan_card = _card(html, plan_h.pk)
    assert "แผนพัฒนา: ส่งคืนให้แก้ไข · 50% (" in plan_card
    assert "แบบสรุปข้อมูลครัวเรือน: ยังไม่ได้กรอก" in plan_card
    bare = _card(html, bare_h.pk)
    assert "ยังไม่ได้กรอก" in bare and "ยังไม่มีแผน" in bare
    # Each row leads to the household's page, its family folder and its plan.
    for h in care_state:
        card = _card(html, h.pk)
        assert f'href="{reverse("households:folder", args=[h.pk])}"' in card
        assert f'href="/folders/households/{h.pk}/"' in card
        assert f'href="/plans/household/{h.pk}/"' in card
    # One query per kind for the page, not one per row.
    sqls = [q["sql"] for q in queries.captured_queries]
    assert sum('"folders_familyfolder"' in s for s in sqls) == 1
    assert sum('FROM "plans_plan"' in s for s in sqls) == 1
    # The filter finds the returned plan only.
    returned = client.get("/mentoring/mine/?only=returned").content.decode()
    assert 'aria-current="true">แผนที่ส่งคืนให้แก้ไข' in returned
    assert f'data-household="{plan_h.pk}"' in returned
    assert f'data-household="{folder_h.pk}"' not in returned
    assert f'data-household="{bare_h.pk}"' not in returned


def test_my_households_of_someone_else(client, sign_in, mentors, care_state):
    # A mentor outside the team sees none of them, with or without the filter.
    sign_in(client, mentors[2])
    for url in ("/mentoring/mine/", "/mentoring/mine/?only=returned", "/mentoring/mine/?only=x"):
        page = client.get(url)
        assert page.status_code == 200
        for h in care_state:
            assert f'data-household="{h.pk}"' not in page.content.decode()
