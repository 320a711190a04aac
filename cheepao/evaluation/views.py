"""The evaluation pages (ADR 0036): `/evaluation/` for the account's own area and
`/evaluation/<code>/` for an area under it; the same 404 for an area outside it (or for
an account that reads no evaluation). `?evaluation=<id>` picks one (else the latest),
`&format=xlsx` downloads the annual evaluation report (audited). A national or province
account may POST action=compute: the previous registry year is evaluated against the run
of the working registry (the latest) as a background job."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from cheepao.audit.services import audit_read
from cheepao.audit.summaries import say
from cheepao.core.web import ctx as web_ctx
from cheepao.evaluation import exports, jobs, policies, selectors
from cheepao.geo.selectors import area_label

LENGTHS = (0, 2, 4, 6, 8)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    return _page(request, request.user.area_code or "")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def area(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, code)


def _page(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    if (code and not code.isdigit()) or len(code) not in LENGTHS:
        raise Http404("no such area")
    if not policies.may_view(user, code):
        raise Http404("no such area")
    if request.method == "POST":
        pair = selectors.pair_to_compute()
        if request.POST.get("action") != "compute" or not policies.may_compute(user) or not pair:
            raise Http404("no such action")
        before, after = pair
        job = jobs.compute_start(
            ctx=web_ctx(request), registry_id=before.pk, after_run_path=after.run_path
        )
        return redirect("jobs:detail", job.pk)
    ev = selectors.chosen(request.GET.get("evaluation"))
    page = selectors.page(user, ev, code) if ev is not None else None
    if request.GET.get("format") == "xlsx":
        if page is None:
            raise Http404("no evaluation")
        body = exports.evaluation_xlsx(page, user=user)
        audit_read(
            ctx=web_ctx(request),
            what="export",
            obj=ev,
            area_code=code,
            summary=say(
                gettext_noop("evaluation %(before)s→%(after)s of %(area)s exported"),
                before=str(ev.before_year),
                after=str(ev.after_year),
                area=area_label(code),
            ),
        )
        response = HttpResponse(body, content_type=exports.XLSX)
        name = f"cheepao_evaluation_{ev.before_year}_{ev.after_year}_{code or 'th'}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    own = user.area_code or ""
    trail = [c for c in (code[:n] for n in LENGTHS) if len(c) >= len(own) and c != code]
    return render(
        request,
        "evaluation/index.html",
        {
            "code": code,
            "name": area_label(code),
            "ev": ev,
            "page": page,
            "choices": selectors.evaluations(),
            "children": [(area_label(c.code), c) for c in page.children] if page else [],
            "trail": [(c, area_label(c), c == own) for c in trail],
            "pair": selectors.pair_to_compute() if policies.may_compute(user) else None,
        },
    )
