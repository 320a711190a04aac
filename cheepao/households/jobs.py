"""Loading a survey year into the registry as background work (jobs; ADR 0021).

The national page offers the engine runs found under CHEEPAO_RUNS_DIR; the worker loads
the chosen one with `services.registry_load` (one transaction: a load that fails leaves the
registry as it was) and reports the households written as it goes. `manage.py
load_registry` does the same work in the foreground.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from cheepao.accounts.roles import LOAD_REGISTRY
from cheepao.core import errors
from cheepao.engine import api as engine
from cheepao.jobs.kinds import Kind
from cheepao.jobs.services import message

REGISTRY_LOAD = "households.registry_load"

RUN_NOT_FOUND = errors.define(
    "households.run_not_found",
    _("There is no engine run called %(run)s in the runs directory. Choose one of the list."),
)


def target_households(run: engine.Run) -> int:
    """How many households the load will write (the run's target households)."""
    t = run.households()
    return int(t.filter(t.is_target).count().execute())


def run(job: Any, progress: Any, ctx: Any) -> dict[str, Any]:
    from cheepao.households import selectors, services

    actor = job.started_by
    if not getattr(actor, "is_active", False) or not actor.can(LOAD_REGISTRY):
        raise errors.Refused(errors.DENIED)
    path = selectors.run_directory(job.params.get("run", ""))
    if path is None:
        raise errors.Invalid(RUN_NOT_FOUND, run=job.params.get("run", ""))
    total = target_households(services.run_checked(str(path)))
    progress(done=0, total=total, message=message(gettext_noop("writing the households")))
    result = services.registry_load(
        ctx=ctx,
        run=str(path),
        new_version=bool(job.params.get("new_version")),
        on_progress=lambda n: progress(done=n),
    )
    progress(
        done=total,
        message=message(
            gettext_noop(
                "%(added)s households added, %(present)s already in the registry, "
                "%(members)s members"
            ),
            added=result.households_created,
            present=result.households_present,
            members=result.members_created,
        ),
    )
    return {
        "survey_year": result.survey_year,
        "households_created": result.households_created,
        "households_present": result.households_present,
        "members_created": result.members_created,
        "problems_created": result.problems_created,
    }


def result_url(job: Any) -> str | None:
    year = job.result.get("survey_year")
    return f"{reverse('households:home')}?year={year}" if year else None


def retry_url(job: Any) -> str:
    return reverse("households:load")


KIND = Kind(
    code=REGISTRY_LOAD,
    label=_("Registry load"),
    run=run,
    result_url=result_url,
    retry_url=retry_url,
)
