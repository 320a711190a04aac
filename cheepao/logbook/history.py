"""Logbook entries as the household's history tells them (households.history). Mentoring's
"last contact" reads this history, so a visit or help a team member records is a contact."""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

from cheepao.households.history import define
from cheepao.logbook.models import Entry

NEED = define(
    "logbook.need",
    N_("problem or need noted (%(source)s): %(indicator)s %(note)s"),
    source=Entry.Source,
    indicator="indicators",
    note="text",
)
HELP = define(
    "logbook.help",
    N_("help recorded: %(help)s from %(giver)s, %(value)s baht, %(indicator)s"),
    help=Entry.HelpKind,
    giver="text",
    value="text",
    indicator="indicators",
)
VISIT = define("logbook.visit", N_("visited by %(giver)s: %(note)s"), giver="text", note="text")
SUMMARY = define("logbook.summary", N_("summary of change recorded: %(note)s"), note="text")
CORRECTED = define(
    "logbook.corrected",
    N_("Logbook entry of %(date)s corrected"),
    date="text",
)
WITHDRAWN = define(
    "logbook.withdrawn",
    N_("Logbook entry of %(date)s withdrawn (recorded by mistake)"),
    date="text",
)
