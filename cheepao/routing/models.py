"""Routing (seed 004 sections 8 and 10; seed 001 section ๙): every open problem of a household
has an owner agency, and referrals carry it to the agencies that help.

- A `Case` is one problem of one household that someone must solve: a failing indicator of
  the registry (`households.Problem`, which it links to and marks solved through the
  registry's own verb) or a need found in the field. Its owner is the lead agency of the indicator by default (the routing
  catalogue, `routing/catalogues/`), changeable by the district. It is solved only with a
  help entry or evidence in the Logbook and the mentor team's confirmation; a solved case
  stays, with who confirmed it and on which entry.
- A `Referral` sends a case to one agency office: pending → accepted / rejected (with a
  reason) → done, or revoked by the sender; it has a follow-up date, and it is overdue when
  that date has passed and it is not finished.
- A `Consent` is the household's recorded consent (PDPA) to share its data with bodies
  outside government (foundations, companies, community organisations): a referral to such a
  body needs one in force.

Escalation (clocks, district → province) lives in the `escalation` app, which reads these
tables; the monthly statistics read them too, never the other way round.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cheepao.accounts.models import Body
from cheepao.households.models import Household, Problem
from cheepao.logbook.models import Entry


class Case(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("open")
        SOLVED = "solved", _("solved")
        # No longer someone's to solve (the household moved away, the need was recorded in
        # error): closed with a reason, kept in the history.
        CLOSED = "closed", _("closed")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # Copied from the household: an area's problems are a prefix range, no join.
    village_code = models.CharField(max_length=8)
    dimension = models.CharField(_("dimension"), max_length=16)
    indicator = models.CharField(_("indicator"), max_length=8, blank=True)
    # The registry's problem (failing indicator) it works on; None for a need found in the
    # field that is no indicator of the registry's set.
    problem = models.ForeignKey(
        Problem, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # The need or problem entry of the Logbook it was raised from, when there is one.
    need = models.ForeignKey(
        Entry, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    # The agency office that owns it; `owner_default` while it is the catalogue's choice.
    owner = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("owner agency"),
    )
    owner_default = models.BooleanField(default=True)
    # The routing catalogue version the owner was chosen under, and the workflow version of
    # the clocks the case runs under (escalation app).
    catalogue_version = models.CharField(max_length=16, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # Solved: the help entry (or evidence entry) it rests on and the team member confirming.
    solved_at = models.DateTimeField(null=True, blank=True)
    solved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    solved_entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closed_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("case")
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["household", "state"], name="routing_case_household"),
            models.Index(fields=["village_code", "state"], name="routing_case_area"),
            models.Index(fields=["owner", "state"], name="routing_case_owner"),
            models.Index(fields=["solved_at"], name="routing_case_solved"),
        ]
        constraints = [
            # One open case per household and indicator (field needs have no indicator).
            models.UniqueConstraint(
                fields=["household", "indicator"],
                condition=Q(state="open") & ~Q(indicator=""),
                name="routing_one_open_case_per_indicator",
            ),
            models.CheckConstraint(
                condition=~Q(state="solved")
                | (Q(solved_at__isnull=False) & Q(solved_entry__isnull=False)),
                name="routing_solved_rests_on_an_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.indicator or self.dimension}"

    @property
    def area_code(self) -> str:
        return self.village_code


class Referral(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        DONE = "done", _("done")
        REVOKED = "revoked", _("revoked")

    OPEN_STATES = (State.PENDING, State.ACCEPTED)

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    # Copied from the case, for the agency's inbox by area without a join.
    village_code = models.CharField(max_length=8)
    agency = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    # 'district' or 'province': the level that sent it (a province assigns escalated cases).
    level = models.CharField(max_length=8, default="district")
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    note = models.TextField(_("note"), blank=True)
    follow_up_on = models.DateField(_("follow-up date"))
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # The reason of a rejection or a revocation.
    reason = models.TextField(_("reason"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # The help the agency recorded for its part, when it closed it.
    done_entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # When the sender and the office were told it is past its follow-up date (once).
    overdue_told_at = models.DateTimeField(null=True, blank=True)
    # The consent it was shared under (a body outside government).
    consent = models.ForeignKey(
        "Consent", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("referral")
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "state", "follow_up_on"], name="routing_ref_inbox"),
            models.Index(fields=["village_code", "state"], name="routing_ref_area"),
            models.Index(fields=["sent_at"], name="routing_ref_sent"),
        ]
        constraints = [
            # At most one open referral of a case to the same agency.
            models.UniqueConstraint(
                fields=["case", "agency"],
                condition=Q(state__in=["pending", "accepted"]),
                name="routing_one_open_referral_per_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.agency_id} ({self.state})"

    @property
    def area_code(self) -> str:
        return self.village_code


class Consent(models.Model):
    """A household's consent to share its data with bodies outside government (PDPA).

    `body` empty = any such body the centres refer it to; else only that body. Withdrawal
    ends it from that day; it is never deleted."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    village_code = models.CharField(max_length=8)
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("shared with"),
    )
    # Who in the household gave it, and how (signed form, spoken before witnesses).
    given_by = models.CharField(_("given by"), max_length=200)
    given_on = models.DateField(_("given on"))
    how = models.CharField(_("how it was given"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("consent to share")
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["household", "given_on"], name="routing_consent_hh")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.given_on}"
