"""The monthly statistics for the demo (`make demo`, the last demo command): every month
from the first Logbook entry or case of the demo to this one, computed for the whole
country from what the earlier demo commands recorded. Idempotent: a month's rows are
replaced whole each time."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cheepao.core.context import Context
from cheepao.helpstats import months, selectors, services


class Command(BaseCommand):
    help = "Compute the demo's monthly statistics of help (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--province", default="34")

    def handle(self, *args, province: str, **options):
        wanted = selectors.months_with_work()
        for m in wanted:
            services.month_compute(ctx=Context.cli(), month=m)
        names = ", ".join(months.code(m) for m in wanted) or "none"
        self.stdout.write(f"demo_helpstats: months computed: {names}")
