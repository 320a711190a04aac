"""Escalation as the household's history tells it (households.history)."""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

from cheepao.households.history import define

ESCALATED = define(
    "escalation.escalated",
    N_("problem %(problem)s escalated to the province: %(reason)s"),
    problem="indicators",
    reason="text",
)
ASSIGNED = define(
    "escalation.assigned",
    N_("escalated problem %(problem)s assigned by the province to %(agency)s"),
    problem="indicators",
    agency="text",
)
RETURNED = define(
    "escalation.returned",
    N_("escalated problem %(problem)s returned by the province: %(note)s"),
    problem="indicators",
    note="text",
)
PAUSED = define(
    "escalation.paused",
    N_("clock of problem %(problem)s paused: %(reason)s"),
    problem="indicators",
    reason="text",
)
RESUMED = define(
    "escalation.resumed", N_("clock of problem %(problem)s running again"), problem="indicators"
)
