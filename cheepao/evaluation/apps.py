from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "cheepao.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation of help against the next survey")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cheepao.evaluation import errors, jobs, policies  # noqa: F401
        from cheepao.jobs import kinds

        policies.register()
        kinds.register(jobs.KIND)
