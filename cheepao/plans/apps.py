from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "cheepao.plans"
    label = "plans"
    verbose_name = _("Household development plans")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cheepao.audit.models import register_object_type
        from cheepao.plans import extensions, history, notices, policies  # noqa: F401

        register_object_type("plans.area", _("development plan of an area"), area=True)
        policies.register()
        extensions.register()
