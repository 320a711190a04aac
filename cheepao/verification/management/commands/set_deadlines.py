"""Give a registry year's round its own deadlines (verification, certification, approval).

    manage.py set_deadlines --verify 2026-12-31 --certify 2027-01-10 --approve 2027-01-15 \\
        --reason "หนังสือสั่งการ ..."
    manage.py set_deadlines --demo

Without it, a round keeps the manual's dates for its survey year (the workflow catalogue, workflows/<version>.yaml). `--demo`
dates the latest round from today by `demo_days` of the workflow catalogue; `make demo` runs it, so
the demo shows a round in progress, not one a year overdue.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cheepao.core.context import Context
from cheepao.core.errors import ServiceError
from cheepao.households.models import RegistryYear
from cheepao.households.selectors import registry_latest
from cheepao.verification import services
from cheepao.verification.workflow import workflow

DEMO_REASON = "demo: dated from the day `make demo` set it up"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD, Common Era): {text!r}") from exc


class Command(BaseCommand):
    help = "Set the deadlines of a registry year's round (or date the demo's round from today)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, help="survey year (BE); default: the latest")
        for d in workflow().deadlines:
            parser.add_argument(f"--{d.step}", help=f"due date of {d.step}, YYYY-MM-DD")
        parser.add_argument("--reason", default="", help="why the round has its own dates")
        parser.add_argument(
            "--demo",
            action="store_true",
            help="date every step from today by demo_days of the workflow catalogue",
        )

    def handle(self, *args, **options) -> None:
        if options["year"]:
            registry = RegistryYear.objects.filter(survey_year=options["year"]).first()
        else:
            registry = registry_latest()
        if registry is None:
            raise CommandError("no registry year loaded: run `manage.py load_registry` first")
        flow = workflow()
        if options["demo"]:
            today = timezone.localdate()
            dates = {step: today + timedelta(days=n) for step, n in flow.demo_days.items()}
            reason = options["reason"] or DEMO_REASON
        else:
            dates = {d.step: _date(options[d.step]) for d in flow.deadlines if options[d.step]}
            if not dates:
                raise CommandError("give --demo, or at least one of --verify/--certify/--approve")
            reason = options["reason"]
        try:
            after = services.round_deadlines_set(
                registry=registry, dates=dates, reason=reason, ctx=Context.cli()
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        shown = ", ".join(f"{step} {due:%Y-%m-%d}" for step, due in after.items())
        self.stdout.write(f"round {registry.survey_year}: {shown}")
        self.stdout.write(self.style.SUCCESS("deadlines set"))
