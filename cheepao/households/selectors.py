"""The one access path to personal data.

Views and the API reach households only through `households_visible_to(user)` (lists) and
`household_for(user, id)` (one record). Both apply the account's area scope; one record
outside it raises the same 404 as a record that does not exist, so ids cannot be probed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from cheepao.accounts.roles import VIEW_HOUSEHOLDS
from cheepao.households.models import Household, Member, Problem, RegistryYear

# Area code length → the household column that holds the code at that level.
SCOPE_COLUMN = {2: "province_code", 4: "district_code", 6: "subdistrict_code", 8: "village_code"}


def scope_filter(area_code: str) -> Q:
    """Households inside `area_code` ('' = everywhere)."""
    if not area_code:
        return Q()
    column = SCOPE_COLUMN.get(len(area_code))
    if column is None:
        return Q(pk__in=[])
    return Q(**{column: area_code})


def households_visible_to(user: Any) -> QuerySet[Household]:
    """Every household the user may see. Agencies see the cases routed to them (Logbook);
    until a case is routed they see none."""
    if not getattr(user, "is_authenticated", False) or not user.can(VIEW_HOUSEHOLDS):
        return Household.objects.none()
    return Household.objects.filter(scope_filter(user.area_code))


def household_for(user: Any, household_id: Any) -> Household:
    """One household the user may see, or 404 (the same 404 for missing and forbidden)."""
    try:
        pk = int(household_id)
    except (TypeError, ValueError):
        raise Http404("no such household") from None
    household = households_visible_to(user).filter(pk=pk).first()
    if household is None:
        raise Http404("no such household")
    return household


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


def registry_latest() -> RegistryYear | None:
    return RegistryYear.objects.order_by("-survey_year").first()


def registry_years() -> list[RegistryYear]:
    return list(RegistryYear.objects.order_by("-survey_year"))
