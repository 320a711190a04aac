"""The monthly statistics of help (issue 12 item 6; ADR 0030): per month, per area and per
agency office, what the Logbook and the case tables say was done.

One `MonthFigures` row is one (month, area, body) line: `body` empty = every entry of the
area (the area's line), else only that agency office's entries, cases and referrals in the
area (its line, which its own accounts read). Rows are derived, never edited: a month is
recomputed whole by `services.month_compute` (its rows deleted and written again in one
transaction), from the entries that count (`Entry.objects.counting()`: a correction
replaces the entry it corrects, a withdrawal removes it).

Two kinds of figure:
- the month's own (acts of help, baht, households helped, cases solved, referrals sent /
  accepted / done, escalations) counted by when they happened in the month;
- the year to the month's end (households helped, helped in every dimension they fail,
  households with problems recorded, acts of help) counted from the start of the
  campaign year of the targets catalogue (`targets/`), with `targets` (households of the
  registry) so the letters' rates can be shown; `referrals_overdue` is as at the month's
  end (or now, for the month that is running).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cheepao.accounts.models import Body

LEVELS = ("country", "province", "district", "subdistrict", "village")
# The figures of one row, in the order pages and exports show them.
COUNTS = (
    "acts",
    "households_helped",
    "cases_solved",
    "referrals_sent",
    "referrals_accepted",
    "referrals_done",
    "referrals_overdue",
    "escalated",
    "acts_to_date",
    "helped_to_date",
    "helped_fully_to_date",
    "recorded_to_date",
    "targets",
)


class MonthFigures(models.Model):
    class Level(models.TextChoices):
        COUNTRY = "country", _("whole country")
        PROVINCE = "province", _("province")
        DISTRICT = "district", _("district")
        SUBDISTRICT = "subdistrict", _("subdistrict")
        VILLAGE = "village", _("village")

    # The first day of the month (Christian era in the database; pages show BE).
    month = models.DateField(_("month"))
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    area_code = models.CharField(_("area"), max_length=8, blank=True)  # '' = the country
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("agency"),
    )
    # The month's own figures.
    acts = models.PositiveIntegerField(_("acts of help"), default=0)
    baht = models.DecimalField(_("baht"), max_digits=16, decimal_places=2, default=0)
    households_helped = models.PositiveIntegerField(_("households helped"), default=0)
    cases_solved = models.PositiveIntegerField(_("problems solved"), default=0)
    referrals_sent = models.PositiveIntegerField(_("referrals sent"), default=0)
    referrals_accepted = models.PositiveIntegerField(_("referrals accepted"), default=0)
    referrals_done = models.PositiveIntegerField(_("referrals done"), default=0)
    referrals_overdue = models.PositiveIntegerField(_("referrals overdue"), default=0)
    escalated = models.PositiveIntegerField(_("escalated to the province"), default=0)
    # From the start of the campaign year to the month's end.
    acts_to_date = models.PositiveIntegerField(_("acts of help this year"), default=0)
    helped_to_date = models.PositiveIntegerField(_("households helped this year"), default=0)
    helped_fully_to_date = models.PositiveIntegerField(
        _("households helped in every dimension they fail"), default=0
    )
    recorded_to_date = models.PositiveIntegerField(
        _("households with problems recorded"), default=0
    )
    targets = models.PositiveIntegerField(_("target households"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("monthly figures")
        verbose_name_plural = _("monthly figures")
        ordering = ["-month", "level", "area_code", "body_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "area_code"],
                condition=Q(body__isnull=True),
                name="helpstats_one_area_line",
            ),
            models.UniqueConstraint(
                fields=["month", "area_code", "body"],
                condition=Q(body__isnull=False),
                name="helpstats_one_agency_line",
            ),
        ]
        indexes = [
            models.Index(fields=["month", "area_code"], name="helpstats_month_area"),
            models.Index(fields=["body", "month"], name="helpstats_body_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.area_code or '-'} {self.body_id or ''}"
