"""Writes of the reports app: a report is requested (a background job is queued, ADR 0034)
and its file is taken by its maker. Refusals raise before anything is written."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_noop

from cheepao.audit.services import audit_record
from cheepao.audit.summaries import say
from cheepao.core import access
from cheepao.core import errors as core_errors
from cheepao.core.context import Context
from cheepao.helpstats import months
from cheepao.jobs import services as jobs
from cheepao.jobs.models import Job
from cheepao.reports import errors
from cheepao.reports.selectors import MONTHLY
from cheepao.snapshots import selectors as snapshots

#: The reports one may request, by the name a request gives: the kind of job that makes it.
KINDS = {"monthly": MONTHLY}
FORMATS = ("xlsx", "pdf")


def report_request(*, ctx: Context, kind: str, area_code: str, month: Any, fmt: str) -> Job:
    """Queue the report `kind` of the area `area_code` for `month` (a date or a BE month
    code '2569-11') as `fmt` (xlsx or pdf), made by the actor's job. Refused before anything
    is written: an unknown report or format, a bad month, and (the same NotFound as a
    missing one) an area the actor may not read or a month without its snapshot."""
    if kind not in KINDS:
        raise core_errors.Invalid(errors.BAD_KIND)
    if fmt not in FORMATS:
        raise core_errors.Invalid(errors.BAD_FORMAT)
    when = month if isinstance(month, date) else months.parse(str(month or ""))
    if when is None:
        raise core_errors.Invalid(errors.BAD_MONTH)
    when = months.first_of(when)
    area_code = area_code or ""
    user = ctx.user
    if user is None or snapshots.area_row(user, area_code, when) is None:
        raise core_errors.NotFound(core_errors.NOT_FOUND)
    with transaction.atomic():
        audit_record(
            ctx=ctx,
            action="create",
            object_type="reports.monthly",
            object_id=f"{area_code or 'th'}:{months.code(when)}",
            area_code=area_code,
            summary=say(
                gettext_noop("monthly report of %(month)s requested (%(fmt)s)"),
                month=months.code(when),
                fmt=fmt.upper(),
            ),
            changes={"kind": kind, "fmt": fmt},
        )
        job = jobs.job_start(
            ctx=ctx,
            kind=KINDS[kind],
            params={"area": area_code, "month": when.isoformat(), "fmt": fmt},
            message=jobs.message(jobs.WAITING),
        )
    return job


def report_download(*, ctx: Context, job_id: Any) -> Job:
    """The report file its maker takes now, checked again against the snapshots' access
    policy and recorded (the job kind's `on_download`); NotFound for any other account, a
    job that is not a report, one not done, or an area the maker may no longer read."""
    job = access.one(ctx.user, Job, "download", job_id)
    if job.kind not in KINDS.values():
        raise core_errors.NotFound(core_errors.NOT_FOUND)
    return jobs.job_download(ctx=ctx, job_id=job.pk)
