"""Routing for the demo (`make demo`, after demo_logbook): a health office agency account
(demo-health, the provincial public health office, กระทรวงสาธารณสุข), the ministry of the
demo agency's office (พม.), a foundation, and on the demo mentor's households cases and
referrals in every state (pending, accepted, rejected, done, revoked, one overdue, one to
the foundation under the household's consent), one case confirmed solved, written
through routing's and the Logbook's own services with the demo accounts as actors.

Idempotent: once the demo mentor's households have cases it adds nothing; the health
account is created once (its password is printed then).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from cheepao.accounts import services as accounts
from cheepao.accounts.roles import Role
from cheepao.core import access
from cheepao.core.context import Context
from cheepao.geo import selectors as geo
from cheepao.households.models import Household
from cheepao.logbook import services as logbook
from cheepao.routing import services
from cheepao.routing.models import Case, Referral

HEALTH = "กระทรวงสาธารณสุข"
SOCIAL = "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์"
HOUSEHOLDS = 4


class Command(BaseCommand):
    help = "Cases and referrals in every state for the demo mentor's households (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--province", default="34")

    def handle(self, *args, province: str, **options):
        users = get_user_model()
        named = {
            u.username: u
            for u in users.objects.filter(
                username__in=["demo-mentor", "demo-agency"], is_active=True
            )
        }
        if len(named) < 2 or named["demo-agency"].body is None:
            self.stdout.write("demo_routing: no demo accounts; run demo_accounts first.")
            return
        mentor, social = named["demo-mentor"], named["demo-agency"]
        cli = Context.cli()
        area = geo.area_get(province)
        name = area.name_th if area else province
        accounts.agency_body_ensure(
            ctx=cli, name=social.body.name, area_code=social.body.area_code, ministry=SOCIAL
        )
        social.body.refresh_from_db()
        health_name = f"สำนักงานสาธารณสุขจังหวัด{name}"
        health_body = accounts.agency_body_ensure(
            ctx=cli, name=health_name, area_code=province, ministry=HEALTH
        )
        health = users.objects.filter(username="demo-health").first()
        if health is None:
            health, password, _created = accounts.demo_account_ensure(
                ctx=cli,
                username="demo-health",
                full_name="ผู้ใช้สาธิต สาธารณสุข",
                role=Role.AGENCY,
                area_code=province,
                body_name=health_name,
            )
            self.stdout.write(f"demo_routing: demo-health (agency, {province}) password {password}")
        foundation = accounts.agency_body_ensure(
            ctx=cli,
            name=f"มูลนิธิเพื่อผู้ยากไร้จังหวัด{name} (สาธิต)",
            area_code=province,
            sector="foundation",
        )
        cared = list(
            access.scope(mentor, Household, "care")
            .filter(province_code=province)
            .order_by("village_code", "pk")[:HOUSEHOLDS]
        )
        if not cared:
            self.stdout.write("demo_routing: the demo mentor cares for no household; nothing made.")
            return
        if Case.objects.filter(household__in=cared).exists():
            self.stdout.write("demo_routing: the demo cases are already there.")
            return
        self._cases(cared, mentor, social, health, health_body, foundation)
        self.stdout.write(
            f"demo_routing: {Case.objects.filter(household__in=cared).count()} cases, "
            f"{Referral.objects.filter(case__household__in=cared).count()} referrals "
            f"for {len(cared)} households."
        )

    def _cases(self, cared, mentor, social, health, health_body, foundation):
        team = Context.cli(mentor)
        cases = []
        for household in cared:
            cases += services.cases_open_from_registry(ctx=team, household_id=household.pk)
        # Needs found in the field (no indicator) fill the states a small registry lacks;
        # the income one has no office of its lead ministry: the district chooses.
        needs = [
            ("income", "ต้องการฝึกอาชีพเสริมรายได้"),
            ("living", "บ้านทรุดโทรม ต้องการซ่อมแซม"),
            ("education", "บุตรหลานต้องการทุนการศึกษา"),
            ("income", "ต้องการแหล่งเงินทุนประกอบอาชีพ"),
            ("living", "ต้องการน้ำดื่มสะอาด"),
            ("education", "ผู้สูงอายุต้องการเรียนรู้การใช้โทรศัพท์"),
            ("income", "ต้องการตลาดจำหน่ายผลผลิต"),
        ]
        for n, (dimension, note) in enumerate(needs[: max(0, 8 - len(cases))]):
            cases.append(
                services.case_open(
                    ctx=team,
                    household_id=cared[n % len(cared)].pk,
                    dimension=dimension,
                    note=note,
                )
            )
        # Health problems go to the health office, the others to the พม. office.
        cases.sort(key=lambda c: (c.dimension != "health", c.pk))
        today = timezone.localdate()

        def agency_of(case):
            return (health, health_body) if case.dimension == "health" else (social, social.body)

        def send(case, **extra):
            user, body = agency_of(case)
            ref = services.referral_send(ctx=team, case_id=case.pk, agency_id=body.pk, **extra)
            return user, body, ref

        plan = ["done_solved", "accepted", "pending", "overdue", "rejected", "revoked"]
        for step, case in zip(plan, cases, strict=False):
            user, body, ref = send(case, note="โปรดช่วยเหลือครัวเรือนตามปัญหานี้")
            agency = Context.cli(user)
            if step in ("done_solved", "accepted"):
                services.referral_accept(ctx=agency, referral_id=ref.pk)
            if step == "done_solved":
                entry = logbook.help_record(
                    ctx=agency,
                    household_id=case.household_id,
                    occurred_on=today - datetime.timedelta(days=2),
                    dimension=case.dimension,
                    indicator=case.indicator,
                    help_kind="training" if case.dimension != "health" else "other",
                    agency=body.pk,
                    note="เจ้าหน้าที่เยี่ยมบ้านและให้บริการตามปัญหา",
                )
                services.referral_done(ctx=agency, referral_id=ref.pk, entry_id=entry.pk)
                services.case_solve(ctx=team, case_id=case.pk, entry_id=entry.pk)
            elif step == "overdue":
                # Demo history: this referral was sent weeks ago and nobody answered. The
                # verbs take no date in the past, so the demo moves the dates back itself.
                Referral.objects.filter(pk=ref.pk).update(
                    sent_at=timezone.now() - datetime.timedelta(days=30),
                    follow_up_on=today - datetime.timedelta(days=15),
                )
            elif step == "rejected":
                services.referral_reject(
                    ctx=agency, referral_id=ref.pk, reason="ไม่อยู่ในภารกิจของหน่วยงาน โปรดส่งหน่วยอื่น"
                )
            elif step == "revoked":
                services.referral_revoke(ctx=team, referral_id=ref.pk, reason="ส่งผิดหน่วยงาน")
        # The health office has a referral waiting for its answer, so the demo can go
        # through accepting it, recording help and marking its part done.
        if not Referral.objects.filter(
            agency=health_body, state=Referral.State.PENDING, case__household__in=cared
        ).exists():
            need = services.case_open(
                ctx=team,
                household_id=cared[0].pk,
                dimension="health",
                note="ผู้สูงอายุในบ้านมีโรคประจำตัว ต้องการพบแพทย์อย่างต่อเนื่อง",
            )
            services.referral_send(
                ctx=team,
                case_id=need.pk,
                agency_id=health_body.pk,
                note="โปรดนัดตรวจสุขภาพและติดตามการรักษา",
            )
        # A foundation, under the household's recorded consent (the last case stays with
        # no referral of its own otherwise).
        last = cases[-1]
        if last.state == Case.State.OPEN:
            services.consent_record(
                ctx=team,
                household_id=last.household_id,
                given_by="หัวหน้าครัวเรือน",
                given_on=today,
                how="ลงนามในแบบยินยอมให้เปิดเผยข้อมูล",
                body_id=foundation.pk,
            )
            services.referral_send(
                ctx=team, case_id=last.pk, agency_id=foundation.pk, note="ขอรับการสนับสนุนจากมูลนิธิ"
            )
