"""People and the bodies they work for.

Every account is one person in one body with one area (SPEC §1, §9): no office-wide shared
logins as in seed 001. The area is a DOPA code prefix, so "is this household in my area?"
is a string prefix test and a single indexed filter.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from cheepao.accounts.roles import RULES, Role, rule


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("government")
    LOCAL_GOVERNMENT = "local", _("local government")
    FOUNDATION = "foundation", _("foundation or association")
    COMPANY = "company", _("company")
    COMMUNITY = "community", _("community organisation")


class Body(models.Model):
    """An office, centre or team: ศจพ.จ., ศจพ.อ., an operations team, a mentor team, an agency."""

    class Kind(models.TextChoices):
        NATIONAL_CENTRE = "national_centre", _("National poverty secretariat")
        PROVINCE_CENTRE = "province_centre", _("Province poverty centre (ศจพ.จ.)")
        DISTRICT_CENTRE = "district_centre", _("District poverty centre (ศจพ.อ.)")
        OPERATIONS_TEAM = "operations_team", _("Subdistrict operations team")
        MENTOR_TEAM = "mentor_team", _("Mentor team")
        AGENCY = "agency", _("Agency office")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    area_code = models.CharField(_("area code"), max_length=8, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Which sector an agency belongs to: sharing a household with a body outside government
    # needs the household's recorded consent (PDPA; routing).
    sector = models.CharField(
        _("sector"), max_length=16, choices=Sector.choices, default=Sector.GOVERNMENT
    )
    # The ministry (or national agency) an agency office belongs to, as the lead agencies of
    # the indicators are named (seed 001 section ๙; routing's catalogue): '' for centres.
    ministry = models.CharField(_("ministry"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("area_code", "name")
        verbose_name = _("body")
        verbose_name_plural = _("bodies")

    def __str__(self) -> str:
        return self.name

    @property
    def outside_government(self) -> bool:
        """A foundation, company or community body: a household is shared with it only with
        the household's recorded consent (PDPA)."""
        return self.sector in OUTSIDE_GOVERNMENT


OUTSIDE_GOVERNMENT = frozenset({Sector.FOUNDATION, Sector.COMPANY, Sector.COMMUNITY})


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    # '' = the whole country; else a province/district/subdistrict/village code.
    area_code = models.CharField(_("area code"), max_length=8, blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=True)
    created_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="created_accounts"
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @staticmethod
    def roles_with(permission: str) -> list[str]:
        """The roles whose duties include `permission` (for "who may act on this")."""
        return sorted(r for r, rule_ in RULES.items() if permission in rule_.permissions)

    def can(self, permission: str) -> bool:
        return bool(self.is_active and self.role and permission in rule(self.role).permissions)

    def covers(self, area_code: str) -> bool:
        """True when `area_code` (any level) lies inside this account's area."""
        return bool(self.role) and area_code.startswith(self.area_code)

    @property
    def needs_two_factor(self) -> bool:
        return bool(self.role) and rule(self.role).two_factor
