from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from cheepao.core.context import Context
from cheepao.core.errors import ServiceError
from cheepao.engine.api import RunNotFound
from cheepao.households import services


class Command(BaseCommand):
    help = (
        "Load the target households of an engine run (cheepao compute) into the registry, "
        "with their members and problems. Safe to run again: households already loaded from "
        "that run are kept as they are, with their field work. Another run of a survey year "
        "already loaded is refused unless --new-version makes it a new registry version."
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
        with Progress(transient=True) as progress:
            task = progress.add_task("registry: households", total=None)
            try:
                result = services.registry_load(
                    options["run"],
                    new_version=options["new_version"],
                    ctx=Context.cli(),
                    on_progress=lambda n: progress.update(task, completed=n),
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
