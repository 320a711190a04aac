from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewHouseholdsConfig(AppConfig):
    name = "cheepao.newhouseholds"
    label = "newhouseholds"
    verbose_name = _("New households (form ศจพ.2)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Its places on the registry's pages.
        from cheepao.newhouseholds import extensions

        extensions.register()
