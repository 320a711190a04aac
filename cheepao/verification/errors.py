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

# Recording form ศจพ.1 (verification_allowed / verification_save).
MAY_NOT_VERIFY = define(
    "verification.may_not_verify", _("Your role cannot record verifications (form ศจพ.1).")
)
OUTSIDE_AREA = define("verification.outside_area", _("This household is outside your area."))
NOT_IN_REGISTRY = define(
    "verification.not_in_registry", _("This household is no longer in the registry.")
)
SENT = define(
    "verification.sent",
    _("This verification has been sent for certification and can no longer be changed."),
)

# What is wrong with the form's data: `verification.fix_fields` with a code per field.
FIX_FIELDS = define("verification.fix_fields", _("Please correct the marked fields."))
STATUS_MISSING = define("verification.status_missing", _("Choose the household's status."))
MEMBERS_NOW = define(
    "verification.members_now",
    _(
        "Give the number of people living in the household now (1 to 99; 0 only if the "
        "household moved or no one is left)."
    ),
)
BAHT = define("verification.baht", _("Give an amount in baht, 0 or more."))
CAN_REPAY = define("verification.can_repay", _("Choose whether the household can repay its debt."))
HOUSEHOLD_TYPE = define(
    "verification.household_type", _("Choose the household type: developable or welfare.")
)
NOTE_TOO_LONG = define(
    "verification.note_too_long", _("The note is too long (at most 2,000 characters).")
)
MARKS_MISSING = define(
    "verification.marks_missing",
    _("Mark every problem shown as confirmed or not found: %(codes)s"),
)
ADDED_NOT_NEW = define(
    "verification.added_not_new",
    _("New problems must be indicators of the set that are not already shown: %(codes)s"),
)
# The income rule (I3) against the marks: `amount`, `threshold` (baht as printed), `name`.
INCOME_STANDS = define(
    "verification.income_stands",
    _(
        "Income per person is %(amount)s baht a year, below the threshold of "
        "%(threshold)s baht, so the problem “%(name)s” stands: mark it confirmed (✓)."
    ),
)
INCOME_FAILS = define(
    "verification.income_fails",
    _(
        "Income per person is %(amount)s baht a year, below the threshold of "
        "%(threshold)s baht, so the household fails “%(name)s”: tick it as a new problem."
    ),
)
INCOME_NOT_CONFIRMED = define(
    "verification.income_not_confirmed",
    _(
        "Income per person is %(amount)s baht a year, not below the threshold of "
        "%(threshold)s baht, so the problem “%(name)s” cannot be confirmed: mark it not "
        "found (✗)."
    ),
)
INCOME_NOT_ADDED = define(
    "verification.income_not_added",
    _(
        "Income per person is %(amount)s baht a year, not below the threshold of "
        "%(threshold)s baht, so “%(name)s” cannot be added as a new problem."
    ),
)

# A batch step (batch_step) and the note of a batch sent (batch_submit).
UNKNOWN_STEP = define("verification.unknown_step", _("Unknown action."))
WRONG_STATE = define(
    "verification.wrong_state", _("This batch is %(state)s; you cannot %(step)s it now.")
)
COMMENT_REQUIRED = define("verification.comment_required", _("Write what the team must correct."))
COMMENT_MISSING = define("verification.comment_missing", _("A comment is required."))

# The dates of a round (round_deadlines_set).
DEADLINE_STEP_UNKNOWN = define("verification.deadline_step_unknown", _("Unknown step: %(steps)s"))
DEADLINE_REASON = define("verification.deadline_reason", _("Say why the round has its own dates."))
DEADLINE_ORDER = define(
    "verification.deadline_order",
    _(
        "The deadlines must follow the order of the steps: verification, then "
        "certification, then approval."
    ),
)
