"""Access sweep: for every page of this app and every role, a household, area or batch
outside the account's area is the same 404 as one that does not exist, and nothing changes
(not even an audit row)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.verification import services
from cheepao.verification.tests.conftest import form_data, snapshot
from cheepao.verification.tests.test_views import post_data

ROLES = ["subdistrict", "mentor", "district", "province", "agency"]


@pytest.fixture
def batch(household, team):
    services.verification_save(
        household=household, ctx=Context.cli(team), data=form_data(household)
    )
    return services.batch_submit(area_code=household.village_code, ctx=Context.cli(team))


def requests_for(household, batch):
    """(method, url, data) for every endpoint of the app, aimed at `household`'s area."""
    form = reverse("verification:form", args=[household.pk])
    out = [("get", form, None), ("post", form, post_data(household))]
    for code in (household.village_code, household.subdistrict_code):
        area = reverse("verification:area", args=[code])
        out += [("get", area, None), ("post", area, {})]
    page = reverse("verification:batch", args=[batch.pk])
    out.append(("get", page, None))
    for action in ("certify", "return", "approve", "resubmit"):
        out.append(("post", page, {"action": action, "comment": "ลองดู"}))
    return out


def everything() -> dict:
    state = snapshot()
    state["audit_all"] = AuditEvent.objects.count()
    return state


@pytest.mark.parametrize("role", ROLES)
def test_outside_the_area_is_404_and_changes_nothing(
    role, client, sign_in, outsiders, household, batch
):
    sign_in(client, outsiders[role])
    for method, url, data in requests_for(household, batch):
        before = everything()
        response = (
            getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        )
        assert response.status_code == 404, (role, method, url)
        assert everything() == before, (role, method, url)


@pytest.mark.parametrize("role", ROLES)
def test_missing_ids_are_the_same_404(role, client, sign_in, make_user, household, batch):
    area = {
        "subdistrict": household.subdistrict_code,
        "mentor": household.subdistrict_code,
        "district": household.district_code,
        "province": "34",
        "agency": household.district_code,
    }[role]
    sign_in(client, make_user(role, area))
    before = everything()
    for url in (
        reverse("verification:form", args=[10**9]),
        reverse("verification:batch", args=[10**9]),
        reverse("verification:area", args=[household.subdistrict_code[:4] + "99"]),
        reverse("verification:area", args=["3401"]),  # a district is not a verification area
        reverse("verification:area", args=["abcdefgh"]),
    ):
        assert client.get(url).status_code == 404, (role, url)
        assert client.post(url, {"action": "certify"}).status_code == 404, (role, url)
    assert everything() == before


def test_a_village_mentor_does_not_see_the_batch_of_the_whole_subdistrict(
    client, sign_in, make_user, household, team
):
    services.verification_save(
        household=household, ctx=Context.cli(team), data=form_data(household)
    )
    batch = services.batch_submit(area_code=household.subdistrict_code, ctx=Context.cli(team))
    sign_in(client, make_user("mentor", household.village_code))
    before = everything()
    assert client.get(reverse("verification:batch", args=[batch.pk])).status_code == 404
    assert f"ชุดที่ {batch.pk}" not in client.get(reverse("verification:batches")).content.decode()
    assert everything() == before


def test_the_batch_list_shows_only_batches_inside_the_area(client, sign_in, outsiders, batch):
    for role in ROLES:
        client.logout()
        sign_in(client, outsiders[role])
        html = client.get(reverse("verification:batches")).content.decode()
        assert f"ชุดที่ {batch.pk}" not in html, role
        assert "ยังไม่มีชุดข้อมูลส่งรับรองในพื้นที่ของท่าน" in html, role
