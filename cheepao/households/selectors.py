"""Reads of the registry. Every read of a household starts from the access policy
(`households.policies.HouseholdPolicy` through `core.access`): lists from
`access.scope(user, Household, action)`, one record from `access.one(...)`, which raises the
same 404 for a record outside the account's reach as for one that does not exist.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from cheepao.accounts.roles import VIEW_HOUSEHOLDS
from cheepao.core import access
from cheepao.engine import api as engine
from cheepao.geo import selectors as geo
from cheepao.households import areas, extensions, history, labels
from cheepao.households.models import Household, Member, Problem, RegistryYear
from cheepao.households.policies import SCOPE_COLUMN, scope_filter  # noqa: F401  (re-exported)


def households_visible_to(user: Any, action: str = "view") -> QuerySet[Household]:
    """Every household the user may act on (`view` by default). Agencies see the cases
    routed to them (Logbook); until a case is routed they see none."""
    return access.scope(user, Household, action)


def household_for(user: Any, household_id: Any, action: str = "view") -> Household:
    """One household the user may act on, or 404 (the same for missing and forbidden)."""
    return access.one(user, Household, action, household_id)


def household_folder(user: Any, household_id: Any) -> Household:
    """`household_for` with members and problems loaded for the folder page."""
    household = household_for(user, household_id)
    return (
        Household.objects.filter(pk=household.pk)
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.order_by("member_no")),
            Prefetch("problems", queryset=Problem.objects.order_by("indicator")),
        )
        .get()
    )


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
AREA_CODE = re.compile(r"\d{2}|\d{4}|\d{6}|\d{8}")


def _english() -> bool:
    return (get_language() or "th").startswith("en")


def pick_language(th: str, en: str) -> str:
    return en if _english() and en else th


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


def area_in_scope(user: Any, code: str) -> bool:
    """True when `code` is a well-formed area code at or below the account's own area."""
    return bool(
        AREA_CODE.fullmatch(code or "")
        and getattr(user, "is_authenticated", False)
        and user.can(VIEW_HOUSEHOLDS)
        and len(code) >= len(user.area_code)
        and user.covers(code)
    )


def village_name(code: str, subdistrict: str = "") -> str:
    """'หมู่ที่ 7 ต.ในเมือง' / 'Village 7, Nai Mueang': villages have no table of names."""
    number = int(code[6:8])
    if _english():
        return f"Village {number}, {subdistrict}" if subdistrict else f"Village {number}"
    return f"หมู่ที่ {number} ต.{subdistrict}" if subdistrict else f"หมู่ที่ {number}"


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
    return engine.readings_of(registry.catalogue, "en" if _english() else "th", "compute")


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


# ---------------------------------------------------------------- the household folder

# Flags the engine derives from the answers (catalogue: "Derived flags"); the survey
# columns themselves are labelled by the data contract.
DERIVED_LABELS = {
    "has_income": _("has an income"),
    "full_time_student": _("full-time student"),
    "dependent_disabled": _("disabled and cannot care for themselves"),
    "income_per_person": _("income per person per year (baht)"),
}


def answer_label(column: str) -> str:
    """The words the survey form uses for one answer column, in the page's language."""
    if column in DERIVED_LABELS:
        return str(DERIVED_LABELS[column])
    return engine.column_label(column, "en" if _english() else "th")


@dataclass
class Answer:
    column: str
    label: str
    value: Any
    threshold: float | None = None

    @property
    def is_number(self) -> bool:
        return isinstance(self.value, int | float) and not isinstance(self.value, bool)


@dataclass
class MemberReason:
    member: Member
    answers: list[Answer]


@dataclass
class IndicatorLine:
    code: str
    title: str
    short: str
    unit: str
    failing: bool
    problem: Problem | None
    why: str
    members: list[MemberReason] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)


@dataclass
class DimensionGroup:
    code: str
    title: str
    failing: bool
    indicators: list[IndicatorLine]


def _failing_answers(indicator: Any, answers: dict, thresholds: dict) -> list[Answer]:
    """The answers that made the rule fail, as the engine decides it (`engine.explain`, one
    place for every kind of rule): the 'no' answers of an all/any rule, or the measured
    value against its threshold."""
    return [
        Answer(r.column, answer_label(r.column), r.value, r.limit)
        for r in engine.rules.failing(indicator.passes, answers, thresholds)
    ]


