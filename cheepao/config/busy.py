"""A database too busy to take a write is a "please try again", never a server error, and
never a lost form (issue 9 item 14, ADR 0014).

On the embedded SQLite default a writer waits for the write lock (settings: IMMEDIATE
transactions, WAL, CHEEPAO_SQLITE_TIMEOUT); on PostgreSQL a deadlock, a serialization
failure or a lock timeout is the same situation. When the wait still fails, the request is
answered 503 with a page that holds every field that was posted (CSRF token included) in
a form that sends them again with one tap; secrets (passwords, one-time codes) are not
echoed and are asked again, files must be chosen again. Nothing was written: the failed
transaction was rolled back as a whole.

`DatabaseBusyMiddleware` catches it from views; `server_error` (the handler500) from
anywhere else in the request, such as a session saved after the view.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults

# PostgreSQL: serialization_failure, deadlock_detected, lock_not_available.
BUSY_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
BUSY_MESSAGES = ("database is locked", "database table is locked")
# Fields that are never written back into a page: the person types them again.
SECRET_FIELD = re.compile(r"password|otp|^code$|^token$", re.IGNORECASE)
RETRY_AFTER_SECONDS = 5


def database_busy(exc: BaseException | None) -> bool:
    """True for an error that means "another write holds the lock, try again"."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__ or exc
    if getattr(cause, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    return any(m in str(exc).lower() for m in BUSY_MESSAGES)


def busy_response(request: HttpRequest) -> HttpResponse:
    """503 with the "try again" page; for a POST, the posted fields in a form to resend."""
    fields: list[tuple[str, str]] = []
    secrets: list[str] = []
    files: list[str] = []
    if request.method == "POST":
        for name, values in request.POST.lists():
            if SECRET_FIELD.search(name):
                secrets.append(name)
                continue
            fields.extend((name, v) for v in values)
        files = sorted(request.FILES)
    page = loader.render_to_string(
        "busy.html",
        {
            "post": request.method == "POST",
            "action": request.get_full_path(),
            "fields": fields,
            "secrets": secrets,
            "files": files,
        },
    )
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # A boosted (htmx) request shows the page in place of the whole body, like a browser.
    if request.headers.get("HX-Request"):
        response["HX-Retarget"] = "body"
        response["HX-Reswap"] = "innerHTML"
    add_never_cache_headers(response)
    return response


class DatabaseBusyMiddleware:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        if database_busy(exception):
            return busy_response(request)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the busy page for a busy database, else Django's plain 500 page."""
    if database_busy(sys.exc_info()[1]):
        return busy_response(request)
    return defaults.server_error(request)
