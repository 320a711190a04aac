"""Who may act on a certification batch (core.access; ADR 0017).

A batch is reached by the accounts whose area covers the batch's area (a village mentor
does not see the batch of the whole subdistrict). Its actions are the page's: `view` (the
batch page, its households and changes), `resubmit` (send a returned batch again), and one
action per step of the workflow catalogue (certify, return, approve, and the escalation
steps to come), each needing the permission the catalogue gives the step. A new step in
workflow version (workflows/<version>.yaml) is therefore a new action here, and the access
sweep fails until it is swept. The actions are read from every version of the catalogue
(a batch keeps the version it started under), the newest version's permission first.
"""

from __future__ import annotations

from cheepao.accounts import roles
from cheepao.core import access
from cheepao.verification.models import Batch
from cheepao.verification.workflow import versions, workflow


class BatchPolicy(access.AreaPolicy):
    model = Batch
    area_lookup = "area_code"

    @property
    def actions(self) -> dict[str, str]:  # type: ignore[override]
        newest_first = [workflow(v) for v in reversed(versions())]
        actions = {"view": roles.VIEW_HOUSEHOLDS, "resubmit": newest_first[0].submit_permission}
        for flow in newest_first:
            for name, step in flow.steps.items():
                actions.setdefault(name, step.permission)
        return actions


def register() -> None:
    access.register(BatchPolicy())
