"""The error pages (400, 403, the CSRF 403, 404) speak Thai, in the site's layout, with a way
back that fits whoever is reading: the start page for a signed-in person, the sign-in page
for anyone else, and the public dashboard for both."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split(">", 1)[1].split("</main>", 1)[0]


def _links(html: str) -> list[str]:
    return re.findall(r'<a class="button[^"]*" href="([^"]+)"', _main(html))


def _no_english(html: str) -> None:
    text = re.sub(r"<[^>]+>", " ", _main(html))
    assert not re.findall(r"[A-Za-z]{3,}", text), text


@pytest.fixture
def signed_in(client, make_user, sign_in):
    sign_in(client, make_user("mentor", "340101"))
    return client


def test_404_anonymous(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="th">' in html and '<h1 tabindex="-1">ไม่พบหน้านี้</h1>' in html
    assert _links(html) == [reverse("accounts:login"), reverse("dashboards:home")]
    _no_english(html)


def test_404_signed_in_keeps_the_menu_and_leads_back_to_the_start_page(signed_in):
    response = signed_in.get(reverse("households:folder", args=[999_999]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "ไม่พบหน้านี้" in html and 'class="site-nav"' in html
    assert _links(html) == [reverse("households:home"), reverse("dashboards:home")]
    _no_english(html)


def test_403_signed_in(signed_in):
    """A mentor team cannot record form ศจพ.2: the refusal is a Thai page, not Django's."""
    response = signed_in.get(reverse("newhouseholds:new"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "ไม่มีสิทธิ์ทำรายการนี้" in html and "ผู้ดูแลบัญชีของท่าน" in html
    assert _links(html) == [reverse("households:home"), reverse("dashboards:home")]
    _no_english(html)


def test_403_of_an_expired_form():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "แบบฟอร์มหมดอายุ" in html and "ยังไม่ได้บันทึกข้อมูลใด ๆ" in html
    assert "CSRF" not in html
    assert reverse("dashboards:home") in _links(html)
    _no_english(html)


def test_400_of_a_form_with_too_many_fields(client):
    data = {f"f{i}": "x" for i in range(1_200)}
    response = client.post(reverse("accounts:login"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "ระบบอ่านคำขอนี้ไม่ได้" in html and "ยังไม่ได้บันทึกข้อมูลใด ๆ" in html
    assert reverse("dashboards:home") in _links(html)
    _no_english(html)
