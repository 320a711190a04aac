"""The Logbook for the demo (`make demo`, after demo_plans): programmes of the demo agency
account's office (the provincial social development office, พม.; examples of seed 004
section 3.4, `programme_examples` of indicators.yaml), and for the first households in the
demo mentor's care a visit, a need noted from the registry and two acts of help, written
through the Logbook's own services with the demo accounts as actors.

Idempotent: programmes are found by agency, name and budget year; entries carry uids made
from the household and their place in the list (uuid5), and a uid sent again returns the
entry already stored (ADR 0026), so running it again adds nothing.
"""

from __future__ import annotations

import datetime
import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from cheepao.core import access
from cheepao.core.context import Context
from cheepao.core.thai import be_year
from cheepao.households.models import Household, Problem
from cheepao.logbook import services
from cheepao.logbook.models import Entry, Programme

NAMESPACE = uuid.UUID("6f1d8a52-3c1e-4b8e-9a55-0c2d7e4b1a26")
PROGRAMMES = [
    ("ซ่อมแซมบ้านผู้มีรายได้น้อยและผู้ด้อยโอกาส", ["living"], "2500000"),
    ("ช่วยเหลือผู้ประสบปัญหาทางสังคม (เงินสงเคราะห์)", ["access"], "1200000"),
]
HOUSEHOLDS = 3


def budget_year(day: datetime.date) -> int:
    """The Thai fiscal year (BE) of a day: October starts the next one."""
    return be_year(day.year) + (1 if day.month >= 10 else 0)


class Command(BaseCommand):
    help = "Programmes and Logbook entries for the demo mentor's households (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--province", default="34")

    def handle(self, *args, province: str, **options):
        users = get_user_model()
        mentor = users.objects.filter(username="demo-mentor", is_active=True).first()
        agency = users.objects.filter(username="demo-agency", is_active=True).first()
        if mentor is None or agency is None or agency.body is None:
            self.stdout.write("demo_logbook: no demo accounts; run demo_accounts first.")
            return
        today = timezone.localdate()
        year = budget_year(today)
        programmes = {}
        for name, dims, budget in PROGRAMMES:
            found = Programme.objects.filter(
                agency=agency.body, name=name, budget_year=year
            ).first()
            programmes[dims[0]] = found or services.programme_register(
                ctx=Context.cli(agency), name=name, budget_year=year, budget=budget, dimensions=dims
            )
        cared = list(
            access.scope(mentor, Household, "care")
            .filter(province_code=province)
            .order_by("village_code", "pk")[:HOUSEHOLDS]
        )
        before = Entry.objects.count()
        for household in cared:
            self._entries(household, mentor, programmes, today)
        self.stdout.write(
            f"demo_logbook: {len(programmes)} programmes, "
            f"{Entry.objects.count() - before} entries made for {len(cared)} households."
        )

    def _entries(self, household, mentor, programmes, today):
        ctx = Context.cli(mentor)

        def uid(n: int) -> uuid.UUID:
            return uuid.uuid5(NAMESPACE, f"{household.uid}:{n}")

        base = {"ctx": ctx, "household_id": household.pk}
        services.visit_record(
            **base,
            occurred_on=today - datetime.timedelta(days=40),
            note="พบครอบครัวครบ หลังคาบ้านรั่ว ผู้สูงอายุมีโรคประจำตัว",
            uid=uid(1),
        )
        problems = list(
            Problem.objects.filter(household=household, status=Problem.Status.OPEN).order_by(
                "indicator"
            )
        )
        if problems:
            p = problems[0]
            services.need_record(
                **base,
                occurred_on=today - datetime.timedelta(days=40),
                dimension=p.dimension,
                indicator=p.indicator,
                source="registry",
                note="ครัวเรือนยืนยันปัญหานี้ระหว่างการเยี่ยมบ้าน",
                uid=uid(2),
            )
        services.help_record(
            **base,
            occurred_on=today - datetime.timedelta(days=20),
            dimension="living",
            help_kind="goods",
            programme=programmes["living"].pk,
            value="8500",
            note="วัสดุซ่อมแซมหลังคา",
            uid=uid(3),
        )
        services.help_record(
            **base,
            occurred_on=today - datetime.timedelta(days=5),
            dimension="access",
            help_kind="money",
            programme=programmes["access"].pk,
            value="3000",
            note="เงินสงเคราะห์ครอบครัวผู้มีรายได้น้อย",
            uid=uid(4),
        )
