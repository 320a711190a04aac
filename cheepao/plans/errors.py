"""Why a plan write is refused, as stable codes (core.errors; ADR 0017)."""

from django.utils.translation import gettext_lazy as _

from cheepao.core.errors import define

STALE = define(
    "plans.stale",
    _(
        "Someone else saved this plan after you opened it, so your changes were not saved. "
        "Open the plan again and make them once more."
    ),
)
NOT_EDITABLE = define(
    "plans.not_editable",
    _("This plan can no longer be changed in its present state; revise it to make a new version."),
)
EXISTS = define("plans.exists", _("This household already has a plan; open it."))
NOT_CURRENT = define(
    "plans.not_current", _("This is an older version of the plan; open the current one.")
)
STEP_STATE = define("plans.step_state", _("This step cannot be taken in the plan's present state."))
STEP_DENIED = define("plans.step_denied", _("Your role does not take this step on a plan."))
COMMENT_REQUIRED = define("plans.comment_required", _("Give a comment for the mentor."))
NO_ITEMS = define("plans.no_items", _("Add at least one item before sending the plan."))
NO_GOAL = define("plans.no_goal", _("Write the household's highest goal before sending the plan."))
FIELD_REQUIRED = define("plans.required", _("This field is required."))
BAD_CHOICE = define("plans.bad_choice", _("Choose one of the options given."))
BAD_DATE = define("plans.bad_date", _("Give a date (day, month, year)."))
NO_ITEM = define("plans.no_item", _("There is no such item in this plan."))
STAGE_CHANGED = define(
    "plans.stage_changed",
    _("The facts changed since the page was opened: check the proposed stage again."),
)
STAGE_STATE = define(
    "plans.stage_state", _("A stage is confirmed on a submitted or approved plan.")
)
