from django.core.management.base import BaseCommand, CommandError

from cheepao.core.context import Context
from cheepao.core.errors import ServiceError
from cheepao.engine.api import RunNotFound
from cheepao.households import services
from cheepao.households.jobs import target_households


class Command(BaseCommand):
    help = (
        "Load the target households of an engine run (cheepao compute) into the registry, "
        "with their members and problems, printing the households written as it goes. Safe "
        "to run again: households already loaded from that run are kept as they are, with "
        "their field work. Another run of a survey year already loaded is refused unless "
        "--new-version makes it a new registry version. The national page 'Load a survey "
        "year' does the same as a background job."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--run", required=True, help="run directory, e.g. var/runs/2568")
        parser.add_argument(
            "--new-version",
            action="store_true",
            help="when the survey year already holds another run, load this one as the "
            "year's next registry version (the earlier versions stay as they are); a run "
            "already loaded is topped up in its own version either way",
        )

    def handle(self, *args, **options) -> None:
        try:
            total = target_households(services.run_checked(options["run"]))
        except RunNotFound as exc:
            raise CommandError(str(exc)) from exc
        except ServiceError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc
        self.stdout.write(f"registry: {total:,} target households in {options['run']}")

        def progress(n: int) -> None:
            self.stdout.write(f"registry: {n:,} of {total:,} households written")

        try:
            result = services.registry_load(
                ctx=Context.cli(),
                run=options["run"],
                new_version=options["new_version"],
                on_progress=progress,
            )
        except RunNotFound as exc:
            raise CommandError(str(exc)) from exc
        except ServiceError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc
        self.stdout.write(
            f"survey year {result.survey_year} (registry version {result.version}): "
            f"{result.households_created:,} households, "
            f"{result.members_created:,} members, {result.problems_created:,} problems added; "
            f"{result.households_present:,} households were already in the registry"
        )
        self.stdout.write(self.style.SUCCESS("registry loaded"))
