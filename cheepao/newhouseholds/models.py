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
