"""Why the registry refuses a call: stable codes and their messages (`core.errors`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cheepao.core.errors import define

CATALOGUE_DIFFERS = define(
    "registry.catalogue_differs",
    _(
        "The run %(run)s says it was computed with indicator set %(set)s version %(version)s, "
        "but this installation's file for that version is not the one it used, so the "
        "registry cannot be loaded from it. Compute the run again. (%(detail)s)"
    ),
)
YEAR_LOADED = define(
    "registry.year_loaded",
    _(
        "Survey year %(year)s is already in the registry (version %(version)s, from run "
        "%(loaded)s). Another run of the same year is not merged into it: load it as a new "
        "registry version of the year (load_registry --new-version), or load the same run."
    ),
)
