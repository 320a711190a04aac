"""Evaluation of help against the next survey (issue 13 item 6).

When the next survey year is computed, each household of a registry year (the year the
help was given) is followed into the later survey (matched by `hh_id`, the engine's
`compare`): per indicator, per dimension and for the target status as a whole, it
escaped, is still deprived, newly fell in, was never deprived, or left (not in the later
survey). Each of those is joined with the help the Logbook recorded for it in the
campaign year (acts, baht) so agencies and programmes can see what share of the
households they helped escaped next year. This is association, not proof.

`Evaluation` is one comparison (a registry year against a later run); `Outcome` is one
household's result for one subject (an indicator code, a dimension code, or "target"),
kept only where there is something to say (deprived in either year, or helped). An
evaluation is computed again whole (its outcomes deleted and written in one transaction).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cheepao.households.models import Household, RegistryYear

TARGET = "target"  # the subject of the target status as a whole


class Evaluation(models.Model):
    registry = models.ForeignKey(
        RegistryYear, on_delete=models.CASCADE, related_name="+", verbose_name=_("registry")
    )
    before_year = models.PositiveSmallIntegerField(_("survey year helped"))
    after_year = models.PositiveSmallIntegerField(_("later survey year"))
    after_run_path = models.CharField(_("later run directory"), max_length=500)
    after_run_created_at = models.CharField(_("later run computed at"), max_length=40)
    catalogue = models.CharField(_("indicator set"), max_length=80, blank=True)
    households = models.PositiveIntegerField(_("households followed"), default=0)
    found = models.PositiveIntegerField(_("found in the later survey"), default=0)
    computed_at = models.DateTimeField(_("computed at"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-after_year", "-computed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["registry", "after_year"], name="evaluation_one_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.before_year}→{self.after_year}"


class Outcome(models.Model):
    class Status(models.TextChoices):
        ESCAPED = "escaped", _("escaped")
        STILL = "still", _("still deprived")
        NEWLY = "newly", _("newly deprived")
        NEVER = "never", _("never deprived")
        LEFT = "left", _("not in the later survey")

    class Stage(models.TextChoices):
        NONE = "", _("not yet surviving")
        SURVIVES = "survives", _("survival (อยู่รอด)")
        SUFFICIENT = "sufficient", _("sufficiency (พอเพียง)")
        SUSTAINABLE = "sustainable", _("sustainability (ยั่งยืน)")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="outcomes")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    village_code = models.CharField(max_length=8)
    # An indicator code, a dimension code, or TARGET.
    subject = models.CharField(_("indicator or dimension"), max_length=16)
    status = models.CharField(_("outcome"), max_length=8, choices=Status.choices)
    # The Logbook's counting help entries of the campaign year for this subject.
    helped = models.BooleanField(_("helped"), default=False)
    acts = models.PositiveIntegerField(_("acts of help"), default=0)
    baht = models.DecimalField(_("baht"), max_digits=14, decimal_places=2, default=0)
    # On the TARGET row only: the manual's stage word in the later year.
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "household", "subject"], name="evaluation_one_outcome"
            ),
        ]
        indexes = [
            models.Index(fields=["evaluation", "subject", "status"], name="evaluation_subject"),
            models.Index(fields=["evaluation", "village_code"], name="evaluation_village"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.subject} {self.status}"
