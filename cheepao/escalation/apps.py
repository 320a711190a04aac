from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationConfig(AppConfig):
    name = "cheepao.escalation"
    label = "escalation"
    verbose_name = _("Escalation with clocks")
    default_auto_field = "django.db.models.BigAutoField"
