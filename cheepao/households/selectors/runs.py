"""The engine runs the national load page offers (`households:load`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from cheepao.core.thai import english
from cheepao.engine import api as engine
from cheepao.households.models import RegistryYear


@dataclass(frozen=True)
class RunChoice:
    """An engine run found under CHEEPAO_RUNS_DIR, as the national load page lists it."""

    name: str  # the run's directory, directly under CHEEPAO_RUNS_DIR
    survey_year: int
    created_at: str
    indicator_set: str
    target_households: int | None
    # This very run is the registry of its survey year already.
    loaded: bool
    # Another run of the same survey year is the registry.
    year_loaded: bool

    @property
    def indicator_set_title(self) -> str:
        """The indicator set by its title in the page's language, not its id."""
        try:
            cat = engine.catalogue(self.indicator_set)
        except (ValueError, OSError):
            return self.indicator_set
        return (cat.title_en if english() else cat.title_th) or self.indicator_set


def run_directory(name: str) -> Path | None:
    """The run directory called `name` directly under CHEEPAO_RUNS_DIR, or None: a name
    is never a path (no separator, no '..'), so nothing outside that directory is loaded."""
    if not name or name in {".", ".."} or "/" in name or "\\" in name or "\x00" in name:
        return None
    path = Path(settings.CHEEPAO_RUNS_DIR) / name
    return path if (path / "manifest.json").is_file() else None


def runs_to_load() -> list[RunChoice]:
    """Every engine run under CHEEPAO_RUNS_DIR, newest survey year first."""
    root = Path(settings.CHEEPAO_RUNS_DIR)
    if not root.is_dir():
        return []
    loaded = {r.survey_year: r.run_path for r in RegistryYear.objects.all()}
    found = []
    for d in sorted(root.iterdir()):
        if run_directory(d.name) is None:
            continue
        try:
            m = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
            year = int(m["survey_year"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        path = loaded.get(year)
        found.append(
            RunChoice(
                name=d.name,
                survey_year=year,
                created_at=str(m.get("created_at", "")),
                indicator_set=str(m.get("indicator_set_id", "")),
                target_households=(m.get("row_counts") or {}).get("target_households"),
                loaded=path is not None and Path(path).resolve() == d.resolve(),
                year_loaded=path is not None,
            )
        )
    return sorted(found, key=lambda r: (-r.survey_year, r.name))
