"""The steps of form ศจพ.1 and its certification as the household's history tells them
(households.history): recorded, corrected, sent, certified, returned, approved. Each batch
step is one event per household of the batch, keyed by the batch event it mirrors
(`BatchEvent.Action`), so a step added to the workflow gets its sentence here."""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

from cheepao.households.history import define
from cheepao.verification.models import BatchEvent, Result

RECORDED = define("verification.recorded", N_("form ศจพ.1 recorded: %(result)s"), result=Result)
CORRECTED = define("verification.corrected", N_("form ศจพ.1 corrected: %(result)s"), result=Result)

STEP_SENTENCES = {
    BatchEvent.Action.SUBMITTED: N_("sent to the district centre in batch %(batch)s"),
    BatchEvent.Action.RESUBMITTED: N_(
        "corrected and sent again to the district centre (batch %(batch)s)"
    ),
    BatchEvent.Action.CERTIFIED: N_("certified by the district centre (batch %(batch)s)"),
    BatchEvent.Action.RETURNED: N_(
        "returned to the team for correction (batch %(batch)s): %(comment)s"
    ),
    BatchEvent.Action.APPROVED: N_("approved by the province centre (batch %(batch)s)"),
}
STEPS = {
    event: define(f"verification.{event}", sentence, batch="text", comment="text")
    for event, sentence in STEP_SENTENCES.items()
}
