"""Reads of background jobs: an account's own jobs, and where one of them stands."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext

from cheepao.core import access, errors
from cheepao.jobs import errors as job_errors
from cheepao.jobs import kinds
from cheepao.jobs.models import Job
from cheepao.jobs.services import progress_of

log = logging.getLogger(__name__)


def jobs_of(user: Any) -> QuerySet[Job]:
    """The account's own jobs, newest first (no one else's, whatever the role)."""
    return access.scope(user, Job, "view").order_by("-created_at")


def job_for(user: Any, job_id: Any) -> Job:
    """One job of the account's own, or `NotFound` (the same for another's job)."""
    return access.one(user, Job, "view", job_id)


def say(msg: dict[str, Any] | None) -> str:
    """A job's message in the active language."""
    if not msg or not msg.get("text"):
        return ""
    text = gettext(msg["text"])
    args = {k: f"{v:,}" if isinstance(v, int) else v for k, v in (msg.get("args") or {}).items()}
    try:
        return text % args if args else text
    except (KeyError, TypeError, ValueError):
        return text


@dataclass(frozen=True)
class Status:
    """What the job's page shows."""

    job: Job
    state: str
    done: int
    total: int | None
    message: str
    reason: str = ""  # why it failed
    result_url: str | None = None
    retry_url: str | None = None
    download: bool = False

    @property
    def finished(self) -> bool:
        return self.state in (Job.State.DONE, Job.State.FAILED)

    @property
    def failed(self) -> bool:
        return self.state == Job.State.FAILED

    @property
    def state_label(self) -> str:
        return str(Job.State(self.state).label)

    @property
    def label(self) -> str:
        return kind_label(self.job.kind)

    @property
    def percent(self) -> int:
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)


def kind_label(code: str) -> str:
    try:
        return str(kinds.get(code).label)
    except LookupError:
        return code


def _task_gone(job: Job) -> bool:
    """True when the worker's record of the job's task has ended though the job has not: the
    worker stopped in the middle (killed, out of memory), so the job never will end."""
    if not job.task_id:
        return False
    try:
        from django_tasks import default_task_backend

        if not default_task_backend.supports_get_result:
            return False
        return default_task_backend.get_result(job.task_id).is_finished
    except Exception:  # the task's record is gone or unreadable: nothing to add
        log.debug("no task result for job %s", job.pk, exc_info=True)
        return False


def job_status(job: Job) -> Status:
    """The job as it stands: its row, and while it runs the progress it reported."""
    state, done, total, msg = job.state, job.done, job.total, job.message
    reason = ""
    if not job.finished:
        reported = progress_of(job)
        if reported:
            done, total, msg = reported["done"], reported["total"], reported["message"]
        if _task_gone(job):
            state, reason = Job.State.FAILED, errors.describe(job_errors.INTERRUPTED)
    elif job.state == Job.State.FAILED:
        reason = errors.describe(job.error_code or job_errors.FAILED, job.error_params)
    result_url = retry_url = None
    download = False
    try:
        kind = kinds.get(job.kind)
    except LookupError:
        kind = None
    if state == Job.State.DONE and kind is not None:
        if kind.result_url is not None:
            result_url = kind.result_url(job)
        download = bool(job.result_file) and kind.on_download is not None
    if state == Job.State.FAILED and kind is not None and kind.retry_url is not None:
        retry_url = kind.retry_url(job)
    return Status(
        job=job,
        state=state,
        done=done,
        total=total,
        message=say(msg),
        reason=reason,
        result_url=result_url,
        retry_url=retry_url,
        download=download,
    )
