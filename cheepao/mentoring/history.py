"""A household put in a mentor team's care, and handed over, as its history tells it
(households.history). Names are stored as written at the time, as the appointment order
names them."""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

from cheepao.households.history import define

ASSIGNED = define(
    "mentoring.assigned",
    N_("put in the care of mentor team “%(team)s”, mentor %(mentor)s"),
    team="text",
    mentor="text",
)
HANDED_OVER = define(
    "mentoring.handed_over",
    N_("handed over from %(before)s to %(after)s: %(note)s"),
    before="text",
    after="text",
    note="text",
)
