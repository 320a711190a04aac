"""The maps pages over HTTP: the choropleth's table of one rate per area, one level under
the shown one; the boundaries of just those areas; the same 404 outside the account's area;
the pins of a subdistrict for accounts that see its households, their read audited."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from cheepao.audit.models import AuditEvent
from cheepao.households.models import Household
from cheepao.maps import selectors

pytestmark = pytest.mark.django_db


def _data(response) -> dict:
    found = re.search(
        r'<script id="maps-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found.group(1))


def _table(response) -> dict[str, tuple[str, str]]:
    """code -> (class, text of the rate cell) from the table under the map."""
    html = response.content.decode()
    rows = re.findall(
        r'<tr data-code="(\d*)" data-class="(\w+)">.*?<td>.*?</span>(.*?)</td>', html, re.S
    )
    return {code: (cls, text.strip()) for code, cls, text in rows}


def test_the_country_map_colours_the_provinces_by_a_rate(client, make_user, sign_in, snapshots):
    sign_in(client, make_user("national", ""))
    response = client.get(reverse("maps:map"))
    assert response.status_code == 200
    table = _table(response)
    assert len(table) == 77  # every province has a boundary: those without rows, no data
    assert table["34"] == ("1", "25.0 %")  # 100 of 400 helped
    assert table["33"] == ("4", "95.0 %")
    assert table["10"] == ("none", "ไม่มีข้อมูล")
    data = _data(response)
    assert data["areas"]["url"] == reverse("maps:areas")
    assert data["areas"]["mode"] == "choropleth"
    assert data["areas"]["values"]["34"]["cls"] == 1
    assert data["areas"]["values"]["34"]["url"] == "/maps/34/?month=2569-11&rate=helped_pct"
    assert data["areas"]["values"]["10"]["cls"] is None
    assert data["points"] == []
    assert "prasertcbs/thailand_gis" in data["boundary_attribution"]
    html = response.content.decode()
    assert "ไม่มีข้อมูล" in html and 'class="maps-swatch maps-nodata"' in html
    assert 'href="/maps/34/?month=2569-11&amp;rate=helped_pct"' in html

    areas = client.get(reverse("maps:areas"))
    assert areas.status_code == 200 and areas["Content-Type"] == "application/geo+json"
    codes = [f["properties"]["code"] for f in json.loads(areas.content)["features"]]
    assert len(codes) == 77


def test_a_rate_per_household_has_its_own_classes(client, make_user, sign_in, snapshots):
    sign_in(client, make_user("national", ""))
    response = client.get(reverse("maps:map"), {"rate": "acts_per_household"})
    table = _table(response)
    assert table["34"] == ("1", "0.75 ครั้งต่อครัวเรือน")  # 300 acts / 400 targets
    assert _data(response)["areas"]["values"]["34"]["url"].endswith("rate=acts_per_household")
    # a count is not a rate: it falls back to the default rate
    assert _table(client.get(reverse("maps:map"), {"rate": "targets"}))["34"][1] == "25.0 %"


def test_the_month_picker_reads_that_month(client, make_user, sign_in, snapshots):
    from cheepao.maps.tests.conftest import EARLIER, area_month

    area_month("35", EARLIER, targets=10, helped=1)
    sign_in(client, make_user("national", ""))
    assert _table(client.get(reverse("maps:map")))["35"][0] == "none"
    earlier = client.get(reverse("maps:map"), {"month": "2569-10"})
    assert _table(earlier)["35"] == ("0", "10.0 %")
    assert 'value="2569-10" selected' in earlier.content.decode()


def test_drilling_down_a_province_and_a_district(client, make_user, sign_in, snapshots):
    sign_in(client, make_user("province", "34"))
    province = client.get(reverse("maps:map"))
    table = _table(province)
    assert set(table) == {c for c in selectors.boundaries.features("district") if c[:2] == "34"}
    assert table["3401"] == ("2", "45.0 %")
    district = client.get(reverse("maps:area", args=["3401"]))
    assert district.status_code == 200
    table = _table(district)
    assert table["340101"] == ("4", "90.0 %")
    assert table["340102"] == ("none", "ไม่มีข้อมูล")
    html = district.content.decode()
    # the breadcrumb goes back up to the account's own area, no higher
    assert 'href="/maps/?month=2569-11&amp;rate=helped_pct">จังหวัดอุบลราชธานี</a>' in html
    assert "ทั้งประเทศ" not in html
    areas = json.loads(client.get(reverse("maps:area_areas", args=["3401"])).content)
    assert {f["properties"]["code"][:4] for f in areas["features"]} == {"3401"}


def test_a_district_account_never_sees_another_district(client, make_user, sign_in, snapshots):
    sign_in(client, make_user("district", "3401"))
    response = client.get(reverse("maps:map"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "3402" not in html and "อำเภอ" + "เขื่องใน" not in html
    codes = {
        f["properties"]["code"]
        for f in json.loads(client.get(reverse("maps:areas")).content)["features"]
    }
    assert codes and all(c.startswith("3401") for c in codes)
    for url in (
        reverse("maps:area", args=["3402"]),
        reverse("maps:area", args=["34"]),
        reverse("maps:area_areas", args=["3402"]),
        reverse("maps:area_areas", args=["34"]),
        reverse("maps:area", args=["x1"]),
        reverse("maps:area", args=["999999"]),  # well-formed, under no account of ours
    ):
        assert client.get(url).status_code == 404, url


def test_accounts_without_the_registry_and_strangers(client, make_user, sign_in, snapshots):
    sign_in(client, make_user("agency", "3401"))
    assert client.get(reverse("maps:map")).status_code == 404
    assert client.get(reverse("maps:area", args=["340101"])).status_code == 404
    client.logout()
    response = client.get(reverse("maps:map"))
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    # the credits are public
    credits = client.get(reverse("maps:credits"))
    assert credits.status_code == 200
    assert "Royal Thai Survey Department" in credits.content.decode()


def test_no_snapshot_yet(client, make_user, sign_in, db):
    sign_in(client, make_user("district", "3401"))
    response = client.get(reverse("maps:map"))
    assert response.status_code == 200
    assert 'id="maps-no-month"' in response.content.decode()
    assert all(cls == "none" for cls, _ in _table(response).values())


@pytest.mark.parametrize("role, area", [("subdistrict", "340105"), ("district", "3401")])
def test_subdistrict_pins_for_accounts_that_see_them_audited(
    client, registry, make_user, sign_in, role, area
):
    code = "340105"
    user = make_user(role, area)
    sign_in(client, user)
    before = AuditEvent.objects.count()
    response = client.get(
        reverse("maps:area", args=[code]) if role != "subdistrict" else reverse("maps:map")
    )
    assert response.status_code == 200
    data = _data(response)
    households = Household.objects.filter(subdistrict_code=code, registry=registry)
    placed = {reverse("households:folder", args=[h.pk]) for h in households if h.lat is not None}
    assert placed and {p["url"] for p in data["points"]} == placed
    assert data["areas"]["mode"] == "outline"
    assert data["areas"]["url"].endswith("areas.geojson")
    assert {p["type"] for p in data["points"]} <= {"developable", "welfare", ""}
    event = AuditEvent.objects.order_by("pk").last()
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.object_type, event.object_id) == (
        "view",
        "households.subdistrict",
        code,
    )
    assert event.actor_id == user.pk
    assert sorted(event.changes["households"]) == sorted(h.pk for h in households)
    outline = json.loads(client.get(data["areas"]["url"]).content)
    assert [f["properties"]["code"] for f in outline["features"]] == [code]


def test_pins_of_a_subdistrict_are_not_shown_outside(client, registry, make_user, sign_in):
    sign_in(client, make_user("subdistrict", "340104"))
    before = AuditEvent.objects.count()
    assert client.get(reverse("maps:area", args=["340105"])).status_code == 404
    assert client.get(reverse("maps:area_areas", args=["340105"])).status_code == 404
    assert AuditEvent.objects.count() == before


def test_a_mentor_map_is_its_village(client, registry, make_user, sign_in, snapshots):
    village = "34010101"
    sign_in(client, make_user("mentor", village))
    response = client.get(reverse("maps:map"))
    assert response.status_code == 200
    data = _data(response)
    assert data["areas"]["mode"] == "outline"
    outline = json.loads(client.get(reverse("maps:areas")).content)
    assert [f["properties"]["code"] for f in outline["features"]] == ["340101"]
    visible = Household.objects.filter(village_code=village, registry=registry)
    assert len(data["points"]) == visible.exclude(lat=None).count()
    assert 'id="maps-own"' in response.content.decode()  # its village's figure: 19 of 20
    assert "95.0 %" in response.content.decode()
    # its subdistrict's map is above it
    assert client.get(reverse("maps:area", args=["340101"])).status_code == 404


def test_the_map_in_english(client, make_user, sign_in, snapshots):
    sign_in(client, make_user("province", "34"))
    client.cookies["django_language"] = "en"
    response = client.get(reverse("maps:area", args=["3401"]), {"rate": "acts_per_household"})
    html = response.content.decode()
    assert response.status_code == 200
    assert _table(response)["340102"] == ("none", "no data")
    assert _table(response)["340101"] == ("3", "2.40 per household")  # 120 acts / 50: 2–3
    assert "Ubon Ratchathani" in html and "≥ 3 per household" in html
    assert _data(response)["areas"]["name_key"] == "name_en"