def household_indicators(household: Household) -> list[DimensionGroup]:
    """The catalogue's indicators, grouped by dimension, each with why it is failing here.

    Household indicators point at the household's own answers; person indicators at the
    members the engine flagged (`Member.failing`) and their answers. A problem added in the
    field has no survey answers behind it, and says so through its origin."""
    registry = household.registry
    cat = registry.catalogue
    thresholds = {
        name: registry.thresholds.get(name, cat.threshold(name, registry.survey_year))
        for name in cat.thresholds
    }
    answers = dict(household.answers or {})
    if household.income_per_person is not None:
        # an average is judged exactly from its total and count, as the engine judges it
        answers["income_per_person"] = household.income_per_person
        answers["income_total"] = household.income_total
        answers["n_members"] = household.n_members
    problems = {p.indicator: p for p in household.problems.all()}
    members = list(household.members.all())
    groups = []
    for d in cat.dimensions:
        lines = []
        for i in cat.indicators_of(d.code):
            problem = problems.get(i.code)
            failing = problem is not None and problem.status == Problem.Status.OPEN
            line = IndicatorLine(
                code=i.code,
                title=pick_language(i.th, i.en),
                short=i.short_th,
                unit=i.unit,
                failing=failing,
                problem=problem,
                why=i.why_th,
            )
            if failing and i.unit == "person":
                line.members = [
                    MemberReason(m, _failing_answers(i, m.answers or {}, thresholds))
                    for m in members
                    if i.code in (m.failing or [])
                ]
            elif failing:
                line.answers = _failing_answers(i, answers, thresholds)
            lines.append(line)
        groups.append(
            DimensionGroup(d.code, pick_language(d.th, d.en), any(x.failing for x in lines), lines)
        )
    return groups


@dataclass(frozen=True)
class HistoryLine:
    at: Any
    by: str  # the account's name at the time, '' for the system
    text: str
    kind: str


def household_history(household: Household, limit: int = 200) -> list[HistoryLine]:
    """What happened to the household (`HouseholdEvent`, `history.py`), newest first, each
    as a sentence in the page's language with names instead of codes. The audit log (who
    opened the folder, who changed what) is kept apart and shown on the audit pages."""
    events = household.events.order_by("-at", "-id")[:limit]
    return [
        HistoryLine(e.at, e.actor_name, history.sentence(e.kind, e.data, household), e.kind)
        for e in events
    ]


def household_address(household: Household) -> dict[str, Any]:
    """Names of the household's areas, from the geography tables."""
    crumbs = area_breadcrumb(household.subdistrict_code)
    names = {c.code: c.name for c in crumbs}
    return {
        "province": names.get(household.province_code, household.province_code),
        "district": names.get(household.district_code, household.district_code),
        "subdistrict": names.get(household.subdistrict_code, household.subdistrict_code),
        "village": village_name(household.village_code),
    }


@dataclass
class MemberRow:
    member: Member
    relation: str
    sex: str
    life_stages: list[str]
    vulnerable: list[str]
    failing: list[str]


def member_rows(household: Household) -> list[MemberRow]:
    """The members with their coded answers in words, head first as on the form."""
    cat = household.registry.catalogue
    stages = {s.code: pick_language(s.th, s.en) for s in cat.life_stages}
    members = sorted(household.members.all(), key=lambda m: (m.relation != "head", m.member_no))
    return [
        MemberRow(
            member=m,
            relation=str(labels.RELATION.get(m.relation, m.relation)),
            sex=str(labels.SEX.get(m.sex, m.sex)),
            life_stages=[stages.get(s, s) for s in m.life_stages or []],
            vulnerable=[str(labels.VULNERABLE.get(v, v)) for v in m.vulnerable or []],
            failing=list(m.failing or []),
        )
        for m in members
    ]


# What a member's survey row was kept with and the team must correct (ADR 0016); the codes
# are the engine's (validate.KEEPS_ROW).
CORRECTIONS = {
    "pin_check_digit": _(
        "Member %(no)s, %(name)s: the national ID fails its check digit; it was probably mistyped."
    ),
    "pin_first_digit": _(
        "Member %(no)s, %(name)s: the national ID starts with 0 or 9, which no national ID does."
    ),
    "bad_format": _(
        "Member %(no)s, %(name)s: the national ID in the survey is not 13 digits, so it was "
        "not recorded."
    ),
    "duplicate_pin": _(
        "Member %(no)s, %(name)s: the same national ID is given to another person in the "
        "survey of the same year."
    ),
}


def household_corrections(household: Household) -> list[str]:
    """What the team must correct in the household's data, one line per member problem.

    The household was computed with every member (a bad ID never changes who is poor);
    these lines tell the team which IDs to check against the ID cards."""
    if not household.needs_correction:
        return []
    lines = []
    for m in sorted(household.members.all(), key=lambda m: m.member_no):
        for code in m.data_problems or []:
            text = CORRECTIONS.get(code)
            if text is not None:
                lines.append(str(text) % {"no": m.member_no, "name": m.full_name})
    return lines


