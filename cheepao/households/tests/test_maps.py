"""Maps on the household folder and the village register.

What reaches the page as map data: the folder holds exactly its household's point, coloured
by its type, over its own district only; the register holds the pins of the page's
households and nothing personal (no name, no PIN). In headless Chromium, with every request
outside the test server refused, Leaflet draws the pins on a phone and a desktop.
"""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cheepao.households import selectors
from cheepao.households.models import Household, Member
from cheepao.verification.models import Verification

VILLAGE = "34012004"  # in 340120, five target households in the tiny registry
SUBDISTRICT = VILLAGE[:6]


def _map_data(response, element_id: str) -> dict | None:
    """The json_script payload of the page, or None when the page has no map."""
    found = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found.group(1)) if found else None


def _classify(household: Household, kind: str, user) -> None:
    Verification.objects.create(
        household=household,
        household_status=Verification.HouseholdStatus.LIVES_HERE,
        members_now=household.n_members,
        income_year=0,
        result="all_correct",
        household_type=kind,
        verified_by=user,
        verified_at=timezone.now(),
    )


def _team(client, make_user, sign_in):
    user = make_user("subdistrict", SUBDISTRICT)
    sign_in(client, user)
    return user


def _village_households():
    return list(Household.objects.filter(village_code=VILLAGE).order_by("pk"))


def _ring_points(geometry: dict):
    rings = geometry["coordinates"]
    if geometry["type"] == "MultiPolygon":
        rings = [ring for polygon in rings for ring in polygon]
    return [pt for ring in rings for pt in ring]


# ---------------------------------------------------------------- the household folder


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["developable", "welfare", ""])
def test_folder_map_holds_the_household_point_over_its_district(
    client, registry, make_user, sign_in, kind
):
    user = _team(client, make_user, sign_in)
    household = next(h for h in _village_households() if h.lat is not None)
    if kind:
        _classify(household, kind, user)

    response = client.get(reverse("households:folder", args=[household.pk]))
    assert response.status_code == 200
    data = _map_data(response, "folder-map-data")
    assert data["points"] == [
        {
            "lat": round(household.lat, 6),
            "lon": round(household.lon, 6),
            "type": kind,
            "type_label": {"developable": "พัฒนาได้", "welfare": "สงเคราะห์", "": "ยังไม่จำแนกประเภท"}[
                kind
            ],
            "label": f"บ้านเลขที่ {household.house_no}",
        }
    ]
    # One district, the household's own; not the file's collection.
    district = data["district"]
    assert district["type"] == "Feature"
    assert district["properties"]["dcode"] == household.district_code
    assert "features" not in json.dumps(data)
    lons, lats = zip(*_ring_points(district["geometry"]), strict=True)
    assert min(lons) <= household.lon <= max(lons) and min(lats) <= household.lat <= max(lats)
    assert "Royal Thai Survey" in data["boundary_attribution"]
    assert "prasertcbs/thailand_gis" in data["boundary_attribution"]  # the 2022 layers
    assert "mapthai" not in data["boundary_attribution"]
    assert data["tiles"] is None  # no tile server unless configured

    html = response.content.decode()
    assert "vendor/leaflet/leaflet.js" in html and "js/maps.js" in html
    assert 'aria-label="แผนที่' in html
    # The no-JavaScript fallback stays: coordinates and the two links.
    assert f"geo:{household.lat:.6f},{household.lon:.6f}" in html
    assert "openstreetmap.org/?mlat=" in html


@pytest.mark.django_db
def test_folder_map_adds_the_tile_server_when_configured(
    client, registry, make_user, sign_in, settings
):
    settings.CHEEPAO_MAP_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    _team(client, make_user, sign_in)
    household = next(h for h in _village_households() if h.lat is not None)
    data = _map_data(
        client.get(reverse("households:folder", args=[household.pk])), "folder-map-data"
    )
    assert data["tiles"]["url"] == settings.CHEEPAO_MAP_TILES
    assert "OpenStreetMap" in data["tiles"]["attribution"]


