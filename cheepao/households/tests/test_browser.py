"""The registry's main path in headless Chromium, on a phone and a desktop viewport:
a subdistrict team member opens a village register, filters it by a dimension, opens a
household folder and reads why an indicator fails."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from cheepao.audit.models import AuditEvent
from cheepao.conftest import RUN_YEAR
from cheepao.engine import api as engine
from cheepao.households.models import Household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in_browser(page, live_server, user) -> None:
    """The signed-in session of the test client, handed to the browser as its cookie."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
    )


def test_village_register_filter_and_folder(
    page, live_server, registry, runs_dir, make_user, screenshot_dir, request
):
    viewport = request.node.callspec.id
    run = engine.open_run(runs_dir / str(RUN_YEAR))
    hh = run.households().to_pandas()
    hh = hh[hh.is_target]
    village = "34010501"
    in_village = hh[hh.village_code == village]
    target = in_village[in_village.dim_education].iloc[0]
    failing = next(i for i in registry.catalogue.indicators_of("education") if target[i.column])
    user = make_user("subdistrict", "340105")
    _sign_in_browser(page, live_server, user)

    page.goto(live_server.url + "/registry/")
    assert page.get_by_role("heading", level=1).inner_text() == "ตำบลหนองขอน"
    page.get_by_role("link", name="หมู่ที่ 1 ต.หนองขอน", exact=True).click()
    page.wait_for_url(f"**/registry/village/{village}/")
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .startswith("ทะเบียนครัวเรือนเป้าหมาย หมู่ที่ 1 ตำบลหนองขอน")
    )
    table = page.get_by_role("table", name="ครัวเรือนเป้าหมาย")
    assert table.locator("tbody tr").count() == len(in_village)
    # PINs in the list are masked.
    assert re.search(r"\d-xxxx-xxxxx-\d\d-\d", table.inner_text())
    page.screenshot(path=str(screenshot_dir / f"register_{viewport}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Choosing a dimension updates the table in place (HTMX) and the address bar with it.
    page.get_by_label("มิติที่ตกเกณฑ์").select_option("education")
    page.wait_for_url("**dimension=education**")
    page.wait_for_function(
        "n => document.querySelectorAll('#register-results tbody tr').length === n",
        arg=int(in_village.dim_education.sum()),
    )
    assert page.get_by_role("status").first.inner_text().startswith("ครัวเรือนที่ 1–1 จากทั้งหมด 1")

    pk = Household.objects.get(hh_id=target.hh_id).pk
    page.locator(f'a[href="/registry/household/{pk}/"]').click()
    page.wait_for_url(f"**/registry/household/{pk}/")
    item = page.locator(f"#indicator-{failing.code}")
    assert item.is_visible()
    assert failing.why_th in item.inner_text()
    assert page.get_by_role("heading", name="หัวหน้าครัวเรือนและสมาชิก").is_visible()
    page.screenshot(path=str(screenshot_dir / f"folder_{viewport}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert AuditEvent.objects.filter(action="view", object_id=str(pk), actor=user).count() == 1
