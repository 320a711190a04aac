"""Pages of form ศจพ.2: the list of field-found households, the form, the saved household.

The form page is one plain POST form with three buttons (add a member row, preview, save),
so it works without JavaScript; `newhouseholds.js` only adds and removes rows in place and
hides the questions that do not apply to a member's age.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cheepao.accounts.roles import CERTIFY, VERIFY
from cheepao.core import access
from cheepao.core.errors import Conflict, Invalid, Refused
from cheepao.core.web import ctx as web_ctx
from cheepao.households import labels
from cheepao.households.models import Household
from cheepao.newhouseholds import assessment, selectors, services, summary
from cheepao.newhouseholds.forms import (
    DecisionForm,
    HouseholdForm,
    household_data,
    member_formset,
)
from cheepao.newhouseholds.models import DuplicateCase
from cheepao.verification import selectors as certification

PREFIX = "m"
# Contract columns whose problems belong to a differently named form field.
FIELD_OF = {"self_care": "dependent", "newborn": "age", "has_occupation": "occupation"}


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    households = list(selectors.field_households(request.user)[:200])
    _with_certification_state(households)
    return render(
        request,
        "newhouseholds/index.html",
        {
            "households": households,
            "can_record": request.user.can(VERIFY),
            "checks": selectors.duplicate_cases_asked_in(request.user)
            if request.user.can(VERIFY)
            else [],
        },
    )


def _with_certification_state(households: list[Any]) -> None:
    """Each household's own state in certification (recorded, sent to the district,
    certified, returned, approved), read from the batch that holds it."""
    states = certification.certification_states(households)
    for h in households:
        h.certification_state = states[h.pk]
        h.certification_state_label = certification.CERTIFICATION_STATE_LABELS[states[h.pk]]


def _forms(request: HttpRequest, registry: Any, subdistricts: list[Any], data: Any = None):
    rules = assessment.rules()
    FormSet = member_formset(rules)
    cat = registry.catalogue
    # A new, empty form gets its own id here; every preview and the save carry it on.
    initial = {"uid": uuid.uuid4()} if data is None else None
    form = HouseholdForm(data, initial=initial, registry=registry, subdistricts=subdistricts)
    if data is None:
        formset = FormSet(prefix=PREFIX, catalogue=cat, initial=[{}] * rules["initial_members"])
    else:
        formset = FormSet(data, prefix=PREFIX, catalogue=cat)
    return form, formset


def _with_one_more_row(post: Any) -> Any:
    data = post.copy()
    key = f"{PREFIX}-TOTAL_FORMS"
    try:
        n = int(data.get(key, "1"))
    except ValueError:
        n = 1
    data[key] = str(min(n + 1, assessment.rules()["max_members"]))
    return data


def _attach_engine_errors(form: HouseholdForm, formset: Any, errors: list[Any]) -> None:
    """Put each validator problem on the field the user typed it in."""
    rows = formset.member_index()
    for e in errors:
        if e.member is None:
            name = f"q_{e.column}" if f"q_{e.column}" in form.fields else e.column
            form.add_error(name if name in form.fields else None, e.message)
            continue
        if e.member >= len(rows):
            form.add_error(None, e.message)
            continue
        target = formset.forms[rows[e.member]]
        name = FIELD_OF.get(e.column, e.column)
        target.add_error(name if name in target.fields else None, e.message)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.can(VERIFY):
        raise PermissionDenied
    registry = selectors.registry_for_new()
    subdistricts = selectors.subdistricts_for(user)
    if registry is None or not subdistricts:
        return render(request, "newhouseholds/unavailable.html", {"registry": registry}, status=200)
    context: dict[str, Any] = {
        "registry": registry,
        "show_errors": True,
        "reference_date": assessment.reference_date(registry.survey_year),
    }
    action = request.POST.get("action", "preview") if request.method == "POST" else ""
    status = 200

    if request.method == "GET":
        form, formset = _forms(request, registry, subdistricts)
        context["show_errors"] = False
    elif action == "add":
        form, formset = _forms(request, registry, subdistricts, _with_one_more_row(request.POST))
        context["show_errors"] = False
    else:
        form, formset = _forms(request, registry, subdistricts, request.POST)
        if form.is_valid() and formset.is_valid():
            data = household_data(form, formset)
            review = None
            try:
                if action == "save":
                    try:
                        household = services.newhousehold_create(
                            ctx=web_ctx(request), data=data, uid=form.cleaned_data["uid"]
                        )
                    except (Invalid, Refused) as refused:
                        context["refused"] = services.reasons(refused)
                        review = getattr(refused, "review", None)
                    except Conflict as conflict:
                        # Sent twice: the first save stands; show it, as the first answer
                        # would have (or, if it is not the user's to see, say so).
                        saved = selectors.field_household_by_uid(user, form.cleaned_data["uid"])
                        if saved is None:
                            context["refused"] = [conflict.message]
                        else:
                            messages.info(request, conflict.message)
                            return redirect("newhouseholds:detail", pk=saved.pk)
                    else:
                        return redirect("newhouseholds:detail", pk=household.pk)
                else:
                    review = services.newhousehold_check(ctx=web_ctx(request), data=data)
            except services.PinLookupLimit as limited:
                # Nothing was looked up: the form comes back as typed, with the reason.
                context["limited"] = limited.message
                status = 429
            if review is not None:
                _attach_engine_errors(form, formset, review.assessment.errors)
                if review.assessment.ok:
                    result = review.assessment
                    context["summary"] = summary.as_context(
                        registry.catalogue,
                        result.failing,
                        result.dimensions,
                        result.n_dims,
                        result.is_critical,
                        summary.from_assessment(registry.catalogue, result),
                    )
                    context["income_per_person"] = result.household.get("income_per_person")
                context["review"] = review
                context["can_save"] = review.ok and form.is_valid() and formset.is_valid()
    context.update(form=form, formset=formset, groups=form.dimension_groups())
    return render(request, "newhouseholds/form.html", context, status=status)


@login_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.with_report(
        access.one(request.user, Household, "view", pk, queryset=selectors.field_report_queryset())
    )
    services.newhousehold_viewed(ctx=web_ctx(request), household=household)
    _with_certification_state([household])
    cat = household.registry.catalogue
    failing = [p.indicator for p in household.problems.all() if p.status == "open"]
    dims = sorted({p.dimension for p in household.problems.all() if p.status == "open"})
    context = {
        "household": household,
        "report": household.report,
        "members": list(household.members.all()),
        "folder_url": selectors.folder_url(household.pk),
        "village": selectors.village_label(household.subdistrict_code, household.village_no),
        "tags": [
            labels.VULNERABLE.get(t, t)
            for t in (household.report.vulnerable_tags if household.report else [])
        ],
        "summary": summary.as_context(
            cat,
            failing,
            dims,
            household.n_dims,
            household.is_critical,
            summary.from_household(household),
        ),
    }
    return render(request, "newhouseholds/detail.html", context)


@login_required
@require_safe
def duplicates(request: HttpRequest) -> HttpResponse:
    """The district's duplicate checks: national IDs and house codes of its records that a
    team elsewhere typed on form ศจพ.2."""
    if not request.user.can(CERTIFY):
        raise PermissionDenied
    cases = selectors.duplicate_cases_for_district(request.user)
    for case in (*cases["open"], *cases["decided"]):
        case.village = selectors.case_village(case.area_code)
        case.asked_village = selectors.case_village(case.asked_village_code)
    return render(request, "newhouseholds/duplicates.html", cases)


@login_required
@require_http_methods(["GET", "POST"])
def duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    """One duplicate check: the form's side and the district's own record, and the decision."""
    case = access.one(
        request.user,
        DuplicateCase,
        "view",
        pk,
        queryset=DuplicateCase.objects.select_related("asked_by", "decided_by", "household"),
    )
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.duplicate_case_decide(
                    ctx=web_ctx(request),
                    case=case,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                )
            except (Invalid, Conflict) as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The decision was recorded."))
                return redirect("newhouseholds:duplicates")
        status = 400
    case.village = selectors.case_village(case.area_code)
    case.asked_village = selectors.case_village(case.asked_village_code)
    return render(
        request,
        "newhouseholds/duplicate.html",
        {
            "case": case,
            "form": form,
            "open": case.status == DuplicateCase.Status.OPEN,
            "folder_url": selectors.folder_url(case.household_id) if case.household_id else None,
        },
        status=status,
    )
