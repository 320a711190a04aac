"""The reports page (/reports/): the account's requested reports with their state and a
download link, the form that requests the monthly report of an area, and links to every
other export of the account's area. Anything outside the account's area is the same 404
as a page that does not exist."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from cheepao.core.errors import Invalid
from cheepao.core.web import ctx
from cheepao.helpstats import months
from cheepao.jobs import selectors as job_selectors
from cheepao.reports import selectors, services
from cheepao.snapshots import selectors as snapshots

PER_PAGE = 30


def _page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    user = request.user
    wanted = months.parse(request.POST.get("month") or request.GET.get("month") or "")
    month: date | None = wanted or snapshots.month_latest(user)
    page = Paginator(selectors.reports_of(user), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "rows": [job_selectors.job_status(job) for job in page],
        "page": page,
        "month_code": months.code(month) if month else "",
        "month_choices": selectors.month_choices(user),
        "area_choices": selectors.area_choices(user, month),
        "formats": services.FORMATS,
        "exports": selectors.other_exports(user),
        "error": error,
    }
    return render(request, "reports/index.html", context, status=status)


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def request_report(request: HttpRequest) -> HttpResponse:
    try:
        services.report_request(
            ctx=ctx(request),
            kind=request.POST.get("kind", ""),
            area_code=request.POST.get("area", ""),
            month=request.POST.get("month", ""),
            fmt=request.POST.get("fmt", ""),
        )
    except Invalid as e:
        return _page(request, error=e.message, status=400)
    return redirect("reports:index")


@login_required
@require_safe
def download(request: HttpRequest, job_id) -> FileResponse:
    job = services.report_download(ctx=ctx(request), job_id=job_id)
    if not job.result_file:
        raise Http404("no file")
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name)
