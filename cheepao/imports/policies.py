"""Who may act on list imports and their review rows (core.access; ADR 0017).

A list import is seen by the importers (national, province) of the area it was made in:
its rejected rows name people of that area. A review row is decided by an importer whose
area holds the row's village, and by a district or subdistrict only once the row was handed
down to its area or an area inside it (`ReviewItem.assigned_area`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from cheepao.accounts.roles import IMPORT_LISTS, REVIEW_LISTS
from cheepao.core import access
from cheepao.imports.models import ListImport, ReviewItem


class ListImportPolicy(access.AreaPolicy):
    model = ListImport
    area_lookup = "area_code"
    actions = {
        "view": IMPORT_LISTS,  # the import's page and its rejected rows (CSV)
    }


class ReviewItemPolicy(access.Policy):
    """Importers (IMPORT_LISTS) and the areas rows are handed to (REVIEW_LISTS) both
    review; the table names REVIEW_LISTS, `permitted` accepts either."""

    model = ReviewItem
    actions = {
        "view": REVIEW_LISTS,  # the row's card and its candidates
        "decide": REVIEW_LISTS,  # link, field visit, reject, hand down
    }

    def permitted(self, user: Any, action: str) -> bool:
        if action not in self.actions:
            raise KeyError(f"{self.label} has no action {action!r}")
        return bool(
            getattr(user, "is_authenticated", False)
            and getattr(user, "is_active", False)
            and (user.can(IMPORT_LISTS) or user.can(REVIEW_LISTS))
        )

    def within(self, user: Any, action: str, qs: QuerySet) -> QuerySet:
        qs = qs.filter(village_code__startswith=user.area_code)
        if not user.can(IMPORT_LISTS):
            qs = qs.exclude(assigned_area="").filter(assigned_area__startswith=user.area_code)
        return qs

    def area_of(self, obj: ReviewItem) -> str:
        return obj.village_code

    def actors(self, obj: ReviewItem, action: str) -> QuerySet:
        users = get_user_model()
        importers = users.objects.filter(
            is_active=True,
            role__in=users.roles_with(IMPORT_LISTS),
            area_code__in=access.area_prefixes(obj.village_code),
        )
        if not obj.assigned_area:
            return importers
        handed = users.objects.filter(
            is_active=True,
            role__in=users.roles_with(REVIEW_LISTS),
            area_code__in=access.area_prefixes(obj.assigned_area),
        )
        return importers | handed


def register() -> None:
    access.register(ListImportPolicy())
    access.register(ReviewItemPolicy())
