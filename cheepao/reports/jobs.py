"""The monthly report as background work (jobs; ADR 0021, 0034): the worker reads the
area's snapshot rows as the requesting account may read them, writes the file through
Django's storage as the job's result, and records the making; every download of the file
is checked against the access policy again (an account moved to another area gets the
same 404) and recorded."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from cheepao.audit.services import audit_read
from cheepao.audit.summaries import say
from cheepao.core import errors as core_errors
from cheepao.helpstats import months
from cheepao.jobs.kinds import Kind
from cheepao.jobs.services import job_result_save, message
from cheepao.reports import exports, selectors
from cheepao.reports.selectors import MONTHLY


def _report(job: Any) -> selectors.Monthly:
    """The report the job's params name, as its maker may read it now (else NotFound)."""
    month = date.fromisoformat(job.params["month"])
    report = selectors.monthly(job.started_by, job.params["area"], month)
    if report is None:
        raise core_errors.NotFound(core_errors.NOT_FOUND)
    return report


def file_name(area: str, month: date, fmt: str) -> str:
    return f"cheepao_report_{area or 'th'}_{months.code(month)}.{fmt}"


def run(job: Any, progress: Any, ctx: Any) -> dict[str, Any]:
    fmt = job.params["fmt"]
    progress(done=0, total=1, message=message(gettext_noop("writing the monthly report")))
    report = _report(job)
    when = timezone.localtime()
    if fmt == "pdf":
        data = exports.monthly_pdf(report, user=job.started_by, when=when)
    else:
        data = exports.monthly_xlsx(report, user=job.started_by, when=when)
    name = file_name(report.code, report.month, fmt)
    job_result_save(job=job, name=name, content=io.BytesIO(data))
    audit_read(
        ctx=ctx,
        what="export",
        object_type="reports.monthly",
        object_id=f"{report.code or 'th'}:{months.code(report.month)}",
        area_code=report.code,
        summary=say(
            gettext_noop("monthly report of %(month)s written (%(fmt)s, %(n)s areas)"),
            month=months.code(report.month),
            fmt=fmt.upper(),
            n=len(report.lines),
        ),
        changes={"job": str(job.pk), "lines": len(report.lines), "closed": report.row.closed},
    )
    progress(done=1, total=1, message=message(gettext_noop("monthly report written")))
    return {"area": report.code, "month": months.code(report.month), "lines": len(report.lines)}


def on_download(job: Any, ctx: Any) -> None:
    """Each download is checked against the snapshots' access policy again and recorded."""
    _report(job)
    month = date.fromisoformat(job.params["month"])
    audit_read(
        ctx=ctx,
        what="export",
        object_type="reports.monthly",
        object_id=f"{job.params['area'] or 'th'}:{months.code(month)}",
        area_code=job.params["area"],
        summary=say(
            gettext_noop("monthly report of %(month)s downloaded (%(file)s)"),
            month=months.code(month),
            file=job.result_name,
        ),
        changes={"job": str(job.pk), "download": True},
    )


KIND = Kind(
    code=MONTHLY,
    label=_("Monthly report"),
    run=run,
    on_download=on_download,
)
