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