@pytest.mark.django_db
def test_no_map_without_coordinates(client, registry, make_user, sign_in):
    _team(client, make_user, sign_in)
    household = _village_households()[0]
    household.lat = household.lon = None
    household.save(update_fields=["lat", "lon"])

    response = client.get(reverse("households:folder", args=[household.pk]))
    html = response.content.decode()
    assert _map_data(response, "folder-map-data") is None
    assert "leaflet" not in html and "js/maps.js" not in html
    assert "ไม่มีการบันทึกพิกัดบ้าน" in html

    Household.objects.filter(village_code=VILLAGE).update(lat=None, lon=None)
    response = client.get(reverse("households:village", args=[VILLAGE]))
    assert _map_data(response, "register-map-data") is None
    assert "ไม่มีครัวเรือนในหน้านี้ที่บันทึกพิกัดไว้" in response.content.decode()


def test_district_boundaries_are_read_once():
    from cheepao.geo import boundaries

    assert boundaries.features("district") is boundaries.features("district")
    assert selectors.district_feature("3401")["properties"]["dcode"] == "3401"
    assert selectors.district_feature("9999") is None


# ---------------------------------------------------------------- the village register


@pytest.mark.django_db
def test_register_map_holds_the_page_households_and_nothing_personal(
    client, registry, make_user, sign_in, monkeypatch
):
    monkeypatch.setattr(selectors.register, "PER_PAGE", 2)
    user = _team(client, make_user, sign_in)
    households = list(Household.objects.filter(subdistrict_code=SUBDISTRICT).order_by("pk"))
    assert len(households) > 2, "the subdistrict needs a second page"
    _classify(households[0], "welfare", user)
    _classify(households[1], "developable", user)
    households[2].lat = households[2].lon = None
    households[2].save(update_fields=["lat", "lon"])
    by_url = {reverse("households:folder", args=[h.pk]): h for h in households}
    members = Member.objects.filter(household__subdistrict_code=SUBDISTRICT)
    url = reverse("households:subdistrict", args=[SUBDISTRICT])

    seen, unplaced, page, pages = set(), 0, 1, 1
    while page <= pages:
        response = client.get(url, {"page": page})
        register = response.context["register"]
        pages = register.page.paginator.num_pages
        placed = {
            reverse("households:folder", args=[r.household.pk])
            for r in register.rows
            if r.household.lat is not None
        }
        data = _map_data(response, "register-map-data")
        if not placed:
            assert data is None
            page += 1
            continue
        assert {p["url"] for p in data["points"]} == placed
        assert data["unplaced"] == len(register.rows) - len(placed)
        unplaced += data["unplaced"]
        for point in data["points"]:
            h = by_url[point["url"]]
            assert set(point) == {"lat", "lon", "type", "type_label", "label", "url"}
            assert (point["lat"], point["lon"]) == (round(h.lat, 6), round(h.lon, 6))
            # A subdistrict's list names the village; so does the pin.
            assert point["label"] == f"บ้านเลขที่ {h.house_no} · หมู่ที่ {int(h.village_code[6:])}"
            assert point["type"] == selectors.household_type(h)
        assert data["district"]["properties"]["dcode"] == SUBDISTRICT[:4]
        # Nothing in the pins beyond house numbers: no names, no PINs in any form.
        pins = json.dumps(data["points"], ensure_ascii=False)
        assert not re.search(r"\d{13}|\d-\d{4}-\d{5}-\d{2}-\d|xxxx", pins)
        for m in members:
            assert f"{m.first_name} {m.last_name}" not in pins
            assert m.pin not in pins
        seen |= {p["url"] for p in data["points"]}
        page += 1
    assert seen == {u for u, h in by_url.items() if h.lat is not None}
    assert unplaced == 1
    assert {"welfare", "developable"} <= {selectors.household_type(by_url[u]) for u in seen}

    # The filter form asks for the table alone (HTMX): the map comes with it.
    response = client.get(url, headers={"HX-Target": "register-results"})
    assert response.templates[0].name == "households/_register_table.html"
    assert _map_data(response, "register-map-data")["points"]


