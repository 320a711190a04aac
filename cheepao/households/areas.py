"""The area read model (ADR 0020): the summary register (ทะเบียนงบหน้า, seed 003) of every
area as the registry stands, in `AreaSummary` rows.

Two halves:
- counting (`village_counts`, `rollup`, `parent_sums`): the figures of seed 003 computed
  from the registry's current rows: households in the registry (status active), their
  open problems and their members. Only `services.area_summary_build` (a whole registry,
  at load) and `services.area_summary_refresh` (the areas a certified change touched) call
  them; a national build is three grouped queries, whatever the number of areas.
- reading (`summary_of`, `register_counts`, `register_table`, `reflects`): what the
  signed-in area pages and the public register show. They read summary rows only, never
  households, so both pages show the same table from the same source.

The counts follow the engine's register definitions (engine/register.py, ADR 0005) on the
registry's rows, so a freshly loaded registry gives the run's register cell for cell:
- target households: households in the registry; members: their `n_members`;
- a dimension: those of them with an open problem in it; critical: those `is_critical`;
- a member is deprived through an open problem of a household-level indicator of the
  household, or personally through a person-level indicator the engine found them
  failing (`Member.failing`) whose problem is still open (a problem certified away no
  longer counts; one added in the field names no member, so it moves household counts
  only);
- welfare-card holders: deprived members holding the card; target persons: deprived
  members who meet the registry's target profile (`tpmap2562`: hold the card).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from typing import Any

import pandas as pd
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from cheepao.core.thai import language
from cheepao.engine import api as engine
from cheepao.households.models import AreaSummary, Household, Member, Problem, RegistryYear

LEVELS = ("country", "province", "district", "subdistrict", "village")
CODE_LENGTH = {"country": 0, "province": 2, "district": 4, "subdistrict": 6, "village": 8}
LEVEL_OF_LENGTH = {n: level for level, n in CODE_LENGTH.items()}
CHILD_LEVEL = dict(pairwise(LEVELS))
# The register's counts of one area, besides the failing dimensions.
COUNTS = ("target_households", "welfare_card_holders", "members", "target_persons", "critical")
# Lines of the public register per level, as the engine names them.
REGISTER_LEVELS = LEVELS[1:]
LEVEL_LABELS = {
    "province": _("by province"),
    "district": _("by district"),
    "subdistrict": _("by subdistrict"),
    "village": _("by village"),
}


def level_of(code: str) -> str | None:
    """The level of an area code ('' = the country), None for a malformed one."""
    if code and not code.isdigit():
        return None
    return LEVEL_OF_LENGTH.get(len(code))


# ---------------------------------------------------------------- counting


@dataclass
class Counts:
    """One area's figures; they add up, so an area's are the sum of its children's."""

    target_households: int = 0
    welfare_card_holders: int = 0
    members: int = 0
    target_persons: int = 0
    critical: int = 0
    dimensions: dict[str, int] = field(default_factory=dict)

    def add(self, other: Counts | AreaSummary) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for d, n in (other.dimensions or {}).items():
            self.dimensions[d] = self.dimensions.get(d, 0) + n

    def fields(self, dimensions: Iterable[str]) -> dict[str, Any]:
        """The model fields, every dimension of the catalogue named (0 when none fails)."""
        return {
            **{name: getattr(self, name) for name in COUNTS},
            "dimensions": {d: self.dimensions.get(d, 0) for d in dimensions},
        }


def _deprived(registry: RegistryYear) -> Q:
    """Members deprived as the registry stands (module docstring)."""
    cat = registry.catalogue
    household_codes = [i.code for i in cat.indicators if i.unit == "household"]
    person_codes = [i.code for i in cat.indicators if i.unit == "person"]
    open_problems = Problem.objects.filter(
        household=OuterRef("household"), status=Problem.Status.OPEN
    )
    through_household = Exists(open_problems.filter(indicator__in=household_codes))
    # `failing` is a JSON list of codes (["P1", "P3"]): the code in quotes is in its text
    # on SQLite and PostgreSQL alike, and "P1" never matches inside "P10".
    personal = Exists(
        open_problems.filter(indicator__in=person_codes)
        .annotate(failing_text=Cast(OuterRef("failing"), output_field=TextField()))
        .filter(failing_text__contains=Concat(Value('"'), F("indicator"), Value('"')))
    )
    return Q(through_household) | Q(personal)


