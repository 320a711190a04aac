"""Who may act on a certification batch (core.access; ADR 0017).

A batch is reached by the accounts whose area covers the batch's area (a village mentor
does not see the batch of the whole subdistrict). Its actions are the page's: `view` (the
batch page, its households and changes), `resubmit` (send a returned batch again), and one
action per step of the workflow catalogue (certify, return, approve, and the escalation
steps to come), each needing the permission the catalogue gives the step. A new step in
`workflow.yaml` is therefore a new action here, and the access sweep fails until it is swept.
"""

from __future__ import annotations

from cheepao.accounts import roles
from cheepao.core import access
from cheepao.verification.models import Batch
from cheepao.verification.workflow import workflow


class BatchPolicy(access.AreaPolicy):
    model = Batch
    area_lookup = "area_code"

    def __init__(self) -> None:
        flow = workflow()
        self.actions = {
            "view": roles.VIEW_HOUSEHOLDS,
            "resubmit": flow.submit_permission,
            **{name: step.permission for name, step in flow.steps.items()},
        }


def register() -> None:
    access.register(BatchPolicy())
