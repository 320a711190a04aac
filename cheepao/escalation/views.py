"""Escalation's pages: the escalation list (the province: waiting for assignment, assigned,
overdue; the district: its escalated cases), one escalation with the province's assign and
return forms, and a case's clock (the panel routing's case page shows, with the district's
"escalate to the province" form). Every write goes through `services`; every page that
shows a household records its read (audit_read)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_http_methods, require_safe

from cheepao.audit.services import audit_read
from cheepao.audit.summaries import say
from cheepao.core import access
from cheepao.core.errors import Conflict, Invalid, Refused
from cheepao.core.web import ctx as web_ctx
from cheepao.escalation import policies, selectors, services
from cheepao.escalation.models import Escalation


@login_required
@require_safe
def escalation_list(request: HttpRequest) -> HttpResponse:
    lists = selectors.lists(request.user)
    shown = {e.case.household for rows in lists.values() for e in rows}
    if shown:
        audit_read(
            ctx=web_ctx(request),
            what="search",
            object_type="escalation.list",
            area_code=request.user.area_code or "",
            objects=sorted(shown, key=lambda h: h.pk),
            summary=say(gettext_noop("escalated problems listed")),
        )
    province = access.policy(Escalation).permitted(request.user, "assign")
    return render(request, "escalation/list.html", {**lists, "province": province})


@login_required
@require_http_methods(["GET", "POST"])
def escalation_detail(request: HttpRequest, escalation_id: int) -> HttpResponse:
    found = access.one(
        request.user,
        Escalation,
        "view",
        escalation_id,
        queryset=Escalation.objects.select_related(
            "case__household", "assigned_agency", "referral", "escalated_by", "returned_by"
        ),
    )
    case = found.case
    errors_of: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "assign":
                services.escalation_assign(
                    ctx=web_ctx(request),
                    escalation_id=found.pk,
                    agency_id=request.POST.get("agency", ""),
                    follow_up_on=request.POST.get("follow_up_on", ""),
                    note=request.POST.get("note", ""),
                )
                done = gettext("The problem was assigned to the agency.")
            elif action == "return":
                services.escalation_return(
                    ctx=web_ctx(request), escalation_id=found.pk, note=request.POST.get("note", "")
                )
                done = gettext("The problem was returned to the district.")
            else:
                return HttpResponse(status=400)
        except Invalid as exc:
            messages.error(request, exc.message)
            errors_of = exc.field_messages()
        except (Refused, Conflict) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
            return redirect(reverse("escalation:detail", args=[found.pk]))
        found.refresh_from_db()
    else:
        audit_read(
            ctx=web_ctx(request),
            obj=case.household,
            summary=say(gettext_noop("escalated problem read")),
        )
    may = access.policy(Escalation)
    open_ = found.returned_at is None
    return render(
        request,
        "escalation/detail.html",
        {
            "escalation": found,
            "case": case,
            "household": case.household,
            "panel": selectors.panel(case, request.user),
            "may_assign": open_
            and found.assigned_at is None
            and may.allows(request.user, "assign", found),
            "may_return": open_
            and found.assigned_at is not None
            and may.allows(request.user, "return", found),
            "agencies": services.agencies_for(case),
            "errors": errors_of,
            "posted": request.POST if request.method == "POST" else {},
        },
    )


def _back(request: HttpRequest, case_id: int) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return reverse("escalation:case", args=[case_id])


@login_required
@require_http_methods(["GET", "POST"])
def case_clock(request: HttpRequest, case_id: int) -> HttpResponse:
    """A case's clock and escalations (the same panel as routing's case page)."""
    case = selectors.case_for(request.user, case_id)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "escalate":
                services.case_escalate(
                    ctx=web_ctx(request), case_id=case.pk, reason=request.POST.get("reason", "")
                )
                done = gettext("The problem was escalated to the province.")
            elif action == "pause":
                services.clock_pause(
                    ctx=web_ctx(request), case_id=case.pk, reason=request.POST.get("reason", "")
                )
                done = gettext("The clock was paused.")
            elif action == "resume":
                services.clock_resume(ctx=web_ctx(request), case_id=case.pk)
                done = gettext("The clock is running again.")
            else:
                return HttpResponse(status=400)
        except (Invalid, Refused, Conflict) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
            return redirect(_back(request, case.pk))
    else:
        audit_read(
            ctx=web_ctx(request),
            obj=case.household,
            summary=say(gettext_noop("clock of a problem read")),
        )
    return render(
        request,
        "escalation/case.html",
        {
            "case": case,
            "household": case.household,
            "panel": selectors.panel(case, request.user),
            "escalations": selectors.history_of(case),
            "district": policies.may_escalate(request.user, case),
        },
    )
