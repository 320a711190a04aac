"""Why a routing write is refused, as stable codes (core.errors)."""

from django.utils.translation import gettext_lazy as _

from cheepao.core.errors import define

BAD_DIMENSION = define("routing.bad_dimension", _("Choose one of the options given."))
CASE_OPEN = define(
    "routing.case_open",
    _("This household already has an open case for this indicator; nothing was changed."),
)
NOT_OPEN = define("routing.not_open", _("This case is no longer open; nothing was changed."))
BAD_AGENCY = define("routing.bad_agency", _("Choose an agency office."))
NO_CONSENT = define(
    "routing.no_consent",
    _(
        "This body is outside government: record the household's consent to share with it "
        "first (PDPA); nothing was sent."
    ),
)
REFERRAL_OPEN = define(
    "routing.referral_open",
    _("This case is already referred to this agency and not finished; nothing was sent."),
)
BAD_LEVEL = define("routing.bad_level", _("A referral is sent by the district or by the province."))
NOT_PENDING = define(
    "routing.not_pending",
    _("This referral is no longer waiting for an answer; nothing was changed."),
)
NOT_ACCEPTED = define(
    "routing.not_accepted",
    _("Accept the referral before marking your part done; nothing was changed."),
)
NOT_OPEN_REFERRAL = define(
    "routing.referral_closed", _("This referral is already finished; nothing was changed.")
)
REASON_REQUIRED = define("routing.reason_required", _("Give the reason."))
BAD_ENTRY = define(
    "routing.bad_entry",
    _("Choose a help entry of this household in the Logbook that counts."),
)
ENTRY_NOT_AGENCY = define(
    "routing.entry_not_agency",
    _("Choose help your office recorded for this household in the Logbook."),
)
ENTRY_OTHER_DIMENSION = define(
    "routing.entry_other_dimension",
    _("The help chosen serves another dimension than this case's."),
)
BAD_DATE = define("routing.bad_date", _("Give a follow-up date from today on, within a year."))
FIELD_REQUIRED = define("routing.field_required", _("This is needed."))
CONSENT_WITHDRAWN = define(
    "routing.consent_withdrawn", _("This consent was already withdrawn; nothing was changed.")
)
BAD_CONSENT_DATE = define(
    "routing.bad_consent_date", _("Give the date it was given: not in the future.")
)
SOLVE_BY_TEAM = define(
    "routing.solve_by_team",
    _("Only the household's mentor team confirms a problem solved; nothing was changed."),
)
