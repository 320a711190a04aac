"""Reads of the registry as a register: which registry year, the area overview and its
breadcrumbs, the village register (filters, pages, export rows) and the search. Every list
starts from `access.households_visible_to(user)`, so a page can never show more than the
account's area, whatever code or filter arrives in the URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from cheepao.accounts.roles import VIEW_HOUSEHOLDS
from cheepao.core.thai import language, pick_language
from cheepao.engine import api as engine
from cheepao.geo import selectors as geo
from cheepao.households import areas, extensions
from cheepao.households.models import Household, Member, Problem, RegistryYear
from cheepao.households.selectors.access import households_visible_to, scope_filter

CHILD_COLUMN = {0: "province_code", 2: "district_code", 4: "subdistrict_code", 6: "village_code"}


def household_counts_below(parent_code: str) -> dict[str, int]:
    """{area code one level below `parent_code`: households there} over every registry year
    (aggregates only). Registered with accounts (area pickers, demo accounts), which may
    not import the registry."""
    column = CHILD_COLUMN.get(len(parent_code))
    if column is None:
        return {}
    rows = (
        Household.objects.filter(scope_filter(parent_code))
        .values(column)
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r[column]: r["n"] for r in rows}


def registry_latest() -> RegistryYear | None:
    """The newest registry version of the latest survey year."""
    return RegistryYear.objects.order_by("-survey_year", "-version").first()


def registry_years() -> list[RegistryYear]:
    """Every registry loaded: latest year first, a year's newest version first. Each says
    whether its year has other versions (`of_several`), for a page to name the version."""
    years = list(RegistryYear.objects.order_by("-survey_year", "-version"))
    per_year: dict[int, int] = {}
    for r in years:
        per_year[r.survey_year] = per_year.get(r.survey_year, 0) + 1
    for r in years:
        r.of_several = per_year[r.survey_year] > 1
    return years


# ---------------------------------------------------------------- pages of the registry
#
# Everything below starts from `households_visible_to(user)`, so a page can never show more
# than the account's area, whatever code or filter arrives in the URL.

ACTIVE = Household.Status.ACTIVE
PER_PAGE = 50
SEARCH_LIMIT = 100


def registry_get(survey_year: Any = None, version: Any = None) -> RegistryYear | None:
    """The registry year asked for (its newest version, or `version` when that one is
    loaded), or the latest one when none (or an unknown one) is asked."""
    if survey_year not in (None, ""):
        try:
            versions = RegistryYear.objects.filter(survey_year=int(survey_year))
            found = None
            if version not in (None, ""):
                found = versions.filter(version=int(version)).first()
            found = found or versions.order_by("-version").first()
        except (TypeError, ValueError):
            found = None
        if found is not None:
            return found
    return registry_latest()


def village_name(code: str, subdistrict: str = "") -> str:
    """'หมู่ที่ 7 ต.ในเมือง' / 'Village 7, Nai Mueang' (`geo.village_label`, abbreviated) for
    a village code and its subdistrict's bare name."""
    return geo.village_label(code[6:8], subdistrict, abbreviated=True)


@dataclass(frozen=True)
class Crumb:
    code: str
    name: str


def area_breadcrumb(code: str) -> list[Crumb]:
    """Province → district → subdistrict → village names of an area code; [] if unknown."""
    if not code:
        return []
    areas = geo.area_breadcrumb(code[:6])
    if not areas:
        return []
    crumbs = [Crumb(a.code, a.full_name) for a in areas]
    if len(code) == 8:
        crumbs.append(Crumb(code, village_name(code)))
    return crumbs


@dataclass
class AreaCounts:
    code: str
    name: str
    households: int = 0
    critical: int = 0
    members: int = 0
    target_persons: int = 0
    welfare_card_holders: int = 0
    dimensions: dict[str, int] = field(default_factory=dict)


