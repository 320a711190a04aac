from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationConfig(AppConfig):
    name = "cheepao.escalation"
    label = "escalation"
    verbose_name = _("Escalation with clocks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cheepao.escalation import history, notices, panels, policies, services  # noqa: F401
        from cheepao.routing.extensions import case_listeners

        policies.register()
        case_listeners.register("escalation.clocks", order=10, call=services.on_case_change)
        panels.register()
