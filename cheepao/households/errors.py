"""The registry's refusals (core.errors): codes and the words a person reads for them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cheepao.core.errors import define

INDICATOR_UNKNOWN = define(
    "households.indicator_unknown",
    _("Not an indicator of this registry's indicator set: %(codes)s"),
)
PROBLEM_TWICE = define(
    "households.problem_twice",
    _("A problem cannot be added and taken away at once: %(codes)s"),
)
ORIGIN_UNKNOWN = define("households.origin_unknown", _("Unknown origin of a problem: %(origin)s"))
STATUS_UNKNOWN = define("households.status_unknown", _("Unknown household status: %(status)s"))
STATUS_PENDING = define(
    "households.status_pending",
    _("Only a new household is awaiting certification; a household cannot go back to it."),
)
HH_ID_TAKEN = define(
    "households.hh_id_taken",
    _("The registry of %(year)s already has a household with the id %(hh_id)s."),
)
HH_ID_MISSING = define("households.hh_id_missing", _("A household needs an id."))
VILLAGE_MALFORMED = define(
    "households.village_malformed", _("A village code has 8 digits: %(code)s")
)
NO_MEMBERS = define("households.no_members", _("A household needs at least one member."))
MEMBER_NO_TWICE = define(
    "households.member_no_twice", _("Two members have the same number: %(numbers)s")
)
HISTORY_KIND_UNKNOWN = define(
    "households.history_kind_unknown", _("Unknown kind of history event: %(kind)s")
)
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
PIN_SIGNED_OUT = define(
    "households.pin_signed_out", _("National IDs are looked up by signed-in accounts only.")
)
PIN_LIMIT = define(
    "households.pin_limit",
    _(
        "You have looked up %(limit)s national IDs in the last %(window)s minutes, the "
        "most one account may. To protect personal data, lookups are paused: please try "
        "again in %(wait)s minutes."
    ),
)
