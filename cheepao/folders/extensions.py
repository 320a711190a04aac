"""What the family folder adds to the registry's pages (households.extensions), registered
from `FoldersConfig.ready()`: the registry does not import this app.

- the household page: a section with the folder's summary (version, who and when, type,
  wish for help, photos, pin) and the links to read it, and to fill it for its mentors;
- mentoring's "my households": a line per household with the folder's state (none yet /
  version N and its date), one query for the page (`mentoring.care.care_columns`);
- the maps: the pin colour is the household type of the newest folder (green developable,
  red welfare only); a household without a folder type keeps the colour the provider
  registered before (the ศจพ.1 household type), else grey "not classified yet".
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from cheepao.core import access
from cheepao.folders.models import FamilyFolder
from cheepao.folders.selectors import folder_summary
from cheepao.households import extensions
from cheepao.households.models import Household
from cheepao.mentoring import care

KEY = "folders.household_type"
LEGEND = (
    (FamilyFolder.HouseholdType.DEVELOPABLE.value, _("developable")),
    (FamilyFolder.HouseholdType.WELFARE.value, _("welfare")),
)
#: The provider registered before this one (kept once: `ready()` may run twice).
_fallback: list[extensions.PinKinds] = []


def folder_section(household: Household, user: Any) -> dict[str, Any]:
    return {
        **folder_summary(household),
        "household": household,
        "may_care": access.allows(user, "care", household),
    }


def pin_kinds(households: list[Household]) -> dict[int, str]:
    ids = [h.pk for h in households]
    newest = FamilyFolder.objects.filter(household=OuterRef("household")).order_by("-number")
    rows = (
        FamilyFolder.objects.filter(household__in=ids)
        .filter(pk=Subquery(newest.values("pk")[:1]))
        .values_list("household_id", "household_type")
    )
    colours = dict(LEGEND)
    # A folder with a type decides (deceased/moved or other: grey); without one, the kind
    # the provider before says.
    known = {hid: kind if kind in colours else "" for hid, kind in rows if kind}
    out = dict(_fallback[0].kinds(households)) if _fallback else {}
    out = {k: v for k, v in out.items() if v in colours}
    out.update(known)
    return out


def care_cells(households: list[Household]) -> dict[int, FamilyFolder]:
    """The newest folder version of each household of a page (one query)."""
    ids = [h.pk for h in households]
    newest = FamilyFolder.objects.filter(household=OuterRef("household")).order_by("-number")
    rows = (
        FamilyFolder.objects.filter(household__in=ids)
        .filter(pk=Subquery(newest.values("pk")[:1]))
        .only("pk", "household_id", "number", "saved_at")
    )
    return {f.household_id: f for f in rows}


def register() -> None:
    care.care_columns.register(
        "folders.folder",
        order=10,
        heading=_("Family folder"),
        template="folders/registry/care_cell.html",
        cells=care_cells,
    )
    extensions.folder_sections.register(
        "folders.summary",
        order=20,
        place="main",
        template="folders/registry/folder_section.html",
        context=folder_section,
    )
    previous = extensions.map_pin_kind.provider
    if previous is not None and previous.key != KEY and not _fallback:
        _fallback.append(previous)
    extensions.map_pin_kind.register(KEY, kinds=pin_kinds, legend=LEGEND)
