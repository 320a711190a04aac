"""Form ศจพ.1 as the household's history tells it (households.history): recorded,
corrected. The steps of its certification (sent, certified, returned, approved, and any
step a workflow version adds) are one event per household of the batch, whose kind and
sentence the workflow catalogue gives (`workflow.Event`: kind "verification.<event>"); the
workflow module defines them when it reads a version."""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

from cheepao.households.history import define
from cheepao.verification import workflow  # noqa: F401  (defines the step kinds)
from cheepao.verification.models import Result

RECORDED = define("verification.recorded", N_("form ศจพ.1 recorded: %(result)s"), result=Result)
CORRECTED = define("verification.corrected", N_("form ศจพ.1 corrected: %(result)s"), result=Result)
