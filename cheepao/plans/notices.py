"""The notifications the household plan sends (notifications.kinds; ADR 0029).

A notice carries the household's registry id and the plan's number, not names or the
reviewer's comment: its copies leave Cheepao by e-mail or LINE, and the comment is read on
the plan's page, behind the page's own access check.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

from cheepao.notifications.kinds import define

RETURNED = define(
    "plans.returned",
    N_(
        "Household plan no. %(number)s of household %(household)s was returned to its "
        "mentors with a comment; open the plan to read it."
    ),
)
