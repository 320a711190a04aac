"""The monthly snapshots for the demo (`make demo`, after the monthly statistics and the
evaluation): every month from the first Logbook entry or case to this one is built for the
whole country, then the latest ended month (the one a team confirms now) is closed bottom-up in the demo province
through `services.month_close` by the demo accounts, as far as they reach: the demo
subdistrict's team closes its subdistrict, the demo district its district (refused while
another subdistrict of it is open), then the province and the country. Idempotent: a
closed month stays closed, open rows are built again."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from cheepao.core.context import Context
from cheepao.core.errors import ServiceError
from cheepao.helpstats import months, selectors
from cheepao.snapshots import services
from cheepao.snapshots.models import AreaMonth

CLOSERS = ("demo-subdistrict", "demo-district", "demo-province", "demo-national")


class Command(BaseCommand):
    help = "Build the demo's monthly snapshots and close the latest ended month (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--province", default="34")

    def handle(self, *args, province: str, **options):
        today = timezone.localdate()
        wanted = selectors.months_with_work()
        current = months.first_of(today)
        if current not in wanted:
            wanted.append(current)
        for m in wanted:
            services.month_build(ctx=Context.cli(), month=m)
        names = ", ".join(months.code(m) for m in wanted)
        self.stdout.write(f"demo_snapshots: months built: {names}")
        ended = [m for m in wanted if months.next_month(m) <= today]
        if not ended:
            self.stdout.write("demo_snapshots: no month has ended yet: nothing to close")
            return
        oldest = ended[-1]  # the latest ended month: last month, confirmed now
        users = get_user_model().objects.filter(username__in=CLOSERS, is_active=True)
        found = {u.username: u for u in users}
        for username in CLOSERS:
            user = found.get(username)
            if user is None or not (user.area_code or province).startswith(province):
                continue
            row = AreaMonth.objects.filter(month=oldest, area_code=user.area_code).first()
            if row is not None and row.closed:
                self.stdout.write(f"{months.code(oldest)} {username}: already closed")
                continue
            try:
                services.month_close(ctx=Context.cli(user), month=oldest, area_code=user.area_code)
            except ServiceError as exc:
                self.stdout.write(f"{months.code(oldest)} {username}: not closed ({exc.code})")
                break
            self.stdout.write(f"{months.code(oldest)} {username}: closed")
