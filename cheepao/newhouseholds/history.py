"""Form ศจพ.2 in the history of a registry household (households.history): a national ID
or house code of the household typed on a form elsewhere, put to the district as a
duplicate check, and the district's answer. (A household recorded with form ศจพ.2 itself
starts its history with the registry's own `recorded_new`.)

The sentences name neither the asking team's area nor the name typed there: the folder
shows them to everyone who may open it, while the case itself is for the holding district
(ADR 0009)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

from cheepao.households.history import define
from cheepao.newhouseholds.models import DuplicateCase

#: The district's two answers as the history words them.
DECISIONS = {
    DuplicateCase.Status.SAME: N_("the same person, not to be added as new"),
    DuplicateCase.Status.MAY_ADD: N_("may be added as a new household"),
}


def _decision(value: Any, household: Any) -> str:
    text = DECISIONS.get(value)
    return gettext(text) if text else str(value)


DUPLICATE_ASKED = define(
    "newhouseholds.duplicate_asked",
    N_(
        "duplicate check %(case)s: a team elsewhere typed the same %(key)s on form ศจพ.2; "
        "the district is asked whether it is this household"
    ),
    case="text",
    key=DuplicateCase.Kind,
)
DUPLICATE_DECIDED = define(
    "newhouseholds.duplicate_decided",
    N_("duplicate check %(case)s answered by the district: %(decision)s"),
    case="text",
    decision=_decision,
)
