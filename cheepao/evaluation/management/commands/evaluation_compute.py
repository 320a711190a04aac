"""Compute the evaluation of a registry year against a later engine run (ADR 0036):
`manage.py evaluation_compute --before 2567 --after-run var/runs/2568`. Computed again
whole each time; refusals print their message and change nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cheepao.core.context import Context
from cheepao.core.errors import ServiceError
from cheepao.evaluation import services
from cheepao.households.models import RegistryYear


class Command(BaseCommand):
    help = "Follow the households of a registry year into a later survey run (evaluation)."

    def add_arguments(self, parser):
        parser.add_argument("--before", type=int, required=True, help="registry survey year (BE)")
        parser.add_argument("--after-run", required=True, help="later run, e.g. var/runs/2568")

    def handle(self, *args, before: int, after_run: str, **options):
        registry = RegistryYear.objects.filter(survey_year=before).order_by("-version").first()
        if registry is None:
            raise CommandError(f"no registry of survey year {before} is loaded")
        try:
            ev = services.evaluation_compute(
                ctx=Context.cli(), registry=registry, after_run_path=after_run
            )
        except ServiceError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(
            f"evaluation {ev.before_year}→{ev.after_year}: {ev.households} households "
            f"followed, {ev.found} found in the later survey."
        )
