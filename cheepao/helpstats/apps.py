from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpstatsConfig(AppConfig):
    name = "cheepao.helpstats"
    label = "helpstats"
    verbose_name = _("Monthly statistics of help")
    default_auto_field = "django.db.models.BigAutoField"
