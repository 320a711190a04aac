"""Build the monthly snapshots again: `--month 2569-11` (BE) or `--all` (every month from
the first Logbook entry or case to this one, oldest first), for the whole country or
`--area <code>` (ADR 0031). Each month is its own transaction with its audit row; closed
rows are never touched."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cheepao.core.context import Context
from cheepao.core.errors import ServiceError
from cheepao.helpstats import months, selectors
from cheepao.snapshots import services


class Command(BaseCommand):
    help = "Build the monthly snapshots (--month 2569-11 in BE, or --all)."

    def add_arguments(self, parser):
        parser.add_argument("--month", default="", help="a Buddhist Era month, e.g. 2569-11")
        parser.add_argument("--all", action="store_true", help="every month with work")
        parser.add_argument("--area", default="", help="an area code ('' = the country)")

    def handle(self, *args, month: str, all: bool, area: str, **options):
        if bool(month) == bool(all):
            raise CommandError("give either --month YYYY-MM (BE) or --all")
        if month:
            parsed = months.parse(month)
            if parsed is None:
                raise CommandError(f"not a Buddhist Era month: {month!r} (e.g. 2569-11)")
            wanted = [parsed]
        else:
            wanted = selectors.months_with_work() or [months.first_of(timezone.localdate())]
        for m in wanted:
            started = time.monotonic()
            try:
                n = services.month_build(ctx=Context.cli(), month=m, area=area)
            except ServiceError as exc:
                raise CommandError(f"{months.code(m)}: {exc.code}") from exc
            self.stdout.write(f"{months.code(m)}: {n} rows in {time.monotonic() - started:.1f} s")
