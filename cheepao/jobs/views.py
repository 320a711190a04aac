"""Pages of background jobs: the account's own jobs, one job (its page refreshes itself
with htmx while the work runs), and the file a job made.

A job is its maker's alone: any other account gets the 404 of a page that does not exist.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cheepao.core.web import ctx
from cheepao.jobs import selectors, services

PER_PAGE = 50
#: The element of the job's page that htmx asks for again while the work runs.
STATUS_TARGET = "job-status"


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.jobs_of(request.user), PER_PAGE).get_page(request.GET.get("page"))
    rows = [selectors.job_status(job) for job in page]
    return render(request, "jobs/index.html", {"page": page, "rows": rows})


@login_required
@require_safe
def detail(request: HttpRequest, job_id) -> HttpResponse:
    job = selectors.job_for(request.user, job_id)
    status = selectors.job_status(job)
    context = {"job": job, "status": status, "target": STATUS_TARGET}
    if request.headers.get("HX-Target") == STATUS_TARGET:
        return render(request, "jobs/_status.html", context)
    return render(request, "jobs/detail.html", context)


@login_required
@require_safe
def download(request: HttpRequest, job_id) -> FileResponse:
    job = services.job_download(ctx=ctx(request), job_id=job_id)
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name)
