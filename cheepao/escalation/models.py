"""Escalation with clocks (seed 004 sections 8 and 10): the district solves a problem or
escalates it to the province, which assigns it to a provincial agency and returns it.

- A `Clock` times one step of one case (the district's time to solve or escalate, the
  province's time to assign, ...): the step's target comes from the workflow catalogue
  (`escalation/workflows/`) under the version it started with; it runs and pauses as the
  catalogue says; `due_at` is kept current so the overdue ones are one index range. A step's
  clock stops when the step ends; the next step starts a new one.
- An `Escalation` moves a case from one level to the next, automatically when its clock is
  overdue or on request with a reason; the province assigns it (a referral to a provincial
  agency, routing app) and returns it when solved. Never deleted: it stays in the history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cheepao.accounts.models import Body
from cheepao.routing.models import Case, Referral


class Clock(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="clocks")
    # The case's village, for area scans without a join.
    village_code = models.CharField(max_length=8)
    step = models.CharField(max_length=32)
    workflow_version = models.CharField(max_length=16)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    paused_at = models.DateTimeField(null=True, blank=True)
    pause_reason = models.CharField(max_length=64, blank=True)
    paused_seconds = models.PositiveBigIntegerField(default=0)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("clock")
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(stopped_at__isnull=True, paused_at__isnull=True),
                name="escalation_clock_running_due",
            ),
            models.Index(fields=["case", "stopped_at"], name="escalation_clock_case"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(stopped_at__isnull=True),
                name="escalation_one_running_clock",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.step} due {self.due_at:%Y-%m-%d}"


class Escalation(models.Model):
    class Level(models.TextChoices):
        DISTRICT = "district", _("district")
        PROVINCE = "province", _("province")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="escalations")
    village_code = models.CharField(max_length=8)
    from_level = models.CharField(max_length=8, choices=Level.choices)
    to_level = models.CharField(max_length=8, choices=Level.choices)
    reason = models.TextField(_("reason"))
    # True when the overdue clock raised it (no person), else requested by `escalated_by`.
    automatic = models.BooleanField(default=False)
    escalated_at = models.DateTimeField()
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    assigned_agency = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("assigned to"),
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    return_note = models.TextField(_("note on return"), blank=True)

    class Meta:
        verbose_name = _("escalation")
        ordering = ["-escalated_at", "-pk"]
        indexes = [
            models.Index(fields=["village_code", "returned_at"], name="escalation_area_open"),
            models.Index(fields=["escalated_at"], name="escalation_at"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(returned_at__isnull=True),
                name="escalation_one_open_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.from_level} → {self.to_level}"

    @property
    def area_code(self) -> str:
        return self.village_code
