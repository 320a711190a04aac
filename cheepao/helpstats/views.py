"""The monthly statistics pages (ADR 0030): `/stats/` for the account's own area and
`/stats/area/<code>/` for an area under it; the same 404 for an area outside it (or for an
account that reads no statistics). `?month=2569-11` picks the month (BE), `&format=xlsx`
downloads it. POST (action=compute) has the month computed again as a background job."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from cheepao.audit.services import audit_read
from cheepao.audit.summaries import say
from cheepao.core.errors import Invalid
from cheepao.core.web import ctx as web_ctx
from cheepao.geo.selectors import area_label
from cheepao.helpstats import exports, jobs, months, policies, selectors
from cheepao.helpstats.targets import MET, MISSED, NOT_YET

LENGTHS = (0, 2, 4, 6, 8)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def month(request: HttpRequest) -> HttpResponse:
    return _page(request, request.user.area_code or "")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def area(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, code)


def _page(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    if (code and not code.isdigit()) or len(code) not in LENGTHS:
        raise Http404("no such area")
    if not policies.may(user, "view", code):
        raise Http404("no such area")
    wanted = months.parse(request.GET.get("month", "") or request.POST.get("month", ""))
    if request.method == "POST":
        if request.POST.get("action") != "compute" or not policies.may(user, "compute", code):
            raise Http404("no such action")
        target = wanted or months.first_of(_today())
        try:
            job = jobs.compute_start(
                ctx=web_ctx(request), month_codes=[months.code(target)], area=code
            )
        except Invalid:
            raise Http404("no such month") from None
        return redirect("jobs:detail", job.pk)
    page = selectors.month_page(user, code, wanted)
    if request.GET.get("format") == "xlsx":
        body = exports.month_xlsx(page, user=user)
        # Aggregates only, but an export leaves Cheepao: who took which area's month.
        audit_read(
            ctx=web_ctx(request),
            what="export",
            object_type="helpstats.month",
            object_id=months.code(page.month),
            area_code=code,
            summary=say(
                gettext_noop("monthly statistics of %(month)s exported"),
                month=months.code(page.month),
            ),
        )
        response = HttpResponse(body, content_type=exports.XLSX)
        name = f"cheepao_stats_{code or 'th'}_{months.code(page.month)}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    choices = list(page.computed)
    if page.month not in choices:
        choices.insert(0, page.month)
    own = user.area_code or ""
    trail = [c for c in (code[:n] for n in LENGTHS) if len(c) >= len(own) and c != code]
    return render(
        request,
        "helpstats/month.html",
        {
            "code": code,
            "name": area_label(code),
            "page": page,
            "month_code": months.code(page.month),
            "month_label": months.label(page.month),
            "choices": [(months.code(m), months.label(m)) for m in choices],
            "children": [(area_label(r.area_code), r) for r in page.children],
            "trail": [(c, area_label(c), _url(c, own)) for c in trail],
            "standing": [(s, months.label(s.deadline)) for s in page.standing],
            "states": {"met": MET, "not_yet": NOT_YET, "missed": MISSED},
            "agency": selectors.agency_view(user),
            "body": getattr(user, "body", None) if selectors.agency_view(user) else None,
            "may_compute": policies.may(user, "compute", code),
        },
    )


def _url(code: str, own: str) -> str:
    return reverse("helpstats:month") if code == own else reverse("helpstats:area", args=[code])


def _today():
    from django.utils import timezone

    return timezone.localdate()
