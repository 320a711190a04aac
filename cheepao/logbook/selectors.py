"""Reads of the Logbook for its pages (ADR 0026): a household's Logbook in one query, the
choices of the forms, the programmes an account sees, and the figures other apps show per
household (one query for a page of households, never one per row).

Access is decided before these are called: the views reach the household through the
household policy (`care`, `serve` once routing brings it, else `view`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from cheepao.accounts import roles
from cheepao.accounts.models import Body
from cheepao.core.access import area_prefixes
from cheepao.core.thai import pick_language
from cheepao.households.models import Household, Problem
from cheepao.logbook.models import Entry, Programme

Part = Entry.Part
PARTS = (Part.NEED, Part.HELP, Part.VISIT, Part.SUMMARY)


@dataclass
class Chain:
    """One thing recorded and its corrections, oldest first: `current` is what counts (or
    the withdrawal), `older` the versions it replaced (shown struck through)."""

    entries: list[Entry]

    @property
    def current(self) -> Entry:
        return self.entries[-1]

    @property
    def older(self) -> list[Entry]:
        return list(reversed(self.entries[:-1]))

    @property
    def withdrawn(self) -> bool:
        return self.current.withdraws


@dataclass
class Logbook:
    parts: dict[str, list[Chain]]
    helps: int = 0
    baht: Decimal = Decimal("0")
    failing: list[str] = field(default_factory=list)
    helped: list[str] = field(default_factory=list)
    entries: int = 0


def labels(household: Household) -> tuple[dict[str, str], dict[str, str]]:
    """The dimension and indicator titles of the household's registry catalogue."""
    cat = household.registry.catalogue
    dims = {d.code: pick_language(d.th, d.en) for d in cat.dimensions}
    inds = {i.code: f"{i.code} {pick_language(i.short_th or i.th, i.en)}" for i in cat.indicators}
    return dims, inds


def open_problems(household: Household) -> list[Problem]:
    return list(
        Problem.objects.filter(household=household, status=Problem.Status.OPEN).order_by(
            "dimension", "indicator"
        )
    )


def logbook_of(household: Household) -> Logbook:
    """The household's Logbook: every entry in one query (with its agency and programme),
    grouped by part into chains of corrections, newest first; the counts of what counts."""
    rows = list(
        Entry.objects.filter(household=household)
        .select_related("agency", "programme")
        .order_by("occurred_on", "pk")
    )
    dims, inds = labels(household)
    for e in rows:
        e.dimension_title = dims.get(e.dimension, e.dimension)
        e.indicator_title = inds.get(e.indicator, e.indicator)
    by_pk = {e.pk: e for e in rows}
    chains: dict[int, list[Entry]] = {}
    root_of: dict[int, int] = {}
    for e in sorted(rows, key=lambda e: e.pk):  # a correction is always newer than its entry
        root = root_of.get(e.corrects_id, e.pk) if e.corrects_id in by_pk else e.pk
        root_of[e.pk] = root
        chains.setdefault(root, []).append(e)
    parts: dict[str, list[Chain]] = {p: [] for p in PARTS}
    for entries in chains.values():
        parts[entries[0].part].append(Chain(entries))
    for chains_of_part in parts.values():
        chains_of_part.sort(key=lambda c: (c.current.occurred_on, c.current.pk), reverse=True)
    book = Logbook(parts=parts, entries=len(rows))
    helped = set()
    for chain in parts[Part.HELP]:
        if not chain.withdrawn:
            book.helps += 1
            book.baht += chain.current.value or Decimal("0")
            helped.add(chain.current.dimension)
    book.failing = sorted({p.dimension for p in open_problems(household)})
    book.helped = [d for d in book.failing if d in helped]
    return book


def entry_with_photo(entry_id: Any) -> Entry | None:
    try:
        pk = int(entry_id)
    except (TypeError, ValueError):
        return None
    return Entry.objects.filter(pk=pk).exclude(photo="").only("pk", "household_id", "photo").first()


