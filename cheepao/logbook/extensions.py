"""What the Logbook adds to other apps' pages, registered from `LogbookConfig.ready()` (the
registry and mentoring do not import the Logbook):

- the household folder (households.extensions.folder_sections): a section with the acts of
  help that count and the last visit, and the way to the household's Logbook (to record
  for its mentors, to read for the area);
- mentoring's "my households" (mentoring.care.care_columns): a line per household with its
  acts of help and last visit, linking to its Logbook (one query for the page).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from cheepao.core import access
from cheepao.households import extensions
from cheepao.households.models import Household
from cheepao.logbook import selectors
from cheepao.mentoring import care


def folder_section(household: Household, user: Any) -> dict[str, Any]:
    figures = selectors.household_figures([household]).get(household.pk, {})
    caring = access.policy(Household).allows(user, "care", household)
    return {"household": household, "caring": caring, "figures": figures}


def register() -> None:
    extensions.folder_sections.register(
        "logbook.logbook",
        order=40,
        place="main",
        template="logbook/registry/folder_section.html",
        context=folder_section,
    )
    care.care_columns.register(
        "logbook.logbook",
        order=30,
        heading=_("Logbook"),
        template="logbook/registry/care_cell.html",
        cells=selectors.household_figures,
    )
