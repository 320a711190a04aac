"""Reads for the public aggregate pages: the summary register and the engine's tables.

The register (ทะเบียนงบหน้า) of a survey year loaded into the registry is read from the area
read model (`households.areas`, ADR 0020): the registry as certified, the same rows the
signed-in area pages read, never household rows. A survey year not loaded is read from its
run, as are the Alkire-Foster tables, which are the engine's. Runs are directories written
by `cheepao compute`, opened through the engine's public API (`cheepao.engine.api`). The
register's presentation (seed-003 headers, total row) is the engine's, the same table
`cheepao register` prints and exports. Every figure here is an aggregate of an area:
nothing personal is read.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from cheepao.core.thai import language
from cheepao.engine import api
from cheepao.households import areas
from cheepao.households.models import RegistryYear

EXPORT_FORMATS = ("csv", "xlsx")
# How long a registry register file made on request is kept (it is remade after any change).
EXPORT_CACHE_SECONDS = 3600
# A run directory's name: one path segment, never "." or "..".
RUN_NAME = re.compile(r"[0-9A-Za-z_][0-9A-Za-z_.-]*")
LEVEL_LABELS = areas.LEVEL_LABELS


def runs_dir_display() -> str:
    """The runs directory as a person would type it from the project folder."""
    runs_dir = Path(settings.CHEEPAO_RUNS_DIR).resolve()
    try:
        return str(runs_dir.relative_to(Path.cwd()))
    except ValueError:
        return str(runs_dir)


def run_latest() -> api.Run | None:
    return api.latest_run(settings.CHEEPAO_RUNS_DIR)


def run_named(name: str) -> api.Run | None:
    """The run in directory `name` of the runs directory (the URL's name, so checked here)."""
    if not RUN_NAME.fullmatch(name):
        return None
    try:
        return api.open_run(Path(settings.CHEEPAO_RUNS_DIR) / name)
    except api.RunNotFound:
        return None


@dataclass(frozen=True)
class RunSummary:
    survey_year: int
    indicator_set: str
    indicator_set_title: str
    indicator_set_version: int
    thresholds: list[tuple[str, float]]
    target_profile: str
    target_profile_title: str
    k: str
    created_at: datetime
    # which reading of each ambiguous definition the figures follow (ADR 0013)
    readings: list[dict[str, str]] = field(default_factory=list)


def run_summary(run: api.Run) -> RunSummary:
    """What a reader needs to trust the figures: which rules, which cut-offs, computed when."""
    m = run.manifest
    cat = run.catalogue
    english = language() == "en"
    thresholds = []
    for name, value in m["thresholds"].items():
        spec = cat.thresholds.get(name, {})
        label = spec.get("en" if english else "th") or name
        thresholds.append((label, value))
    profile_name = m["target_profile"]
    profile = cat.target_profiles.get(profile_name)
    profile_title = ((profile.en if english else profile.th) if profile else "") or profile_name
    return RunSummary(
        survey_year=run.survey_year,
        indicator_set=m.get("indicator_set") or cat.name,
        indicator_set_title=(cat.title_en if english else cat.title_th) or cat.id,
        indicator_set_version=cat.version,
        thresholds=thresholds,
        target_profile=profile_name,
        target_profile_title=profile_title,
        k=str(m["k"]),
        created_at=datetime.fromisoformat(m["created_at"]),
        readings=api.readings_of(cat, "en" if english else "th", "compute"),
    )


# The register as the seed prints it, shared with the signed-in area pages.
RegisterRow = areas.RegisterRow
RegisterTable = areas.RegisterTable


def summary_registry(run: api.Run | None) -> RegistryYear | None:
    """The registry year of the run's survey year whose area summary is built: the register
    of that year is then the registry's, with its certified changes; None: the run's."""
    return areas.summary_registry(run.survey_year) if run is not None else None


def register_table(
    run: api.Run, level: str, within: str | None = None, registry: RegistryYear | None = None
) -> RegisterTable:
    """The summary register (ทะเบียนงบหน้า) of `level` inside `within`, with its total row:
    from the area summary of `registry` when given, else from the run's stored register.
    The area codes are kept alongside so the page can link each row to its drill-down."""
    if registry is not None:
        return areas.register_table(
            areas.register_counts(registry, level, within), level, registry.catalogue
        )
    return areas.register_table(run.register(level, within), level, run.catalogue)


def reflects(registry: RegistryYear | None, within: str | None = None) -> areas.Reflects | None:
    """Which run and which certified changes the registry's figures of `within` reflect."""
    if registry is None:
        return None
    return areas.reflects(registry, areas.summary_of(registry, within or ""))


@dataclass(frozen=True)
class IndicatorShare:
    code: str
    name: str
    dimension: str
    censored_headcount: float
    contribution_pct: float


@dataclass(frozen=True)
class AFSummary:
    k: str
    persons: int
    poor_persons: int
    households: int
    poor_households: int
    H: float
    A: float
    M0: float
    indicators: list[IndicatorShare]


def af_summary(run: api.Run, level: str | None = None, code: str | None = None) -> AFSummary | None:
    """Alkire-Foster H, A, M0 and each indicator's share of M0, for the whole run or for
    one area (`level` and its `code`), from the tables the engine stored at the run's k."""
    df = run.af(by=level)
    if level is not None:
        df = df[df[f"{level}_code"].astype(str) == code]
    if df.empty:
        return None
    row = df.iloc[0]
    cat = run.catalogue
    english = language() == "en"
    shares = []
    for ind in cat.indicators:
        dim = cat.dimension(ind.dimension)
        shares.append(
            IndicatorShare(
                code=ind.code,
                name=ind.en if english else ind.th,
                dimension=dim.en if english else dim.th,
                censored_headcount=float(row[f"ch_{ind.code}"]),
                contribution_pct=float(row[f"pct_{ind.code}"]),
            )
        )
    return AFSummary(
        k=str(row["k"]),
        persons=int(row["persons"]),
        poor_persons=int(row["poor_persons"]),
        households=int(row["households"]),
        poor_households=int(row["poor_households"]),
        H=float(row["H"]),
        A=float(row["A"]),
        M0=float(row["M0"]),
        indicators=shares,
    )


@dataclass(frozen=True)
class Export:
    level: str
    fmt: str
    url: str
    size: int | None = None  # a run's stored file; a registry's register is made on request


def register_exports(
    run: api.Run, level: str, registry: RegistryYear | None = None
) -> list[Export]:
    """The register files of `level`: the registry's (from its area summary) when the year
    is loaded, else those `cheepao compute` exported that exist."""
    if registry is not None:
        return [
            Export(
                level,
                fmt,
                reverse("dashboards:summary_download", args=[registry.survey_year, level, fmt]),
            )
            for fmt in EXPORT_FORMATS
        ]
    found = []
    for fmt in EXPORT_FORMATS:
        path = run.path / f"register_{level}.{fmt}"
        if path.is_file():
            url = reverse("dashboards:register_download", args=[run.path.name, level, fmt])
            found.append(Export(level, fmt, url, path.stat().st_size))
    return found


def register_export_path(run: api.Run, level: str, fmt: str) -> Path | None:
    if level not in api.REGISTER_LEVELS or fmt not in EXPORT_FORMATS:
        return None
    path = run.path / f"register_{level}.{fmt}"
    return path if path.is_file() else None


def summary_export(survey_year: int, level: str, fmt: str) -> bytes | None:
    """The registry's register of `level` as the file `cheepao compute` writes for a run
    (seed 003's Thai headers, total row), with a note of what the figures reflect; None
    when the year has no area summary.

    Made once per state of the summary and kept in the cache: anyone may ask for it, and a
    national village register takes seconds to write. Every refresh and build rewrites the
    country's row, so its `built_at` names the state."""
    registry = areas.summary_registry(survey_year)
    if registry is None or level not in api.REGISTER_LEVELS or fmt not in EXPORT_FORMATS:
        return None
    country = areas.summary_of(registry, "")
    key = f"cheepao:register:{registry.pk}:{level}:{fmt}:{country.built_at.isoformat()}"
    data = cache.get(key)
    if data is None:
        facts = areas.reflects(registry, country)
        with translation.override("th"):
            note = html.unescape(
                strip_tags(render_to_string("_area_figures_source.html", {"reflects": facts}))
            )
        data = api.register_file(
            areas.register_counts(registry, level),
            level,
            registry.catalogue,
            fmt,
            survey_year=registry.survey_year,
            notes=[" ".join(note.split())],
        )
        cache.set(key, data, EXPORT_CACHE_SECONDS)
    return data


# ------------------------------------------------ the signed-in dashboards (ADR 0032)
# What `/dashboard/` and `/dashboard/<code>/` read: the monthly snapshot rows (`AreaMonth`)
# through `snapshots.selectors` (so an account reads its own area and the areas under it,
# nothing else), the agency lines of the monthly statistics through `helpstats.selectors`
# (the same access policy) and area names. Never a household row.

# The rates the trend chart draws (per cent, one axis), and the letters' targets drawn with
# them as lines: each target's figure is the snapshot's count of the same name.
TREND_RATES = ("verified_pct", "plan_pct", "recorded_pct", "helped_pct", "helped_fully_pct")
TARGET_FIGURES = {
    "recorded_to_date": "recorded",
    "helped_to_date": "helped",
    "helped_fully_to_date": "helped_fully",
    "acts_to_date": "acts",
}
TARGET_RATE = {
    "recorded_to_date": "recorded_pct",
    "helped_to_date": "helped_pct",
    "helped_fully_to_date": "helped_fully_pct",
    "acts_to_date": "acts_per_household",
}
RANK_DEFAULT = "helped_pct"


@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    value: float | int | None
    kind: str  # "count", "pct" (per cent) or "ratio" (per household)


@dataclass(frozen=True)
class Light:
    code: str
    label: str
    value: object  # Decimal | None
    per_cent: bool
    deadline: object  # date
    state: str


@dataclass(frozen=True)
class Ranked:
    code: str
    name: str
    value: float | None
    targets: int


@dataclass
class Overview:
    code: str
    month: object  # date | None
    row: object  # AreaMonth | None
    months: list = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    lights: list[Light] = field(default_factory=list)
    ranking: list[Ranked] = field(default_factory=list)
    agencies: list = field(default_factory=list)
    agencies_total: int = 0
    trend: list = field(default_factory=list)


def area_months(user, code: str) -> list:
    """The months of the area's snapshot that `user` may read, newest first."""
    from cheepao.snapshots import selectors as snapshots

    return list(
        snapshots.visible(user)
        .filter(area_code=code)
        .order_by("-month")
        .values_list("month", flat=True)
        .distinct()
    )


def _figures(row) -> list[Figure]:
    from cheepao.snapshots import selectors as snapshots

    def rate(name: str) -> Figure:
        r = snapshots.RATE[name]
        return Figure(
            name, str(r.label), snapshots.rate(row, name), "ratio" if r.per_household else "pct"
        )

    out = [
        Figure("targets", str(row._meta.get_field("targets").verbose_name), row.targets, "count")
    ]
    out += [
        rate(n)
        for n in (
            "verified_pct",
            "certified_pct",
            "plan_pct",
            "recorded_pct",
            "helped_pct",
            "helped_fully_pct",
            "acts_per_household",
            "solved_pct",
        )
    ]
    for name in ("referrals_overdue", "escalated"):
        out.append(
            Figure(name, str(row._meta.get_field(name).verbose_name), getattr(row, name), "count")
        )
    if row.evaluated:
        out.append(rate("escaped_pct"))
    return out


class _AsMonthFigures:
    """A snapshot row read as the letters' targets read a `MonthFigures` line."""

    def __init__(self, row) -> None:
        self.targets = row.targets
        for figure, count in TARGET_FIGURES.items():
            setattr(self, figure, getattr(row, count))


def lights(row) -> list[Light]:
    """The letters' targets against the row (helpstats.targets' standing: met / not yet
    due / missed), their figures read from the snapshot's counts of the same meaning."""
    from cheepao.helpstats import targets

    return [
        Light(
            s.target.code,
            s.target.label,
            s.value,
            s.per_cent,
            s.deadline,
            s.state,
        )
        for s in targets.standing(_AsMonthFigures(row), row.month)
    ]


def ranking(user, code: str, month, by: str = RANK_DEFAULT) -> list[Ranked]:
    """The areas one level under `code` in `month` by the rate `by`, best first; an area
    with no figure for it ("no data") last, by code."""
    from cheepao.geo.selectors import area_label
    from cheepao.snapshots import selectors as snapshots

    rows = snapshots.children(user, code, month)
    out = [
        Ranked(r.area_code, area_label(r.area_code), snapshots.rate(r, by), r.targets) for r in rows
    ]
    return sorted(out, key=lambda r: (r.value is None, -(r.value or 0), r.code))


# The agency offices a dashboard lists (the busiest); the country has thousands of offices,
# every one of them is on the monthly statistics' page.
AGENCIES_SHOWN = 20


def agency_lines(user, code: str, month) -> tuple[list, int]:
    """The busiest agency offices' lines of the monthly statistics of the area in `month`
    (most acts of help first, at most AGENCIES_SHOWN), and how many offices have a line."""
    from cheepao.helpstats import selectors as helpstats

    qs = helpstats.visible(user).filter(month=month, area_code=code, body__isnull=False)
    shown = list(
        qs.select_related("body").order_by("-acts", "body__name", "body_id")[:AGENCIES_SHOWN]
    )
    return shown, (len(shown) if len(shown) < AGENCIES_SHOWN else qs.count())


def overview(user, code: str, month=None, by: str = RANK_DEFAULT) -> Overview | None:
    """The dashboard of area `code` for `user` in `month` (the area's latest when None or
    not one of its months); None when the account may not read the area or the area has
    no snapshot row at all (the same 404)."""
    from cheepao.snapshots import selectors as snapshots

    if snapshots.level_of(code) is None:
        return None
    found = area_months(user, code)
    if not found:
        return None
    if month not in found:
        month = found[0]
    row = snapshots.area_row(user, code, month)
    agencies, agencies_total = agency_lines(user, code, month)
    return Overview(
        code=code,
        month=month,
        row=row,
        months=found,
        figures=_figures(row),
        lights=lights(row),
        ranking=ranking(user, code, month, by),
        agencies=agencies,
        agencies_total=agencies_total,
        trend=trend(user, code, month),
    )


def trend(user, code: str, month, last: int = 12) -> list:
    """The area's rows of the `last` months up to `month`, oldest first (the latest month's
    are `snapshots.selectors.trend`; an earlier month picked ends its own year here)."""
    from cheepao.snapshots import selectors as snapshots

    rows = snapshots.visible(user).filter(area_code=code, month__lte=month).order_by("-month")
    return list(rows[:last])[::-1]


def trend_chart(rows: list, cat=None) -> dict:
    """The trend's data for the chart (json_script): BE month labels, a series per rate
    (None = no data) and the letters' per-cent targets as lines."""
    from cheepao.helpstats import months as month_codes
    from cheepao.helpstats import targets
    from cheepao.snapshots import selectors as snapshots

    cat = cat or targets.catalogue()
    return {
        "months": [month_codes.label(r.month) for r in rows],
        "series": [
            {
                "rate": name,
                "name": str(snapshots.RATE[name].label),
                "data": [_round(snapshots.rate(r, name)) for r in rows],
            }
            for name in TREND_RATES
        ],
        "targets": [
            {
                "rate": TARGET_RATE[t.figure],
                "name": t.label,
                "value": float(t.at_least),
            }
            for t in cat.targets
            if t.kind == "share" and TARGET_RATE[t.figure] in TREND_RATES
        ],
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
