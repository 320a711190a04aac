"""Building months of snapshots as background work (jobs; ADR 0021, 0031): one month at a
time, each its own transaction (`services.month_build`), progress after each month, and
the rows written as the job's result."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from cheepao.core import errors as core_errors
from cheepao.core.context import Context
from cheepao.helpstats import months
from cheepao.jobs.kinds import Kind
from cheepao.jobs.services import job_start, message
from cheepao.snapshots import errors, policies, services

BUILD = "snapshots.build"


def build_start(*, ctx: Context, month_codes: list[str], area: str = "") -> Any:
    """Queue the building of the months `month_codes` (BE 'YYYY-MM') for `area` as the
    actor's job. Refused before anything is queued: a bad month, an area not the actor's."""
    if not month_codes or any(months.parse(m) is None for m in month_codes):
        raise core_errors.Invalid(errors.BAD_MONTH)
    if ctx.user is None or not policies.may(ctx.user, "build", area):
        raise core_errors.NotFound(core_errors.NOT_FOUND)
    return job_start(
        ctx=ctx,
        kind=BUILD,
        params={"months": list(month_codes), "area": area},
        message=message(gettext_noop("monthly snapshots waiting to be built")),
    )


def run(job: Any, progress: Any, ctx: Any) -> dict[str, Any]:
    wanted = list(job.params.get("months", []))
    area = job.params.get("area", "")
    progress(done=0, total=len(wanted), message=message(gettext_noop("building the months")))
    rows = 0
    for n, code in enumerate(wanted, start=1):
        rows += services.month_build(ctx=ctx, month=code, area=area)
        progress(done=n)
    progress(
        done=len(wanted),
        total=len(wanted),
        message=message(gettext_noop("%(n)s months built"), n=len(wanted)),
    )
    return {"months": len(wanted), "rows": rows}


KIND = Kind(
    code=BUILD,
    label=_("Monthly snapshots"),
    run=run,
    result_url=lambda job: reverse("snapshots:months") + f"?month={job.params['months'][-1]}",
)
