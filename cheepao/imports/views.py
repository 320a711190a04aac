"""Pages for list imports. Only accounts allowed to import lists (roles.IMPORT_LISTS) reach
them; anyone else signed in gets the same 404 as for a page that does not exist."""

from __future__ import annotations

import csv
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cheepao.audit.services import audit_read
from cheepao.audit.summaries import say
from cheepao.core import access
from cheepao.core.errors import Conflict, Invalid, Refused
from cheepao.core.thai import english
from cheepao.core.web import ctx as web_ctx
from cheepao.engine.api import cells
from cheepao.households.selectors import household_for, household_head

from . import contract, selectors, services
from .forms import BulkForm, DecisionForm, ReviewFilterForm, UploadForm
from .models import ListImport, ReviewItem

REJECTS_PER_PAGE = 200
IMPORTS_PER_PAGE = 50
REVIEWS_PER_PAGE = 50


def _only(may):
    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not may(request.user):
                raise Http404("no such page")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


importer_only = _only(selectors.may_import)
reviewer_only = _only(selectors.may_review)


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
            job = services.list_import_start(
                ctx=web_ctx(request),
                upload=form.cleaned_data["file"],
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
            )
        except services.ImportRefused as e:
            form.add_error("file", e.message)
        else:
            # The file is read, checked and matched in the background; the job's page
            # follows it and then links to the import.
            return redirect("jobs:detail", job_id=job.pk)
    thai = not english()
    columns = [(c, contract.headings(c, thai=thai)) for c in contract.LIST.columns]
    return render(
        request,
        "imports/upload.html",
        {"form": form, "columns": columns, "max_mb": contract.MAX_BYTES >> 20},
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
    imp = access.one(request.user, ListImport, "view", import_id)
    page = Paginator(selectors.import_rejects(imp), REJECTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    labels = {c.name: c.name if english() else c.th for c in contract.LIST.columns}
    rejects = [(r, labels.get(r.column, r.column)) for r in page]
    return render(
        request,
        "imports/detail.html",
        {"imp": imp, "page": page, "rejects": rejects, "reviews": selectors.review_counts(imp)},
    )


@importer_only
@require_safe
def rejects_csv(request: HttpRequest, import_id: int) -> HttpResponse:
    imp = access.one(request.user, ListImport, "view", import_id)
    rows = services.rejects_export(ctx=web_ctx(request), list_import=imp)
    return _csv_response(f"cheepao_list_{imp.pk}_rejects.csv", services.REJECT_CSV_COLUMNS, rows)


def _review_filter(user, data) -> tuple[selectors.ReviewFilter, ReviewFilterForm]:
    form = ReviewFilterForm(
        data, imports=selectors.review_imports(user), areas=selectors.review_areas(user)
    )
    return form.review_filter(), form


def _query(f: selectors.ReviewFilter) -> str:
    q = QueryDict(mutable=True)
    for key, value in f.as_dict().items():
        q[key] = str(value)
    if not f.status:
        q["status"] = ReviewFilterForm.STATUS_ALL
    return q.urlencode()


def _assign_levels(user) -> list[str]:
    """The bulk hand-down actions this account may take: only to areas below its own."""
    out = [
        action
        for action, length in ((BulkForm.TO_DISTRICT, 4), (BulkForm.TO_SUBDISTRICT, 6))
        if length > len(user.area_code)
    ]
    if selectors.may_import(user):
        out.append(BulkForm.TAKE_BACK)
    return out


@reviewer_only
@require_safe
def review(request: HttpRequest) -> HttpResponse:
    f, form = _review_filter(request.user, request.GET)
    rows = selectors.review_filtered(request.user, f)
    page = Paginator(rows, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    cards = selectors.review_cards(request.user, list(page))
    open_rows = page.paginator.count if f.status == "open" else rows.filter(status="open").count()
    services.review_page_read(
        ctx=web_ctx(request), shown=cards, filters=f.as_dict(), page=page.number
    )
    query = _query(f)
    actions = [
        BulkForm.LINK_PIN,
        BulkForm.FIELD_VISIT,
        BulkForm.REJECT,
        *_assign_levels(request.user),
    ]
    bulk = BulkForm(initial={"expected": open_rows, "query": query})
    bulk.fields["action"].choices = [c for c in bulk.fields["action"].choices if c[0] in actions]
    return render(
        request,
        "imports/review.html",
        {
            "page": page,
            "cards": cards,
            "filter_form": form,
            "filters": f,
            "filtered": f != selectors.ReviewFilter(),
            "bulk": bulk,
            "open_rows": open_rows,
            "query": f"{query}&" if query else "",
            "may_import": selectors.may_import(request.user),
        },
    )


def _back(query: str) -> str:
    return reverse("imports:review") + (f"?{query}" if query else "")


@reviewer_only
@require_POST
def review_bulk(request: HttpRequest) -> HttpResponse:
    form = BulkForm(request.POST)
    # The filter the page showed, read back through the filter form: the way back to
    # the page is rebuilt from checked values, never echoed.
    f, _form = _review_filter(request.user, QueryDict(request.POST.get("query", "")[:2000]))
    query = _query(f)
    if not form.is_valid():
        messages.error(request, _("Choose a decision and which rows it is for."))
        return redirect(_back(query))
    action, scope = form.cleaned_data["action"], form.cleaned_data["scope"]
    if scope == BulkForm.FILTER:
        items = selectors.review_filtered(request.user, f)
        expected = form.cleaned_data["expected"]
    else:
        ids = form.selected_ids(request.POST)
        if not ids:
            messages.error(request, _("Tick the rows the decision is for, or choose every row."))
            return redirect(_back(query))
        items = selectors.review_items_visible_to(request.user).filter(pk__in=ids)
        expected = len(ids)
    kwargs = {"ctx": web_ctx(request), "items": items, "expected": expected}
    try:
        if action == BulkForm.LINK_PIN:
            result = services.review_bulk_link_by_pin(**kwargs)
        elif action == BulkForm.FIELD_VISIT:
            result = services.review_bulk_field_visit(**kwargs)
        elif action == BulkForm.REJECT:
            result = services.review_bulk_reject(note=form.cleaned_data["note"], **kwargs)
        else:
            level = {BulkForm.TO_DISTRICT: "district", BulkForm.TO_SUBDISTRICT: "subdistrict"}
            result = services.review_bulk_assign(level=level.get(action, ""), **kwargs)
    except (Refused, Invalid, Conflict) as refused:  # by its code (imports.errors)
        messages.error(request, refused.message)
        return redirect(_back(query))
    if action in (BulkForm.TO_DISTRICT, BulkForm.TO_SUBDISTRICT, BulkForm.TAKE_BACK):
        messages.success(request, _("%(n)d rows handed on.") % {"n": result.decided})
    else:
        messages.success(request, _("%(n)d rows decided.") % {"n": result.decided})
    if result.skipped:
        messages.warning(
            request,
            _(
                "%(n)d rows stay open: their national ID names no single household you "
                "can see. Decide them one by one."
            )
            % {"n": result.skipped},
        )
    return redirect(_back(query))


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


def _confirm_link(request: HttpRequest, item, household) -> HttpResponse:
    """A household the reviewer typed the id of, shown (names and area) before linking."""
    members = list(household.members.order_by("member_no"))
    audit_read(
        ctx=web_ctx(request),
        obj=household,
        summary=say(
            gettext_noop("household %(hh_id)s shown to confirm a list row link"),
            hh_id=household.hh_id,
        ),
        changes={"review": item.pk},
    )
    return render(
        request,
        "imports/confirm_link.html",
        {
            "item": item,
            "household": household,
            "head": household_head(members),
            "members": members,
            "area": selectors.area_label(household.village_code),
            "row_area": selectors.area_label(item.village_code),
            "may_import": selectors.may_import(request.user),
        },
    )


@reviewer_only
@require_POST
def decide(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access.one(
        request.user,
        ReviewItem,
        "decide",
        item_id,
        queryset=ReviewItem.objects.select_related("list_import"),
    )
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
            if not form.cleaned_data["confirm"] and str(household.pk) not in map(
                str, item.candidates
            ):
                return _confirm_link(request, item, household)
            services.review_link(ctx=web_ctx(request), item=item, household=household)
        elif decision == DecisionForm.FIELD_VISIT:
            services.review_field_visit(ctx=web_ctx(request), item=item)
        else:
            services.review_reject(ctx=web_ctx(request), item=item, note=form.cleaned_data["note"])
    except (Refused, Invalid, Conflict) as refused:  # by its code (imports.errors)
        messages.error(
            request, _("Row %(row)d: %(why)s") % {"row": item.row, "why": refused.message}
        )
        return redirect(back)
    messages.success(request, _("Row %(row)d decided.") % {"row": item.row})
    return redirect("imports:review")
