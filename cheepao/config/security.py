"""Response headers that keep personal data where it belongs (issue 9 item 9, ADR 0014).

Content-Security-Policy on every response: scripts, styles, images, fonts and requests
only from the site itself (no inline script, no inline style, no eval), no plugins, no
<base> rewriting, forms post only to the site, and no other site may frame a page. The
one outside origin allowed is the map tile server when one is configured
(CHEEPAO_MAP_TILES), for images only. Templates keep their JavaScript in static files and
their data in `json_script` blocks (JSON, never run).

Cache-Control: no-store on every response to a signed-in account and on every download
(Content-Disposition: attachment): pages and exports that carry personal data never stay
in a browser's cache, a shared proxy or the back button of a phone lent to someone else.
Public pages (area totals) for anonymous visitors keep the default and may be cached.

Static files are answered by WhiteNoise before this middleware and keep their long cache.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


def tile_origin(template: str) -> str:
    """The CSP source of a tile URL template, e.g. https://{s}.tile.example.org/{z}/{x}/{y}
    → https://*.tile.example.org; '' when there is none or it is not http(s)."""
    parts = urlsplit(template.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return ""
    host = ".".join("*" if "{" in label else label for label in parts.netloc.split("."))
    return f"{parts.scheme}://{host}"


def content_security_policy() -> str:
    images = ["'self'"]
    tiles = tile_origin(getattr(settings, "CHEEPAO_MAP_TILES", ""))
    if tiles:
        images.append(tiles)
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": " ".join(images),
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def carries_personal_data(request: HttpRequest, response: HttpResponse) -> bool:
    if response.get("Content-Disposition", "").lower().startswith("attachment"):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        if carries_personal_data(request, response):
            add_never_cache_headers(response)
        return response
