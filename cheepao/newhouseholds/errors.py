"""Why a form ศจพ.2 is not recorded, as stable codes (core.errors; ADR 0017, 0021)."""

from django.utils.translation import gettext_lazy as _

from cheepao.core.errors import define

ALREADY_RECORDED = define(
    "newhouseholds.already_recorded",
    _("This form was already saved, as household %(hh_id)s; it was not saved a second time."),
)
BAD_UID = define(
    "newhouseholds.bad_uid", _("The form's own id is not a valid id (a UUID); nothing was saved.")
)

# Deciding a duplicate check (newhouseholds.policies): a role that decides none. A check
# outside the account's district is `access.not_found`, as for one that does not exist.
MAY_NOT_DECIDE = define(
    "newhouseholds.may_not_decide",
    _("Only the district centre (ศจพ.อ.) holding the record decides a duplicate check."),
)

# Recording a household (form ศจพ.2): the team's own villages only.
MAY_NOT_RECORD = define(
    "newhouseholds.may_not_record",
    _("Your account does not record new households; nothing was saved."),
)
NOT_YOUR_VILLAGE = define(
    "newhouseholds.not_your_village",
    _("This village is outside your area; nothing was saved."),
)
BAD_DECISION = define("newhouseholds.bad_decision", _("Choose one of the two decisions."))
ALREADY_DECIDED = define("newhouseholds.already_decided", _("This check has already been decided."))

# A form ศจพ.2 that is not recorded as it stands: `reasons` lists why, one sentence each in
# the person's language (the engine's answer checks, or the registry's matches), and the
# exception's `review` is the form's review (the page shows it instead of looking again).
ANSWERS_INVALID = define(
    "newhouseholds.answers_invalid",
    _("Some answers cannot be recorded as they are; nothing was saved."),
)
NOT_ADDED = define(
    "newhouseholds.not_added",
    _("This household cannot be added to the registry; nothing was saved."),
)
NO_REGISTRY = define(
    "newhouseholds.no_registry",
    _("No registry year is loaded yet, so no household can be added."),
)
