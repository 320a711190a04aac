"""Monthly snapshots of progress (issue 13 item 1): one `AreaMonth` row per (month, area),
for every level (village → subdistrict → district → province → country).

Dashboards, maps, reports and open data read these rows only, never household rows.

A row holds the area's figures as the system knew them when the month was last built:
- the registry's state at build time (targets, verified, certified, with a plan, problems
  and problems solved);
- the campaign year's Logbook figures to the month's end (households with problems
  recorded, helped, helped in every dimension they fail, acts, baht), as the monthly
  statistics of help count them (helpstats, ADR 0030);
- the month's own figures (`acts_month`, `helped_month`): this month's year-to-date figure
  minus the previous month's stored one, so an entry recorded after the previous month was
  closed lands in this month;
- referrals overdue (as at the month's end, or now) and escalations to the province (year
  to date);
- the evaluation of the previous survey year, when there is one (`evaluated`: households
  of the previous year's registry in this area found in the later survey; `escaped`: those
  of them no longer targets).

Closing (DHIS2-style data approval): a subdistrict closes its month (its villages' rows
with it), then its district when every subdistrict under it is closed, then the province.
A closed row never changes; the builder skips it, and the areas above are sums of their
children's rows, so a district's figure is the sum of its closed subdistricts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

LEVELS = ("country", "province", "district", "subdistrict", "village")
# Counts a row holds, all summable from the rows under it (a household lives in one village).
COUNTS = (
    "targets",
    "verified",
    "certified",
    "with_plan",
    "problems",
    "problems_solved",
    "recorded",
    "helped",
    "helped_fully",
    "acts",
    "acts_month",
    "helped_month",
    "referrals_overdue",
    "escalated",
    "evaluated",
    "escaped",
)


class AreaMonth(models.Model):
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
    # The survey year of the registry the figures were counted on.
    survey_year = models.PositiveSmallIntegerField(_("survey year"), null=True, blank=True)

    # The registry as it stood when the row was built.
    targets = models.PositiveIntegerField(_("target households"), default=0)
    verified = models.PositiveIntegerField(_("households verified"), default=0)
    certified = models.PositiveIntegerField(_("households certified"), default=0)
    with_plan = models.PositiveIntegerField(_("households with a plan"), default=0)
    problems = models.PositiveIntegerField(_("problems"), default=0)
    problems_solved = models.PositiveIntegerField(_("problems solved"), default=0)
    # The Logbook, campaign year to the month's end.
    recorded = models.PositiveIntegerField(_("households with problems recorded"), default=0)
    helped = models.PositiveIntegerField(_("households helped"), default=0)
    helped_fully = models.PositiveIntegerField(
        _("households helped in every dimension they fail"), default=0
    )
    acts = models.PositiveIntegerField(_("acts of help this year"), default=0)
    baht = models.DecimalField(_("baht"), max_digits=16, decimal_places=2, default=0)
    # The month's own: this row's year-to-date figure minus the previous month's row.
    acts_month = models.IntegerField(_("acts of help recorded this month"), default=0)
    helped_month = models.IntegerField(_("households newly helped this month"), default=0)
    # Cases.
    referrals_overdue = models.PositiveIntegerField(_("referrals overdue"), default=0)
    escalated = models.PositiveIntegerField(_("escalated to the province"), default=0)
    # The evaluation of the previous survey year (0 when none has been computed).
    evaluated = models.PositiveIntegerField(
        _("households of the previous survey found again"), default=0
    )
    escaped = models.PositiveIntegerField(_("households that escaped poverty"), default=0)

    built_at = models.DateTimeField(_("computed at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_by_name = models.CharField(_("closed by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("monthly snapshot")
        verbose_name_plural = _("monthly snapshots")
        ordering = ["-month", "level", "area_code"]
        constraints = [
            models.UniqueConstraint(fields=["month", "area_code"], name="snapshots_one_row"),
        ]
        indexes = [
            models.Index(fields=["area_code", "month"], name="snapshots_area_month"),
            models.Index(fields=["month", "level"], name="snapshots_month_level"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.area_code or '-'}"

    @property
    def closed(self) -> bool:
        return self.closed_at is not None
