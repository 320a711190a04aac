"""Who may see a background job and take its file (core.access; ADR 0017, 0021).

A job is its maker's alone: the page, its progress and its result file (an export of
personal data, a list that named people) are reached only by the account that started it,
whatever the role or area of anyone else, and the same 404 answers every other account.
Starting a job is the owning app's permission (import lists, load the registry, read the
audit log), checked by its service; seeing one's own job needs no further permission.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from cheepao.core import access
from cheepao.jobs.models import Job

#: Not a permission of accounts.roles: an action any signed-in account takes on its own jobs.
OWN = "own_job"


class JobPolicy(access.Policy):
    model = Job
    actions = {
        "view": OWN,  # the job's page and its progress
        "download": OWN,  # the file it made
    }

    def permitted(self, user: Any, action: str) -> bool:
        if action not in self.actions:
            raise KeyError(f"{self.label} has no action {action!r}")
        return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))

    def within(self, user: Any, action: str, qs: QuerySet) -> QuerySet:
        return qs.filter(started_by=user)

    def area_of(self, obj: Job) -> str:
        return obj.area_code

    def actors(self, obj: Job, action: str) -> QuerySet:
        return get_user_model().objects.filter(pk=obj.started_by_id, is_active=True)


def register() -> None:
    access.register(JobPolicy())
