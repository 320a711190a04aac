from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "cheepao.reports"
    label = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cheepao.audit.models import register_object_type
        from cheepao.jobs import kinds
        from cheepao.reports import errors, jobs  # noqa: F401

        register_object_type("reports.monthly", _("monthly report of an area"))
        kinds.register(jobs.KIND)
