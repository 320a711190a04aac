"""What form ศจพ.2 records beyond the registry's own columns.

The household, its members and its problems are ordinary registry rows (status pending,
source field) so that certification, the register and the Logbook treat a field-found
household like any other. The few answers the survey contract has no column for (religion,
phone, "no house number, near number …", vulnerable-group tags, question 18) and who
recorded it live here, one row per household.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cheepao.households.models import Household


class FieldReport(models.Model):
    household = models.OneToOneField(
        Household, on_delete=models.CASCADE, related_name="field_report"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    religion = models.CharField(_("religion of the head"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    near_house_no = models.CharField(_("no house number, near number"), max_length=40, blank=True)
    vulnerable_tags = models.JSONField(_("vulnerable groups"), default=list, blank=True)
    other_problem = models.TextField(_("other problems"), blank=True)
    # People of this household found in the survey but not targets, at the time of recording.
    surveyed_matches = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("new household form (ศจพ.2)")
        verbose_name_plural = _("new household forms (ศจพ.2)")

    def __str__(self) -> str:
        return f"ศจพ.2 {self.household.hh_id}"


class DuplicateCase(models.Model):
    """A national ID or house code typed on form ศจพ.2 that is known outside the team's
    area, passed to the district that holds the record to decide (ADR 0009).

    The team learns only that the household cannot be added yet and, later, the district's
    decision; the record it matched (where, which household, whose name) is kept here for
    the holding district alone and is never shown to the team.
    """

    class Kind(models.TextChoices):
        PERSON = "person", _("national ID")
        HOUSE = "house", _("house code")

    class Source(models.TextChoices):
        REGISTRY = "registry", _("target registry")
        SURVEY = "survey", _("survey (not a target)")

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for the district")
        SAME = "same_person", _("decided: not to be added as a new household")
        MAY_ADD = "may_add", _("decided: may be added as a new household")

    registry = models.ForeignKey(
        "households.RegistryYear", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    # What the team typed on the form (the team's side of the case).
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    asked_village_code = models.CharField(_("village of the form"), max_length=8, db_index=True)
    asked_house_no = models.CharField(_("house number on the form"), max_length=40, blank=True)
    asked_name = models.CharField(_("name on the form"), max_length=210, blank=True)
    pin_masked = models.CharField(_("national ID"), max_length=20, blank=True)
    house_code = models.CharField(_("house code"), max_length=20, blank=True)
    # The record it matched, in the holding district (never shown to the team).
    area_code = models.CharField(_("village of the record"), max_length=8, db_index=True)
    source = models.CharField(_("record"), max_length=10, choices=Source.choices)
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    record_hh_id = models.CharField(_("household id of the record"), max_length=40)
    record_member_no = models.PositiveSmallIntegerField(null=True, blank=True)
    record_name = models.CharField(_("name in the record"), max_length=210, blank=True)
    record_house_no = models.CharField(_("house number in the record"), max_length=40, blank=True)
    # The district's decision.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("duplicate check (ศจพ.2)")
        verbose_name_plural = _("duplicate checks (ศจพ.2)")

    def __str__(self) -> str:
        return f"duplicate check {self.pk} ({self.kind}, {self.status})"
