from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpstatsConfig(AppConfig):
    name = "cheepao.helpstats"
    label = "helpstats"
    verbose_name = _("Monthly statistics of help")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cheepao.audit.models import register_object_type
        from cheepao.helpstats import errors, jobs, policies  # noqa: F401
        from cheepao.jobs import kinds

        register_object_type("helpstats.month", _("monthly statistics of help"))
        policies.register()
        kinds.register(jobs.KIND)
