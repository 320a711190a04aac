"""Escalate every overdue clock whose step escalates by itself (for cron), or with
`--schedule` queue the worker's hourly run of the same (escalation.tasks)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cheepao.core.context import Context
from cheepao.escalation import services, tasks


class Command(BaseCommand):
    help = "Escalate overdue problems to the next level (idempotent); --schedule: hourly in the worker."

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="queue the background worker's hourly run instead of running now",
        )

    def handle(self, *args, schedule: bool = False, **options):
        if schedule:
            queued = tasks.schedule(at=None)
            self.stdout.write(
                "escalations_run: hourly run queued for the worker."
                if queued
                else "escalations_run: a run is already queued (or the task backend runs "
                "nothing later); nothing queued."
            )
            return
        result = services.escalations_run(ctx=Context.cli())
        self.stdout.write(
            f"escalations_run: {result['escalated']} escalated, {result['skipped']} skipped."
        )
