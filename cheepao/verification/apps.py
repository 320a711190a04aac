from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "cheepao.verification"
    label = "verification"
    verbose_name = _("Verification and certification")
    default_auto_field = "django.db.models.BigAutoField"
