"""The maps pages (ADR 0033): `/maps/` for the account's own area, `/maps/<code>/` for an
area under it (the same 404 for an area outside it as for one that does not exist).
`?month=2569-11` (BE) picks the month, `?rate=helped_pct` the rate. The boundaries of the
areas a map shows come from `/maps/<code>/areas.geojson`, nothing more."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_safe

from cheepao.audit import summaries
from cheepao.audit.services import audit_read
from cheepao.core.web import ctx as web_ctx
from cheepao.geo import boundaries
from cheepao.helpstats import months as be_months
from cheepao.households import selectors as households
from cheepao.maps import selectors
from cheepao.snapshots import selectors as snapshots


@require_safe
@login_required
def own_map(request: HttpRequest) -> HttpResponse:
    return _page(request, request.user.area_code or "")


@require_safe
@login_required
def area_map(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, code)


@require_safe
@login_required
def own_areas(request: HttpRequest) -> HttpResponse:
    return _areas(request, request.user.area_code or "")


@require_safe
@login_required
def area_areas(request: HttpRequest, code: str) -> HttpResponse:
    return _areas(request, code)


@require_safe
def credits(request: HttpRequest) -> HttpResponse:
    """Where the maps' boundaries come from, in full (SOURCES.md's long form)."""
    return render(request, "maps/credits.html", {"long": boundaries.ATTRIBUTION_LONG})


def _areas(request: HttpRequest, code: str) -> HttpResponse:
    if not selectors.may_see(request.user, code):
        raise Http404("no such area")
    response = HttpResponse(selectors.areas_geojson(code), content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=86400"
    return response


def _page(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    month = be_months.parse(request.GET.get("month", ""))
    page = selectors.map_page(user, code, month, request.GET.get("rate", ""))
    if page is None:
        raise Http404("no such area")
    if page.pins_read:
        # The pins are households: the list read is audited as the register's map is.
        audit_read(
            ctx=web_ctx(request),
            object_type="households.village" if len(code) == 8 else "households.subdistrict",
            object_id=code,
            area_code=code,
            summary=summaries.say(
                gettext_noop("map of %(area)s read: %(n)s households"),
                area=summaries.area(code),
                n=len(page.pins_read),
            ),
            objects=page.pins_read,
        )
    own = user.area_code or ""
    areas_url = reverse("maps:areas") if code == own else reverse("maps:area_areas", args=[code])
    month_code = be_months.code(page.month) if page.month else ""
    query = f"?month={month_code}&rate={page.rate.name}" if month_code else ""
    return render(
        request,
        "maps/area.html",
        {
            "page": page,
            "code": code,
            "rates": snapshots.RATES,
            "month_code": month_code,
            "month_label": be_months.label(page.month) if page.month else "",
            "choices": selectors.month_choices(page),
            "lines": [(line, selectors.format_value(line.value, page.rate)) for line in page.lines],
            "own_value": selectors.format_value(page.own.value, page.rate) if page.own else "",
            "map": selectors.map_data(page, areas_url, query),
            "map_legend": households.map_legend(),
            "query": query,
        },
    )
