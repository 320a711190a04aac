"""The target registry: households, their members and their open problems, per survey year.

A registry year is one engine run loaded into the database (`services.registry_load`). The
engine decides who is a target on paper; from then on the registry changes only through
certified field work (verification → district → province), list imports and form ศจพ.2,
each recorded in the audit log. Area codes are stored at every level so that an account's
area scope is one indexed equality or prefix filter (`selectors.households_visible_to`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cheepao.core.thai import english
from cheepao.engine import api as engine


def money_field(verbose_name: object) -> models.DecimalField:
    """An amount of baht: exact, two decimals, up to 10^13 (a household's income total)."""
    return models.DecimalField(verbose_name, max_digits=15, decimal_places=2, null=True, blank=True)


class RegistryYear(models.Model):
    """One survey year's engine run, as loaded: what rules produced the registry.

    A survey year holds one run. Loading another run of the same year (recomputed, perhaps
    under a new version of the indicator set) is refused unless it is asked for as a new
    registry `version` of the year (`load_registry --new-version`, ADR 0019): the versions
    stand side by side, each with its own households and field work, never merged, and
    pages show the newest unless asked for another."""

    survey_year = models.PositiveSmallIntegerField(_("survey year"))
    version = models.PositiveSmallIntegerField(_("registry version"), default=1)
    run_path = models.CharField(_("run directory"), max_length=500)
    run_created_at = models.CharField(_("run computed at"), max_length=40, blank=True)
    indicator_set_id = models.CharField(_("indicator set"), max_length=60)
    indicator_set_version = models.CharField(_("indicator set version"), max_length=20)
    indicator_set_sha256 = models.CharField(max_length=64)
    profile = models.CharField(_("target profile"), max_length=40)
    thresholds = models.JSONField(_("thresholds"), default=dict)
    manifest = models.JSONField(default=dict)
    households = models.PositiveIntegerField(_("households loaded"), default=0)
    members = models.PositiveIntegerField(_("members loaded"), default=0)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        ordering = ("-survey_year", "-version")
        verbose_name = _("registry year")
        verbose_name_plural = _("registry years")
        constraints = [
            models.UniqueConstraint(
                fields=("survey_year", "version"), name="households_registry_year_version"
            )
        ]

    def __str__(self) -> str:
        if self.version > 1:
            return f"{self.survey_year} v{self.version}"
        return str(self.survey_year)

    @property
    def catalogue(self):
        """The indicator set this registry was computed with (texts, dimensions, rules): the
        file of the recorded set and version, checked against the recorded SHA-256, read as
        the run read it (its manifest's readings; none recorded: the defaults)."""
        return engine.catalogue_recorded(
            {
                **(self.manifest or {}),
                "indicator_set_id": self.indicator_set_id,
                "indicator_set_version": self.indicator_set_version,
                "catalogue_sha256": self.indicator_set_sha256,
            }
        )

    def _catalogue_or_none(self):
        try:
            return self.catalogue
        except (ValueError, OSError):  # a catalogue this installation no longer has
            return None

    @property
    def indicator_set_title(self) -> str:
        """The indicator set by its title in the page's language, not its id."""
        cat = self._catalogue_or_none()
        if cat is None:
            return self.indicator_set_id
        return (cat.title_en if english() else cat.title_th) or self.indicator_set_id

    @property
    def profile_title(self) -> str:
        """The target profile by its description in the page's language, not its name."""
        cat = self._catalogue_or_none()
        profile = cat.target_profiles.get(self.profile) if cat else None
        if profile is None:
            return self.profile
        return (profile.en if english() else profile.th) or self.profile


class Source(models.TextChoices):
    SURVEY = "survey", _("Basic Minimum Needs survey (จปฐ.)")
    THAIQM = "thaiqm", _("ThaiQM")
    VULNERABLE = "vulnerable", _("Vulnerable-group list")
    LIST = "list", _("Other list")
    FIELD = "field", _("Found in the field (ศจพ.2)")


class Household(models.Model):
    """One household of one registry year.

    `uid` is the household's id outside this database: made by whoever records it (an
    offline phone recording form ศจพ.2 makes its own, so the record is the same one when it
    syncs twice), else by the server. `version` counts its changes: a write that carries
    the version it read is refused with `core.errors.Conflict` when someone changed the
    household since (ADR 0021)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("in the registry")
        PENDING = "pending", _("awaiting certification (new household)")
        REMOVED = "removed", _("removed (inclusion error)")
        MOVED = "moved", _("moved away")
        DECEASED = "deceased", _("head deceased, no household left")

    registry = models.ForeignKey(RegistryYear, on_delete=models.PROTECT, related_name="+")
    hh_id = models.CharField(_("household id"), max_length=40)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.SURVEY
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    house_code = models.CharField(_("house code"), max_length=11, blank=True, db_index=True)
    province_code = models.CharField(max_length=2, db_index=True)
    district_code = models.CharField(max_length=4, db_index=True)
    subdistrict_code = models.CharField(max_length=6, db_index=True)
    village_no = models.PositiveSmallIntegerField(_("village number"))
    village_code = models.CharField(max_length=8, db_index=True)
    house_no = models.CharField(_("house number"), max_length=40, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    # Amounts of baht are exact decimals with satang, as the engine computes them (ADR 0015).
    income_total = money_field(_("income per year"))
    income_per_person = money_field(_("income per person per year"))
    debt_formal = money_field(_("formal debt"))
    debt_informal = money_field(_("informal debt"))
    savings = money_field(_("savings"))
    land_tenure = models.CharField(_("land tenure"), max_length=10, blank=True)
    # The household-level survey answers behind H2, H3, L1-L4 (column → yes/no), kept as
    # answered so the folder can say which answer made an indicator fail.
    answers = models.JSONField(default=dict, blank=True)
    n_members = models.PositiveSmallIntegerField(_("members"), default=0)
    # Kept in step with the open problems by services.household_refresh_counts, because
    # the register filters and sorts on them for a whole province at a time.
    n_dims = models.PositiveSmallIntegerField(_("failing dimensions"), default=0, db_index=True)
    is_critical = models.BooleanField(_("critical"), default=False, db_index=True)
    # A member was kept with a national ID to correct (Member.data_problems, ADR 0016).
    needs_correction = models.BooleanField(_("data to correct"), default=False)
    family_types = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("village_code", "house_no", "hh_id")
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(fields=["registry", "hh_id"], name="household_unique_hh_id")
        ]
        indexes = [models.Index(fields=["registry", "village_code", "house_no"])]

    def __str__(self) -> str:
        return f"{self.hh_id} {self.house_no}"

    @property
    def area_code(self) -> str:
        return self.village_code


class Member(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    member_no = models.PositiveSmallIntegerField(_("member number"))
    pin = models.CharField(_("national ID"), max_length=13, blank=True, db_index=True)
    title = models.CharField(_("title"), max_length=30, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, db_index=True)
    last_name = models.CharField(_("last name"), max_length=100, db_index=True)
    sex = models.CharField(_("sex"), max_length=1)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    age = models.PositiveSmallIntegerField(_("age"))
    relation = models.CharField(_("relation to the head"), max_length=20)
    education = models.CharField(_("education"), max_length=20, blank=True)
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    income_year = money_field(_("income per year"))
    disabled = models.BooleanField(_("disabled"), default=False)
    self_care = models.BooleanField(_("can care for themselves"), default=True)
    chronic_illness = models.BooleanField(_("chronic illness"), default=False)
    welfare_card = models.BooleanField(_("state welfare card"), default=False)
    # Person-level answers (exercise, schooling, …) as answered, for the folder's "why".
    answers = models.JSONField(default=dict, blank=True)
    failing = models.JSONField(_("failing person-level indicators"), default=list, blank=True)
    life_stages = models.JSONField(default=list, blank=True)
    vulnerable = models.JSONField(default=list, blank=True)
    is_target_person = models.BooleanField(_("target person"), default=False)
    # Codes of the problems the survey row was kept with, to correct (pin_check_digit, ...).
    data_problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("household", "member_no")
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(fields=["household", "member_no"], name="member_unique_no")
        ]

    def __str__(self) -> str:
        return f"{self.title}{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.title}{self.first_name} {self.last_name}".strip()


class Problem(models.Model):
    """One failing indicator of one household. Verification confirms or refutes it, the
    field adds new ones, certification makes either count, the Logbook routes and solves it."""

    class Origin(models.TextChoices):
        SURVEY = "survey", _("survey")
        FIELD = "field", _("found in verification")
        FORM2 = "form2", _("new household form (ศจพ.2)")
        IMPORT = "import", _("imported list")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        REMOVED = "removed", _("not found (certified)")
        SOLVED = "solved", _("solved")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="problems")
    indicator = models.CharField(_("indicator"), max_length=8)
    dimension = models.CharField(_("dimension"), max_length=16)
    origin = models.CharField(
        _("origin"), max_length=8, choices=Origin.choices, default=Origin.SURVEY
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("household", "indicator")
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        constraints = [
            models.UniqueConstraint(fields=["household", "indicator"], name="problem_unique")
        ]
        indexes = [
            models.Index(fields=["indicator", "status"]),
            models.Index(fields=["dimension", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} ({self.get_status_display()})"


class AppendOnly(Exception):
    pass


class HouseholdEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("household history cannot be changed")

    def delete(self):
        raise AppendOnly("household history cannot be deleted")


class HouseholdEvent(models.Model):
    """One thing that happened to a household (its history, `history.py`): loaded,
    verified, certified, a problem added or solved, moved away. Written with the change it
    tells, by `services.history_record`; never changed or deleted afterwards (the model
    refuses, and on PostgreSQL a trigger refuses in the database too). Separate from the
    audit log, which records who read or changed what."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The actor's name as it read at the time (accounts are renamed and deactivated).
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    # How the change arrived (core.context.Channel: web, api, offline, cli, task, system).
    channel = models.CharField(_("channel"), max_length=8, blank=True)
    # The kind's arguments as stored values (codes, ids), shown in words by history.sentence.
    data = models.JSONField(default=dict, blank=True)

    objects = HouseholdEventQuerySet.as_manager()

    class Meta:
        ordering = ("-at", "-id")
        verbose_name = _("household history event")
        verbose_name_plural = _("household history")
        indexes = [models.Index(fields=["household", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.household_id} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("household history cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("household history cannot be deleted")

    @property
    def text(self) -> str:
        """The event as a sentence in the reader's language."""
        from cheepao.households.history import sentence

        return sentence(self.kind, self.data or {}, self.household)


class AreaSummary(models.Model):
    """One area's line of the summary register (ทะเบียนงบหน้า, seed 003) as the registry
    stands: the area read model.

    Built from the registry's current state (households in the registry, their open
    problems, their members) by `services.area_summary_build` when a run is loaded, and
    kept current by `services.area_summary_refresh` for the areas a certified change
    touched (village → subdistrict → district → province → country). The signed-in area
    pages and the public register read these rows, never the households themselves, so
    both show one table from one source (ADR 0020). Every count adds up: an area's row is
    the sum of its children's rows.
    """

    class Level(models.TextChoices):
        COUNTRY = "country", _("whole country")
        PROVINCE = "province", _("province")
        DISTRICT = "district", _("district")
        SUBDISTRICT = "subdistrict", _("subdistrict")
        VILLAGE = "village", _("village")

    registry = models.ForeignKey(RegistryYear, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    area_code = models.CharField(_("area"), max_length=8, blank=True)  # '' = the country
    # The columns of seed 003, as the engine's register computes them from a run
    # (engine/register.py; ADR 0005), here from the registry as certified.
    target_households = models.PositiveIntegerField(_("target households"), default=0)
    welfare_card_holders = models.PositiveIntegerField(_("state welfare card holders"), default=0)
    members = models.PositiveIntegerField(_("members of target households"), default=0)
    # {dimension code: target households failing it}, in the catalogue's dimensions
    dimensions = models.JSONField(_("households failing each dimension"), default=dict)
    target_persons = models.PositiveIntegerField(_("target persons"), default=0)
    critical = models.PositiveIntegerField(_("critical target households"), default=0)
    # What the figures reflect: the run the registry was loaded from, the certified changes
    # applied in this area since (how many, the latest one and when), and when the row was
    # last computed.
    run_created_at = models.CharField(_("run computed at"), max_length=40, blank=True)
    certified_changes = models.PositiveIntegerField(_("certified changes"), default=0)
    last_change = models.JSONField(_("latest certified change"), default=dict, blank=True)
    last_change_at = models.DateTimeField(_("latest certified change at"), null=True, blank=True)
    built_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ("registry", "level", "area_code")
        verbose_name = _("area summary")
        verbose_name_plural = _("area summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["registry", "level", "area_code"], name="area_summary_unique_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registry} {self.level} {self.area_code or '-'}"
