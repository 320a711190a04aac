"""Computing an evaluation as background work (jobs; ADR 0021, 0036): the registry year
against a later run, one transaction (`services.evaluation_compute`)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from cheepao.core.context import Context
from cheepao.core.errors import Refused
from cheepao.evaluation import errors, policies, services
from cheepao.jobs.kinds import Kind
from cheepao.jobs.services import job_start, message

COMPUTE = "evaluation.compute"


def compute_start(*, ctx: Context, registry_id: int, after_run_path: str) -> Any:
    """Queue the evaluation of the registry `registry_id` against the run at
    `after_run_path` as the actor's job; refused before anything is queued for an account
    that may not compute it."""
    if not policies.may_compute(ctx.user):
        raise Refused(errors.NOT_PERMITTED)
    return job_start(
        ctx=ctx,
        kind=COMPUTE,
        params={"registry": registry_id, "after_run": str(after_run_path)},
        message=message(gettext_noop("evaluation waiting to be computed")),
    )


def run(job: Any, progress: Any, ctx: Any) -> dict[str, Any]:
    progress(done=0, total=1, message=message(gettext_noop("computing the evaluation")))
    evaluation = services.evaluation_compute(
        ctx=ctx, registry=job.params["registry"], after_run_path=job.params["after_run"]
    )
    progress(done=1, total=1, message=message(gettext_noop("evaluation computed")))
    return {"evaluation": evaluation.pk, "households": evaluation.households}


KIND = Kind(
    code=COMPUTE,
    label=_("Evaluation of help"),
    run=run,
    result_url=lambda job: reverse("evaluation:index"),
)
