"""The Logbook (seed 000): what was found, given and seen at a household, and the programmes
that give it (ADR 0026).

An entry is one thing recorded about one household: a need or problem noted, an act of
help, a visit, or a summary of how the household's life has changed. Entries are
append-only: the model and its queryset refuse changes and deletions, and on PostgreSQL a
trigger refuses them in the database (migration 0002). A correction is a new entry whose
`corrects` points at the entry it restates or withdraws; an entry is corrected at most once.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cheepao.accounts.models import Body
from cheepao.households.models import Household


class AppendOnly(Exception):
    pass


class Programme(models.Model):
    """A programme an agency runs for target households (as in eMENSCR): its name, the
    agency, the dimensions and indicators it serves, its budget year (BE) and budget."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(_("programme name"), max_length=300)
    agency = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("agency")
    )
    # Where the programme runs: the agency's area ('' = the whole country).
    area_code = models.CharField(_("area code"), max_length=8, blank=True, db_index=True)
    dimensions = models.JSONField(_("dimensions"), default=list, blank=True)
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    budget_year = models.PositiveIntegerField(_("budget year (BE)"))
    budget = models.DecimalField(_("budget (baht)"), max_digits=14, decimal_places=2)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        ordering = ["-budget_year", "name", "pk"]
        indexes = [models.Index(fields=["agency", "budget_year"], name="logbook_prog_agency_year")]

    def __str__(self) -> str:
        return self.name


class EntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("Logbook entries cannot be changed")

    def delete(self):
        raise AppendOnly("Logbook entries cannot be deleted")

    def counting(self) -> EntryQuerySet:
        """The entries that count: not corrected by another entry, not a withdrawal."""
        return self.filter(corrected_by__isnull=True, withdraws=False)


class Entry(models.Model):
    class Part(models.TextChoices):
        NEED = "need", _("problem or need")
        HELP = "help", _("help")
        VISIT = "visit", _("visit")
        SUMMARY = "summary", _("summary of change")

    class HelpKind(models.TextChoices):
        GOODS = "goods", _("goods")
        MONEY = "money", _("money")
        UTILITIES = "utilities", _("utilities")
        TRAINING = "training", _("training")
        SCHOLARSHIP = "scholarship", _("scholarship")
        REFERRAL = "referral", _("referral")
        OTHER = "other", _("other")

    class Source(models.TextChoices):
        REGISTRY = "registry", _("the registry's failing indicators")
        PLAN = "plan", _("the household plan")
        THAIQM = "thaiqm", _("a ThaiQM list")
        FIELD = "field", _("found in the field")

    # Made by the client when it gives one (offline, ADR 0021), else by the server.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No index of their own: (household, occurred_on) and (agency, occurred_on) cover them, and
    # every index costs each of the >= 1,000 writes a second (ADR 0026).
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # Copied from the household when written: an area's month is a prefix range, no join.
    village_code = models.CharField(max_length=8)
    part = models.CharField(_("part"), max_length=8, choices=Part.choices)
    # When it happened (as the person says) and when the server stored it.
    occurred_on = models.DateField(_("date"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        db_index=False,
    )
    recorded_by_name = models.CharField(max_length=150, blank=True)
    # Who gave the help or made the visit, as written (a person or an office).
    giver = models.CharField(_("who"), max_length=200, blank=True)
    agency = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", null=True, blank=True, db_index=False
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    dimension = models.CharField(_("dimension"), max_length=16, blank=True)
    indicator = models.CharField(_("indicator"), max_length=8, blank=True)
    help_kind = models.CharField(
        _("kind of help"), max_length=12, choices=HelpKind.choices, blank=True
    )
    source = models.CharField(_("found in"), max_length=8, choices=Source.choices, blank=True)
    value = models.DecimalField(
        _("value (baht)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # The help's note, what the visit found, the need as told, the change summarised.
    note = models.TextField(_("note"), blank=True)
    photo = models.CharField(_("photo"), max_length=200, blank=True)
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        related_name="corrected_by",
        null=True,
        blank=True,
    )
    withdraws = models.BooleanField(default=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("Logbook entry")
        verbose_name_plural = _("Logbook entries")
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            models.Index(fields=["household", "occurred_on"], name="logbook_entry_household"),
            models.Index(fields=["agency", "occurred_on"], name="logbook_entry_agency"),
            models.Index(fields=["village_code", "occurred_on"], name="logbook_entry_area"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdraws=False) | Q(corrects__isnull=False),
                name="logbook_withdraw_is_a_correction",
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.household_id} {self.part}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("Logbook entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Logbook entries cannot be deleted")

    @property
    def area_code(self) -> str:
        return self.village_code
