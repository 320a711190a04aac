from django.core.management.base import BaseCommand, CommandError

from cheepao.accounts.services import account_bootstrap_national
from cheepao.core import errors
from cheepao.core.context import Context


class Command(BaseCommand):
    help = (
        "Create the first national account of a new installation and print its one-time "
        "password once. Refused when an active national account exists: every other "
        "account is created down the hierarchy in the web app."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--body", required=True, help="name of the national body")

    def handle(self, *args, **options) -> None:
        try:
            account, password = account_bootstrap_national(
                ctx=Context.cli(),
                username=options["username"],
                full_name=options["full_name"],
                body_name=options["body"],
            )
        except errors.ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"account {account.username} (national), one-time password: {password}")
        self.stdout.write(
            "Shown once. At first sign-in the person chooses a new password and sets up "
            "two-step sign-in."
        )
