"""List import as background work (jobs; ADR 0021): the upload page stores the file and
starts the job, the worker reads, checks and matches it (`services.list_import`), and the
job's page shows how far it has come, then the import."""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cheepao.core import errors
from cheepao.jobs.kinds import Kind

from . import errors as import_errors

log = logging.getLogger(__name__)

LIST_IMPORT = "imports.list_import"


def run(job: Any, progress: Any, ctx: Any) -> dict[str, Any]:
    from . import services

    p = job.params
    try:
        upload = default_storage.open(p["stored"], "rb")
    except (FileNotFoundError, OSError):
        raise errors.Invalid(import_errors.UPLOAD_GONE) from None
    try:
        imp = services.list_import(
            ctx=ctx,
            upload=upload,
            file_name=p["file_name"],
            name=p["name"],
            kind=p["kind"],
            on_progress=progress,
        )
    finally:
        upload.close()
    return {
        "import": imp.pk,
        "rows_read": imp.rows_read,
        "rows_rejected": imp.rows_rejected,
        "rows_matched": imp.rows_matched,
        "rows_queued": imp.rows_queued,
    }


def cleanup(job: Any) -> None:
    """The uploaded file goes once it is read, whatever came of it: the import keeps what
    the list said (its rows), not the file."""
    stored = job.params.get("stored")
    if stored:
        default_storage.delete(stored)


def result_url(job: Any) -> str | None:
    imp = job.result.get("import")
    return reverse("imports:detail", args=[imp]) if imp else None


def retry_url(job: Any) -> str:
    return reverse("imports:upload")


KIND = Kind(
    code=LIST_IMPORT,
    label=_("List import"),
    run=run,
    result_url=result_url,
    retry_url=retry_url,
    cleanup=cleanup,
)