def _meets_profile(registry: RegistryYear) -> Q:
    """Members who meet the registry's target profile (`tpmap2562`: welfare-card holders)."""
    profile = registry.catalogue.profile(registry.profile)
    fields = {f.name for f in Member._meta.get_fields()}
    q = Q()
    for flag in profile.requires:
        if flag not in fields:
            raise ValueError(
                f"target profile {profile.name!r} requires {flag!r}, not a member field"
            )
        q &= Q(**{flag: True})
    return q


def village_counts(
    registry: RegistryYear, villages: Collection[str] | None = None
) -> dict[str, Counts]:
    """Counts per village code from the registry's rows (all villages, or `villages`), in
    three grouped queries: households, open problems per dimension, deprived members."""
    households = Household.objects.filter(registry=registry, status=Household.Status.ACTIVE)
    if villages is not None:
        households = households.filter(village_code__in=list(villages))
    out: dict[str, Counts] = {}

    def row(code: str) -> Counts:
        return out.setdefault(code, Counts())

    for r in households.values("village_code").annotate(
        n=Count("pk"), m=Sum("n_members"), crit=Count("pk", filter=Q(is_critical=True))
    ):
        c = row(r["village_code"])
        c.target_households, c.members, c.critical = r["n"], r["m"] or 0, r["crit"]
    problems = Problem.objects.filter(household__in=households, status=Problem.Status.OPEN)
    for r in problems.values("household__village_code", "dimension").annotate(
        n=Count("household", distinct=True)
    ):
        row(r["household__village_code"]).dimensions[r["dimension"]] = r["n"]
    members = Member.objects.filter(household__in=households).filter(_deprived(registry))
    for r in members.values("household__village_code").annotate(
        cards=Count("pk", filter=Q(welfare_card=True)),
        persons=Count("pk", filter=_meets_profile(registry)),
    ):
        c = row(r["household__village_code"])
        c.welfare_card_holders, c.target_persons = r["cards"], r["persons"]
    return out


def parent_codes(village_code: str) -> list[tuple[str, str]]:
    """(level, code) of the areas a village lies in, nearest first, the country last."""
    return [(level, village_code[: CODE_LENGTH[level]]) for level in reversed(LEVELS[:-1])]


def rollup(villages: dict[str, Counts]) -> dict[tuple[str, str], Counts]:
    """Every level's counts from the villages': (level, code) → Counts, the country ('')
    included even when empty. Area codes nest (DOPA: a code starts with its parent's)."""
    out: dict[tuple[str, str], Counts] = {("country", ""): Counts()}
    for code, counts in villages.items():
        out[("village", code)] = counts
        for key in parent_codes(code):
            out.setdefault(key, Counts()).add(counts)
    return out


def children_sums(registry: RegistryYear, level: str, codes: Iterable[str]) -> dict[str, Counts]:
    """Counts of the areas `codes` of `level` as the sums of their children's summary rows
    (one query per area: the few areas one certified change touches)."""
    child = CHILD_LEVEL[level]
    out = {}
    for code in codes:
        total = Counts()
        rows = AreaSummary.objects.filter(registry=registry, level=child)
        if code:
            rows = rows.filter(area_code__startswith=code)
        for r in rows.only(*COUNTS, "dimensions"):
            total.add(r)
        out[code] = total
    return out


@dataclass(frozen=True)
class Change:
    """A certified change the summary reflects: which record (as the audit log names
    objects), the area it covered and when it took effect."""

    object_type: str
    object_id: str
    area_code: str
    at: datetime

    def as_data(self) -> dict[str, str]:
        return {
            "object_type": self.object_type,
            "object_id": str(self.object_id),
            "area_code": self.area_code,
            "at": self.at.isoformat(),
        }


