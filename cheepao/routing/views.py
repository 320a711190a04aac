"""Pages of routing (ADR 0027): the agency's inbox, a case with its referrals and the
buttons of each role, a household's cases (route its problems, refer, consent, solve),
and the district's open cases.

Cases and referrals are reached through their policies (routing.policies), households
through `households.selectors.household_for`: an id outside the account's reach is the
same 404 as one that does not exist. Every page that shows a household's data records the
read (`audit_read`). A refused write re-displays the page with the refusal's message and
what was typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_safe

from cheepao.accounts import roles
from cheepao.accounts.models import Body
from cheepao.audit.services import audit_read
from cheepao.audit.summaries import say
from cheepao.core import access
from cheepao.core.errors import NotFound, ServiceError
from cheepao.core.web import ctx as web_ctx
from cheepao.households.models import Household
from cheepao.households.selectors import household_for
from cheepao.logbook import services as logbook
from cheepao.logbook.models import Entry
from cheepao.routing import selectors, services
from cheepao.routing.extensions import case_panels
from cheepao.routing.models import Case, Referral


def _offices(village_code: str) -> list[Body]:
    """Agency offices (and bodies outside government) that may serve a household of the
    village: those whose area covers it or lies in its district."""
    return list(
        Body.objects.filter(kind=Body.Kind.AGENCY)
        .filter(
            Q(area_code__in=access.area_prefixes(village_code))
            | Q(area_code__startswith=village_code[:4])
        )
        .order_by("sector", "area_code", "name")
    )


def _fail(request: HttpRequest, error: ServiceError) -> None:
    loose = [error.message, *error.field_messages().values()]
    for text in dict.fromkeys(str(m) for m in loose):
        messages.error(request, text)


# ---------------------------------------------------------------- the agency's inbox

#: Referrals on one page of the inbox (a phone screen's worth a few times over).
INBOX_PAGE = 50


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.can(roles.SERVE):
        raise Http404
    tab = request.GET.get("tab", "pending")
    if tab not in selectors.TABS:
        tab = "pending"
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    start = (page - 1) * INBOX_PAGE
    rows = list(selectors.inbox_tab(user, tab)[start : start + INBOX_PAGE + 1])
    more = len(rows) > INBOX_PAGE
    rows = rows[:INBOX_PAGE]
    for r in rows:
        r.overdue = selectors.is_overdue(r)
    audit_read(
        ctx=web_ctx(request),
        object_type="routing.inbox",
        object_id=getattr(user.body, "pk", "") or "",
        area_code=user.area_code,
        summary=say(gettext_noop("referral inbox read (%(tab)s)"), tab=tab),
        objects=[r.case.household for r in rows],
    )
    return render(
        request,
        "routing/inbox.html",
        {
            "tab": tab,
            "tabs": selectors.TABS,
            "counts": selectors.inbox_counts(user),
            "rows": rows,
            "page": page,
            "more": more,
            "office": user.body,
        },
    )


# ---------------------------------------------------------------- a case


def _case_context(request: HttpRequest, case: Case, posted: Any = None) -> dict[str, Any]:
    user = request.user
    household = case.household
    policy = access.policy(Case)
    acts = policy.allows(user, "act", case)
    routes = policy.allows(user, "route", case)
    mine = list(access.scope(user, Referral, "serve").filter(case=case).order_by("-sent_at"))
    caring = access.policy(Household).allows(user, "care", household)
    context = {
        "case": case,
        "household": household,
        "referrals": selectors.case_referrals(case),
        "mine": mine,
        "acts": acts and case.state == Case.State.OPEN,
        "routes": routes and case.state == Case.State.OPEN,
        "solves": caring and case.state == Case.State.OPEN,
        "offices": _offices(case.village_code) if acts or routes else [],
        "evidence": list(selectors.evidence_entries(household, case.dimension)[:30])
        if caring
        else [],
        "help_kinds": Entry.HelpKind.choices,
        "today": timezone.localdate(),
        "panels": case_panels.shown(case, user),
        "posted": posted or {},
    }
    for r in mine:
        r.overdue = selectors.is_overdue(r)
        r.entries = (
            list(selectors.help_entries(household, r.agency)[:20])
            if r.state == Referral.State.ACCEPTED
            else []
        )
    return context


def _case_post(request: HttpRequest, case: Case) -> None:
    ctx, data = web_ctx(request), request.POST
    action = data.get("action", "")
    if action in ("accept", "reject", "done", "help_done"):
        referral = access.one(request.user, Referral, "serve", data.get("referral"))
        if action == "accept":
            services.referral_accept(ctx=ctx, referral_id=referral.pk)
            messages.success(request, _("Referral accepted."))
        elif action == "reject":
            services.referral_reject(ctx=ctx, referral_id=referral.pk, reason=data.get("reason"))
            messages.success(request, _("Referral rejected; the sender is told."))
        elif action == "done":
            services.referral_done(ctx=ctx, referral_id=referral.pk, entry_id=data.get("entry"))
            messages.success(request, _("Your part is marked done; the sender is told."))
        else:
            from django.db import transaction

            with transaction.atomic():
                entry = logbook.help_record(
                    ctx=ctx,
                    household_id=case.household_id,
                    occurred_on=data.get("occurred_on"),
                    dimension=case.dimension,
                    indicator=case.indicator,
                    help_kind=data.get("help_kind"),
                    agency=referral.agency_id,
                    value=data.get("value"),
                    note=data.get("note", ""),
                )
                services.referral_done(ctx=ctx, referral_id=referral.pk, entry_id=entry.pk)
            messages.success(request, _("Help recorded and your part marked done."))
    elif action == "refer":
        services.referral_send(
            ctx=ctx,
            case_id=case.pk,
            agency_id=data.get("agency"),
            follow_up_on=data.get("follow_up_on") or None,
            note=data.get("note", ""),
        )
        messages.success(request, _("Referral sent; the agency is told."))
    elif action == "revoke":
        services.referral_revoke(
            ctx=ctx, referral_id=data.get("referral"), reason=data.get("reason")
        )
        messages.success(request, _("Referral revoked."))
    elif action == "solve":
        services.case_solve(ctx=ctx, case_id=case.pk, entry_id=data.get("entry"))
        messages.success(request, _("The problem is confirmed solved."))
    elif action == "owner":
        services.case_owner_set(
            ctx=ctx, case_id=case.pk, agency_id=data.get("agency"), reason=data.get("reason")
        )
        messages.success(request, _("Owner changed."))
    elif action == "close":
        services.case_close(ctx=ctx, case_id=case.pk, reason=data.get("reason"))
        messages.success(request, _("Case closed."))
    else:
        raise Http404


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case(request: HttpRequest, case_id: int) -> HttpResponse:
    queryset = Case.objects.select_related("household", "owner", "household__registry")
    found = access.one(request.user, Case, "view", case_id, queryset=queryset)
    if request.method == "POST":
        try:
            _case_post(request, found)
        except NotFound:
            raise
        except ServiceError as error:
            _fail(request, error)
            found = access.one(request.user, Case, "view", case_id, queryset=queryset)
            return render(
                request,
                "routing/case.html",
                _case_context(request, found, request.POST),
                status=error.status,
            )
        return redirect(reverse("routing:case", args=[found.pk]))
    audit_read(
        ctx=web_ctx(request),
        obj=found.household,
        summary=say(gettext_noop("case %(case)s read"), case=found.pk),
    )
    return render(request, "routing/case.html", _case_context(request, found))


# ---------------------------------------------------------------- a household's cases


def _household_context(request: HttpRequest, household: Household, posted: Any = None) -> dict:
    user = request.user
    policy = access.policy(Household)
    caring = policy.allows(user, "care", household)
    acting = caring or (user.can(roles.ROUTE) and policy.allows(user, "view", household))
    cases = list(selectors.household_cases(household))
    for c in cases:
        c.open_referrals = [r for r in c.referrals.all() if r.state in Referral.OPEN_STATES]
    cat = household.registry.catalogue
    return {
        "household": household,
        "cases": cases,
        "consents": list(selectors.household_consents(household)),
        "acting": acting,
        "dimensions": [(d.code, d) for d in cat.dimensions],
        "indicators": list(cat.indicators),
        "bodies": [b for b in _offices(household.village_code) if b.outside_government],
        "today": timezone.localdate(),
        "posted": posted or {},
    }


def _household_post(request: HttpRequest, household: Household) -> None:
    ctx, data = web_ctx(request), request.POST
    action = data.get("action", "")
    if action == "route_problems":
        made = services.cases_open_from_registry(ctx=ctx, household_id=household.pk)
        messages.success(request, _("%(n)s cases opened.") % {"n": len(made)})
    elif action == "open":
        services.case_open(
            ctx=ctx,
            household_id=household.pk,
            dimension=data.get("dimension", ""),
            indicator=data.get("indicator", ""),
            note=data.get("note", ""),
        )
        messages.success(request, _("Case opened."))
    elif action == "consent":
        services.consent_record(
            ctx=ctx,
            household_id=household.pk,
            given_by=data.get("given_by", ""),
            given_on=data.get("given_on", ""),
            how=data.get("how", ""),
            body_id=data.get("body") or None,
        )
        messages.success(request, _("Consent recorded."))
    elif action == "withdraw":
        consent = next(
            (
                c
                for c in selectors.household_consents(household)
                if str(c.pk) == data.get("consent")
            ),
            None,
        )
        if consent is None:
            raise Http404
        services.consent_withdraw(ctx=ctx, consent_id=consent.pk)
        messages.success(request, _("Consent withdrawn."))
    else:
        raise Http404


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def household(request: HttpRequest, household_id: int) -> HttpResponse:
    found = household_for(request.user, household_id)
    if request.method == "POST":
        try:
            _household_post(request, found)
        except NotFound:
            raise
        except ServiceError as error:
            _fail(request, error)
            return render(
                request,
                "routing/household.html",
                _household_context(request, found, request.POST),
                status=error.status,
            )
        return redirect(reverse("routing:household", args=[found.pk]))
    audit_read(
        ctx=web_ctx(request),
        obj=found,
        summary=say(gettext_noop("cases of the household read")),
    )
    return render(request, "routing/household.html", _household_context(request, found))


# ---------------------------------------------------------------- the district


@login_required
@require_safe
def area(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.can(roles.ROUTE):
        raise Http404
    summary = selectors.area_summary(user)
    no_owner = list(summary["no_owner"][:100])
    overdue = list(summary["overdue"][:100])
    audit_read(
        ctx=web_ctx(request),
        object_type="routing.area",
        object_id=user.area_code,
        area_code=user.area_code,
        summary=say(gettext_noop("open cases of the district read")),
        objects=[c.household for c in no_owner] + [r.case.household for r in overdue],
    )
    return render(
        request,
        "routing/area.html",
        {**summary, "no_owner": no_owner, "overdue": overdue, "area_code": user.area_code},
    )
