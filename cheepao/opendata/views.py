"""The public open data page and files (ADR 0035): aggregates only, small counts
suppressed, no login. Nothing here reads or shows personal data, so nothing is audited."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from cheepao.geo import selectors as geo
from cheepao.helpstats import months as bemonths
from cheepao.opendata import files, selectors

LEVEL_LABELS = {
    "province": _("Provinces"),
    "district": _("Districts"),
    "subdistrict": _("Subdistricts"),
}
FIGURE_LABELS = {
    "targets": _("target households"),
    "verified": _("households verified"),
    "certified": _("households certified"),
    "with_plan": _("households with a plan"),
    "problems": _("problems"),
    "problems_solved": _("problems solved"),
    "recorded": _("households with problems recorded"),
    "helped": _("households helped"),
    "helped_fully": _("households helped in every dimension they fail"),
    "acts": _("acts of help this year"),
    "evaluated": _("households of the previous survey found again"),
    "escaped": _("households that escaped poverty"),
}

# The licence's name as the reader reads it (the files name it in English, LICENCE).
LICENCE_NAME = _("Creative Commons Attribution 4.0 International (CC BY 4.0)")
# Each rate named with what it is a share of (the files name them by `name`).
RATE_LABELS = {
    "verified_pct": _("% of target households verified"),
    "certified_pct": _("% of target households certified"),
    "plan_pct": _("% of target households with a plan"),
    "recorded_pct": _("% of target households with problems recorded"),
    "helped_pct": _("% of target households helped"),
    "helped_fully_pct": _("% of target households helped in every failing dimension"),
    "acts_per_household": _("acts of help per target household"),
    "solved_pct": _("% of problems solved"),
    "escaped_pct": _("% of households found again that escaped poverty"),
}


def _publication(month_code: str):
    month = bemonths.parse(month_code)
    pub = selectors.publication(month) if month else None
    if pub is None:
        raise Http404("no snapshot of that month")
    return pub


def _cells(a) -> dict:
    """The area's counts then rates, each (value, hidden) in the table's column order."""
    counts = [(a.counts[f], f in a.suppressed) for f in selectors.FIGURES]
    rates = [(a.rates[r.name], r.name in a.suppressed, r.per_household) for r in selectors.RATES]
    return {"counts": counts, "rates": rates}


def _downloads(pub, level: str) -> list[dict]:
    code = pub.code
    return [
        {
            "id": f"download-{fmt}",
            "url": reverse("opendata:level_file", args=[code, level, fmt]),
            "label": fmt.upper(),
        }
        for fmt in ("csv", "json")
    ] + [
        {
            "id": "download-all",
            "url": reverse("opendata:all_file", args=[code]),
            "label": _("JSON of every level"),
        }
    ]


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    months = selectors.months()
    context = {
        "months": [{"code": bemonths.code(m), "label": bemonths.label(m)} for m in months],
        "levels": [{"code": c, "label": LEVEL_LABELS[c]} for c in selectors.PAGE_LEVELS],
        "min_count": selectors.threshold(),
        "mark": files.MARK,
        "licence": files.LICENCE,
        "licence_name": LICENCE_NAME,
    }
    if not months:
        return render(request, "opendata/index.html", context)
    month_code = request.GET.get("month") or bemonths.code(months[0])
    level = request.GET.get("level") or "province"
    if level not in selectors.PAGE_LEVELS:
        raise Http404("no such level")
    pub = _publication(month_code)
    english = request.LANGUAGE_CODE == "en"
    parent = pub.area("")
    provinces = [
        {"code": a.code, "name": (a.name_en if english else a.name_th) or geo.area_label(a.code)}
        for a in pub.level("province")
    ]
    # Below the provinces the page shows one province at a time (the whole country's 7,400
    # subdistricts are a file to download, not a page); districts may show every province.
    within = request.GET.get("within", "")
    if level == "province" or within not in {p["code"] for p in provinces}:
        within = ""
    if level == "subdistrict" and not within and provinces:
        within = provinces[0]["code"]
    rows = []
    for a in pub.level(level, within):
        name = (a.name_en if english else a.name_th) or geo.area_label(a.code)
        rows.append({"code": a.code, "name": name, **_cells(a)})
    context.update(
        pub=pub,
        month_code=pub.code,
        month_label=bemonths.label(pub.month),
        level=level,
        level_label=LEVEL_LABELS[level],
        provinces=provinces,
        within=within,
        within_name=next((p["name"] for p in provinces if p["code"] == within), ""),
        figures=[{"name": f, "label": FIGURE_LABELS[f]} for f in selectors.FIGURES],
        rates=[RATE_LABELS[r.name] for r in selectors.RATES],
        rows=rows,
        total={"name": geo.area_label(""), **_cells(parent)}
        if level == "province" and parent
        else None,
        downloads=_downloads(pub, level),
    )
    return render(request, "opendata/index.html", context)


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def level_file(request: HttpRequest, month: str, level: str, fmt: str) -> HttpResponse:
    pub = _publication(month)
    name = f"cheepao_open_{pub.code}_{level}.{fmt}"
    if fmt == "csv":
        return _attachment(files.csv_bytes(pub, level), "text/csv; charset=utf-8", name)
    return _attachment(files.json_bytes(pub, level), "application/json", name)


@require_safe
def all_file(request: HttpRequest, month: str) -> HttpResponse:
    pub = _publication(month)
    name = f"cheepao_open_{pub.code}_all.json"
    return _attachment(files.json_bytes(pub), "application/json", name)
