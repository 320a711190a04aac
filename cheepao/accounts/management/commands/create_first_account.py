from django.core.management.base import BaseCommand, CommandError

from cheepao.accounts.services import AccountRefused, account_bootstrap_national


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
                username=options["username"],
                full_name=options["full_name"],
                body_name=options["body"],
            )
        except AccountRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"account {account.username} (national), one-time password: {password}")
        self.stdout.write(
            "Shown once. At first sign-in the person chooses a new password and sets up "
            "two-step sign-in."
        )
