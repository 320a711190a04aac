"""Why a background job stopped, as stable codes (core.errors; ADR 0017)."""

from django.utils.translation import gettext_lazy as _

from cheepao.core.errors import define

FAILED = define(
    "jobs.failed",
    _(
        "The work stopped on an unexpected error and nothing it was doing was kept. Start it "
        "again; if it stops again, give the system administrators this job's number: %(job)s."
    ),
)
INTERRUPTED = define(
    "jobs.interrupted",
    _(
        "The work was interrupted (the background worker stopped) and nothing it was doing "
        "was kept. Start it again."
    ),
)
NO_FILE = define("jobs.no_file", _("This work has no file to download."))
