"""The map in headless Chromium, offline (every request outside the test server refused):
national → province → district → subdistrict by clicking the areas on the map, then back
up by the breadcrumb, on a phone (390 px) and a desktop (1280 px)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cheepao.households.models import Household
from cheepao.maps.tests.conftest import MONTH, area_month

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}

# A point of the area's path that the path itself receives (not a neighbour over it): the
# click lands where a person's finger would.
INSIDE = """(code) => {
  const path = document.querySelector(`path[data-code="${code}"]`);
  const box = path.getBoundingClientRect();
  for (let n = 4; n <= 64; n *= 2) {
    for (let i = 1; i < n; i++) for (let j = 1; j < n; j++) {
      const x = box.left + (box.width * i) / n, y = box.top + (box.height * j) / n;
      if (document.elementFromPoint(x, y) === path) return [x, y];
    }
  }
  return null;
}"""


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def map_page(request, browser):
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="th-TH")
    p = context.new_page()
    p.set_default_timeout(20_000)
    yield p
    context.close()


def _click_area(page, code: str) -> None:
    page.locator(f'path[data-code="{code}"]').wait_for()
    path = page.locator(f'path[data-code="{code}"]')
    path.scroll_into_view_if_needed()
    point = page.evaluate(INSIDE, code)
    assert point, f"no visible point of {code}"
    with page.expect_navigation():
        page.mouse.click(*point)


def _drawn(page) -> None:
    page.wait_for_selector('.maps-map[data-drawn="true"]')
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_drill_down_and_back(
    map_page, live_server, registry, make_user, sign_in, screenshot_dir, request
):
    page = map_page
    viewport = request.node.callspec.id
    for code, targets, helped in (
        ("", 100, 50),
        ("34", 60, 30),
        ("3401", 40, 10),
        ("340105", 10, 9),
    ):
        area_month(code, MONTH, targets=targets, helped=helped)
    placed = Household.objects.filter(
        subdistrict_code="340105", registry=registry, lat__isnull=False
    ).count()
    assert placed
    outside: list[str] = []

    def local_only(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", local_only)
    # A national account needs its second factor: the test client's session has it.
    session = sign_in(Client(), make_user("national", "")).cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page.goto(live_server.url + reverse("maps:map"))
    _drawn(page)
    assert page.locator("path[data-code]").count() == 77
    assert page.locator('path[data-code="34"]').get_attribute("aria-label") == (
        "จังหวัดอุบลราชธานี: 50.0 %"
    )
    attribution = page.locator(".leaflet-control-attribution").inner_text()
    assert "Royal Thai Survey Dept." in attribution and "prasertcbs/thailand_gis" in attribution
    page.screenshot(path=str(screenshot_dir / f"maps_country_{viewport}.png"), full_page=True)

    _click_area(page, "34")
    assert page.url.endswith("/maps/34/?month=2569-11&rate=helped_pct")
    _drawn(page)
    assert page.locator("path[data-code]").count() == 25
    _click_area(page, "3401")
    assert "/maps/3401/" in page.url
    _drawn(page)
    assert all(
        c.startswith("3401")
        for c in page.locator("path[data-code]").evaluate_all(
            "paths => paths.map(p => p.dataset.code)"
        )
    )
    _click_area(page, "340105")
    assert "/maps/340105/" in page.url
    _drawn(page)
    assert page.locator("path[data-code]").count() == 1  # the subdistrict, under its pins
    assert page.locator(".leaflet-marker-icon").count() == placed
    page.screenshot(path=str(screenshot_dir / f"maps_subdistrict_{viewport}.png"), full_page=True)

    # Back up by the breadcrumb, one level at a time, to the whole country.
    trail = page.locator("#maps-trail")
    for name, count in (("อำเภอเมืองอุบลราชธานี", None), ("จังหวัดอุบลราชธานี", 25), ("ทั้งประเทศ", 77)):
        trail.get_by_role("link", name=name).click()
        page.wait_for_selector(f'#maps-area:text-is("{name}")')
        _drawn(page)
        if count:
            assert page.locator("path[data-code]").count() == count
    assert page.url.endswith("/maps/?month=2569-11&rate=helped_pct")
    assert outside == []
