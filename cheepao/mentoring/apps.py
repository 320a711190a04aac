from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "cheepao.mentoring"
    label = "mentoring"
    verbose_name = _("Mentor teams and assignment")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cheepao.mentoring import errors, extensions, history, policies  # noqa: F401

        policies.register()
        extensions.register()
