"""Reads for list imports. Personal data is reached only through the households selectors,
so a list can only ever be matched to, and a reviewer only ever shown, households the
person may see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from cheepao.accounts.roles import IMPORT_LISTS
from cheepao.households.models import Household, Member, RegistryYear
from cheepao.households.selectors import households_visible_to

from .models import ListEntry, ListImport, RejectedRow, ReviewItem

CHUNK = 2_000  # values per IN (...) query: well inside SQLite's and PostgreSQL's limits


def may_import(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.can(IMPORT_LISTS))


def imports_visible_to(user: Any) -> QuerySet[ListImport]:
    """Imports made inside the user's area: their rejected rows name people of that area."""
    if not may_import(user):
        return ListImport.objects.none()
    return ListImport.objects.filter(area_code__startswith=user.area_code)


def import_for(user: Any, import_id: Any) -> ListImport:
    try:
        pk = int(import_id)
    except (TypeError, ValueError):
        raise Http404("no such import") from None
    found = imports_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404("no such import")
    return found


def import_rejects(list_import: ListImport) -> QuerySet[RejectedRow]:
    return list_import.rejects.order_by("row", "id")


def review_queue(user: Any, status: str = ReviewItem.Status.OPEN) -> QuerySet[ReviewItem]:
    """Rows waiting for a decision in the user's area, whoever uploaded the list."""
    if not may_import(user):
        return ReviewItem.objects.none()
    return (
        ReviewItem.objects.filter(village_code__startswith=user.area_code, status=status)
        .select_related("list_import")
        .order_by("list_import_id", "row")
    )


def review_item_for(user: Any, item_id: Any) -> ReviewItem:
    try:
        pk = int(item_id)
    except (TypeError, ValueError):
        raise Http404("no such review item") from None
    if not may_import(user):
        raise Http404("no such review item")
    item = (
        ReviewItem.objects.filter(village_code__startswith=user.area_code, pk=pk)
        .select_related("list_import")
        .first()
    )
    if item is None:
        raise Http404("no such review item")
    return item


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
