"""Personal-data hygiene through HTTP (issue 9 item 9): the Content-Security-Policy on every
page, `Cache-Control: no-store` on everything shown to a signed-in account and on every
download, and templates that need no inline script or style to work under that policy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from cheepao.config.security import tile_origin
from cheepao.households.models import Household

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
PACKAGE = Path(__file__).resolve().parents[2]


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "no-cache", "private"} <= directives


def _household(registry) -> Household:
    return Household.objects.filter(registry=registry, village_code="34010501").order_by("pk")[0]


# ---------------------------------------------------------------- Content-Security-Policy


@pytest.mark.django_db
def test_every_kind_of_page_carries_the_policy(client, registry, make_user, sign_in):
    h = _household(registry)
    public = ["/", "/areas/34/", reverse("accounts:login"), "/no-such-page/"]
    for url in public:
        response = client.get(url)
        assert response["Content-Security-Policy"] == POLICY, url
    sign_in(client, make_user("subdistrict", "340105"))
    private = [
        reverse("households:home"),
        reverse("households:village", args=[h.village_code]),
        reverse("households:folder", args=[h.pk]),
        reverse("verification:form", args=[h.pk]),
        reverse("verification:area", args=[h.village_code]),
        reverse("newhouseholds:new"),
        reverse("households:village_export", args=[h.village_code]),
        reverse("households:folder", args=[999_999_999]),  # a 404 too
    ]
    for url in private:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert response["Content-Security-Policy"] == POLICY, url


@pytest.mark.django_db
def test_a_configured_tile_server_is_the_only_outside_image_source(client, settings):
    settings.CHEEPAO_MAP_TILES = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    policy = client.get("/")["Content-Security-Policy"]
    assert "img-src 'self' https://*.tile.example.org;" in policy
    assert policy.replace(" https://*.tile.example.org", "") == POLICY


@pytest.mark.parametrize(
    ("template", "origin"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://tiles.local:8080/{z}/{x}/{y}.png", "http://tiles.local:8080"),
        ("", ""),
        ("javascript:alert(1)//{z}", ""),
        ("/relative/{z}/{x}/{y}.png", ""),
    ],
)
def test_tile_origin(template, origin):
    assert tile_origin(template) == origin


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "inline <script>"),
    (re.compile(r"<style\b", re.IGNORECASE), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "on…= event handler"),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: URL"),
]

COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


def test_no_template_needs_inline_script_or_style():
    """The policy forbids inline script and style, so no template may rely on them: each
    page's JavaScript is a static file and its data a json_script block."""
    found = []
    for path in sorted(PACKAGE.rglob("*.html")):
        if "tests" in path.parts:
            continue
        # Template comments ({# … #}) are not sent; blanked, so line numbers stay true.
        text = COMMENT.sub(
            lambda m: re.sub(r"[^\n]", " ", m.group(0)), path.read_text(encoding="utf-8")
        )
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(PACKAGE)}:{line}: {what}")
    assert found == []


# ---------------------------------------------------------------- Cache-Control


@pytest.mark.django_db
def test_pages_and_exports_for_a_signed_in_account_are_never_stored(
    client, registry, make_user, sign_in
):
    h = _household(registry)
    sign_in(client, make_user("subdistrict", "340105"))
    for url in (
        reverse("households:home"),
        reverse("households:search"),
        reverse("households:village", args=[h.village_code]),
        reverse("households:subdistrict", args=[h.subdistrict_code]),
        reverse("households:folder", args=[h.pk]),
        reverse("households:village_export", args=[h.village_code]),
        reverse("verification:form", args=[h.pk]),
        reverse("verification:area", args=[h.village_code]),
        reverse("verification:batches"),
        reverse("newhouseholds:index"),
        "/",  # public pages too, once signed in: the menu names the account
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), (url, response.get("Cache-Control"))
        assert response["Expires"], url


@pytest.mark.django_db
def test_audit_export_is_never_stored(client, make_user, sign_in):
    """The export is a file a background job made; its download is never stored."""
    from cheepao.jobs.models import Job

    sign_in(client, make_user("national"))
    client.post(reverse("audit:export"))
    response = client.get(reverse("jobs:download", args=[Job.objects.get().pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert _no_store(response)


@pytest.mark.django_db
def test_public_totals_for_anonymous_visitors_may_be_cached(client, geography):
    for url in ("/", "/areas/34/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", ""), url


@pytest.mark.django_db
def test_every_download_is_never_stored_even_anonymous(client, runs_dir, geography):
    response = client.get(
        reverse(
            "dashboards:register_download",
            args=["2568", "province", "csv"],
        )
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert _no_store(response)
