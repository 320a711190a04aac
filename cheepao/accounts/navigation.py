"""The site's main menu as data: each entry names the permission (any of) that shows it.

A menu entry is a promise that the page will open, so it follows the same permission
table (roles.RULES) that the pages themselves check.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cheepao.accounts import roles


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str
    any_of: tuple[str, ...]


MENU = (
    Entry("dashboards:overview", _("Dashboard"), (roles.VIEW_HOUSEHOLDS,)),
    Entry("households:home", _("Registry"), (roles.VIEW_HOUSEHOLDS,)),
    Entry("households:search", _("Search households"), (roles.VIEW_HOUSEHOLDS,)),
    Entry("newhouseholds:index", _("New households (ศจพ.2)"), (roles.VERIFY,)),
    Entry("newhouseholds:duplicates", _("Duplicate checks (ศจพ.2)"), (roles.CERTIFY,)),
    Entry(
        "verification:batches",
        _("Verification and certification"),
        (roles.VERIFY, roles.CERTIFY, roles.APPROVE),
    ),
    Entry("mentoring:mine", _("My households"), (roles.CARE,)),
    Entry("mentoring:teams", _("Mentor teams"), (roles.APPOINT_MENTORS, roles.REVIEW_PLANS)),
    Entry(
        "mentoring:unassigned",
        _("Unassigned households"),
        (roles.APPOINT_MENTORS, roles.REVIEW_PLANS),
    ),
    Entry(
        "mentoring:no_contact",
        _("Households with no contact"),
        (roles.APPOINT_MENTORS, roles.REVIEW_PLANS),
    ),
    Entry("routing:inbox", _("Referrals to my office"), (roles.SERVE,)),
    Entry("routing:area", _("Cases of the district"), (roles.ROUTE,)),
    Entry("escalation:list", _("Escalated problems"), (roles.APPROVE, roles.CERTIFY)),
    Entry("helpstats:month", _("Monthly statistics of help"), (roles.VIEW_HOUSEHOLDS, roles.SERVE)),
    Entry("evaluation:index", _("Evaluation"), (roles.VIEW_HOUSEHOLDS,)),
    Entry("reports:index", _("Reports"), (roles.VIEW_HOUSEHOLDS, roles.SERVE)),
    Entry("maps:map", _("Map"), (roles.VIEW_HOUSEHOLDS,)),
    Entry("snapshots:months", _("Monthly snapshots"), (roles.VIEW_HOUSEHOLDS,)),
    Entry("logbook:programmes", _("Programmes"), (roles.SERVE, roles.APPROVE, roles.CERTIFY)),
    Entry("imports:list", _("List imports"), (roles.IMPORT_LISTS,)),
    Entry("imports:review", _("List rows to decide"), (roles.REVIEW_LISTS,)),
    Entry("audit:search", _("Audit log"), (roles.VIEW_AUDIT,)),
    Entry("households:load", _("Load a survey year"), (roles.LOAD_REGISTRY,)),
    Entry(
        "jobs:index",
        _("My background work"),
        (roles.IMPORT_LISTS, roles.LOAD_REGISTRY, roles.VIEW_AUDIT),
    ),
    Entry("dashboards:home", _("Public dashboard"), ()),
)


def navigation(request) -> dict:
    """Context processor: the menu entries this user may open, the current one marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"main_menu": []}
    # Held at the door (AccountGuardMiddleware): no menu of pages that would not open yet.
    if user.must_change_password or (user.needs_two_factor and not user.is_verified()):
        return {"main_menu": []}
    items = []
    for entry in MENU:
        if entry.any_of and not any(user.can(p) for p in entry.any_of):
            continue
        url = reverse(entry.url_name)
        current = request.path == url or (url != "/" and request.path.startswith(url))
        items.append({"url": url, "label": entry.label, "current": current})
    return {"main_menu": items}
