"""Why a report request is refused, as stable codes (core.errors)."""

from django.utils.translation import gettext_lazy as _

from cheepao.core.errors import define

BAD_KIND = define("reports.bad_kind", _("There is no such report."))
BAD_FORMAT = define("reports.bad_format", _("A report is made as XLSX or PDF."))
BAD_MONTH = define(
    "reports.bad_month", _("Give the month as a Buddhist Era year and month, e.g. 2569-11.")
)
