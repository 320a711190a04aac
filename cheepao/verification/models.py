"""Form ศจพ.1 and its certification (SPEC §5-6; seed 004 appendix ค, section 8).

The subdistrict operations team records one `Verification` per target household and
registry year; the team sends its area's verified households to the district as a `Batch`;
the district certifies (or returns) it and the province approves it. Nothing in the
registry changes before approval: until then a verification is a claim about a household,
not a fact, and the registry must keep showing what the survey said.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cheepao.households.models import Household, RegistryYear
from cheepao.verification.workflow import workflow


class Mark(models.TextChoices):
    """The ✓ / ✗ the team writes against each problem the registry shows (column 4)."""

    CONFIRMED = "confirmed", _("confirmed (✓)")
    WRONG = "wrong", _("not found (✗)")


class Result(models.TextChoices):
    """Column (5) of the form: never typed, always derived (`results.result_category`)."""

    ALL_CORRECT = "all_correct", _("All correct")
    PARTLY_CORRECT = "partly_correct", _("Partly correct")
    ALL_WRONG = "all_wrong", _("All wrong")
    NO_PROBLEM_FOUND = "no_problem_found", _("No such problem found")


class Verification(models.Model):
    class HouseholdStatus(models.TextChoices):
        LIVES_HERE = "lives_here", _("lives here")
        MOVED = "moved", _("moved away")
        HEAD_DECEASED = "head_deceased", _("head of household deceased")
        NEW_MEMBER = "new_member", _("has a new member")

    class CanRepay(models.TextChoices):
        YES = "yes", _("can repay")
        PARTLY = "partly", _("can repay in part")
        NO = "no", _("cannot repay")

    class HouseholdType(models.TextChoices):
        DEVELOPABLE = "developable", _("developable")
        WELFARE = "welfare", _("welfare")

    class State(models.TextChoices):
        DRAFT = "draft", _("recorded, not yet sent")
        SUBMITTED = "submitted", _("sent to the district")
        CERTIFIED = "certified", _("certified by the district")
        RETURNED = "returned", _("returned for correction")
        APPROVED = "approved", _("approved by the province")

    # One per household; a household row already belongs to one registry year.
    household = models.OneToOneField(
        Household, on_delete=models.PROTECT, related_name="verification"
    )
    # The form's own id, made by the phone that recorded it (offline) or by the server, and
    # the count of its saves: a save that carries an older version than this is refused
    # (`core.errors.Conflict`), so two people never silently overwrite each other (ADR 0021).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    household_status = models.CharField(
        _("household status"), max_length=16, choices=HouseholdStatus.choices
    )
    members_now = models.PositiveSmallIntegerField(_("people living in the household now"))
    income_year = models.DecimalField(
        _("household income per year (baht)"), max_digits=12, decimal_places=2
    )
    # Derived from income_year / members_now by the service, so it cannot disagree.
    income_per_person = models.DecimalField(
        _("average income per person per year (baht)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    debt_formal = models.DecimalField(
        _("formal debt (baht)"), max_digits=12, decimal_places=2, default=0
    )
    debt_informal = models.DecimalField(
        _("informal debt (baht)"), max_digits=12, decimal_places=2, default=0
    )
    savings = models.DecimalField(_("savings (baht)"), max_digits=12, decimal_places=2, default=0)
    can_repay = models.CharField(
        _("ability to repay debt"), max_length=8, choices=CanRepay.choices, blank=True
    )
    # {indicator code: "confirmed" | "wrong"} for every problem open when it was recorded.
    marks = models.JSONField(_("marks on the problems shown"), default=dict)
    # Indicator codes found failing that the registry did not show.
    added = models.JSONField(_("new problems found"), default=list, blank=True)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, db_index=True)
    household_type = models.CharField(
        _("household type"), max_length=12, choices=HouseholdType.choices
    )
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(_("recorded at"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("verification (ศจพ.1)")
        verbose_name_plural = _("verifications (ศจพ.1)")

    def __str__(self) -> str:
        return f"{self.household} {self.result}"

    @property
    def area_code(self) -> str:
        return self.household.village_code


class Batch(models.Model):
    """The households of one village or subdistrict sent together for certification."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for district certification")
        CERTIFIED = "certified", _("certified, waiting for province approval")
        RETURNED = "returned", _("returned to the operations team")
        APPROVED = "approved", _("approved; the registry is updated")

    registry = models.ForeignKey(RegistryYear, on_delete=models.PROTECT, related_name="+")
    # The version of the workflow catalogue (workflows/<version>.yaml) the batch started
    # under: its steps, buttons and texts are read from it (ADR 0022).
    workflow_version = models.CharField(_("workflow version"), max_length=32, editable=False)
    # A village (8 digits) or a subdistrict (6 digits), so `user.covers(area_code)` decides.
    area_code = models.CharField(_("area"), max_length=8, db_index=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, db_index=True)
    comment = models.TextField(_("latest comment"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("sent at"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-submitted_at", "-id")
        verbose_name = _("certification batch")
        verbose_name_plural = _("certification batches")

    def __str__(self) -> str:
        return f"{self.area_code} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state != self.State.APPROVED

    @property
    def workflow(self):
        """The workflow version this batch follows (`workflow.Workflow`)."""
        return workflow(self.workflow_version)


class BatchItem(models.Model):
    """One household in a batch: a verified target, or a new household (ศจพ.2) entering as
    an exclusion-error case, which may have no verification of its own."""

    class Kind(models.TextChoices):
        VERIFIED = "verified", _("verified target household")
        NEW_HOUSEHOLD = "new", _("new household (exclusion error)")

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="items")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    verification = models.ForeignKey(
        Verification, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)

    class Meta:
        ordering = ("household__village_code", "household__house_no", "household_id")
        constraints = [
            models.UniqueConstraint(fields=["batch", "household"], name="batch_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.household_id}"


class BatchEvent(models.Model):
    """Who did what to a batch and when: the certification history shown on its page.
    `action` is an event kind of the batch's workflow version (`workflow.Event`), which
    gives its label."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_username = models.CharField(max_length=150)
    at = models.DateTimeField(_("when"))
    action = models.CharField(_("action"), max_length=32)
    comment = models.TextField(_("comment"), blank=True)
    changes = models.JSONField(_("what changed"), default=dict, blank=True)

    class Meta:
        ordering = ("at", "id")
        verbose_name = _("batch event")
        verbose_name_plural = _("batch events")

    def __str__(self) -> str:
        return f"{self.batch_id} {self.action} {self.at:%Y-%m-%d}"

    @property
    def label(self) -> str:
        """The event as the batch's workflow version names it, in the reader's language."""
        return self.batch.workflow.event_label(self.action)


class RoundDeadline(models.Model):
    """A deadline of one registry year's round set for that round, in place of the date
    the workflow catalogue derives from the survey year (a decree that moves a round, or the demo,
    which dates its round from the day it is set up)."""

    class Step(models.TextChoices):
        VERIFY = "verify", _("verification")
        CERTIFY = "certify", _("certification")
        APPROVE = "approve", _("approval")

    registry = models.ForeignKey(RegistryYear, on_delete=models.CASCADE, related_name="+")
    step = models.CharField(_("step"), max_length=8, choices=Step.choices)
    due = models.DateField(_("due"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    set_at = models.DateTimeField(_("set at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registry", "step"], name="round_deadline_unique")
        ]
        verbose_name = _("deadline of a round")
        verbose_name_plural = _("deadlines of a round")

    def __str__(self) -> str:
        return f"{self.registry} {self.step} {self.due:%Y-%m-%d}"
