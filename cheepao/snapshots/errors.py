"""Why a snapshot request is refused, as stable codes (core.errors)."""

from django.utils.translation import gettext_lazy as _

from cheepao.core.errors import define

BAD_MONTH = define(
    "snapshots.bad_month", _("Give the month as a Buddhist Era year and month, e.g. 2569-11.")
)
BAD_AREA = define("snapshots.bad_area", _("This is not an area code."))
NOT_PERMITTED = define(
    "snapshots.not_permitted", _("Only the area's own office may close its month.")
)
MONTH_NOT_ENDED = define(
    "snapshots.month_not_ended", _("The month has not ended yet; close it after its last day.")
)
NOT_BUILT = define(
    "snapshots.not_built", _("The month has no snapshot of this area yet; build it first.")
)
ALREADY_CLOSED = define("snapshots.already_closed", _("This month is already closed here."))
CHILDREN_OPEN = define(
    "snapshots.children_open",
    _("These areas under it have not closed the month yet: %(areas)s."),
)
LEVEL_ORDER = define(
    "snapshots.level_order",
    _(
        "A month closes bottom-up: subdistrict, then district, then province, then the "
        "country; a village closes with its subdistrict."
    ),
)
