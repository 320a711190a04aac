"""Why an evaluation is refused, as stable codes (core.errors)."""

from django.utils.translation import gettext_lazy as _

from cheepao.core.errors import define

NOT_PERMITTED = define(
    "evaluation.not_permitted",
    _("Only national and province accounts may compute the evaluation."),
)
RUN_NOT_FOUND = define("evaluation.run_not_found", _("There is no engine run at %(run)s."))
BEFORE_RUN_NOT_FOUND = define(
    "evaluation.before_run_not_found",
    _("The run the registry %(year)s was loaded from is no longer at %(run)s."),
)
NOT_LATER = define(
    "evaluation.not_later",
    _("The later survey (%(after)s) must be a later year than the registry (%(before)s)."),
)
OTHER_INDICATORS = define(
    "evaluation.other_indicators",
    _(
        "The two survey years were computed with different indicator sets (%(before)s and "
        "%(after)s): their households cannot be compared."
    ),
)
NO_REGISTRY = define("evaluation.no_registry", _("No registry of survey year %(year)s is loaded."))
