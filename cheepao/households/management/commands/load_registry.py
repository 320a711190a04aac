from django.core.management.base import BaseCommand, CommandError

from cheepao.engine import api as engine
from cheepao.engine.api import RunNotFound
from cheepao.households import services
from cheepao.households.jobs import target_households


class Command(BaseCommand):
    help = (
        "Load the target households of an engine run (cheepao compute) into the registry, "
        "with their members and problems, printing the households written as it goes. Safe "
        "to run again: households already loaded for that survey year are kept as they "
        "are, with their field work. The national page 'Load a survey year' does the same "
        "as a background job."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--run", required=True, help="run directory, e.g. var/runs/2568")

    def handle(self, *args, **options) -> None:
        try:
            total = target_households(engine.open_run(options["run"]))
        except RunNotFound as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"registry: {total:,} target households in {options['run']}")

        def progress(n: int) -> None:
            self.stdout.write(f"registry: {n:,} of {total:,} households written")

        result = services.registry_load(options["run"], on_progress=progress)
        self.stdout.write(
            f"survey year {result.survey_year}: {result.households_created:,} households, "
            f"{result.members_created:,} members, {result.problems_created:,} problems added; "
            f"{result.households_present:,} households were already in the registry"
        )
        self.stdout.write(self.style.SUCCESS("registry loaded"))
