"""The one background task: run a job. Each kind of work is a `jobs.kinds.Kind`; the task
carries only the job's id, so what is queued is never personal data."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: str) -> None:
    from cheepao.jobs import services

    services.job_run(job_id=job_id)
