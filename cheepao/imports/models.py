"""Lists of households that come from outside the survey: ThaiQM, vulnerable groups, others.

A list is uploaded once (`ListImport`) and read row by row. A row that breaks the list
contract is kept as a `RejectedRow` with its reason, as the engine's validation keeps
survey rejects. A good row that names a registry household becomes a `ListEntry`: that is
how a household keeps every source it was found on, while `Household.source` stays the one
it entered the registry from. A good row that names no household, or names two, waits in
the review queue (`ReviewItem`) until someone decides it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cheepao.households.models import Household, RegistryYear, Source


class ListKind(models.TextChoices):
    """The list sources of `households.Source` that arrive as files."""

    THAIQM = Source.THAIQM.value, _("ThaiQM")
    VULNERABLE = Source.VULNERABLE.value, _("Vulnerable-group list")
    LIST = Source.LIST.value, _("Other list")


class ListImport(models.Model):
    kind = models.CharField(_("list kind"), max_length=12, choices=ListKind.choices)
    name = models.CharField(_("list name"), max_length=200)
    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(max_length=64)
    # The uploader's area when uploading: who may see this import and its rejected rows.
    area_code = models.CharField(_("area code"), max_length=8, blank=True, db_index=True)
    registry = models.ForeignKey(
        RegistryYear, on_delete=models.PROTECT, related_name="+", verbose_name=_("registry year")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_rejected = models.PositiveIntegerField(_("rows rejected"), default=0)
    rows_matched = models.PositiveIntegerField(_("rows matched"), default=0)
    rows_queued = models.PositiveIntegerField(_("rows for review"), default=0)
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("-uploaded_at", "-id")
        verbose_name = _("list import")
        verbose_name_plural = _("list imports")

    def __str__(self) -> str:
        return f"{self.name} ({self.file_name})"


class RejectedRow(models.Model):
    """One problem of one rejected row; a row with two problems has two records."""

    list_import = models.ForeignKey(ListImport, on_delete=models.CASCADE, related_name="rejects")
    row = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=40, blank=True)
    value = models.CharField(_("value"), max_length=500, blank=True)
    code = models.CharField(_("reason code"), max_length=40)
    reason_th = models.CharField(_("reason (Thai)"), max_length=500)
    reason_en = models.CharField(_("reason (English)"), max_length=500)

    class Meta:
        ordering = ("list_import", "row", "id")
        verbose_name = _("rejected row")
        verbose_name_plural = _("rejected rows")

    def __str__(self) -> str:
        return f"row {self.row} {self.column}: {self.code}"


class ListEntry(models.Model):
    """A registry household named by one row of one list."""

    class Match(models.TextChoices):
        PIN = "pin", _("national ID")
        HOUSE_CODE = "house_code", _("house code")
        REVIEW = "review", _("chosen by a reviewer")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="list_entries")
    list_import = models.ForeignKey(ListImport, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("list kind"), max_length=12, choices=ListKind.choices)
    row = models.PositiveIntegerField(_("row"))
    matched_by = models.CharField(_("matched by"), max_length=12, choices=Match.choices)
    data = models.JSONField(_("row as listed"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("list_import", "row")
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        constraints = [
            models.UniqueConstraint(fields=["list_import", "row"], name="list_entry_unique_row")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} row {self.row} → {self.household_id}"


class ReviewItem(models.Model):
    """A good row the import could not link by itself."""

    class Reason(models.TextChoices):
        NOT_FOUND = "not_found", _("not in the registry")
        PIN_HOUSE_CONFLICT = "pin_house", _("national ID and house code name different households")
        PIN_TWO_HOUSES = "pin_two_houses", _("the same national ID is listed with different houses")
        SEVERAL_HOUSEHOLDS = "several", _("several registry households match")

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for review")
        LINKED = "linked", _("linked to a household")
        FIELD_VISIT = "field_visit", _("not in the registry: needs a ศจพ.2 visit")
        REJECTED = "rejected", _("rejected")

    list_import = models.ForeignKey(ListImport, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(_("list kind"), max_length=12, choices=ListKind.choices)
    row = models.PositiveIntegerField(_("row"))
    reason = models.CharField(_("why it waits"), max_length=16, choices=Reason.choices)
    data = models.JSONField(_("row as listed"), default=dict)
    # Registry households (ids) the row might mean; the reviewer picks one or none.
    candidates = models.JSONField(default=list, blank=True)
    # The one household the row's national ID names, when it names exactly one: what
    # "accept all matched by national ID" links the row to.
    pin_household = models.ForeignKey(
        Household,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("household of the national ID"),
    )
    village_code = models.CharField(max_length=8, db_index=True)
    # The district (4 digits) or subdistrict (6) that must decide the row, when the
    # importing level handed it down; blank: the importing level decides.
    assigned_area = models.CharField(
        _("area that decides"), max_length=8, blank=True, db_index=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("reason given"), max_length=500, blank=True)

    class Meta:
        ordering = ("list_import", "row")
        verbose_name = _("review item")
        verbose_name_plural = _("review items")
        constraints = [
            models.UniqueConstraint(fields=["list_import", "row"], name="review_item_unique_row")
        ]
        indexes = [models.Index(fields=["status", "village_code"], name="review_status_area")]

    def __str__(self) -> str:
        return f"row {self.row} ({self.get_status_display()})"

    @property
    def area_code(self) -> str:
        return self.village_code
