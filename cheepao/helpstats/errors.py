"""Why a statistics request is refused, as stable codes (core.errors)."""

from django.utils.translation import gettext_lazy as _

from cheepao.core.errors import define

BAD_MONTH = define(
    "helpstats.bad_month", _("Give the month as a Buddhist Era year and month, e.g. 2569-11.")
)
BAD_AREA = define("helpstats.bad_area", _("This is not an area code."))
