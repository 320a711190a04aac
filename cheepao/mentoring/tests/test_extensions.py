"""What mentoring adds to the registry's pages: the folder's "team / mentor" line, the
register's "mentor" column, and the district's "assign mentors" button on an area."""

from __future__ import annotations

import pytest

from cheepao.core.context import Context
from cheepao.mentoring import services
from cheepao.mentoring.models import Assignment

pytestmark = pytest.mark.django_db


def test_folder_register_and_area_action(client, sign_in, district, team, village, registry):
    services.households_assign(ctx=Context.cli(district), team=team, village_code=village)
    a = Assignment.objects.select_related("mentor").order_by("pk").first()
    sign_in(client, district)
    folder = client.get(f"/registry/household/{a.household_id}/").content.decode()
    assert "ทีมพี่เลี้ยง / พี่เลี้ยง" in folder
    assert f"{team.name} / {a.mentor.name}" in folder
    register = client.get(f"/registry/village/{village}/").content.decode()
    assert "<th" in register and "พี่เลี้ยง" in register and a.mentor.name in register
    area = client.get(f"/registry/subdistrict/{village[:6]}/").content.decode()
    assert f'href="/mentoring/?subdistrict={village[:6]}"' in area


def test_no_assign_button_for_the_subdistrict_team(client, sign_in, make_user, village, registry):
    sign_in(client, make_user("subdistrict", village[:6]))
    area = client.get(f"/registry/subdistrict/{village[:6]}/").content.decode()
    assert "/mentoring/?subdistrict=" not in area
