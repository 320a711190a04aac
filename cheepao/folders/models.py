"""The family folder (แบบสรุปข้อมูลครัวเรือน, family folder; seed 003): the 13 questions a
mentor answers with the household, its photos and the pin of its house.

A folder is never edited in place: every save (the answers, or only the pin) is a new row
`FamilyFolder` with the next `number` for its household, who saved it and when, so what
the folder said at any time stays known and an old page cannot overwrite a newer save
(`services.folder_save` takes the version it was read at). The newest row is the folder.

Photos (`FolderPhoto`) are kept apart from the versions: at most five current per
household, each re-encoded (no EXIF, hence no location of the camera), resized, with a
thumbnail, stored through Django's storage API (the default storage: local files, or an
S3-compatible store by the STORAGES setting). A removed photo keeps its row and files
(`removed_at`), so the history can still say what was there.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cheepao.households.models import Household, money_field


class FamilyFolder(models.Model):
    class HouseholdType(models.TextChoices):
        DEVELOPABLE = "developable", _("ready and able to develop")
        WELFARE = "welfare", _("welfare only (elderly / disabled)")
        GONE = "gone", _("deceased or moved away")
        OTHER = "other", _("other")

    class Wish(models.TextChoices):
        URGENT = "urgent", _("needs help urgently")
        WANTS = "wants", _("wants help")
        DOES_NOT_WANT = "does_not_want", _("does not want help")

    class Help(models.TextChoices):
        GOODS = "goods", _("goods")
        MONEY = "money", _("welfare money")
        UTILITIES = "utilities", _("utilities")
        TRAINING = "training", _("training, study visits, skills")
        SCHOLARSHIP = "scholarship", _("scholarship")
        REFERRAL = "referral", _("referral to an agency")
        OTHER = "other", _("other")

    class KhokNongNa(models.TextChoices):
        NONE = "", _("not taking part")
        PLOT_OWNER = "plot_owner", _("owner of a plot")
        WORKER = "worker", _("hired worker")
        OTHER = "other", _("other")

    class KhokBudget(models.TextChoices):
        NONE = "", _("—")
        PROVINCE = "province", _("provincial development budget")
        RECOVERY = "recovery", _("COVID-19 economic recovery loan")
        CDD = "cdd", _("Community Development Department budget")
        AGRICULTURE = "agriculture", _("Ministry of Agriculture budget")
        OTHER = "other", _("other")

    class Fund(models.TextChoices):
        SAVINGS_GROUP = "savings_group", _("savings group")
        FINANCE_CENTRE = "finance_centre", _("community finance centre")
        KKKJ = "kkkj", _("กข.คจ. (village poverty fund)")
        VILLAGE_FUND = "village_fund", _("village fund")
        WOMEN_FUND = "women_fund", _("women's development fund")
        OTHER = "other", _("other")

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("version"))
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_by_name = models.CharField(_("saved by"), max_length=150, blank=True)
    saved_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    # 1-4: the head, the address, the head's occupation, the members.
    head_name = models.CharField(_("head of household"), max_length=200, blank=True)
    head_age = models.PositiveSmallIntegerField(_("age of the head"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    occupation = models.CharField(_("main occupation of the head"), max_length=200, blank=True)
    members_male = models.PositiveSmallIntegerField(_("male members"), default=0)
    members_female = models.PositiveSmallIntegerField(_("female members"), default=0)
    members_disabled = models.PositiveSmallIntegerField(_("disabled members"), default=0)
    # 5-7: money (baht; the income per person per year, as the folder asks it).
    income_per_person = money_field(_("average income (baht per person per year)"))
    savings = money_field(_("savings (baht)"))
    debt_formal = money_field(_("formal debt (baht)"))
    debt_informal = money_field(_("informal debt (baht)"))
    debt_cause = models.CharField(_("cause of the debt"), max_length=500, blank=True)
    # 8-10: the household type, its wish for help and the kinds of help it needs.
    household_type = models.CharField(
        _("household type"), max_length=12, choices=HouseholdType.choices, blank=True
    )
    household_type_other = models.CharField(_("other type"), max_length=200, blank=True)
    wish = models.CharField(_("wish for help"), max_length=14, choices=Wish.choices, blank=True)
    help_kinds = models.JSONField(_("help needed"), default=list, blank=True)
    help_other = models.CharField(_("other help"), max_length=200, blank=True)
    # 11-13: skills, the โคก หนอง นา programme, community funds.
    skills = models.CharField(_("occupational skills"), max_length=500, blank=True)
    khok_nong_na = models.CharField(
        _("part in the โคก หนอง นา programme"),
        max_length=12,
        choices=KhokNongNa.choices,
        blank=True,
    )
    khok_budget = models.CharField(
        _("budget of the plot"), max_length=12, choices=KhokBudget.choices, blank=True
    )
    funds = models.JSONField(_("community funds"), default=list, blank=True)
    funds_other = models.CharField(_("other fund"), max_length=200, blank=True)
    # The house on the map (WGS84), set on the map or from the phone.
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("family folder")
        ordering = ["household", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["household", "number"], name="folders_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.household_id} v{self.number}"

    @property
    def area_code(self) -> str:
        return self.household.village_code

    @property
    def members_total(self) -> int:
        return self.members_male + self.members_female

    @property
    def debt_total(self):
        if self.debt_formal is None and self.debt_informal is None:
            return None
        return (self.debt_formal or 0) + (self.debt_informal or 0)

    def help_labels(self) -> list[str]:
        names = dict(self.Help.choices)
        return [str(names[k]) for k in self.help_kinds if k in names]

    def fund_labels(self) -> list[str]:
        names = dict(self.Fund.choices)
        return [str(names[k]) for k in self.funds if k in names]


def photo_path(instance: FolderPhoto, filename: str) -> str:
    return f"folders/{instance.household.uid}/{filename}"


class FolderPhoto(models.Model):
    class Kind(models.TextChoices):
        HEAD = "head", _("head of household")
        MEMBERS = "members", _("members of the household")
        HOUSE = "house", _("the house")
        SURROUNDINGS = "surroundings", _("around the house")
        OTHER = "other", _("other")

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("photo of"), max_length=12, choices=Kind.choices)
    image = models.FileField(upload_to=photo_path, max_length=300)
    thumb = models.FileField(upload_to=photo_path, max_length=300)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0)  # bytes of the stored image
    sha256 = models.CharField(max_length=64)  # of the file as it was uploaded
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("folder photo")
        ordering = ["household", "added_at", "pk"]
        indexes = [
            models.Index(
                fields=["household"], condition=Q(removed_at__isnull=True), name="folders_current"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.kind}"

    @property
    def area_code(self) -> str:
        return self.household.village_code
