"""Public pages of aggregates. They show no personal data, which is why they need no login."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cheepao.dashboards import selectors
from cheepao.geo import selectors as geo

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
