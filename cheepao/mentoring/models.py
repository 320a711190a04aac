"""Mentor teams (ทีมพี่เลี้ยง) and the households assigned to them (seed 004, section 8.4 and
appendix ข; seed 001: one civil servant for one poor household).

The district centre (ศจพ.อ.) appoints teams by subdistrict with an appointment order; a
team has 3-5 members, accounts or named people without accounts (students, volunteers,
community leaders, neighbours), led by a civil servant. Each target household of the
registry is assigned to one team and one named civil servant of it (a member with an
account): that person, and the team's other members with accounts, care for it (folder,
plan, later help). An assignment is never edited: a handover ends it (with its note) and
starts the next one, so who cared for a household when stays known.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cheepao.households.models import Household


class MentorTeam(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(_("team name"), max_length=200)
    # The subdistrict the team works in (6 digits) and its district (4), for the policy.
    subdistrict_code = models.CharField(_("subdistrict"), max_length=6, db_index=True)
    district_code = models.CharField(max_length=4, db_index=True)
    # The appointment order of the district (seed 004 appendix ข): its number and date.
    order_no = models.CharField(_("order number"), max_length=40, blank=True)
    order_date = models.DateField(_("order date"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    appointed_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mentor team")
        ordering = ["subdistrict_code", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def area_code(self) -> str:
        return self.subdistrict_code


class TeamMember(models.Model):
    class Kind(models.TextChoices):
        CIVIL_SERVANT = "civil_servant", _("civil servant")
        STUDENT = "student", _("student")
        VOLUNTEER = "volunteer", _("volunteer")
        COMMUNITY_LEADER = "community_leader", _("community leader")
        NEIGHBOUR = "neighbour", _("neighbouring household")
        OTHER = "other", _("other")

    team = models.ForeignKey(MentorTeam, on_delete=models.CASCADE, related_name="members")
    # An account (mentor role) when the person signs in; else only a name.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mentor_memberships",
        null=True,
        blank=True,
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position or office"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_lead = models.BooleanField(_("team lead"), default=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    active = models.BooleanField(_("active"), default=True)
    added_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("team member")
        ordering = ["team", "-is_lead", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=Q(active=True, user__isnull=False),
                name="mentoring_member_once_per_team",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """One household in the care of one team and one named civil servant, from `started_at`
    until a handover or the end of the care (`ended_at`). At most one is current."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(MentorTeam, on_delete=models.PROTECT, related_name="assignments")
    mentor = models.ForeignKey(TeamMember, on_delete=models.PROTECT, related_name="assignments")
    # Copied from the household, so "my households" and the caps are one indexed filter.
    village_code = models.CharField(max_length=8, db_index=True)
    started_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    handover_note = models.TextField(_("handover note"), blank=True)

    class Meta:
        verbose_name = _("assignment")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(ended_at__isnull=True),
                name="mentoring_one_current_assignment",
            )
        ]
        indexes = [models.Index(fields=["mentor", "ended_at"], name="mentoring_mentor_current")]

    def __str__(self) -> str:
        return f"{self.household_id} → {self.mentor_id}"

    @property
    def area_code(self) -> str:
        return self.village_code