@pytest.mark.django_db
def test_village_register_pins_give_the_house_number_only(client, registry, make_user, sign_in):
    _team(client, make_user, sign_in)
    response = client.get(reverse("households:village", args=[VILLAGE]))
    data = _map_data(response, "register-map-data")
    placed = [h for h in _village_households() if h.lat is not None]
    assert sorted(p["label"] for p in data["points"]) == sorted(
        f"บ้านเลขที่ {h.house_no}" for h in placed
    )
    assert data["district"]["properties"]["dcode"] == VILLAGE[:4]
    html = response.content.decode()
    assert 'aria-label="แผนที่ครัวเรือนในหน้านี้' in html


# ---------------------------------------------------------------- in the browser


def _become(page, live_server, sign_in, user) -> None:
    client = sign_in(Client(), user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_maps_draw_pins_offline(
    page, live_server, registry, make_user, sign_in, screenshot_dir, request
):
    viewport = request.node.callspec.id
    user = make_user("subdistrict", SUBDISTRICT)
    households = _village_households()
    _classify(households[0], "welfare", user)
    placed = [h for h in households[: selectors.PER_PAGE] if h.lat is not None]
    outside: list[str] = []

    def local_only(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", local_only)
    _become(page, live_server, sign_in, user)

    # From the start page (no map, no Leaflet) to the register by a boosted link: the map
    # page brings Leaflet itself.
    page.goto(live_server.url + reverse("households:home"))
    # villages by the register's name of them, "หมู่ที่ 4 ต.<subdistrict>"
    page.get_by_role("link", name=re.compile(r"^หมู่ที่ 4 ต\.")).click()
    page.wait_for_url(f"**{reverse('households:village', args=[VILLAGE])}")
    register_map = page.locator(".hh-register-map")
    register_map.locator(".leaflet-marker-icon").first.wait_for()
    assert register_map.locator(".leaflet-marker-icon").count() == len(placed)
    assert register_map.locator(".hh-pin-welfare.leaflet-marker-icon").count() == 1
    assert register_map.locator(".leaflet-overlay-pane path").count() == 1  # the district
    assert page.get_by_role("region", name="แผนที่ครัวเรือนในหน้านี้ หมู่ที่ 4 ตำบลปะอาว").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / f"register_map_{viewport}.png"), full_page=True)

    # A pin's popup: its house number, linking to the folder.
    first = households[0]
    pin = register_map.get_by_role("button", name=f"บ้านเลขที่ {first.house_no}, สงเคราะห์")
    pin.focus()
    page.keyboard.press("Enter")  # pins work from the keyboard too
    link = register_map.locator(".leaflet-popup-content a")
    assert link.inner_text() == f"บ้านเลขที่ {first.house_no}"
    assert link.get_attribute("href") == reverse("households:folder", args=[first.pk])

    # On to the folder through the list (a boosted link): one red pin.
    page.locator(".hh-register tbody a").first.click()
    page.wait_for_url(f"**{reverse('households:folder', args=[first.pk])}")
    folder_map = page.locator(".hh-mapbox")
    folder_map.locator(".leaflet-marker-icon").first.wait_for()
    assert folder_map.locator(".leaflet-marker-icon").count() == 1
    assert folder_map.locator(".hh-pin-welfare.leaflet-marker-icon").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / f"folder_map_{viewport}.png"), full_page=True)

    # A full page load of the folder draws it too.
    page.reload()
    page.locator(".hh-mapbox .leaflet-marker-icon").wait_for()
    canvas_height = page.locator(".hh-mapcanvas").bounding_box()["height"]
    assert canvas_height == pytest.approx(260 if viewport == "phone" else 360, abs=2)
    assert outside == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_folder_without_javascript_keeps_the_coordinates(
    browser, live_server, registry, make_user, sign_in
):
    user = make_user("subdistrict", SUBDISTRICT)
    household = next(h for h in _village_households() if h.lat is not None)
    context = browser.new_context(java_script_enabled=False, locale="th-TH")
    try:
        page = context.new_page()
        _become(page, live_server, sign_in, user)
        page.goto(live_server.url + reverse("households:folder", args=[household.pk]))
        assert not page.locator(".hh-mapbox").is_visible()
        assert page.get_by_text(f"{household.lat:.5f}, {household.lon:.5f}").is_visible()
        assert page.get_by_role("link", name="เปิดในแอปแผนที่ของโทรศัพท์").is_visible()
    finally:
        context.close()