@dataclass
class AreaOverview:
    registry: RegistryYear | None
    code: str
    crumbs: list[Crumb]
    total: AreaCounts
    # the summary register of the areas one level down, as seed 003 prints it (None for a
    # village, or when the area has none)
    register: areas.RegisterTable | None
    dimensions: list[tuple[str, str]]
    critical_min: int = 3  # 0 when the critical reading names dimensions instead
    critical_rule: str = ""  # that reading's words, in the page's language
    # which run and which certified changes the figures reflect; None when the registry's
    # area summary has not been built
    reflects: areas.Reflects | None = None
    summary_built: bool = False

    @property
    def name(self) -> str:
        return self.crumbs[-1].name if self.crumbs else ""

    @property
    def dimension_totals(self) -> list[tuple[str, int]]:
        return [(label, self.total.dimensions.get(code, 0)) for code, label in self.dimensions]


def _in_registry(user: Any, registry: RegistryYear | None, code: str) -> QuerySet[Household]:
    qs = households_visible_to(user).filter(scope_filter(code))
    return qs.filter(registry=registry) if registry else qs.none()


def area_overview(user: Any, registry: RegistryYear | None, code: str) -> AreaOverview:
    """The figures of the area `code` and the register of the areas one level down, read
    from the area read model (`areas`, ADR 0020): the registry as certified, the same rows
    the public register reads. Only for an area the account covers (the view has checked
    it; an area outside gives the figures of nothing)."""
    mine = (
        getattr(user, "is_authenticated", False)
        and user.can(VIEW_HOUSEHOLDS)
        and user.covers(code)
        and registry is not None
    )
    built = bool(mine) and areas.summary_built(registry)
    row = areas.summary_of(registry, code) if built else None
    total = AreaCounts(code, "")
    if row is not None:
        total.households, total.critical, total.members = (
            row.target_households,
            row.critical,
            row.members,
        )
        total.target_persons = row.target_persons
        total.welfare_card_holders = row.welfare_card_holders
        total.dimensions = dict(row.dimensions or {})
    cat = registry.catalogue if registry else None
    dims = [(d.code, pick_language(d.th, d.en)) for d in cat.dimensions] if cat else []
    total.dimensions = {d: total.dimensions.get(d, 0) for d, _label in dims}
    register = None
    child = areas.CHILD_LEVEL.get(areas.level_of(code) or "village")
    if built and child is not None:
        df = areas.register_counts(registry, child, code or None)
        if not df.empty:
            register = areas.register_table(df, child, cat)
    critical_min, critical_rule = 3, ""
    if cat is not None:
        critical_min = cat.critical.n if cat.critical.kind == "at_least" else 0
        choice = cat.reading("critical").choice(cat.chosen["critical"]) if cat.readings else None
        critical_rule = pick_language(choice.th, choice.en) if choice else ""
    return AreaOverview(
        registry,
        code,
        area_breadcrumb(code),
        total,
        register,
        dims,
        critical_min,
        critical_rule,
        reflects=areas.reflects(registry, row) if row is not None else None,
        summary_built=built,
    )


def readings_used(registry: RegistryYear | None) -> list[dict[str, str]]:
    """Which reading of each ambiguous definition produced the registry's numbers (ADR
    0013), in the page's language: title, label, whether it is the default, the seed's
    words and where they are."""
    if registry is None:
        return []
    return engine.readings_of(registry.catalogue, language(), "compute")


# ---------------------------------------------------------------- the village register


@dataclass(frozen=True)
class RegisterFilters:
    """The register's filters, already checked by the form ('' = not filtered). `extra`
    holds the values of the filters feature apps registered (`extensions.register_filters`),
    by their key."""

    dimension: str = ""
    indicator: str = ""
    critical: str = ""  # "yes" / "no"
    source: str = ""
    status: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def chosen(self) -> dict[str, str]:
        """The filters in use, by name (for links and the audit row of a page)."""
        base = {k: v for k, v in vars(self).items() if k != "extra" and v}
        return {**base, **{k: v for k, v in self.extra.items() if v}}


@dataclass
class RegisterRow:
    household: Household
    head: Member | None
    target_persons: int
    dimensions: list[tuple[str, str]]
    # The cells of the columns feature apps registered (`extensions.register_columns`).
    cells: list[extensions.Cell] = field(default_factory=list)


