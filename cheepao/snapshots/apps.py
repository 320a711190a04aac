from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SnapshotsConfig(AppConfig):
    name = "cheepao.snapshots"
    label = "snapshots"
    verbose_name = _("Monthly snapshots of progress")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cheepao.audit.models import register_object_type
        from cheepao.jobs import kinds
        from cheepao.snapshots import errors, jobs, policies  # noqa: F401

        register_object_type("snapshots.month", _("monthly snapshot of an area"))
        policies.register()
        kinds.register(jobs.KIND)
