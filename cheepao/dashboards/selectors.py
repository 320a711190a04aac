"""Reads of finished engine runs for the public aggregate pages.

Runs are directories written by `cheepao compute`; they are opened through the engine's
public API (`cheepao.engine.api`), so the web app never depends on how the engine lays out
its files. The register's presentation (seed-003 headers, total row) is the engine's
`api.register_table`, the same table `cheepao register` prints and exports. Every figure
here is an aggregate of an area: nothing personal is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cheepao.engine import api

EXPORT_FORMATS = ("csv", "xlsx")
# A run directory's name: one path segment, never "." or "..".
RUN_NAME = re.compile(r"[0-9A-Za-z_][0-9A-Za-z_.-]*")
LEVEL_LABELS = {
    "province": _("by province"),
    "district": _("by district"),
    "subdistrict": _("by subdistrict"),
    "village": _("by village"),
}


def _lang() -> str:
    return "en" if (get_language() or "th").startswith("en") else "th"


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
    english = _lang() == "en"
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


@dataclass(frozen=True)
class RegisterRow:
    seq: str
    area_code: str | None  # None on the total row
    area_name: str
    counts: list[int]


@dataclass(frozen=True)
class RegisterTable:
    level: str
    headers: list[str]  # every column of the seed's table, ที่ and area included
    rows: list[RegisterRow]
    total: RegisterRow

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]

    @property
    def is_empty(self) -> bool:
        return not self.rows


def register_table(run: api.Run, level: str, within: str | None = None) -> RegisterTable:
    """The summary register (ทะเบียนงบหน้า) of `level` inside `within`, with its total row.

    The table itself (column order, Thai headers exactly as seed 003, total row) is the
    engine's, the same one `cheepao register` prints and exports; only the area codes are
    kept alongside so the page can link each row to its drill-down.
    """
    df = run.register(level, within)
    table = api.register_table(df, level, run.catalogue, _lang())
    records = table.itertuples(index=False, name=None)
    codes = [*df["area_code"].astype(str).tolist(), None]
    rows = [
        RegisterRow(str(rec[0]), code, str(rec[1]), [int(v) for v in rec[2:]])
        for rec, code in zip(records, codes, strict=True)
    ]
    return RegisterTable(level, [str(c) for c in table.columns], rows[:-1], rows[-1])


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
    english = _lang() == "en"
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
    filename: str
    size: int


def register_exports(run: api.Run, level: str) -> list[Export]:
    """The register files `cheepao compute` exported for `level`, those that exist."""
    found = []
    for fmt in EXPORT_FORMATS:
        name = f"register_{level}.{fmt}"
        path = run.path / name
        if path.is_file():
            found.append(Export(level, fmt, name, path.stat().st_size))
    return found


def register_export_path(run: api.Run, level: str, fmt: str) -> Path | None:
    if level not in api.REGISTER_LEVELS or fmt not in EXPORT_FORMATS:
        return None
    path = run.path / f"register_{level}.{fmt}"
    return path if path.is_file() else None