def household_tags(household: Household) -> dict[str, str]:
    return {
        "family_types": [str(labels.FAMILY_TYPE.get(t, t)) for t in household.family_types or []],
        "land_tenure": str(labels.LAND_TENURE.get(household.land_tenure, household.land_tenure)),
    }


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


# ---------------------------------------------------------------- maps
#
# The folder and the register draw their pins over the district's boundary, so a map needs
# no tile server (and no internet). The data goes into the page as JSON (`json_script`) and
# `static/js/maps.js` draws it with the vendored Leaflet.

DISTRICTS_GEOJSON = Path(__file__).resolve().parents[1] / "data" / "geo" / "th-districts.geojson"
# Short form from data/geo/SOURCES.md: shown wherever the boundaries are drawn.
BOUNDARY_ATTRIBUTION = (
    "Boundaries © Royal Thai Survey Dept. / OCHA HDX (CC BY 3.0 IGO), simplified via mapthai (MIT)"
)


@functools.cache
def _district_features() -> dict[str, dict]:
    """The district boundaries by 4-digit DOPA code, read and parsed once per process."""
    with DISTRICTS_GEOJSON.open(encoding="utf-8") as f:
        collection = json.load(f)
    return {f["properties"]["dcode"]: f for f in collection["features"]}


def district_feature(district_code: str) -> dict | None:
    """One district's boundary as a GeoJSON Feature (its code and names only), or None."""
    found = _district_features().get(district_code)
    if found is None:
        return None
    props = found["properties"]
    return {
        "type": "Feature",
        "properties": {k: props[k] for k in ("dcode", "name_th", "name_en")},
        "geometry": found["geometry"],
    }


def household_type(household: Household) -> str:
    """The kind that colours the household's pin (`extensions.map_pin_kind`, e.g.
    'developable' / 'welfare' from its form ศจพ.1), '' when not classified."""
    return extensions.map_pin_kind.of([household])[household.pk]


def map_legend() -> list[tuple[str, str]]:
    """(css kind, label) of each pin colour, for the legend under a map."""
    return [(kind or "none", str(label)) for kind, label in extensions.map_pin_kind.legend()]


def _map_point(
    household: Household, kind: str, *, link: bool = False, village: bool = False
) -> dict | None:
    """A pin: where the household is, its kind and its house number; never a name or PIN,
    so a screenshot of the map shows no more than the page's list does."""
    if household.lat is None or household.lon is None:
        return None
    labels_of = dict(extensions.map_pin_kind.legend())
    label = gettext("House no. %(no)s") % {"no": household.house_no or "–"}
    if village:
        label = f"{label} · {village_name(household.village_code)}"
    point = {
        "lat": round(household.lat, 6),
        "lon": round(household.lon, 6),
        "type": kind,
        "type_label": str(labels_of[kind]),
        "label": label,
    }
    if link:
        point["url"] = reverse("households:folder", args=[household.pk])
    return point


def _map_data(points: list[dict], district_code: str) -> dict:
    district = district_feature(district_code)
    tiles = None
    if settings.CHEEPAO_MAP_TILES:
        tiles = {
            "url": settings.CHEEPAO_MAP_TILES,
            "attribution": settings.CHEEPAO_MAP_TILES_ATTRIBUTION,
        }
    return {
        "points": points,
        "district": district,
        "boundary_attribution": BOUNDARY_ATTRIBUTION if district else "",
        "tiles": tiles,
    }


def folder_map(household: Household) -> dict | None:
    """The folder's map: the household's pin over its district, or None without a position."""
    point = _map_point(household, household_type(household))
    if point is None:
        return None
    return _map_data([point], household.district_code)


def register_map(register: RegisterPage, code: str) -> dict | None:
    """The pins of the households on one page of the register, each linking to its folder,
    over the area's district; None when none of them has a position."""
    kinds = extensions.map_pin_kind.of([r.household for r in register.rows])
    points = [
        p
        for r in register.rows
        if (p := _map_point(r.household, kinds[r.household.pk], link=True, village=len(code) == 6))
        is not None
    ]
    if not points:
        return None
    data = _map_data(points, code[:4])
    data["unplaced"] = len(register.rows) - len(points)
    return data


# ---------------------------------------------------------------- engine runs to load


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
        english = (get_language() or "th").startswith("en")
        return (cat.title_en if english else cat.title_th) or self.indicator_set


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
