"""Administrative areas keyed by their DOPA codes.

The DOPA code is the key every source uses (survey, registry, TPMAP exports), so it is the
primary key here too: a join never needs a lookup table, and a code in a URL is the area.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cheepao.core.thai import english


class NamedArea(models.Model):
    name_th = models.CharField(_("Thai name"), max_length=150)
    name_en = models.CharField(_("English name"), max_length=150)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"

    @property
    def name(self) -> str:
        return self.name_en if english() else self.name_th


class Province(NamedArea):
    code = models.CharField(_("province code"), max_length=2, primary_key=True)

    class Meta:
        ordering = ("code",)
        verbose_name = _("province")
        verbose_name_plural = _("provinces")


class District(NamedArea):
    code = models.CharField(_("district code"), max_length=4, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")

    class Meta:
        ordering = ("code",)
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class Subdistrict(NamedArea):
    code = models.CharField(_("subdistrict code"), max_length=6, primary_key=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="subdistricts")
    # A subdistrict can span several post offices; kept as a list, as geothai ships it.
    postal_codes = models.JSONField(_("postal codes"), default=list)

    class Meta:
        ordering = ("code",)
        verbose_name = _("subdistrict")
        verbose_name_plural = _("subdistricts")
