"""The notifications escalation sends (notifications.kinds), Thai in this app's .po."""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

from cheepao.notifications.kinds import define

ESCALATED = define(
    "escalation.escalated",
    N_("A problem of household %(household)s was escalated to the province: %(reason)s"),
)
OVERDUE = define(
    "escalation.overdue",
    N_("The district's time for a problem of household %(household)s has passed."),
)
RETURNED = define(
    "escalation.returned",
    N_("The province returned the escalated problem of household %(household)s: %(note)s"),
)
