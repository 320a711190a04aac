from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewHouseholdsConfig(AppConfig):
    name = "cheepao.newhouseholds"
    label = "newhouseholds"
    verbose_name = _("New households (form ศจพ.2)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Its kinds of household history event, and its places on the registry's pages.
        from cheepao.newhouseholds import extensions, history  # noqa: F401

        extensions.register()
        from cheepao.newhouseholds import policies

        policies.register()
