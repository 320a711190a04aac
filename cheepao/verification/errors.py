"""Why a form ศจพ.1 is not saved, as stable codes (core.errors; ADR 0017, 0021)."""

from django.utils.translation import gettext_lazy as _

from cheepao.core.errors import define

STALE = define(
    "verification.stale",
    _(
        "Someone else saved this form ศจพ.1 after you opened it, so your answers were not "
        "saved. They are still below: check them against what is saved now (the household's "
        "folder), then save again to replace it."
    ),
)
UID_TAKEN = define(
    "verification.uid_taken",
    _("The form's own id already belongs to another form ศจพ.1; nothing was saved."),
)
BAD_UID = define(
    "verification.bad_uid",
    _("The form's own id is not a valid id (a UUID); nothing was saved."),
)

# A batch step refused by the batch's policy (verification.policies): the account sees the
# batch but its role does not take this step. A batch outside the account's area is
# `access.not_found`, the same as one that does not exist.
CERTIFY_DENIED = define(
    "verification.certify_denied", _("Only the district centre (ศจพ.อ.) can certify a batch.")
)
RETURN_DENIED = define(
    "verification.return_denied", _("Only the district centre (ศจพ.อ.) can return a batch.")
)
APPROVE_DENIED = define(
    "verification.approve_denied", _("Only the province centre (ศจพ.จ.) can approve a batch.")
)
STEP_DENIED = define("verification.step_denied", _("Your role does not take this step on a batch."))
STEPS_DENIED = {"certify": CERTIFY_DENIED, "return": RETURN_DENIED, "approve": APPROVE_DENIED}

# Sending an area's forms for certification (batch_submit).
SUBMIT_DENIED = define(
    "verification.submit_denied", _("Your role cannot send batches for certification.")
)
SUBMIT_AREA = define(
    "verification.submit_area", _("A batch is sent for one village or one subdistrict.")
)
SUBMIT_OUTSIDE = define("verification.submit_outside", _("This area is outside your area."))
NO_REGISTRY = define("verification.no_registry", _("No registry has been loaded yet."))
NOTHING_TO_SEND = define(
    "verification.nothing_to_send",
    _("There is nothing to send: no verified household of this area is waiting."),
)
