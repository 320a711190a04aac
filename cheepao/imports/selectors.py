"""Reads for list imports. Personal data is reached only through the households selectors,
so a list can only ever be matched to, and a reviewer only ever shown, households the
person may see."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from cheepao.accounts.roles import IMPORT_LISTS, REVIEW_LISTS
from cheepao.core import access
from cheepao.core.thai import pick_language
from cheepao.geo import selectors as geo
from cheepao.households.models import Household, Member, RegistryYear
from cheepao.households.selectors import household_head, households_visible_to, village_name

from .models import ListEntry, ListImport, RejectedRow, ReviewItem

CHUNK = 2_000  # values per IN (...) query: well inside SQLite's and PostgreSQL's limits
Status = ReviewItem.Status


def may_import(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.can(IMPORT_LISTS))


def may_review(user: Any) -> bool:
    """Importers review their area's rows; districts and subdistricts the rows handed to
    them (`ReviewItem.assigned_area`)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.can(IMPORT_LISTS) or user.can(REVIEW_LISTS))
    )


def review_items_visible_to(user: Any) -> QuerySet[ReviewItem]:
    """Every review row (any status) the user may see and decide: an importer, the rows of
    villages in their area, whoever uploaded the list (so a province sees the rows of its
    own imports, handed down or not); a district or subdistrict, only the rows handed down
    to its area or an area inside it (imports.policies.ReviewItemPolicy)."""
    return access.scope(user, ReviewItem, "view")


def imports_visible_to(user: Any) -> QuerySet[ListImport]:
    """Imports made inside the user's area: their rejected rows name people of that area
    (imports.policies.ListImportPolicy)."""
    return access.scope(user, ListImport, "view")


def import_rejects(list_import: ListImport) -> QuerySet[RejectedRow]:
    return list_import.rejects.order_by("row", "id")


def review_queue(user: Any, status: str = Status.OPEN) -> QuerySet[ReviewItem]:
    """Rows of one status the user may decide, whoever uploaded the list."""
    return (
        review_items_visible_to(user)
        .filter(status=status)
        .select_related("list_import")
        .order_by("list_import_id", "row")
    )


#: The filters of the review page: name → what it keeps.
MATCH_PIN, MATCH_CANDIDATES, MATCH_NONE = "pin", "candidates", "none"
DECIDED = "decided"
ASSIGNED, UNASSIGNED = "assigned", "unassigned"


@dataclass(frozen=True)
class ReviewFilter:
    """What the reviewer narrowed the queue to; every value already checked (forms.py)."""

    list_import: int | None = None
    reason: str = ""
    match: str = ""
    area: str = ""
    status: str = Status.OPEN
    assigned: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def review_filtered(user: Any, f: ReviewFilter) -> QuerySet[ReviewItem]:
    """The user's review rows narrowed by `f`, in list and row order."""
    qs = review_items_visible_to(user)
    if f.list_import is not None:
        qs = qs.filter(list_import_id=f.list_import)
    if f.reason:
        qs = qs.filter(reason=f.reason)
    if f.match == MATCH_PIN:
        qs = qs.filter(pin_household__isnull=False)
    elif f.match == MATCH_CANDIDATES:
        qs = qs.exclude(candidates=[])
    elif f.match == MATCH_NONE:
        qs = qs.filter(candidates=[])
    if f.area:
        qs = qs.filter(village_code__startswith=f.area)
    if f.status == DECIDED:
        qs = qs.exclude(status=Status.OPEN)
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.assigned == ASSIGNED:
        qs = qs.exclude(assigned_area="")
    elif f.assigned == UNASSIGNED:
        qs = qs.filter(assigned_area="")
    return qs.select_related("list_import", "decided_by").order_by("list_import_id", "row")


def review_areas(user: Any) -> list[tuple[str, str]]:
    """(code, name) of the districts and subdistricts that hold the user's open review
    rows, for the area filter: each district followed by its subdistricts."""
    villages = (
        review_items_visible_to(user)
        .filter(status=Status.OPEN)
        .order_by()
        .values_list("village_code", flat=True)
        .distinct()
    )
    codes = sorted({c[:4] for c in villages} | {c[:6] for c in villages})
    cache: dict[str, list] = {}
    return [(code, area_label(code, cache)) for code in codes if len(code) > len(user.area_code)]


def area_label(code: str, cache: dict[str, list] | None = None) -> str:
    """'หมู่ที่ 7 ตำบลในเมือง อำเภอเมืองอุบลราชธานี': the names of a village, subdistrict or
    district code, smallest first; the code itself if unknown. `cache` keeps the names
    looked up per subdistrict across calls."""
    if not code:
        return ""
    cache = {} if cache is None else cache
    if code[:6] not in cache:
        cache[code[:6]] = geo.area_breadcrumb(code[:6])
    crumbs = cache[code[:6]]
    if not crumbs:
        return code
    names = [a.full_name for a in reversed(crumbs) if len(a.code) > 2]
    if len(code) == 8:
        names.insert(0, village_name(code))
    return pick_language(" ", ", ").join(names)


