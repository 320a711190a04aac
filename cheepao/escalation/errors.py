"""Why an escalation write is refused, as stable codes (core.errors; ADR 0017)."""

from django.utils.translation import gettext_lazy as _

from cheepao.core.errors import define

REASON_REQUIRED = define(
    "escalation.reason_required", _("Give the reason for escalating to the province.")
)
NOTE_REQUIRED = define("escalation.note_required", _("Write a note on what was done."))
CASE_NOT_OPEN = define("escalation.case_not_open", _("This problem is no longer open."))
ALREADY_ESCALATED = define(
    "escalation.already_escalated",
    _("This problem has already been escalated to the province and is not yet returned."),
)
NOT_AT_DISTRICT = define(
    "escalation.not_at_district", _("This problem is not at the district's step.")
)
ALREADY_ASSIGNED = define(
    "escalation.already_assigned", _("This escalation has already been assigned to an agency.")
)
NOT_ASSIGNED = define(
    "escalation.not_assigned", _("Assign the escalation to an agency before returning it.")
)
RETURNED = define("escalation.returned", _("This escalation has already been returned."))
BAD_AGENCY = define(
    "escalation.bad_agency", _("Choose an agency office of the province from the list.")
)
BAD_DATE = define(
    "escalation.bad_date", _("Give a follow-up date from today on (day, month, year).")
)
NO_CLOCK = define("escalation.no_clock", _("No clock is running for this problem."))
PAUSED = define("escalation.paused", _("The clock is already paused."))
NOT_PAUSED = define("escalation.not_paused", _("The clock is not paused."))
BAD_WAIT = define("escalation.bad_wait", _("Choose one of the reasons this step may wait for."))
