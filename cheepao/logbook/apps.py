from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogbookConfig(AppConfig):
    name = "cheepao.logbook"
    label = "logbook"
    verbose_name = _("Logbook of help")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cheepao.logbook import errors, extensions, history  # noqa: F401

        extensions.register()
