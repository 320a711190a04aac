from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "cheepao.routing"
    label = "routing"
    verbose_name = _("Routing of problems to agencies")
    default_auto_field = "django.db.models.BigAutoField"
