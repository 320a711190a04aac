"""Writes of background jobs: start one, run it (in the worker), report its progress, keep
its file, and hand the file to its maker.

`job_start` is called by the service of the app that owns the work, once it has checked
that the actor may do it; the work itself runs later in `job_run`, in a worker process
(`manage.py db_worker`), or at once in the tests (`settings_test`: the immediate backend).
"""

from __future__ import annotations

import contextlib
import logging
from typing import IO, Any

from django.core.cache import caches
from django.core.cache.backends.base import InvalidCacheBackendError
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from cheepao.core import access, errors
from cheepao.core.context import Context
from cheepao.jobs import errors as job_errors
from cheepao.jobs import kinds
from cheepao.jobs.models import Job

log = logging.getLogger(__name__)

#: How long the progress of a running job is kept in the cache (a job that runs longer
#: keeps reporting, which renews it).
PROGRESS_SECONDS = 24 * 60 * 60


def message(text: str, /, **args: Any) -> dict[str, Any]:
    """What a job is doing, as a message: `text` an English template marked with
    `gettext_noop` (its Thai in the owning app's catalogue), `args` its %(name)s values
    (numbers are shown with thousands separators)."""
    out: dict[str, Any] = {"text": str(text)}
    if args:
        out["args"] = {k: v if isinstance(v, int | float) else str(v) for k, v in args.items()}
    return out


def _cache():
    try:
        return caches["jobs"]
    except InvalidCacheBackendError:
        return caches["default"]


def progress_key(job_id: Any) -> str:
    return f"cheepao:job:{job_id}"


class Progress:
    """The running job's progress, as the work reports it (`progress(done=…, total=…,
    message=…)`), kept in the `jobs` cache, which the web processes read: not in the job's
    row, which the work's own transaction would hide until it commits."""

    def __init__(self, job: Job) -> None:
        self.job_id = job.pk
        self.done = job.done
        self.total = job.total
        self.message = job.message

    def __call__(
        self,
        *,
        done: int | None = None,
        total: int | None = None,
        message: dict[str, Any] | None = None,
    ) -> None:
        if done is not None:
            self.done = max(0, int(done))
        if total is not None:
            self.total = max(0, int(total))
        if message is not None:
            self.message = message
        _cache().set(
            progress_key(self.job_id),
            {"done": self.done, "total": self.total, "message": self.message},
            PROGRESS_SECONDS,
        )

    def clear(self) -> None:
        _cache().delete(progress_key(self.job_id))


def progress_of(job: Job) -> dict[str, Any] | None:
    """The latest progress a running job reported, or None."""
    return _cache().get(progress_key(job.pk))


def job_start(
    *,
    ctx: Context,
    kind: str,
    params: dict[str, Any] | None = None,
    message: dict[str, Any] | None = None,
) -> Job:
    """Queue one job of `kind` for the context's actor, who must be a signed-in account (the
    owning service has checked that they may do the work). The job's row and its task are
    written in one transaction, so a worker never sees a task without its job."""
    kinds.get(kind)
    actor = ctx.user
    if actor is None:
        raise errors.Refused(errors.DENIED)
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            started_by=actor,
            area_code=actor.area_code or "",
            params=params or {},
            message=message or {},
            language=translation.get_language() or "",
            correlation=ctx.correlation,
        )
        from cheepao.jobs.tasks import run_job

        result = run_job.enqueue(str(job.pk))
        Job.objects.filter(pk=job.pk).update(task_id=result.id)
    job.refresh_from_db()
    return job


def _inner_savepoint():
    """When the job runs inside a transaction (the tests' immediate backend runs it inside
    the request's), a savepoint keeps a failed job's writes from breaking the caller's;
    in a worker there is no outer transaction and the work manages its own."""
    return transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()


def job_run(*, job_id: str) -> None:
    """Run one queued job to its end (the task's body). A job runs once: the task of a job
    that is not queued any more does nothing. Whatever happens, the job ends done or failed
    with its reason; a failed job keeps no file."""
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        log.warning("job %s is not waiting to run; nothing done", job_id)
        return
    job = Job.objects.select_related("started_by").get(pk=job_id)
    kind = kinds.get(job.kind)
    ctx = Context.task(actor=job.started_by, correlation=job.correlation)
    progress = Progress(job)
    state, result, code, params = Job.State.FAILED, {}, job_errors.FAILED, {"job": str(job.pk)}
    try:
        with _inner_savepoint(), translation.override(job.language or None):
            result = kind.run(job, progress, ctx) or {}
        state, code, params = Job.State.DONE, "", {}
    except errors.ServiceError as e:
        code, params = e.code, {k: _plain(v) for k, v in e.params.items()}
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
    finally:
        if kind.cleanup is not None:
            try:
                kind.cleanup(job)
            except Exception:
                log.exception("cleaning up after job %s failed", job.pk)
    _finish(job, progress, state=state, result=result, code=code, params=params)


def _plain(value: Any) -> Any:
    """A refusal's parameter as JSON (a text in both languages stays a pair)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value if isinstance(value, int | float | str | bool) or value is None else str(value)


def _finish(
    job: Job, progress: Progress, *, state: str, result: dict, code: str, params: dict
) -> None:
    # The file the work kept is known from the job it was given (`job_result_save`), not
    # from the row, which a rolled-back transaction of the work may have reset: storage is
    # not part of any transaction.
    if state == Job.State.FAILED and job.result_file:
        job.result_file.delete(save=False)
        job.result_name = ""
    Job.objects.filter(pk=job.pk).update(
        state=state,
        finished_at=timezone.now(),
        done=progress.done,
        total=progress.total,
        message=progress.message or {},
        result=result,
        result_file=job.result_file.name or "",
        result_name=job.result_name,
        error_code=code,
        error_params=params,
    )
    progress.clear()


def job_result_save(*, job: Job, name: str, content: IO[bytes]) -> None:
    """Keep the file a job made in Django's storage, under the job's own folder, as
    `name` for whoever downloads it. Called by the work; a job that then fails loses it.
    Only a kind that records its downloads (`on_download`) may keep a file."""
    if kinds.get(job.kind).on_download is None:
        raise ValueError(f"job kind {job.kind!r} keeps a file but does not audit its download")
    job.result_file.save(name, File(content, name=name), save=False)
    job.result_name = name[:200]
    Job.objects.filter(pk=job.pk).update(result_file=job.result_file.name, result_name=name[:200])


def job_download(*, ctx: Context, job_id: Any) -> Job:
    """The job whose file its maker takes now, that taking recorded by the owning app
    (its kind's `on_download`: an audit row), or `NotFound` for anyone else, for a job
    without a file and for one that is not done. The caller streams `job.result_file`."""
    job = access.one(ctx.user, Job, "download", job_id)
    if job.state != Job.State.DONE or not job.result_file:
        raise errors.NotFound(job_errors.NO_FILE)
    kind = kinds.get(job.kind)
    if kind.on_download is None:
        raise errors.NotFound(job_errors.NO_FILE)
    with transaction.atomic():
        kind.on_download(job, ctx)
    return job


#: The words of the starting message, for the page before the worker takes the job.
WAITING = gettext_noop("waiting for the background worker")