# ---------------------------------------------------------------- reading


def summary_built(registry: RegistryYear | None) -> bool:
    return (
        registry is not None
        and AreaSummary.objects.filter(registry=registry, level="country").exists()
    )


def summary_registry(survey_year: int) -> RegistryYear | None:
    """The newest registry of `survey_year` whose area summary is built, or None."""
    built = AreaSummary.objects.filter(registry=OuterRef("pk"), level="country")
    return (
        RegistryYear.objects.filter(Exists(built), survey_year=survey_year).order_by("-pk").first()
    )


def summary_of(registry: RegistryYear | None, code: str) -> AreaSummary | None:
    """The summary row of one area ('' = the country), None when there is none."""
    level = level_of(code)
    if registry is None or level is None:
        return None
    return AreaSummary.objects.filter(registry=registry, level=level, area_code=code).first()


def level_rows(registry: RegistryYear, level: str, within: str | None = None) -> list[AreaSummary]:
    """The summary rows of `level` inside `within` (an area code; None = everywhere)."""
    rows = AreaSummary.objects.filter(registry=registry, level=level)
    if within:
        rows = rows.filter(area_code__startswith=within)
    return list(rows.order_by("area_code"))


def register_counts(registry: RegistryYear, level: str, within: str | None = None) -> pd.DataFrame:
    """The register of `level` inside `within` from the summary, in the shape of a run's
    `register_<level>` (engine `Run.register`): area_code, area_name_th, area_name_en and
    the seed's count columns, sorted as the engine sorts it."""
    cat = registry.catalogue
    columns = engine.register_columns(cat)
    rows = level_rows(registry, level, within)
    df = pd.DataFrame(
        [
            {
                "area_code": r.area_code,
                **{name: getattr(r, name) for name in COUNTS},
                **{f"dim_{d}": n for d, n in (r.dimensions or {}).items()},
            }
            for r in rows
        ],
        columns=["area_code", *dict.fromkeys([*COUNTS, *columns])],
    )
    df = df[["area_code", *columns]].fillna(0)
    for c in columns:
        df[c] = df[c].astype("int64")
    return engine.register_named(df, level, cat)


@dataclass(frozen=True)
class RegisterRow:
    seq: str
    area_code: str | None  # None on the total row
    area_name: str
    counts: list[int]


@dataclass(frozen=True)
class RegisterTable:
    """The summary register as seed 003 prints it: ที่, area, the counts, the total row."""

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


def register_table(df: pd.DataFrame, level: str, cat: Any) -> RegisterTable:
    """`df` (a run's register or `register_counts`) as the seed prints it, in the page's
    language, with the area codes kept so a page can link each row to its area.

    The table itself (column order, Thai headers exactly as seed 003, total row) is the
    engine's, the same one `cheepao register` prints and exports."""
    table = engine.register_table(df, level, cat, language())
    records = table.itertuples(index=False, name=None)
    codes = [*df["area_code"].astype(str).tolist(), None]
    rows = [
        RegisterRow(str(rec[0]), code, str(rec[1]), [int(v) for v in rec[2:]])
        for rec, code in zip(records, codes, strict=True)
    ]
    return RegisterTable(level, [str(c) for c in table.columns], rows[:-1], rows[-1])


@dataclass(frozen=True)
class Reflects:
    """What the figures of an area are: which run, which certified changes, computed when."""

    survey_year: int
    run_created_at: str
    loaded_at: datetime
    certified_changes: int
    last_change_at: datetime | None
    last_change_area: str
    built_at: datetime


def reflects(registry: RegistryYear, row: AreaSummary | None) -> Reflects | None:
    if row is None:
        return None
    return Reflects(
        survey_year=registry.survey_year,
        run_created_at=row.run_created_at,
        loaded_at=registry.loaded_at,
        certified_changes=row.certified_changes,
        last_change_at=row.last_change_at,
        last_change_area=(row.last_change or {}).get("area_code", ""),
        built_at=row.built_at,
    )