@dataclass
class Candidate:
    """A registry household a review row might mean, as the reviewer sees it."""

    household: Household
    head: Member | None
    listed: Member | None  # the member whose national ID the row gives, if any
    area: str
    by_pin: bool
    by_house_code: bool


@dataclass
class ReviewCard:
    item: ReviewItem
    area: str
    assigned: str
    candidates: list[Candidate] = field(default_factory=list)


def review_cards(user: Any, items: list[ReviewItem]) -> list[ReviewCard]:
    """The page's rows with their candidates (names, area, what names them), fetched in
    one query for the whole page, and only those the reviewer may see."""
    ids = {int(i) for item in items for i in item.candidates}
    households = {
        h.pk: h
        for h in households_visible_to(user)
        .filter(pk__in=ids)
        .prefetch_related("members")
        .order_by("village_code", "house_no")
    }
    labels: dict[str, str] = {}
    crumbs: dict[str, list] = {}

    def label(code: str) -> str:
        if code not in labels:
            labels[code] = area_label(code, crumbs)
        return labels[code]

    cards = []
    for item in items:
        card = ReviewCard(item, label(item.village_code), label(item.assigned_area))
        pin, code = item.data.get("pin"), item.data.get("house_code")
        for i in item.candidates:
            h = households.get(int(i))
            if h is None:
                continue
            members = list(h.members.all())
            listed = next((m for m in members if pin and m.pin == pin), None)
            card.candidates.append(
                Candidate(
                    household=h,
                    head=household_head(members),
                    listed=listed,
                    area=label(h.village_code),
                    by_pin=listed is not None,
                    by_house_code=bool(code) and h.house_code == code,
                )
            )
        cards.append(card)
    return cards


def review_counts(list_import: ListImport) -> dict[str, int]:
    """How the import's review rows stand: per status, and the open ones handed down."""
    counts = Counter(
        dict(
            list_import.reviews.order_by()
            .values("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
    )
    counts["assigned"] = list_import.reviews.filter(
        Q(status=Status.OPEN) & ~Q(assigned_area="")
    ).count()
    return {s: counts.get(s, 0) for s in [*Status.values, "assigned"]}


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    values = sorted(set(values))
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def households_by_pin(user: Any, registry: RegistryYear, pins: Iterable[str]) -> dict[str, set]:
    """PIN → ids of the visible households of that registry year with a member of that PIN."""
    visible = households_visible_to(user).filter(registry=registry)
    out: dict[str, set] = {}
    for chunk in _chunks(pins):
        rows = Member.objects.filter(household__in=visible, pin__in=chunk).values_list(
            "pin", "household_id"
        )
        for pin, household_id in rows:
            out.setdefault(pin, set()).add(household_id)
    return out


def households_by_house_code(
    user: Any, registry: RegistryYear, codes: Iterable[str]
) -> dict[str, set]:
    visible = households_visible_to(user).filter(registry=registry)
    out: dict[str, set] = {}
    for chunk in _chunks(codes):
        for code, household_id in visible.filter(house_code__in=chunk).values_list(
            "house_code", "pk"
        ):
            out.setdefault(code, set()).add(household_id)
    return out


def review_candidates(user: Any, item: ReviewItem) -> list[Household]:
    """The households the row might mean, as far as the reviewer may see them, with their
    members for naming the head."""
    ids = [int(i) for i in item.candidates]
    return list(
        households_visible_to(user)
        .filter(pk__in=ids)
        .prefetch_related("members")
        .order_by("village_code", "house_no")
    )


def household_by_hh_id(user: Any, registry: RegistryYear, hh_id: str) -> Household | None:
    """A household the reviewer typed the survey id of, if they may see it."""
    hh_id = (hh_id or "").strip()
    if not hh_id:
        return None
    return households_visible_to(user).filter(registry=registry, hh_id=hh_id).first()


def household_lists(household: Household) -> QuerySet[ListEntry]:
    """The lists a household was found on, for its folder (the caller has already checked
    that the user may see the household)."""
    return household.list_entries.select_related("list_import").order_by("created_at")


def review_imports(user: Any) -> list[tuple[int, str]]:
    """(id, name) of the imports that have review rows the user may see, newest first."""
    rows = (
        review_items_visible_to(user)
        .order_by("-list_import_id")
        .values_list("list_import_id", "list_import__name")
        .distinct()
    )
    return list(rows)
