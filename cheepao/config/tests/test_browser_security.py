"""The Content-Security-Policy in a real browser at phone width (issue 9 items 9 and 14).

1. A subdistrict team walks the pages that run the most JavaScript (boosted navigation, the
   register's map and HTMX filter, the folder's map, form ศจพ.1, form ศจพ.2's member rows)
   under the policy: everything works and the browser reports no violation at all.
2. On the multi-process site (gunicorn, an SQLite file), another writer holds the lock while
   the phone saves form ศจพ.1: the phone shows the Thai "send again" page in place of the
   form (a boosted request), and one tap saves what was typed once the lock is free.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from cheepao.config.tests import livesite
from cheepao.config.tests.test_security import POLICY
from cheepao.conftest import PHONE, RUN_YEAR
from cheepao.households.models import Household

pytestmark = pytest.mark.browser

# Every violation the page's document reports, kept on the window (reset by a full load,
# which is why the test reads it before each full navigation).
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " +
                    (e.sourceFile || "") + ":" + (e.lineNumber || ""));
}, true);
"""


def _phone(browser):
    context = browser.new_context(viewport=PHONE, locale="th-TH")
    context.add_init_script(WATCH)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page


def _violations(page) -> list[str]:
    return page.evaluate("window.__csp")


@pytest.mark.django_db(transaction=True)
def test_pages_with_maps_htmx_and_forms_work_under_the_policy(
    browser, live_server, registry, make_user, sign_in
):
    user = make_user("subdistrict", "340105")
    client = sign_in(Client(), user)
    village = "34010501"
    household = (
        Household.objects.filter(village_code=village, lat__isnull=False).order_by("pk").first()
    )
    context, page = _phone(browser)
    try:
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        response = page.goto(live_server.url + reverse("households:home"))
        assert response.headers["content-security-policy"] == POLICY
        assert "no-store" in response.headers["cache-control"]

        # A boosted link to the register: Leaflet arrives with the page and draws the pins.
        page.get_by_role("link", name=re.compile(r"^หมู่ที่ 1 ต\.")).click()
        page.wait_for_url(f"**{reverse('households:village', args=[village])}")
        page.locator(".hh-register-map .leaflet-marker-icon").first.wait_for()
        # The HTMX filter swaps the table in place.
        page.get_by_label("มิติที่ตกเกณฑ์").select_option("education")
        page.wait_for_url("**dimension=education**")
        page.locator("#register-results").get_by_text("ครัวเรือนที่ 1–").first.wait_for()
        assert _violations(page) == []

        # The folder, loaded in full: its map draws.
        page.goto(live_server.url + reverse("households:folder", args=[household.pk]))
        page.locator(".hh-mapbox .leaflet-marker-icon").wait_for()
        assert _violations(page) == []

        # Form ศจพ.1.
        page.goto(live_server.url + reverse("verification:form", args=[household.pk]))
        assert page.get_by_role("button", name="บันทึกผลการตรวจสอบ").is_visible()
        assert _violations(page) == []

        # Form ศจพ.2: its script adds a member row in place (no round trip).
        page.goto(live_server.url + reverse("newhouseholds:new"))
        rows = page.locator("#members [data-member]")
        before = rows.count()
        page.get_by_role("button", name="เพิ่มแถวสมาชิก").click()
        assert rows.count() == before + 1
        assert _violations(page) == []

        # The watch itself works: an inline style is refused and reported.
        page.evaluate(
            "document.head.insertAdjacentHTML('beforeend', '<style>body{color:red}</style>')"
        )
        page.wait_for_function("() => window.__csp.length > 0")
        assert _violations(page)[0].startswith("style-src-elem inline")
    finally:
        context.close()


@pytest.mark.slow
def test_a_busy_database_shows_send_again_on_the_phone_and_keeps_the_form(
    browser, engine_runs_dir, tmp_path
):
    with livesite.site_database(tmp_path) as url:
        (phone,) = livesite.prepare(url, engine_runs_dir / str(RUN_YEAR), 1)
        with livesite.gunicorn(
            url,
            workers=2,
            static_root=tmp_path / "static",
            CHEEPAO_SQLITE_TIMEOUT="1",
            PGOPTIONS="-c lock_timeout=1000",
        ) as port:
            base = f"http://127.0.0.1:{port}"
            context, page = _phone(browser)
            try:
                name, value = phone.cookie.split("=", 1)
                context.add_cookies([{"name": name, "value": value, "url": base}])
                page.goto(base + phone.url)
                # The phone's answers, typed and ticked into the form.
                for field, answer in phone.answers.items():
                    box = page.locator(f'[name="{field}"]')
                    if box.first.get_attribute("type") == "radio":
                        page.locator(f'[name="{field}"][value="{answer}"]').check()
                    else:
                        box.fill(str(answer))

                with livesite.write_lock(url):
                    page.get_by_role("button", name="บันทึกผลการตรวจสอบ").click()
                    heading = page.get_by_role("heading", level=1)
                    heading.filter(has_text="ระบบกำลังบันทึกงานของผู้อื่นอยู่").wait_for()
                    assert page.get_by_text("ข้อมูลที่ท่านกรอกไม่สูญหาย").is_visible()
                    assert page.evaluate(
                        "document.documentElement.scrollWidth <= window.innerWidth"
                    )
                assert livesite.verifications(url) == {}

                page.get_by_role("button", name="ส่งอีกครั้ง").click()
                page.get_by_text("บันทึกผลการตรวจสอบแล้ว").wait_for()
                assert _violations(page) == []
            finally:
                context.close()
        saved = livesite.verifications(url)
    assert list(saved) == [phone.household_id]
