"""The letters' targets as data (`targets/v<N>.yaml`, read by core.catalogues; ADR 0030),
and each target's standing in a month: met, not yet (its month not passed), missed.

A target names a figure of a `MonthFigures` row counted over the campaign year to the
month's end, the share of the registry's households (`share`, per cent) or the number per
household (`per_household`) it must reach, and the month of the campaign year by which.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from cheepao.core.catalogues import VersionedFolder
from cheepao.core.thai import pick_language

TARGETS_DIR = Path(__file__).with_name("targets")
FIGURES = ("recorded_to_date", "helped_to_date", "helped_fully_to_date", "acts_to_date")
KINDS = ("share", "per_household")
MET, NOT_YET, MISSED = "met", "not_yet", "missed"


class TargetsError(ValueError):
    pass


@dataclass(frozen=True)
class Target:
    code: str
    seed: str
    figure: str
    kind: str
    at_least: Decimal
    by_month: int
    th: str
    en: str

    @property
    def label(self) -> str:
        return pick_language(self.th, self.en)


@dataclass(frozen=True)
class Catalogue:
    version: str
    year_starts_month: int
    targets: tuple[Target, ...]

    def year_start(self, month: date) -> date:
        """The first day of the campaign year `month` belongs to."""
        year = month.year if month.month >= self.year_starts_month else month.year - 1
        return date(year, self.year_starts_month, 1)

    def deadline(self, target: Target, month: date) -> date:
        """The first day of the month by which `target` must be met, in `month`'s year."""
        start = self.year_start(month)
        n = start.month - 1 + (target.by_month - self.year_starts_month) % 12
        return date(start.year + n // 12, n % 12 + 1, 1)


def parse(data: Any, version: str) -> Catalogue:
    if not isinstance(data, dict) or not isinstance(data.get("targets"), list):
        raise TargetsError(f"targets {version}: a mapping with a list 'targets'")
    start = data.get("year_starts_month", 1)
    if not isinstance(start, int) or not 1 <= start <= 12:
        raise TargetsError(f"targets {version}: year_starts_month is a month number 1-12")
    out = []
    for raw in data["targets"]:
        try:
            t = Target(
                code=str(raw["code"]),
                seed=str(raw.get("seed", "")),
                figure=str(raw["figure"]),
                kind=str(raw["kind"]),
                at_least=Decimal(str(raw["at_least"])),
                by_month=int(raw["by_month"]),
                th=str(raw["th"]),
                en=str(raw["en"]),
            )
        except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
            raise TargetsError(f"targets {version}: bad target {raw!r} ({exc})") from exc
        if t.figure not in FIGURES or t.kind not in KINDS or not 1 <= t.by_month <= 12:
            raise TargetsError(f"targets {version}: {t.code}: unknown figure, kind or month")
        out.append(t)
    if len({t.code for t in out}) != len(out):
        raise TargetsError(f"targets {version}: target codes repeat")
    return Catalogue(version=version, year_starts_month=start, targets=tuple(out))


CATALOGUE = VersionedFolder(
    TARGETS_DIR,
    lambda data, version, _sha256: parse(data, version),
    setting="HELPSTATS_TARGETS_DIR",
    error=TargetsError,
    what="targets catalogue",
)
catalogue = CATALOGUE.load
CATALOGUE.check()


@dataclass(frozen=True)
class Standing:
    target: Target
    value: Decimal | None  # None: no target households to measure against
    deadline: date
    state: str

    @property
    def per_cent(self) -> bool:
        return self.target.kind == "share"


def _ended(month: date) -> bool:
    """True when the whole month (its first day `month`) lies in the past."""
    from django.utils import timezone

    return date(month.year + month.month // 12, month.month % 12 + 1, 1) <= timezone.localdate()


def standing(figures: Any, month: date, cat: Catalogue | None = None) -> list[Standing]:
    """Each target of the catalogue against a row's figures in `month`."""
    cat = cat or catalogue()
    out = []
    for t in cat.targets:
        deadline = cat.deadline(t, month)
        n = getattr(figures, "targets", 0) or 0
        if n:
            ratio = Decimal(getattr(figures, t.figure) or 0) / Decimal(n)
            if t.kind == "share":
                ratio *= 100
            value: Decimal | None = ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        else:
            value = None
        if value is not None and value >= t.at_least:
            state = MET
        elif month < deadline or (month == deadline and not _ended(month)):
            # The deadline's own month is missed only once it has ended.
            state = NOT_YET
        else:
            state = MISSED
        out.append(Standing(target=t, value=value, deadline=deadline, state=state))
    return out
