from django.core.management.base import BaseCommand, CommandError

from cheepao.core.context import Context
from cheepao.households import services
from cheepao.households.models import RegistryYear


class Command(BaseCommand):
    help = (
        "Compute the area summary (the summary register of every area, ADR 0020) of a "
        "registry year again from its households, members and problems. `load_registry` "
        "builds it and certified changes keep it current; this is for a registry loaded "
        "before the summary existed, or after a refresh failed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--year", type=int, help="survey year (default: every registry year loaded)"
        )

    def handle(self, *args, **options) -> None:
        registries = RegistryYear.objects.order_by("survey_year", "pk")
        if options["year"] is not None:
            registries = registries.filter(survey_year=options["year"])
            if not registries.exists():
                raise CommandError(f"no registry year {options['year']} is loaded")
        for registry in registries:
            n = services.area_summary_build(ctx=Context.cli(), registry=registry)
            self.stdout.write(f"survey year {registry.survey_year}: {n:,} areas")
        self.stdout.write(self.style.SUCCESS("area summary computed"))
