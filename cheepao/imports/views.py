"""Pages for list imports. Only accounts allowed to import lists (roles.IMPORT_LISTS) reach
them; anyone else signed in gets the same 404 as for a page that does not exist."""

from __future__ import annotations

import csv
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cheepao.engine.api import cells
from cheepao.households.selectors import household_for

from . import contract, selectors, services
from .forms import DecisionForm, UploadForm

REJECTS_PER_PAGE = 200
IMPORTS_PER_PAGE = 50
REVIEWS_PER_PAGE = 25


def importer_only(view):
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.may_import(request.user):
            raise Http404("no such page")
        return view(request, *args, **kwargs)

    return wrapped


def _csv_response(filename: str, header, rows) -> HttpResponse:
    """UTF-8 with a BOM, so Excel shows the Thai."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(cells.csv_row(header))
    writer.writerows(cells.csv_row(row) for row in rows)  # values as typed, never formulas
    return response


@importer_only
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            imp = services.list_import(
                actor=request.user,
                upload=form.cleaned_data["file"],
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                request=request,
            )
        except services.ImportRefused as e:
            form.add_error("file", str(e))
        else:
            messages.success(request, _("The list was imported."))
            return redirect("imports:detail", import_id=imp.pk)
    return render(
        request,
        "imports/upload.html",
        {"form": form, "columns": contract.LIST.columns, "max_mb": contract.MAX_BYTES >> 20},
        status=400 if form.errors else 200,
    )


@importer_only
@require_safe
def template_csv(request: HttpRequest) -> HttpResponse:
    return _csv_response("cheepao_list_template.csv", contract.LIST.names, [])


@importer_only
@require_safe
def import_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.imports_visible_to(request.user), IMPORTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "imports/list.html", {"page": page})


@importer_only
@require_safe
def detail(request: HttpRequest, import_id: int) -> HttpResponse:
    imp = selectors.import_for(request.user, import_id)
    page = Paginator(selectors.import_rejects(imp), REJECTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "imports/detail.html", {"imp": imp, "page": page})


@importer_only
@require_safe
def rejects_csv(request: HttpRequest, import_id: int) -> HttpResponse:
    imp = selectors.import_for(request.user, import_id)
    rows = services.rejects_export(list_import=imp, actor=request.user, request=request)
    return _csv_response(f"cheepao_list_{imp.pk}_rejects.csv", services.REJECT_CSV_COLUMNS, rows)


@importer_only
@require_safe
def review(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.review_queue(request.user), REVIEWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    items = [(item, selectors.review_candidates(request.user, item)) for item in page]
    return render(request, "imports/review.html", {"page": page, "items": items})


def _chosen_household(request: HttpRequest, item, form: DecisionForm):
    """The household the reviewer chose: a listed candidate, or one they typed the survey
    id of. Either way only a household they may see."""
    if form.cleaned_data["hh_id"]:
        return selectors.household_by_hh_id(
            request.user, item.list_import.registry, form.cleaned_data["hh_id"]
        )
    chosen = form.cleaned_data["household"]
    if not chosen:
        return None
    try:
        return household_for(request.user, chosen)
    except Http404:
        return None


@importer_only
@require_POST
def decide(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.review_item_for(request.user, item_id)
    form = DecisionForm(request.POST)
    back = f"{reverse('imports:review')}#item-{item.pk}"
    if not form.is_valid():
        messages.error(request, _("Choose a decision for row %(row)d.") % {"row": item.row})
        return redirect(back)
    decision = form.cleaned_data["decision"]
    try:
        if decision == DecisionForm.LINK:
            household = _chosen_household(request, item, form)
            if household is None:
                messages.error(
                    request,
                    _("Row %(row)d: choose a household you can see, or type its id.")
                    % {"row": item.row},
                )
                return redirect(back)
            services.review_link(
                item=item, household=household, actor=request.user, request=request
            )
        elif decision == DecisionForm.FIELD_VISIT:
            services.review_field_visit(item=item, actor=request.user, request=request)
        else:
            services.review_reject(
                item=item, actor=request.user, note=form.cleaned_data["note"], request=request
            )
    except services.ReviewRefused as e:
        messages.error(request, _("Row %(row)d: %(why)s") % {"row": item.row, "why": e})
        return redirect(back)
    except PermissionDenied:
        raise Http404("no such review item") from None
    messages.success(request, _("Row %(row)d decided.") % {"row": item.row})
    return redirect("imports:review")
