from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "cheepao.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation of help against the next survey")
    default_auto_field = "django.db.models.BigAutoField"
