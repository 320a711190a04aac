"""The audit search, for national accounts only (roles.VIEW_AUDIT). Anyone else signed in
gets the 404 of a page that does not exist: the log itself says who looked at whom."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from cheepao.audit import selectors, services
from cheepao.audit.forms import SearchForm
from cheepao.core.web import ctx as web_ctx

PER_PAGE = 100


def _searcher(request: HttpRequest):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.may_search(request.user):
        raise Http404("no such page")
    return None


def _query_without_page(request: HttpRequest) -> str:
    q = request.GET.copy()
    q.pop("page", None)
    return f"{q.urlencode()}&" if q else ""


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    if (refusal := _searcher(request)) is not None:
        return refusal
    form = SearchForm(request.GET or None)
    page = None
    if not request.GET or form.is_valid():
        f = form.audit_filter() if request.GET else selectors.AuditFilter()
        page = Paginator(selectors.audit_search(f), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/search.html",
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            # The search as typed, posted again to start its export.
            "export_fields": [
                (k, v) for k, v in request.GET.items() if k in form.fields and v and page
            ],
        },
        status=200 if page is not None else 400,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def export_csv(request: HttpRequest) -> HttpResponse:
    """The whole result of a search as a CSV file, made by a background job (ADR 0021):
    the job's page offers the file to the person who asked for it, and only to them. A
    POST, since it starts work; the search's own fields travel in it."""
    if (refusal := _searcher(request)) is not None:
        return refusal
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = SearchForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    job = services.audit_export_start(ctx=web_ctx(request), audit_filter=form.audit_filter())
    return redirect("jobs:detail", job_id=job.pk)
