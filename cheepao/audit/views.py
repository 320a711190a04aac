"""The audit search, for national accounts only (roles.VIEW_AUDIT). Anyone else signed in
gets the 404 of a page that does not exist: the log itself says who looked at whom."""

from __future__ import annotations

import csv
import json

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_safe

from cheepao.audit import selectors
from cheepao.audit.forms import SearchForm
from cheepao.audit.services import audit_record
from cheepao.audit.summaries import say
from cheepao.engine.api import cells

PER_PAGE = 100
CSV_COLUMNS = (
    "at",
    "user",
    "action",
    "object_type",
    "object_id",
    "area_code",
    "summary",
    "ip",
    "changes",
)


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
        },
        status=200 if page is not None else 400,
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    """The whole result of a search as CSV, streamed; the export itself is recorded first."""
    if (refusal := _searcher(request)) is not None:
        return refusal
    form = SearchForm(request.GET)
    if not form.is_valid():
        return HttpResponse(status=400)
    f = form.audit_filter()
    events = selectors.audit_search(f)
    with transaction.atomic():
        count = events.count()
        audit_record(
            actor=request.user,
            action="export",
            object_type="audit.auditevent",
            summary=say(gettext_noop("audit log search exported: %(n)s events"), n=count),
            changes={"filter": f.as_changes(), "records": count},
            request=request,
        )
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)
        for e in events.iterator(chunk_size=2_000):
            yield writer.writerow(
                cells.csv_row(
                    (
                        timezone.localtime(e.at).isoformat(timespec="seconds"),
                        e.actor_username,
                        e.action,
                        e.object_type,
                        e.object_id,
                        e.area_code,
                        e.summary_text,
                        e.ip or "",
                        json.dumps(e.changes, ensure_ascii=False) if e.changes else "",
                    )
                )
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="cheepao_audit_{stamp}.csv"'
    return response