@dataclass
class RegisterPage:
    page: Any  # django.core.paginator.Page of household ids
    rows: list[RegisterRow]

    @property
    def count(self) -> int:
        return self.page.paginator.count


def register_households(
    user: Any, registry: RegistryYear | None, code: str, filters: RegisterFilters
) -> QuerySet[Household]:
    """The households of a village (or subdistrict) the user may see, filtered.

    Dimension and indicator filters look at open problems, which is what the register
    shows as failing; a problem certified away no longer puts a household on that list."""
    qs = _in_registry(user, registry, code)
    open_problems = Problem.objects.filter(household=OuterRef("pk"), status=Problem.Status.OPEN)
    if filters.dimension:
        qs = qs.filter(Exists(open_problems.filter(dimension=filters.dimension)))
    if filters.indicator:
        qs = qs.filter(Exists(open_problems.filter(indicator=filters.indicator)))
    if filters.critical:
        qs = qs.filter(is_critical=filters.critical == "yes")
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.status:
        qs = qs.filter(status=filters.status)
    for key, value in filters.extra.items():
        registered = extensions.register_filters.get(key)
        if value and registered is not None:
            qs = qs.filter(registered.q(value))
    return qs


def house_number_key(house_no: str) -> tuple:
    """'2' < '3' < '3/5' < '10' < '18/3': house numbers as people read them, not as text;
    households without a number last."""
    parts = re.findall(r"\d+|[^\d\s/\-]+", house_no or "")
    if not parts:
        return ((2, 0, ""),)
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def household_head(members: list[Member]) -> Member | None:
    """The head of household among `members` (in member order), or the first member when
    none is marked head; None for no members. The one rule for every page and export."""
    for m in members:
        if m.relation == "head":
            return m
    return members[0] if members else None


def _dimension_badges(cat: Any, problems: list[Problem]) -> list[tuple[str, str]]:
    failing = {p.dimension for p in problems if p.status == Problem.Status.OPEN}
    return [(d.code, pick_language(d.th, d.en)) for d in cat.dimensions if d.code in failing]


def register_page(
    qs: QuerySet[Household], registry: RegistryYear, page_number: Any
) -> RegisterPage:
    """One page of the register, sorted by village and house number.

    The sort is done on the ids and house numbers only (a subdistrict has at most a few
    thousand target households), then the 50 rows of the page are read in full."""
    from django.core.paginator import Paginator

    keys = list(qs.values_list("pk", "village_code", "house_no", "hh_id"))
    keys.sort(key=lambda k: (k[1], house_number_key(k[2]), k[3]))
    page = Paginator([k[0] for k in keys], PER_PAGE).get_page(page_number)
    ids = list(page.object_list)
    loaded = {
        h.pk: h
        for h in Household.objects.filter(pk__in=ids).prefetch_related(
            Prefetch("members", queryset=Member.objects.order_by("member_no")),
            Prefetch("problems", queryset=Problem.objects.filter(status=Problem.Status.OPEN)),
        )
    }
    cat = registry.catalogue
    cells = extensions.register_cells([loaded[pk] for pk in ids])
    rows = []
    for pk in ids:
        h = loaded[pk]
        members = list(h.members.all())
        rows.append(
            RegisterRow(
                household=h,
                head=household_head(members),
                target_persons=sum(1 for m in members if m.is_target_person),
                dimensions=_dimension_badges(cat, list(h.problems.all())),
                cells=cells[pk],
            )
        )
    return RegisterPage(page, rows)


def registry_villages(user: Any, registry: RegistryYear | None) -> list[tuple[str, str]]:
    """(code, name) of the villages with households the user may see, for the search form."""
    codes = (
        _in_registry(user, registry, "")
        .values_list("village_code", flat=True)
        .distinct()
        .order_by("village_code")
    )
    names = {}
    result = []
    for code in codes:
        sub = code[:6]
        if sub not in names:
            area = geo.area_get(sub)
            names[sub] = area.name if area else sub
        result.append((code, village_name(code, names[sub])))
    return result


