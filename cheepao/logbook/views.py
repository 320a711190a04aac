"""The Logbook's pages, phone first (issue 12 items 1-2; ADR 0026).

A household's Logbook is read by its mentors (the household action `care`), by the agencies
serving it once routing brings the action `serve`, and read-only by the accounts whose area
holds it (`view`); anyone else gets the same 404 as for a missing household. Entries are
written by the mentors only, through the verbs: a form never edits an entry, a correction
or a withdrawal is a new entry (`entry_correct`). Photos are never a public media URL:
`photo` checks access, records the read and streams the stored file. Programmes are listed
for agency and area accounts and registered by agencies and district centres.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_safe

from cheepao.audit.services import audit_read
from cheepao.audit.summaries import say
from cheepao.core import access
from cheepao.core.errors import Conflict, Invalid, NotFound, Refused
from cheepao.core.thai import pick_language
from cheepao.core.web import ctx as web_ctx
from cheepao.geo.selectors import area_label
from cheepao.households.models import Household
from cheepao.households.selectors import household_for, registry_latest
from cheepao.logbook import forms, photos, selectors, services
from cheepao.logbook.models import Entry

Part = Entry.Part
#: The actions that open a household's Logbook, the first that allows it wins; only
#: `care` writes. `serve` (an agency serving the household's cases) exists once routing
#: registers it in households.extensions.household_actions.
READ_ACTIONS = ("care", "serve", "view")
#: Entries a part of the Logbook page shows before "show all".
PART_SHOWN = 20


def _reader(user: Any, household_id: Any) -> tuple[Household, bool]:
    """The household whose Logbook the account may read, and whether it may write it."""
    policy = access.policy(Household)
    for action in READ_ACTIONS:
        if action not in policy.actions:
            continue
        try:
            return policy.one(user, action, household_id), action == "care"
        except NotFound:
            continue
    raise Http404


def _common(household: Household, writable: bool) -> dict[str, Any]:
    return {
        "household": household,
        "area_label": area_label(household.village_code),
        "writable": writable,
    }


@login_required
@require_safe
def household(request: HttpRequest, household_id: int) -> HttpResponse:
    household, writable = _reader(request.user, household_id)
    book = selectors.logbook_of(household)
    audit_read(
        ctx=web_ctx(request),
        obj=household,
        summary=say(gettext_noop("Logbook read (%(count)s entries)"), count=book.entries),
    )
    sections = [
        (Part.NEED, _("Problems and needs")),
        (Part.HELP, _("Acts of help")),
        (Part.VISIT, _("Visits")),
        (Part.SUMMARY, _("Summary of change")),
    ]
    whole = request.GET.get("all", "")
    shown = []
    for part, title in sections:
        chains = book.parts[part]
        # A part shows its newest entries; "show all" opens the whole part (a household
        # helped for years has hundreds: bench/logbook.py, docs/benchmarks.md).
        cut = chains if whole == part else chains[:PART_SHOWN]
        shown.append((part, title, cut, len(chains), len(chains) > len(cut)))
    return render(
        request,
        "logbook/household.html",
        {**_common(household, writable), "book": book, "sections": shown},
    )


# ---------------------------------------------------------------- recording


def _target(value: str) -> tuple[str, str]:
    dimension, _sep, indicator = (value or "").partition("|")
    return dimension, indicator


def _record_help(request, household, form, ctx) -> Any:
    data = form.cleaned_data
    dimension, indicator = _target(data["target"])
    stored = ""
    upload = data.get("photo")
    if upload:
        stored = photos.evidence_store(photos.evidence_check(upload))
    try:
        entry = services.help_record(
            ctx=ctx,
            household_id=household.pk,
            occurred_on=data["occurred_on"],
            dimension=dimension,
            indicator=indicator,
            help_kind=data["help_kind"],
            giver=data["giver"],
            agency=data["agency"] or None,
            programme=data["programme"] or None,
            value=data["value"],
            note=data["note"],
            photo=stored,
            uid=data["uid"],
        )
    except BaseException:
        if stored:
            photos.evidence_delete(stored)
        raise
    if stored and entry.photo != stored:  # a second send of the form: recorded before
        photos.evidence_delete(stored)
    return entry


def _write(part: str, request, household, form) -> Any:
    ctx = web_ctx(request)
    data = form.cleaned_data
    if part == Part.HELP:
        return _record_help(request, household, form, ctx)
    if part == Part.VISIT:
        return services.visit_record(
            ctx=ctx,
            household_id=household.pk,
            occurred_on=data["occurred_on"],
            giver=data["giver"],
            note=data["note"],
            uid=data["uid"],
        )
    if part == Part.NEED:
        dimension, indicator = _target(data["target"])
        return services.need_record(
            ctx=ctx,
            household_id=household.pk,
            occurred_on=data["occurred_on"],
            dimension=dimension,
            indicator=indicator,
            source=data["source"],
            note=data["note"],
            uid=data["uid"],
        )
    return services.summary_record(
        ctx=ctx,
        household_id=household.pk,
        occurred_on=data["occurred_on"],
        note=data["note"],
        uid=data["uid"],
    )


#: The verb's fields asked in the first step of an act of help.
FIRST_STEP = {"occurred_on", "dimension", "indicator", "help_kind"}

DONE = {
    Part.NEED: gettext_noop("The problem or need was recorded in the Logbook."),
    Part.HELP: gettext_noop("The act of help was recorded in the Logbook."),
    Part.VISIT: gettext_noop("The visit was recorded in the Logbook."),
    Part.SUMMARY: gettext_noop("The summary of change was recorded in the Logbook."),
}


def _form(part: str, household: Household, data=None, files=None, dimension: str = ""):
    if part == Part.HELP:
        return forms.HelpForm(
            data,
            files,
            targets=selectors.targets(household),
            agencies=selectors.agencies_for(household),
            programmes=selectors.programmes_for(household, dimension),
        )
    if part == Part.NEED:
        return forms.NeedForm(data, targets=selectors.all_targets(household))
    if part == Part.VISIT:
        return forms.VisitForm(data)
    return forms.SummaryForm(data)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def record(request: HttpRequest, household_id: int, part: str) -> HttpResponse:
    """Record a need, an act of help (two steps), a visit or the summary of change."""
    if part not in selectors.PARTS:
        raise Http404
    household = household_for(request.user, household_id, "care")
    step = 1
    both = False
    status = 200
    if request.method == "POST":
        dimension = _target(request.POST.get("target", ""))[0]
        form = _form(part, household, request.POST, request.FILES, dimension)
        if form.is_valid():
            if part == Part.HELP and request.POST.get("step") != "2":
                step = 2  # the first step only chooses: the programmes of its dimension next
            else:
                try:
                    _write(part, request, household, form)
                except (Invalid, Refused, Conflict) as exc:
                    form.show_errors(exc)
                    status = 400
                    if part == Part.HELP:
                        # The step of what was refused; both steps when both were.
                        bad = set(exc.fields)
                        step = 1 if bad & FIRST_STEP else 2
                        both = bool(bad & FIRST_STEP and bad - FIRST_STEP)
                else:
                    messages.success(request, _(DONE[part]))
                    return redirect("logbook:household", household_id=household.pk)
        else:
            status = 400
    else:
        form = _form(part, household)
    return render(
        request,
        "logbook/record.html",
        {
            **_common(household, True),
            "form": form,
            "part": part,
            "step": step,
            "both": both,
            "first": forms.HelpForm.FIRST,
            "second": forms.HelpForm.SECOND,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def correct(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Correct or withdraw an entry: a new entry pointing at it (`entry_correct`)."""
    entry = selectors.entry(entry_id)
    if entry is None:
        raise Http404
    household = household_for(request.user, entry.household_id, "care")
    options = {
        "part": entry.part,
        "targets": selectors.all_targets(household),
        "agencies": selectors.agencies_for(household),
        "programmes": selectors.programmes_for(household),
    }
    status = 200
    if request.method == "POST":
        form = forms.CorrectForm(request.POST, **options)
        if form.is_valid():
            withdraw = request.POST.get("action") == "withdraw"
            try:
                services.entry_correct(
                    ctx=web_ctx(request),
                    entry_id=entry.pk,
                    withdraw=withdraw,
                    uid=form.cleaned_data["uid"],
                    **({} if withdraw else form.changes()),
                )
            except (Invalid, Refused, Conflict) as exc:
                form.show_errors(exc)
                status = 400
            else:
                messages.success(
                    request,
                    _("The entry was withdrawn: it no longer counts.")
                    if withdraw
                    else _("The correction was recorded as a new entry."),
                )
                return redirect("logbook:household", household_id=household.pk)
        else:
            status = 400
    else:
        form = forms.CorrectForm(initial=forms.initial_of(entry), **options)
    audit_read(
        ctx=web_ctx(request),
        obj=household,
        summary=say(gettext_noop("Logbook entry opened to correct it")),
        changes={"entry": entry.pk},
    )
    return render(
        request,
        "logbook/correct.html",
        {
            **_common(household, True),
            "form": form,
            "entry": entry,
            "corrected": selectors.is_corrected(entry),
        },
        status=status,
    )


