from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "cheepao.imports"
    label = "imports"
    verbose_name = _("List imports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Its kinds of household history event, and its places on the registry's pages.
        from cheepao.imports import extensions, history  # noqa: F401

        extensions.register()
        from cheepao.imports import policies

        policies.register()
        from cheepao.imports import jobs
        from cheepao.jobs import kinds

        kinds.register(jobs.KIND)
