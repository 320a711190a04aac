from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FoldersConfig(AppConfig):
    name = "cheepao.folders"
    label = "folders"
    verbose_name = _("Family folders")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Its kinds of household history event, and its places on the registry's pages.
        from cheepao.folders import extensions, history  # noqa: F401

        extensions.register()
