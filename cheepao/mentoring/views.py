"""Pages of mentor teams: the teams of an area, appointing one (two short steps), a team's
page with its members and households, assigning a village, handing households over, the
appointment order (print page and A4 PDF), and the lists "my households", "unassigned
households" and "no contact for N days".

Teams are reached through the MentorTeam policy (`view` for readers of the subdistrict,
`appoint` for its district): an id outside the account's reach is a 404, the same as one
that does not exist. Every page that lists households records the read (`audit_read`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cheepao.accounts import roles
from cheepao.audit.services import audit_read
from cheepao.audit.summaries import area, say
from cheepao.core import access, errors
from cheepao.core.errors import Invalid, NotFound, ServiceError
from cheepao.core.web import ctx as web_ctx
from cheepao.geo import selectors as geo
from cheepao.households.selectors import households_visible_to
from cheepao.mentoring import care, selectors, services
from cheepao.mentoring import errors as m_errors
from cheepao.mentoring.forms import (
    AssignForm,
    HandOverForm,
    MemberForm,
    NoContactForm,
    TeamForm,
    member_forms,
)

# ---------------------------------------------------------------- teams


@login_required
@require_safe
def teams(request: HttpRequest) -> HttpResponse:
    subdistrict = request.GET.get("subdistrict", "")
    if not (subdistrict.isdigit() and len(subdistrict) == 6):
        subdistrict = ""
    qs = selectors.teams_visible(request.user, subdistrict)
    page = Paginator(qs, selectors.PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "mentoring/teams.html",
        {
            "page": page,
            "subdistrict": subdistrict,
            "subdistrict_name": geo.area_label(subdistrict) if subdistrict else "",
            "can_appoint": request.user.can(roles.APPOINT_MENTORS),
            "query": f"subdistrict={subdistrict}&" if subdistrict else "",
        },
    )


def _put_errors(error: ServiceError, forms_by_key: dict[str, Any]) -> list[str]:
    """Field errors of a refusal onto the forms ('0-user' → row 0's `user`); what fits no
    field comes back as page messages."""
    loose = []
    for key, message in error.field_messages().items():
        form, _sep, name = key.rpartition("-")
        target = forms_by_key.get(form)
        if target is not None and name in target.fields:
            target.add_error(name, message)
        else:
            loose.append(message)
    return loose


@login_required
@require_http_methods(["GET", "POST"])
def appoint(request: HttpRequest) -> HttpResponse:
    """Appoint a team in two steps: the team (subdistrict, name, order), then its members
    (the step-1 answers ride along as hidden fields)."""
    user = request.user
    if not user.can(roles.APPOINT_MENTORS) or len(user.area_code) != 4:
        raise errors.Refused(m_errors.MAY_NOT_APPOINT)
    data = request.POST if request.method == "POST" else None
    team_form = TeamForm(
        data, user=user, initial={"subdistrict_code": request.GET.get("subdistrict")}
    )
    step = request.POST.get("step", "1") if data is not None else "1"
    context: dict[str, Any] = {"team_form": team_form, "step": 1}
    if data is None or "back" in request.POST or not team_form.is_valid():
        return render(request, "mentoring/appoint.html", context)
    sub = team_form.cleaned_data["subdistrict_code"]
    context.update(step=2, subdistrict_name=geo.area_label(sub))
    if step == "1":
        context["rows"] = member_forms(None, sub)
        context["lead"] = "0"
        return render(request, "mentoring/appoint.html", context)
    rows = member_forms(data, sub)
    context["rows"] = rows
    context["lead"] = request.POST.get("lead", "")
    if not all(f.is_valid() for f in rows):
        return render(request, "mentoring/appoint.html", context)
    members = []
    by_key = {}
    for i, f in enumerate(rows):
        if f.is_blank():
            continue
        by_key[str(len(members))] = f
        members.append({**f.cleaned_data, "is_lead": request.POST.get("lead") == str(i)})
    try:
        team = services.team_appoint(
            ctx=web_ctx(request),
            subdistrict_code=sub,
            name=team_form.cleaned_data["name"],
            order_no=team_form.cleaned_data["order_no"],
            order_date=team_form.cleaned_data["order_date"],
            members=members,
        )
    except Invalid as e:
        context["problems"] = [e.message, *_put_errors(e, by_key)]
        return render(request, "mentoring/appoint.html", context, status=400)
    messages.success(request, _("Mentor team “%(team)s” appointed.") % {"team": team.name})
    return redirect("mentoring:team", team.pk)


@login_required
@require_safe
def team(request: HttpRequest, team_id: int) -> HttpResponse:
    t = selectors.team_for(request.user, team_id)
    page, rows = selectors.team_households(t, request.user, request.GET.get("page"))
    can_change = t.active and access.allows(request.user, "appoint", t)
    if rows:
        audit_read(
            ctx=web_ctx(request),
            objects=[r.household for r in rows],
            summary=say(
                gettext_noop("mentor team “%(team)s”: %(n)s households (page %(page)s)"),
                team=t.name,
                n=len(rows),
                page=page.number,
            ),
            object_type="mentoring.mentorteam",
            object_id=t.pk,
            area_code=t.subdistrict_code,
            page=page.number,
        )
    return render(
        request,
        "mentoring/team.html",
        {
            "team": t,
            "members": selectors.members_of(t),
            "page": page,
            "rows": rows,
            "can_change": can_change,
            "villages": selectors.villages_of(t) if can_change else [],
            "subdistrict_name": geo.area_label(t.subdistrict_code),
        },
    )


def _order_context(request: HttpRequest, t: Any) -> dict[str, Any]:
    rows = selectors.team_order_households(t, request.user)
    district = geo.area_get(t.district_code)
    return {
        "team": t,
        "members": selectors.members_of(t),
        "rows": rows,
        "villages": selectors.team_villages(t),
        "district_name": district.name if district else t.district_code,
        "subdistrict_name": geo.area_label(t.subdistrict_code),
        "printed": timezone.localdate(),
    }


@login_required
@require_safe
def order(request: HttpRequest, team_id: int) -> HttpResponse:
    t = selectors.team_for(request.user, team_id)
    context = _order_context(request, t)
    if context["rows"]:
        audit_read(
            ctx=web_ctx(request),
            objects=[r.household for r in context["rows"]],
            summary=say(gettext_noop("appointment order of mentor team “%(team)s”"), team=t.name),
            object_type="mentoring.mentorteam",
            object_id=t.pk,
            area_code=t.subdistrict_code,
        )
    return render(request, "mentoring/order.html", context)


#: WeasyPrint's A4 page and a Thai font from Debian's fonts-thai-tlwg.
PDF_CSS = """
@page { size: A4; margin: 20mm 18mm; }
body { font-family: "Garuda", "Loma", sans-serif; font-size: 11pt; line-height: 1.45; }
"""


@login_required
@require_safe
def order_pdf(request: HttpRequest, team_id: int) -> HttpResponse:
    from weasyprint import CSS, HTML

    t = selectors.team_for(request.user, team_id)
    context = _order_context(request, t)
    html = render_to_string("mentoring/order_document.html", {**context, "pdf": True}, request)
    # The order's own rules are those of the print page (static/css/mentoring.css).
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=[CSS(filename=finders.find("css/mentoring.css")), CSS(string=PDF_CSS)]
    )
    audit_read(
        ctx=web_ctx(request),
        what="export",
        objects=[r.household for r in context["rows"]],
        summary=say(gettext_noop("appointment order of mentor team “%(team)s”, PDF"), team=t.name),
        object_type="mentoring.mentorteam",
        object_id=t.pk,
        area_code=t.subdistrict_code,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mentor-team-{t.pk}.pdf"'
    return response


# ---------------------------------------------------------------- changing a team


def _refusal(request: HttpRequest, error: ServiceError) -> None:
    messages.error(request, error.message)


@login_required
@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest, team_id: int) -> HttpResponse:
    t = selectors.team_for(request.user, team_id, "appoint")
    villages = selectors.villages_of(t)
    initial = {"cap": services.mentor_cap(), "village_code": request.GET.get("village")}
    form = AssignForm(request.POST or None, villages=villages, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.households_assign(
                ctx=web_ctx(request),
                team=t,
                village_code=form.cleaned_data["village_code"],
                cap=form.cleaned_data["cap"],
            )
        except Invalid as e:
            form.add_error(None, e.message)
        except ServiceError as e:
            _refusal(request, e)
            return redirect("mentoring:team", t.pk)
        else:
            messages.success(
                request,
                _(
                    "%(assigned)s households put in the team's care; %(unassigned)s left "
                    "unassigned (nobody of the team had room)."
                )
                % {"assigned": result.assigned, "unassigned": result.unassigned},
            )
            return redirect("mentoring:team", t.pk)
    return render(request, "mentoring/assign.html", {"team": t, "form": form, "villages": villages})


@login_required
@require_http_methods(["GET", "POST"])
def handover(request: HttpRequest, team_id: int) -> HttpResponse:
    """Hand households over in two short steps: whose (step 1), then which of their
    households (checkboxes, all ticked), to whom and why (step 2)."""
    t = selectors.team_for(request.user, team_id, "appoint")
    givers = [m for m in selectors.members_of(t) if m.n_households]
    takers = selectors.assign_takers(t.subdistrict_code)
    data = request.POST if request.method == "POST" else None
    chosen_giver = (data or request.GET).get("from_member", "")
    giver = next((m for m in givers if str(m.pk) == chosen_giver), None)
    initial = {"cap": services.mentor_cap(), "from_member": chosen_giver}
    form = HandOverForm(data, givers=givers, takers=takers, initial=initial)
    # The checkboxes: a step-2 form says so (`pick`); a client that sends none hands all.
    picking = data is not None and "pick" in data
    picked = [int(v) for v in data.getlist("household") if v.isdigit()] if picking else None
    if data is not None and form.is_valid():
        by_pk = {str(m.pk): m for m in [*givers, *takers]}
        try:
            n = services.households_hand_over(
                ctx=web_ctx(request),
                from_member=by_pk[form.cleaned_data["from_member"]],
                to_member=by_pk[form.cleaned_data["to_member"]],
                note=form.cleaned_data["note"],
                cap=form.cleaned_data["cap"],
                households=picked,
            )
        except ServiceError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("%(n)s households handed over.") % {"n": n})
            return redirect("mentoring:team", t.pk)
    rows = selectors.handed_households(giver) if giver is not None else []
    return render(
        request,
        "mentoring/handover.html",
        {
            "team": t,
            "form": form,
            "givers": givers,
            "giver": giver,
            "rows": rows,
            "chosen": {str(i) for i in picked} if picked is not None else set(),
            "all_chosen": picked is None,
        },
        status=200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, team_id: int) -> HttpResponse:
    t = selectors.team_for(request.user, team_id, "appoint")
    form = MemberForm(request.POST or None, subdistrict=t.subdistrict_code)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_member_add(ctx=web_ctx(request), team=t, member=form.cleaned_data)
        except ServiceError as e:
            form.add_error(None, e.message)
            for key, message in e.field_messages().items():
                name = key.rpartition("-")[2]
                if name in form.fields:
                    form.add_error(name, message)
        else:
            messages.success(request, _("Member added."))
            return redirect("mentoring:team", t.pk)
    return render(request, "mentoring/member_add.html", {"team": t, "form": form})


@login_required
@require_POST
def member_leave(request: HttpRequest, team_id: int, member_id: int) -> HttpResponse:
    t = selectors.team_for(request.user, team_id, "appoint")
    member = t.members.filter(pk=member_id).first()
    if member is None:
        raise Http404("no such member")
    try:
        services.team_member_leave(ctx=web_ctx(request), member=member)
    except ServiceError as e:
        _refusal(request, e)
    else:
        messages.success(request, _("%(name)s left the team.") % {"name": member.name})
    return redirect("mentoring:team", t.pk)


@login_required
@require_POST
def team_end(request: HttpRequest, team_id: int) -> HttpResponse:
    t = selectors.team_for(request.user, team_id, "appoint")
    try:
        services.team_end(ctx=web_ctx(request), team=t)
    except ServiceError as e:
        _refusal(request, e)
    else:
        messages.success(request, _("The team has ended."))
    return redirect("mentoring:team", t.pk)


# ---------------------------------------------------------------- lists


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    if not request.user.can(roles.CARE):
        raise errors.Refused(errors.DENIED)
    filters = care.care_filters.all()
    only = request.GET.get("only", "")
    if only not in {f.key for f in filters}:
        only = ""
    page, rows = selectors.my_households(request.user, request.GET.get("page"), only)
    if rows:
        audit_read(
            ctx=web_ctx(request),
            objects=[r.household for r in rows],
            summary=say(
                gettext_noop("my households: %(n)s (page %(page)s)"), n=len(rows), page=page.number
            ),
            object_type="mentoring.assignment",
            area_code=request.user.area_code,
            filters={"only": only} if only else None,
            page=page.number,
        )
    return render(
        request,
        "mentoring/mine.html",
        {
            "page": page,
            "rows": rows,
            "area_url": _area_url(request.user.area_code),
            "filters": filters,
            "chosen": only,
            "query": f"only={only}&" if only else "",
        },
    )


def _area_url(code: str) -> str:
    if len(code) == 8:
        return reverse("households:village", args=[code])
    if len(code) in (2, 4, 6):
        return reverse("households:area", args=[code])
    return reverse("households:search")


def _lists_allowed(request: HttpRequest) -> None:
    if not selectors.may_see_lists(request.user):
        raise errors.Refused(errors.DENIED)


def _assign_chosen(request: HttpRequest, within: str) -> HttpResponse | str:
    """The district's POST on the unassigned list: the chosen households (checkboxes) go
    to one civil servant of a team of their subdistrict. Returns the redirect, or the
    refusal's message for the page (nothing changed)."""
    if not request.user.can(roles.APPOINT_MENTORS):
        raise errors.Refused(errors.DENIED)
    if len(within) < 6:
        # A subdistrict or village outside the district's reach: as if it did not exist.
        raise Http404("no such area")
    ids = [int(v) for v in request.POST.getlist("household") if v.isdigit()]
    chosen = list(households_visible_to(request.user).filter(pk__in=ids))
    if len(chosen) != len(set(ids)):
        raise Http404("no such household")
    takers = {str(m.pk): m for m in selectors.assign_takers(within[:6])}
    asked = request.POST.get("mentor", "")
    member = takers.get(asked)
    if member is None:
        if asked:  # a person outside the subdistrict's teams: as if they did not exist
            raise Http404("no such mentor")
        return _("Choose the civil servant who will care for the households.")
    try:
        made = services.households_assign_to(
            ctx=web_ctx(request), households=chosen, member=member, cap=request.POST.get("cap")
        )
    except NotFound as e:
        raise Http404("no such household") from e
    except ServiceError as e:
        return e.message
    messages.success(
        request,
        _("%(n)s households put in the care of %(mentor)s.")
        % {"n": len(made), "mentor": member.name},
    )
    return redirect(f"{reverse('mentoring:unassigned')}?area={within}")


@login_required
@require_http_methods(["GET", "POST"])
def unassigned(request: HttpRequest) -> HttpResponse:
    _lists_allowed(request)
    data = request.POST if request.method == "POST" else request.GET
    within = selectors.list_area(request.user, data.get("area"))
    problem = ""
    if request.method == "POST":
        done = _assign_chosen(request, within)
        if not isinstance(done, str):
            return done
        problem = done
    page, rows = selectors.unassigned(request.user, request.GET.get("page"), within)
    code = within or request.user.area_code
    if rows:
        audit_read(
            ctx=web_ctx(request),
            objects=[r.household for r in rows],
            summary=say(
                gettext_noop("unassigned households of %(area)s: %(n)s (page %(page)s)"),
                area=area(code),
                n=len(rows),
                page=page.number,
            ),
            object_type="mentoring.unassigned",
            area_code=code,
            page=page.number,
        )
    can_assign = request.user.can(roles.APPOINT_MENTORS) and len(within) >= 6
    chosen = set(request.POST.getlist("household")) if problem else set()
    return render(
        request,
        "mentoring/unassigned.html",
        {
            "page": page,
            "rows": rows,
            "within": within,
            "within_name": geo.area_label(within) if within else "",
            "areas": selectors.list_areas(request.user),
            "can_assign": can_assign,
            "may_assign": request.user.can(roles.APPOINT_MENTORS),
            "takers": selectors.assign_takers(within[:6]) if can_assign else [],
            "chosen": chosen,
            "chosen_mentor": request.POST.get("mentor", "") if problem else "",
            "cap": request.POST.get("cap") or services.mentor_cap(),
            "problem": problem,
            "query": f"area={within}&" if within else "",
        },
        status=400 if problem else 200,
    )


@login_required
@require_safe
def no_contact(request: HttpRequest) -> HttpResponse:
    _lists_allowed(request)
    form = NoContactForm(request.GET or None)
    days = form.chosen_days()
    within = selectors.list_area(request.user, request.GET.get("area"))
    page, rows = selectors.no_contact(request.user, days, request.GET.get("page"), within)
    code = within or request.user.area_code
    if rows:
        audit_read(
            ctx=web_ctx(request),
            objects=[r.household for r in rows],
            summary=say(
                gettext_noop(
                    "households of %(area)s with no contact for %(days)s days: %(n)s (page %(page)s)"
                ),
                area=area(code),
                days=days,
                n=len(rows),
                page=page.number,
            ),
            object_type="mentoring.no_contact",
            area_code=code,
            filters={"days": days},
            page=page.number,
        )
    return render(
        request,
        "mentoring/no_contact.html",
        {
            "page": page,
            "rows": rows,
            "form": form,
            "days": days,
            "within": within,
            "within_name": geo.area_label(within) if within else "",
            "areas": selectors.list_areas(request.user),
            "query": f"days={days}&" + (f"area={within}&" if within else ""),
        },
    )
