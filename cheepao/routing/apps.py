from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "cheepao.routing"
    label = "routing"
    verbose_name = _("Routing of problems to agencies")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cheepao.routing import catalogue, errors, history, panels, policies  # noqa: F401

        policies.register()
        panels.register()
        # A released catalogue edited in place fails at start-up, not in a meeting.
        catalogue.CATALOGUE.check(catalogue.CATALOGUE_DIR)
