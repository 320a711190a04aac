"""Who may act on duplicate checks (core.access; ADR 0017).

A duplicate check is seen and decided by the district centre (CERTIFY) that holds the
matched record: the check's area lies inside the account's. The team that asked sees only
its own side, on its form, never the check itself. The page of a field-found household is
the household's own `view` action (households.policies), narrowed to field-found ones.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cheepao.accounts.roles import CERTIFY
from cheepao.core import access
from cheepao.newhouseholds.models import DuplicateCase


class DuplicateCasePolicy(access.AreaPolicy):
    model = DuplicateCase
    area_lookup = "area_code"
    actions = {
        "view": CERTIFY,  # the check: the form's side and the district's own record
        "decide": CERTIFY,  # same person, or may be added
    }

    def within(self, user: Any, action: str, qs: QuerySet) -> QuerySet:
        if not user.area_code:  # decided by a district, never by the whole country
            return qs.none()
        return super().within(user, action, qs)


def register() -> None:
    access.register(DuplicateCasePolicy())
