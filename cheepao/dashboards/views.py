"""Public pages of aggregates. They show no personal data, which is why they need no login.

`/dashboard/` and `/dashboard/<code>/` are the signed-in dashboards (ADR 0032): the
monthly snapshot of the account's area or of an area inside it; the same 404 for an area
outside it and for an area with no snapshot row."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from cheepao.dashboards import selectors
from cheepao.geo import selectors as geo
from cheepao.helpstats import months as month_codes
from cheepao.helpstats.targets import MET, MISSED, NOT_YET
from cheepao.snapshots import policies as snapshot_policies
from cheepao.snapshots import selectors as snapshots

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _run_context(run, level: str, within: str | None) -> dict:
    if run is None:
        return {"run": None, "runs_dir": selectors.runs_dir_display()}
    # A survey year loaded into the registry: its register is the registry's, as certified.
    registry = selectors.summary_registry(run)
    return {
        "run": run,
        "summary": selectors.run_summary(run),
        "register": selectors.register_table(run, level, within, registry),
        "registry": registry,
        "reflects": selectors.reflects(registry, within),
        "exports": selectors.register_exports(run, level, registry),
        "drillable": level != "village",
    }


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    run = selectors.run_latest()
    context = _run_context(run, "province", None)
    context["geography_loaded"] = geo.geography_loaded()
    if run is not None:
        context["af"] = selectors.af_summary(run)
    return render(request, "dashboards/home.html", context)


@require_safe
def area(request: HttpRequest, code: str) -> HttpResponse:
    breadcrumb = geo.area_breadcrumb(code)
    if not breadcrumb:
        raise Http404("unknown area code")
    here = breadcrumb[-1]
    run = selectors.run_latest()
    context = _run_context(run, here.child_level, code)
    context.update(area=here, breadcrumb=breadcrumb, geography_loaded=True)
    if run is not None:
        context["af"] = selectors.af_summary(run, here.level, code)
    return render(request, "dashboards/area.html", context)


@require_safe
def summary_download(request: HttpRequest, year: str, level: str, fmt: str) -> HttpResponse:
    """The register of a survey year loaded into the registry, from its area summary (the
    registry as certified), in the same layout as the run's exported file."""
    data = selectors.summary_export(int(year), level, fmt)
    if data is None:
        raise Http404("no such register")
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="cheepao_register_{level}_{year}_registry.{fmt}"'
    )
    return response


@require_safe
def register_download(request: HttpRequest, run_name: str, level: str, fmt: str) -> FileResponse:
    """Serve the register file the engine exported, byte for byte, so the download is the
    same document the national team produced and can be compared or re-imported."""
    run = selectors.run_named(run_name)
    path = selectors.register_export_path(run, level, fmt) if run else None
    if path is None:
        raise Http404("no such export")
    filename = f"cheepao_register_{level}_{run.survey_year}.{fmt}"
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt]
    )


@login_required
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    """The dashboard of the account's own area (its latest month by default)."""
    code = request.user.area_code or ""
    if not snapshot_policies.may(request.user, "view", code):
        raise Http404("no such area")
    return _overview(request, code, own=True)


@login_required
@require_safe
def overview_area(request: HttpRequest, code: str) -> HttpResponse:
    return _overview(request, code, own=False)


def _overview(request: HttpRequest, code: str, *, own: bool) -> HttpResponse:
    user = request.user
    by = request.GET.get("rank", "")
    if by not in snapshots.RATE:
        by = selectors.RANK_DEFAULT
    wanted = month_codes.parse(request.GET.get("month", ""))
    found = selectors.overview(user, code, wanted, by)
    if found is None:
        if not own:
            raise Http404("no such area")
        # The account's own area before its first snapshot: say so, no figures.
        return render(
            request, "dashboards/overview.html", {"code": code, "name": geo.area_label(code)}
        )
    mine = user.area_code or ""
    trail = [
        (c, geo.area_label(c), _overview_url(c, mine))
        for c in (code[:n] for n in (0, 2, 4, 6))
        if len(c) >= len(mine) and len(c) < len(code)
    ]
    month_code = month_codes.code(found.month)
    return render(
        request,
        "dashboards/overview.html",
        {
            "code": code,
            "name": geo.area_label(code),
            "page": found,
            "trail": trail,
            "month_code": month_code,
            "month_label": month_codes.label(found.month),
            "choices": [(month_codes.code(m), month_codes.label(m)) for m in found.months],
            "lights": [(x, month_codes.label(x.deadline)) for x in found.lights],
            "states": {"met": MET, "not_yet": NOT_YET, "missed": MISSED},
            "rank_by": by,
            "rank_label": snapshots.RATE[by].label,
            "rank_per_household": snapshots.RATE[by].per_household,
            "rank_choices": [(r.name, r.label) for r in snapshots.RATES],
            "child_level": snapshots.CHILD_LEVEL.get(snapshots.level_of(code) or ""),
            "chart": selectors.trend_chart(found.trend),
            "trend_rows": [
                (month_codes.label(r.month), [snapshots.rate(r, n) for n in selectors.TREND_RATES])
                for r in found.trend
            ],
            "trend_labels": [snapshots.RATE[n].label for n in selectors.TREND_RATES],
            "stats_url": _stats_url(code, mine) + f"?month={month_code}",
            "evaluation_url": f"/evaluation/{code}/" if code else "/evaluation/",
        },
    )


def _overview_url(code: str, mine: str) -> str:
    if code == mine:
        return reverse("dashboards:overview")
    return reverse("dashboards:overview_area", args=[code])


def _stats_url(code: str, mine: str) -> str:
    if code == mine:
        return reverse("helpstats:month")
    return reverse("helpstats:area", args=[code])
