"""The background task that escalates overdue clocks (ADR 0028).

`run_escalations` runs `services.escalations_run` as the system (no person: an automatic
escalation has no `escalated_by`) and, when the task backend can run a task later (the
database backend of the worker, `manage.py db_worker`), queues its own next run
`EVERY` from now: started once (`manage.py escalations_run --schedule`, which `make demo`
runs), the worker keeps it going. `schedule()` queues nothing when a run is already
waiting, so starting it twice does not make two chains. Sites that prefer cron run
`manage.py escalations_run` instead. The task carries no personal data.
"""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone
from django_tasks import task

log = logging.getLogger(__name__)

EVERY = datetime.timedelta(hours=1)


def _waiting() -> bool:
    """True when a run of this task is already queued (database backend only)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the backend is installed with the project
        return False
    return DBTaskResult.objects.filter(
        task_path=f"{__name__}.run_escalations", status="READY"
    ).exists()


def schedule(*, at: datetime.datetime | None = None) -> bool:
    """Queue the next run (at `at`, default EVERY from now) unless one is waiting or the
    backend cannot run a task later. True when one was queued."""
    if not run_escalations.get_backend().supports_defer or _waiting():
        return False
    run_escalations.using(run_after=at or timezone.now() + EVERY).enqueue()
    return True


@task()
def run_escalations() -> dict:
    from cheepao.core.context import Context
    from cheepao.escalation import services

    try:
        return services.escalations_run(ctx=Context.task())
    finally:
        try:
            schedule()
        except Exception:  # the next run is best effort; cron is the fallback
            log.exception("could not queue the next run of escalations")