def entry(entry_id: Any) -> Entry | None:
    try:
        pk = int(entry_id)
    except (TypeError, ValueError):
        return None
    return Entry.objects.filter(pk=pk).select_related("agency", "programme").first()


def is_corrected(entry: Entry) -> bool:
    return Entry.objects.filter(corrects=entry).exists()


# ---------------------------------------------------------------- the forms' choices


def targets(household: Household) -> list[tuple[str, str]]:
    """The household's failing indicators as "dimension|indicator" choices (every
    dimension when none fails)."""
    dims, inds = labels(household)
    problems = open_problems(household)
    if problems:
        return [
            (
                f"{p.dimension}|{p.indicator}",
                f"{dims.get(p.dimension, p.dimension)}: {inds.get(p.indicator, p.indicator)}",
            )
            for p in problems
        ]
    return [(f"{code}|", title) for code, title in dims.items()]


def all_targets(household: Household) -> list[tuple[str, str]]:
    """Every dimension and indicator of the catalogue (corrections may name any)."""
    cat = household.registry.catalogue
    dims, inds = labels(household)
    out = []
    for d in cat.dimensions:
        out.append((f"{d.code}|", dims[d.code]))
        out.extend(
            (f"{d.code}|{i.code}", f"{dims[d.code]}: {inds[i.code]}")
            for i in cat.indicators_of(d.code)
        )
    return out


def agencies_for(household: Household) -> QuerySet:
    """The agency offices whose area holds the household (national, province, district)."""
    return Body.objects.filter(
        kind=Body.Kind.AGENCY, area_code__in=area_prefixes(household.village_code)
    ).order_by("area_code", "name")


def programmes_for(household: Household, dimension: str = "") -> list[Programme]:
    """The programmes running where the household lives, of the dimension when given (a
    programme that names no dimension serves every one)."""
    rows = (
        Programme.objects.filter(area_code__in=area_prefixes(household.village_code))
        .select_related("agency")
        .order_by("-budget_year", "agency__name", "name")
    )
    return [p for p in rows if not dimension or not p.dimensions or dimension in p.dimensions]


# ---------------------------------------------------------------- programmes


def may_list_programmes(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in (
        roles.Role.AGENCY,
        roles.Role.DISTRICT,
        roles.Role.PROVINCE,
        roles.Role.NATIONAL,
    )


def may_register_programmes(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and (
        (user.role == roles.Role.AGENCY and user.body_id is not None)
        or (user.role == roles.Role.DISTRICT and len(user.area_code) == 4)
    )


def programmes_of(user: Any) -> dict[int, list[Programme]]:
    """The programmes of the account's area (an agency account: also its office's), by
    budget year, newest year first."""
    q = Q(area_code__startswith=user.area_code) if user.area_code else Q()
    if user.role == roles.Role.AGENCY and user.body_id:
        q |= Q(agency_id=user.body_id)
    out: dict[int, list[Programme]] = defaultdict(list)
    for p in Programme.objects.filter(q).select_related("agency"):
        out[p.budget_year].append(p)
    return dict(sorted(out.items(), reverse=True))


def district_agencies(user: Any) -> QuerySet:
    """The agency offices a district centre may register a programme for."""
    code = user.area_code
    return (
        Body.objects.filter(kind=Body.Kind.AGENCY)
        .filter(Q(area_code__startswith=code) | Q(area_code__in=area_prefixes(code)))
        .order_by("area_code", "name")
    )


# ---------------------------------------------------------------- other apps' pages


def household_figures(households: list[Any]) -> dict[int, dict[str, Any]]:
    """Acts of help that count and the last visit, per household of a page (one query)."""
    rows = (
        Entry.objects.counting()
        .filter(household__in=[h.pk for h in households], part__in=[Part.HELP, Part.VISIT])
        .values("household_id")
        .annotate(
            helps=Count("pk", filter=Q(part=Part.HELP)),
            last_visit=Max("occurred_on", filter=Q(part=Part.VISIT)),
        )
    )
    return {r["household_id"]: r for r in rows}
