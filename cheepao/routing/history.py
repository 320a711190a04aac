"""Routing's changes as the household's history tells them (households.history), and the
notifications it sends (notifications.kinds)."""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

from cheepao.households.history import define
from cheepao.notifications.kinds import define as notice

OPENED = define(
    "routing.opened",
    N_("case opened: %(indicator)s, owner %(owner)s"),
    indicator="indicators",
    owner="text",
)
OWNER = define(
    "routing.owner",
    N_("owner of the case %(indicator)s changed to %(owner)s: %(reason)s"),
    indicator="indicators",
    owner="text",
    reason="text",
)
REFERRED = define(
    "routing.referred",
    N_("case %(indicator)s referred to %(agency)s, follow-up by %(date)s"),
    indicator="indicators",
    agency="text",
    date="text",
)
ACCEPTED = define(
    "routing.accepted",
    N_("%(agency)s accepted the referral of %(indicator)s"),
    agency="text",
    indicator="indicators",
)
REJECTED = define(
    "routing.rejected",
    N_("%(agency)s rejected the referral of %(indicator)s: %(reason)s"),
    agency="text",
    indicator="indicators",
    reason="text",
)
DONE = define(
    "routing.done",
    N_("%(agency)s finished its part of %(indicator)s"),
    agency="text",
    indicator="indicators",
)
REVOKED = define(
    "routing.revoked",
    N_("referral of %(indicator)s to %(agency)s revoked: %(reason)s"),
    indicator="indicators",
    agency="text",
    reason="text",
)
SOLVED = define(
    "routing.solved",
    N_("problem %(indicator)s confirmed solved by the mentor team"),
    indicator="indicators",
)
CLOSED = define(
    "routing.closed",
    N_("case %(indicator)s closed: %(reason)s"),
    indicator="indicators",
    reason="text",
)
CONSENT = define(
    "routing.consent",
    N_("consent to share with %(body)s recorded, given by %(given_by)s"),
    body="text",
    given_by="text",
)
CONSENT_WITHDRAWN = define(
    "routing.consent_withdrawn",
    N_("consent to share with %(body)s withdrawn"),
    body="text",
)

NEW_REFERRAL = notice(
    "routing.referral_new",
    N_("A problem (%(problem)s) of household %(household)s was referred to %(agency)s."),
)
REFERRAL_REJECTED = notice(
    "routing.referral_rejected",
    N_("%(agency)s rejected the referral of household %(household)s: %(reason)s"),
)
REFERRAL_DONE = notice(
    "routing.referral_done",
    N_("%(agency)s finished its part for household %(household)s."),
)
REFERRAL_OVERDUE = notice(
    "routing.referral_overdue",
    N_("The referral of household %(household)s to %(agency)s is past its follow-up date."),
)
