"""What form ศจพ.1 adds to the registry's pages (households.extensions), registered from
`VerificationConfig.ready()`: the registry does not import this app.

- the folder: a line with the household's ศจพ.1 (result, state, type) and the button that
  opens the form, decided by the service itself (`services.verification_allowed`), so the
  folder never shows a button the form would then refuse;
- the area register: a button to the area's verification page, the filters by ศจพ.1 status
  and household type, and a column with the ศจพ.1 result and state;
- the maps: the pin colour is the household type the team recorded.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cheepao.accounts import roles
from cheepao.core.errors import Refused
from cheepao.households import extensions
from cheepao.households.models import Household
from cheepao.verification import selectors, services
from cheepao.verification.models import Verification

ANY = [("", _("all"))]


def folder_fact(household: Household, user: Any) -> dict[str, Any]:
    return {"verification": Verification.objects.filter(household=household).first()}


def action(user: Any, household: Household) -> str:
    """ "edit" or "verify" when `user` may record ศจพ.1 for `household` now (with or
    without a recorded one), "see" when there is one to read but not change, else ""."""
    exists = Verification.objects.filter(household=household).exists()
    try:
        services.verification_allowed(user, household)
    except Refused:
        return "see" if exists else ""
    return "edit" if exists else "verify"


def folder_action(household: Household, user: Any) -> dict[str, Any] | None:
    kind = action(user, household)
    # A new household (ศจพ.2) is verified with its batch, not from its folder.
    if kind == "verify" and household.status == Household.Status.PENDING:
        kind = ""
    return {"action": kind, "household": household} if kind else None


def area_action(user: Any, code: str) -> dict[str, Any] | None:
    return {"code": code} if user.can(roles.VERIFY) else None


def status_field() -> forms.Field:
    return forms.ChoiceField(
        label=_("Verification (ศจพ.1)"),
        required=False,
        choices=ANY + list(selectors.VERIFICATION_STATUSES),
    )


def type_field() -> forms.Field:
    return forms.ChoiceField(
        label=_("Household type"), required=False, choices=ANY + list(selectors.HOUSEHOLD_TYPES)
    )


def column_cells(households: list[Household]) -> dict[int, Verification]:
    found = Verification.objects.filter(household__in=[h.pk for h in households])
    return {v.household_id: v for v in found.only("household", "result", "state")}


def pin_kinds(households: list[Household]) -> dict[int, str]:
    rows = Verification.objects.filter(household__in=[h.pk for h in households]).values_list(
        "household_id", "household_type"
    )
    return dict(rows)


def register() -> None:
    extensions.folder_sections.register(
        "verification.fact",
        order=10,
        place="facts",
        template="verification/registry/folder_fact.html",
        context=folder_fact,
    )
    extensions.folder_sections.register(
        "verification.action",
        order=10,
        place="actions",
        template="verification/registry/folder_action.html",
        context=folder_action,
    )
    extensions.area_actions.register(
        "verification.area",
        order=10,
        template="verification/registry/area_action.html",
        context=area_action,
    )
    extensions.register_filters.register(
        "verification", order=10, field=status_field, q=selectors.verification_status_q
    )
    extensions.register_filters.register(
        "household_type", order=20, field=type_field, q=selectors.household_type_q
    )
    extensions.register_columns.register(
        "verification",
        order=10,
        heading=_("Verification (ศจพ.1)"),
        template="verification/registry/register_cell.html",
        cells=column_cells,
    )
    extensions.map_pin_kind.register(
        "verification.household_type",
        kinds=pin_kinds,
        legend=tuple(Verification.HouseholdType.choices),
    )
