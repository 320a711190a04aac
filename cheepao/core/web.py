"""The web side of the service contract: contexts from requests, refusals as pages.

`ServiceErrorMiddleware` answers a refusal that a view did not handle itself with the
matching status and the refusal's own message in the reader's language (a 403 page for
`Refused`, 409 for `Conflict`, 429 for `Limited`, 503 for `TryAgain`, 400 for `Invalid`);
`NotFound` is a 404 like any other. Views that show a form catch `Invalid` themselves and
put `error.field_messages()` on the form, so nothing typed is lost.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cheepao.core.context import Context
from cheepao.core.errors import NotFound, ServiceError


def ctx(request: HttpRequest) -> Context:
    """The context of a web request (its account, address and the web channel)."""
    return Context.web(request)


def refusal_response(request: HttpRequest, error: ServiceError) -> HttpResponse:
    return render(
        request, "refused.html", {"error": error, "message": error.message}, status=error.status
    )


class ServiceErrorMiddleware:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        if isinstance(exception, ServiceError) and not isinstance(exception, NotFound):
            return refusal_response(request, exception)
        return None
