"""Escalation for the demo (`make demo`, after demo_routing): two problems of the demo
district escalated to the province with a reason; one assigned to the demo agency's office
(the provincial social development office, พม.), the other assigned and returned. Then the
worker's hourly run of the overdue job is queued (escalations_run --schedule).

The cases are this command's own (routing's demo may not exist in this branch): open
problems of the demo district's area without an open case, made as rows and opened the way
routing's verb tells its listeners (the district's clock starts), marked by their note.
Written through escalation's own verbs with the demo accounts as actors.

Idempotent: the marked cases are found again and a step already taken is not taken again.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from cheepao.core.context import Context
from cheepao.escalation import services, tasks
from cheepao.escalation.models import Escalation
from cheepao.households.models import Problem
from cheepao.routing.extensions import case_listeners
from cheepao.routing.models import Case

NOTE = "ตัวอย่างการส่งต่อปัญหาไปยังจังหวัด (demo_escalation)"
REASONS = (
    "ครัวเรือนต้องการซ่อมแซมบ้านเกินงบประมาณของอำเภอ",
    "ผู้สูงอายุติดเตียงต้องการการดูแลจากหน่วยงานระดับจังหวัด",
)


class Command(BaseCommand):
    help = "Two problems escalated to the province, one assigned, one returned (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--province", default="34")

    def handle(self, *args, province: str, **options):
        users = get_user_model()
        found = {
            u.username: u
            for u in users.objects.filter(
                username__in=["demo-district", "demo-province", "demo-agency"], is_active=True
            ).select_related("body")
        }
        if len(found) < 3 or found["demo-agency"].body is None:
            self.stdout.write("demo_escalation: no demo accounts; run demo_accounts first.")
            return
        district, prov, agency = (
            found["demo-district"],
            found["demo-province"],
            found["demo-agency"],
        )
        cases = self._cases(district, 2)
        if len(cases) < 2:
            self.stdout.write("demo_escalation: no open problems in the demo district; skipped.")
            return
        for n, case in enumerate(cases):
            escalation = Escalation.objects.filter(case=case).order_by("pk").first()
            if escalation is None:
                escalation = services.case_escalate(
                    ctx=Context.cli(district), case_id=case.pk, reason=REASONS[n]
                )
            if escalation.assigned_at is None:
                services.escalation_assign(
                    ctx=Context.cli(prov),
                    escalation_id=escalation.pk,
                    agency_id=agency.body_id,
                    note="โปรดประสานครัวเรือนและรายงานผลต่อ ศจพ.จ.",
                )
            if n == 1 and escalation.returned_at is None:
                services.escalation_return(
                    ctx=Context.cli(prov),
                    escalation_id=escalation.pk,
                    note="หน่วยงานให้ความช่วยเหลือแล้ว ส่งคืนอำเภอติดตามผล",
                )
        queued = tasks.schedule()
        self.stdout.write(
            f"demo_escalation: {Escalation.objects.filter(case__in=cases).count()} escalations "
            f"(one assigned, one returned){'; hourly overdue run queued' if queued else ''}."
        )

    def _cases(self, district, n: int) -> list[Case]:
        cases = list(Case.objects.filter(note=NOTE).order_by("pk")[:n])
        if len(cases) >= n:
            return cases
        taken = Case.objects.filter(state=Case.State.OPEN).values("household_id", "indicator")
        busy = {(c["household_id"], c["indicator"]) for c in taken}
        used = {c.household_id for c in cases}
        for p in (
            Problem.objects.filter(
                status=Problem.Status.OPEN,
                household__village_code__startswith=district.area_code,
            )
            .exclude(indicator="")
            .select_related("household")
            .order_by("household__village_code", "household_id", "indicator")
        ):
            if (p.household_id, p.indicator) in busy or p.household_id in used:
                continue
            h = p.household
            case = Case.objects.create(
                household=h,
                village_code=h.village_code,
                dimension=p.dimension,
                indicator=p.indicator,
                problem=p,
                note=NOTE,
                opened_at=timezone.now(),
                opened_by=district,
            )
            case_listeners.tell(Context.cli(district), case, "opened")
            cases.append(case)
            used.add(h.pk)
            if len(cases) == n:
                break
        return cases
