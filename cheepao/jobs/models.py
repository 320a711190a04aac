"""Work that takes longer than a page may wait for (ADR 0021): one `Job` row per piece.

A person starts a job from a page (upload a list, load a registry year, export the audit
log); a background worker (django-tasks, `manage.py db_worker`) does the work and the
job's page shows how far it has come, then the outcome: a link to what it made, a file to
download (its maker only), or why it failed. What the work itself is belongs to the app
that owns it, registered as a kind (`jobs.kinds`); this app knows none of them.

Progress while the work runs (done / total and what it is doing) is kept in the `jobs`
cache, not in this row: a registry load writes in one transaction, and nothing it writes,
this row included, is visible to the page before it commits.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def result_path(job: Job, filename: str) -> str:
    return f"jobs/{job.pk}/{filename}"


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("waiting for its turn")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("stopped without a result")

    # A UUID, not a counter: a job's address tells nothing of how many others there are.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The maker's area when starting (what an account's area was, for the audit trail).
    area_code = models.CharField(_("area code"), max_length=8, blank=True)
    state = models.CharField(
        _("state"), max_length=8, choices=State.choices, default=State.QUEUED, db_index=True
    )
    # The language of the page that started it: the work writes files in it (an export's
    # summaries), as the page would have shown them.
    language = models.CharField(max_length=8, blank=True)
    # What the work needs (a stored upload, a run directory, a filter): JSON only.
    params = models.JSONField(default=dict, blank=True)
    done = models.PositiveIntegerField(_("work done"), default=0)
    total = models.PositiveIntegerField(_("work in all"), null=True, blank=True)
    # What it is doing or did, as a message read in the reader's language: an English
    # template marked with gettext_noop and its arguments ({"text": …, "args": {…}}).
    message = models.JSONField(default=dict, blank=True)
    # What it made: ids and counts (JSON), and a file in Django's storage, if any.
    result = models.JSONField(default=dict, blank=True)
    result_file = models.FileField(upload_to=result_path, max_length=300, blank=True)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    # Why it failed: a code of core.errors and its parameters.
    error_code = models.CharField(_("reason code"), max_length=60, blank=True)
    error_params = models.JSONField(default=dict, blank=True)
    # The django-tasks result id, and the correlation id of its audit rows.
    task_id = models.CharField(max_length=64, blank=True)
    correlation = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["started_by", "created_at"], name="job_maker_newest")]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
