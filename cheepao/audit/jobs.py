"""The audit log's CSV export as background work (jobs; ADR 0021).

A national search may match millions of rows: the export is written to a file by a worker,
kept for its maker alone, and every download of it is itself an audit row. The rows
exported are those that existed when the work began (up to the newest row's id then), so a
file says exactly what it holds whatever was written while it ran.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from datetime import date
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from cheepao.audit import selectors
from cheepao.audit.services import audit_read
from cheepao.audit.summaries import say
from cheepao.core import errors
from cheepao.engine.api import cells
from cheepao.jobs.kinds import Kind
from cheepao.jobs.services import job_result_save, message

AUDIT_EXPORT = "audit.export"
CSV_COLUMNS = (
    "at",
    "user",
    "action",
    "object_type",
    "object_id",
    "area_code",
    "summary",
    "ip",
    "changes",
)
#: Rows between two progress reports.
STEP = 2_000


def filter_params(f: selectors.AuditFilter) -> dict[str, str]:
    """The filter as the job keeps it (JSON): dates as ISO text."""
    return f.as_changes()


def filter_of(params: dict[str, str]) -> selectors.AuditFilter:
    values: dict[str, Any] = dict(params)
    for name in ("date_from", "date_to"):
        if values.get(name):
            values[name] = date.fromisoformat(values[name])
    return selectors.AuditFilter(**values)


def _row(e: Any) -> list[str]:
    return cells.csv_row(
        (
            timezone.localtime(e.at).isoformat(timespec="seconds"),
            e.actor_username,
            e.action,
            e.object_type,
            e.object_id,
            e.area_code,
            e.summary_text,
            e.ip or "",
            json.dumps(e.changes, ensure_ascii=False) if e.changes else "",
        )
    )


def run(job: Any, progress: Any, ctx: Any) -> dict[str, Any]:
    if not selectors.may_search(job.started_by):
        raise errors.Refused(errors.DENIED)
    wanted = job.params.get("filter", {})
    events = selectors.audit_search(filter_of(wanted))
    newest = events.aggregate(newest=Max("id"))["newest"] or 0
    events = events.filter(id__lte=newest)
    total = events.count()
    progress(done=0, total=total, message=message(gettext_noop("writing the audit events")))
    n = 0
    with tempfile.TemporaryFile() as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        text.write("\ufeff")  # so Excel shows the Thai
        writer = csv.writer(text)
        writer.writerow(cells.csv_row(CSV_COLUMNS))
        for e in events.iterator(chunk_size=STEP):
            writer.writerow(_row(e))
            n += 1
            if n % STEP == 0:
                progress(done=n)
        text.flush()
        raw.seek(0)
        stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")
        job_result_save(job=job, name=f"cheepao_audit_{stamp}.csv", content=raw)
        text.detach()
    progress(done=n, total=n, message=message(gettext_noop("%(n)s audit events written"), n=n))
    audit_read(
        ctx=ctx,
        what="export",
        object_type="audit.auditevent",
        summary=say(gettext_noop("audit log search exported to a file: %(n)s events"), n=n),
        changes={"filter": wanted, "records": n, "job": str(job.pk)},
    )
    return {"records": n}


def on_download(job: Any, ctx: Any) -> None:
    """Each download of the file is on record, with the search it holds."""
    audit_read(
        ctx=ctx,
        what="export",
        object_type="audit.auditevent",
        summary=say(
            gettext_noop("audit log export downloaded: %(n)s events (%(file)s)"),
            n=job.result.get("records", 0),
            file=job.result_name,
        ),
        changes={
            "filter": job.params.get("filter", {}),
            "records": job.result.get("records", 0),
            "job": str(job.pk),
            "download": True,
        },
    )


KIND = Kind(
    code=AUDIT_EXPORT,
    label=_("Audit log export (CSV)"),
    run=run,
    on_download=on_download,
)
