"""The monthly snapshots page (ADR 0031): `/snapshots/` for the account's own area, its
months (Buddhist Era), when each was built, who closed it, which areas under it are still
open. POST action=build has a month built again as a background job; action=close closes
the month for the account's area (`services.month_close`, refusals shown in Thai)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cheepao.core.errors import Invalid, ServiceError
from cheepao.core.web import ctx as web_ctx
from cheepao.geo.selectors import area_label
from cheepao.helpstats import months as month_codes
from cheepao.snapshots import jobs, policies, selectors, services


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def months(request: HttpRequest) -> HttpResponse:
    user = request.user
    code = user.area_code or ""
    if not policies.may(user, "view", code):
        raise Http404("no such area")
    if request.method == "POST":
        return _act(request, code)
    today = timezone.localdate()
    may_close = policies.may(user, "close", code)
    states = [
        {
            "code": month_codes.code(s.row.month),
            "label": month_codes.label(s.row.month),
            "row": s.row,
            "open": [area_label(c) for c in s.still_open],
            "ended": month_codes.next_month(s.row.month) <= today,
            "may_close": may_close
            and not s.row.closed
            and month_codes.next_month(s.row.month) <= today
            and (not s.still_open or selectors.level_of(code) == "subdistrict"),
        }
        for s in selectors.month_states(user, code)
    ]
    current = month_codes.first_of(today)
    return render(
        request,
        "snapshots/months.html",
        {
            "name": area_label(code),
            "states": states,
            "current_code": month_codes.code(current),
            "current_label": month_codes.label(current),
            "built_current": any(s["row"].month == current for s in states),
            "may_build": policies.may(user, "build", code),
        },
    )


def _act(request: HttpRequest, code: str) -> HttpResponse:
    user, action = request.user, request.POST.get("action")
    wanted = month_codes.parse(request.POST.get("month", ""))
    if wanted is None:
        raise Http404("no such month")
    if action == "build" and policies.may(user, "build", code):
        try:
            job = jobs.build_start(
                ctx=web_ctx(request), month_codes=[month_codes.code(wanted)], area=code
            )
        except Invalid:
            raise Http404("no such month") from None
        return redirect("jobs:detail", job.pk)
    if action == "close" and policies.may(user, "close", code):
        try:
            services.month_close(ctx=web_ctx(request), month=wanted, area_code=code)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("The month of %(month)s is closed for %(area)s.")
                % {"month": month_codes.label(wanted), "area": area_label(code)},
            )
        return redirect(reverse("snapshots:months"))
    raise Http404("no such action")