# ---------------------------------------------------------------- search


@dataclass(frozen=True)
class SearchQuery:
    pin: str = ""
    first_name: str = ""
    last_name: str = ""
    house_no: str = ""
    village: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.pin or self.first_name or self.last_name or self.house_no or self.village)


@dataclass
class SearchHit:
    household: Household
    head: Member | None
    matched: list[Member]
    village: str


def _member_matches(member: Member, query: SearchQuery) -> bool:
    # The same test as the database filter above, for marking which member matched.
    return (
        (not query.pin or member.pin == query.pin)
        and member.first_name.startswith(query.first_name)
        and member.last_name.startswith(query.last_name)
    )


def household_search(
    user: Any, registry: RegistryYear | None, query: SearchQuery
) -> tuple[list[SearchHit], bool]:
    """Households the user may see that match every criterion given, and whether there
    were more than `SEARCH_LIMIT` of them. A name matches from its first letters, and the
    first and last name must belong to the same member."""
    qs = _in_registry(user, registry, "")
    member_q = Q()
    if query.pin:
        member_q &= Q(pin=query.pin)
    if query.first_name:
        member_q &= Q(first_name__startswith=query.first_name)
    if query.last_name:
        member_q &= Q(last_name__startswith=query.last_name)
    if member_q:
        qs = qs.filter(Exists(Member.objects.filter(member_q, household=OuterRef("pk"))))
    if query.house_no:
        qs = qs.filter(house_no__iexact=query.house_no)
    if query.village:
        qs = qs.filter(village_code=query.village)
    found = list(
        qs.prefetch_related(Prefetch("members", queryset=Member.objects.order_by("member_no")))[
            : SEARCH_LIMIT + 1
        ]
    )
    more = len(found) > SEARCH_LIMIT
    found = sorted(
        found[:SEARCH_LIMIT],
        key=lambda h: (h.village_code, house_number_key(h.house_no), h.hh_id),
    )
    names: dict[str, str] = {}
    hits = []
    for h in found:
        members = list(h.members.all())
        matched = [m for m in members if _member_matches(m, query)] if member_q else []
        sub = h.subdistrict_code
        if sub not in names:
            area = geo.area_get(sub)
            names[sub] = area.name if area else sub
        hits.append(
            SearchHit(h, household_head(members), matched, village_name(h.village_code, names[sub]))
        )
    return hits, more


def register_choices(registry: RegistryYear | None) -> tuple[list, list]:
    """(dimension choices, indicator choices) of the registry's indicator set."""
    if registry is None:
        return [], []
    cat = registry.catalogue
    dims = [(d.code, pick_language(d.th, d.en)) for d in cat.dimensions]
    inds = [(i.code, f"{i.code} {pick_language(i.short_th, i.en)}") for i in cat.indicators]
    return dims, inds


@dataclass
class ExportRow:
    household: Household
    head: Member | None
    welfare_cards: int
    elderly: int
    disabled: int
    ill: int
    indicators: set[str]


def register_export_rows(qs: QuerySet[Household]) -> list[ExportRow]:
    """Every household of a filtered register with what form ศจพ.1's columns (1)-(4) need,
    in register order."""
    households = list(
        qs.prefetch_related(
            Prefetch("members", queryset=Member.objects.order_by("member_no")),
            Prefetch("problems", queryset=Problem.objects.filter(status=Problem.Status.OPEN)),
        )
    )
    households.sort(key=lambda h: (h.village_code, house_number_key(h.house_no), h.hh_id))
    rows = []
    for h in households:
        members = list(h.members.all())
        rows.append(
            ExportRow(
                household=h,
                head=household_head(members),
                welfare_cards=sum(m.welfare_card for m in members),
                elderly=sum(m.age >= 60 for m in members),
                disabled=sum(m.disabled for m in members),
                ill=sum(m.chronic_illness for m in members),
                indicators={p.indicator for p in h.problems.all()},
            )
        )
    return rows
