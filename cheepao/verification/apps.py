from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "cheepao.verification"
    label = "verification"
    verbose_name = _("Verification and certification")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Its kinds of household history event, and its places on the registry's pages.
        from cheepao.verification import extensions, history  # noqa: F401

        extensions.register()
        from cheepao.verification import policies

        policies.register()

        from cheepao.audit.models import register_object_type

        register_object_type("verification.area", _("verification of an area (ศจพ.1)"), area=True)
