"""The household development plan (แผนพัฒนาคุณภาพชีวิตครัวเรือน; seed 001 example plan,
seed 002 4ท analysis, seed 004 section 8.4) and the household's confirmed stage.

A plan belongs to one household and is numbered per household (`number`: ฉบับที่ 1, 2, …).
Exactly one plan of a household is current (the newest); a revision is a new plan that
copies the items of the one it revises, which is kept as it was (returned with its
comment, or approved). `version` counts the saves of one plan: a save takes the version
it read and refuses an older one (another device saved first).

The household's stage (อยู่รอด / พอเพียง / ยั่งยืน) is never typed: `StageConfirmation`
stores the stage the catalogue (`stages/<version>.yaml`) proposed from the registry's open
problems and the plan's items, with the evidence lines, when the subdistrict team
confirmed it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cheepao.households.models import Household


class Stage(models.TextChoices):
    SURVIVE = "survive", _("survival (อยู่รอด)")
    SUFFICIENT = "sufficient", _("sufficiency (พอเพียง)")
    SUSTAINABLE = "sustainable", _("sustainability (ยั่งยืน)")


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("sent for review")
        RETURNED = "returned", _("returned for changes")
        APPROVED = "approved", _("approved")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField(_("plan number"), default=1)
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    revises = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    workflow_version = models.CharField(max_length=20)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # The highest goal of the household (เป้าหมายสูงสุด) and the 4ท analysis (seed 002).
    goal = models.TextField(_("highest goal of the household"), blank=True)
    attitude = models.TextField(_("attitude (ทัศนคติ)"), blank=True)
    skills = models.TextField(_("skills (ทักษะ)"), blank=True)
    land = models.TextField(_("resources: land (ทรัพยากร)"), blank=True)
    tools = models.TextField(_("resources: tools"), blank=True)
    funds = models.TextField(_("resources: funds"), blank=True)
    way_out = models.TextField(_("way out (ทางออก)"), blank=True)
    target_stage = models.CharField(
        _("target stage"), max_length=12, choices=Stage.choices, blank=True
    )
    # Who did each step, and when.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("comment of the subdistrict team"), blank=True)

    class Meta:
        verbose_name = _("household development plan")
        ordering = ["household", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(is_current=True),
                name="plans_one_current_per_household",
            ),
            models.UniqueConstraint(fields=["household", "number"], name="plans_number_once"),
        ]
        indexes = [models.Index(fields=["is_current", "status"], name="plans_current_status")]

    def __str__(self) -> str:
        return f"{self.household_id} #{self.number}"

    @property
    def village_code(self) -> str:
        return self.household.village_code

    @property
    def area_code(self) -> str:
        return self.household.village_code

    @property
    def progress(self) -> tuple[int, int]:
        """(items done, items) of the plan: its progress."""
        items = list(self.items.all())
        return sum(1 for i in items if i.status == PlanItem.Status.DONE), len(items)


class PlanItem(models.Model):
    class Help(models.TextChoices):
        # The kinds of help of the family folder (seed 003, question 12).
        GOODS = "goods", _("goods")
        MONEY = "money", _("money")
        UTILITIES = "utilities", _("utilities")
        TRAINING = "training", _("training")
        SCHOLARSHIP = "scholarship", _("scholarship")
        REFERRAL = "referral", _("referral")
        OTHER = "other", _("other")

    class Horizon(models.TextChoices):
        SHORT = "short", _("short term (up to 3 months)")
        MEDIUM = "medium", _("medium term (4-6 months)")
        LONG = "long", _("long term (over 6 months)")

    class Status(models.TextChoices):
        CONTINUING = "continuing", _("continuing")
        DONE = "done", _("done")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    dimension = models.CharField(_("dimension"), max_length=16)
    indicator = models.CharField(_("indicator"), max_length=8, blank=True)
    own_action = models.TextField(_("what the household does itself"))
    support = models.TextField(_("what the mentor or an agency supports"), blank=True)
    agency = models.CharField(_("agency"), max_length=200, blank=True)
    help_kind = models.CharField(_("kind of help"), max_length=12, choices=Help.choices)
    due = models.DateField(_("due by"))
    horizon = models.CharField(_("horizon"), max_length=8, choices=Horizon.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CONTINUING
    )

    class Meta:
        verbose_name = _("plan item")
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.indicator or self.dimension}"


class StageConfirmation(models.Model):
    """The stage the subdistrict team confirmed for a household, as the catalogue proposed
    it, with the evidence it was proposed on. Appended, never edited: the newest counts."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="stages")
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, blank=True)
    catalogue_version = models.CharField(max_length=20)
    evidence = models.JSONField(default=list)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("confirmed stage")
        ordering = ["household", "-confirmed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.stage or '-'}"