@login_required
@require_safe
def photo(request: HttpRequest, entry_id: int, size: str) -> FileResponse:
    if size not in ("full", "thumb"):
        raise Http404
    entry = selectors.entry_with_photo(entry_id)
    if entry is None:
        raise Http404
    household, _writable = _reader(request.user, entry.household_id)
    try:
        stored = photos.evidence_open(entry.photo, size)
    except (FileNotFoundError, OSError):
        raise Http404 from None
    audit_read(
        ctx=web_ctx(request),
        obj=household,
        summary=say(gettext_noop("Logbook photo viewed")),
        changes={"entry": entry.pk, "size": size},
    )
    response = FileResponse(stored, content_type="image/jpeg")
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- programmes


@login_required
@require_safe
def programmes(request: HttpRequest) -> HttpResponse:
    if not selectors.may_list_programmes(request.user):
        raise Http404
    return render(
        request,
        "logbook/programmes.html",
        {
            "years": selectors.programmes_of(request.user),
            "may_register": selectors.may_register_programmes(request.user),
            "area_label": area_label(request.user.area_code) if request.user.area_code else "",
        },
    )


def _programme_form(user, data=None) -> forms.ProgrammeForm:
    registry = registry_latest()
    dims, inds = [], []
    if registry is not None:
        cat = registry.catalogue
        dims = [(d.code, pick_language(d.th, d.en)) for d in cat.dimensions]
        inds = [
            (i.code, f"{i.code} {pick_language(i.short_th or i.th, i.en)}") for i in cat.indicators
        ]
    agencies = selectors.district_agencies(user) if user.role == "district" else None
    return forms.ProgrammeForm(data, agencies=agencies, dimensions=dims, indicators=inds)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def programme_register(request: HttpRequest) -> HttpResponse:
    if not selectors.may_register_programmes(request.user):
        raise Http404
    status = 200
    if request.method == "POST":
        form = _programme_form(request.user, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.programme_register(
                    ctx=web_ctx(request),
                    name=data["name"],
                    budget_year=data["budget_year"],
                    budget=data["budget"],
                    dimensions=data["dimensions"],
                    indicators=data["indicators"],
                    agency=data.get("agency") or None,
                )
            except (Invalid, Refused) as exc:
                form.show_errors(exc)
                status = 400
            else:
                messages.success(request, _("The programme was registered."))
                return redirect("logbook:programmes")
        else:
            status = 400
    else:
        form = _programme_form(request.user)
    return render(request, "logbook/programme_form.html", {"form": form}, status=status)
