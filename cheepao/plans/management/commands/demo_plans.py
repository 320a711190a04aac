"""Household plans for the demo (`make demo`, after demo_mentoring and demo_folders): for
the households in the care of the demo mentor (`demo-mentor`), plans at each stage of the
workflow (draft, sent, returned, approved), made through the plan's own services with the
demo mentor and the demo subdistrict team as actors.

Idempotent: a household that has a plan already is left as it is, so running it again
adds nothing. Without households in the demo mentor's care (mentoring's demo not run) it
says so and does nothing.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from cheepao.core import access
from cheepao.core.context import Context
from cheepao.households.models import Household, Problem
from cheepao.plans import services
from cheepao.plans.models import Plan

GOALS = [
    "มีรายได้พอใช้จ่ายในครัวเรือน ไม่มีหนี้นอกระบบ",
    "ลูกได้เรียนต่อจนจบ ม.6 และมีงานทำ",
    "มีบ้านที่มั่นคง มีน้ำสะอาดใช้ตลอดปี",
    "พ่อแม่สูงอายุได้รับการดูแลและมีสุขภาพดี",
]
OWN = {
    "health": "ออกกำลังกายร่วมกับกลุ่มในหมู่บ้านสัปดาห์ละ 3 วัน",
    "living": "ปรับปรุงบ้านและเก็บน้ำฝนไว้ใช้",
    "education": "ส่งลูกเรียนต่อ ติดตามการเรียนทุกเดือน",
    "income": "ปลูกผักสวนครัวและเลี้ยงไก่ไข่ ลดรายจ่าย เพิ่มรายได้",
    "access": "ลงทะเบียนรับสวัสดิการที่มีสิทธิ",
}
HELP = {
    "health": "training",
    "living": "goods",
    "education": "scholarship",
    "income": "training",
    "access": "referral",
}
STAGES = ["draft", "submitted", "returned", "approved"]


class Command(BaseCommand):
    help = "Household plans at each stage for the demo mentor's households (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--province", default="34")

    def handle(self, *args, province: str, **options):
        users = get_user_model()
        mentor = users.objects.filter(username="demo-mentor", is_active=True).first()
        team = users.objects.filter(username="demo-subdistrict", is_active=True).first()
        if mentor is None or team is None:
            self.stdout.write("demo_plans: no demo accounts; run demo_accounts first.")
            return
        cared = list(
            access.scope(mentor, Household, "care")
            .filter(province_code=province)
            .order_by("village_code", "pk")
        )
        if not cared:
            self.stdout.write(
                "demo_plans: the demo mentor cares for no household yet (demo_mentoring); "
                "nothing to do."
            )
            return
        made = 0
        for n, household in enumerate(cared[: len(STAGES)]):
            if Plan.objects.filter(household=household).exists():
                continue
            self._plan(household, STAGES[n], mentor, team, n)
            made += 1
        self.stdout.write(f"demo_plans: {made} plans made, {len(cared)} households in care.")

    def _plan(self, household, stage, mentor, team, n):
        me, them = Context.cli(mentor), Context.cli(team)
        plan = services.plan_start(ctx=me, household_id=household.pk)
        plan = services.plan_save(
            ctx=me,
            plan_id=plan.pk,
            version=plan.version,
            data={
                "goal": GOALS[n % len(GOALS)],
                "attitude": "ครัวเรือนอยากพึ่งตนเอง พร้อมเรียนรู้",
                "skills": "ทำนา ปลูกผัก รับจ้างทั่วไป",
                "land": "ที่นา 5 ไร่",
                "tools": "จอบ เสียม รถไถเดินตาม",
                "funds": "เงินออมกลุ่มสัจจะ 3,000 บาท",
                "way_out": "ลดรายจ่าย เพิ่มรายได้จากผักและไข่ไก่",
                "target_stage": "survive",
            },
        )
        dims = list(
            Problem.objects.filter(household=household, status=Problem.Status.OPEN)
            .order_by("dimension", "indicator")
            .values_list("dimension", "indicator")
        ) or [("income", "")]
        if len({d for d, _ in dims}) < 2:
            dims.append(("income" if dims[0][0] != "income" else "health", ""))
        due = datetime.date.today() + datetime.timedelta(days=45 + 60 * n)
        seen = set()
        for dimension, indicator in dims:
            if dimension in seen:
                continue
            seen.add(dimension)
            services.item_add(
                ctx=me,
                plan_id=plan.pk,
                version=plan.version,
                data={
                    "dimension": dimension,
                    "indicator": indicator,
                    "own_action": OWN.get(dimension, OWN["income"]),
                    "support": "พี่เลี้ยงประสานหน่วยงานและติดตามทุกเดือน",
                    "help_kind": HELP.get(dimension, "other"),
                    "due": due.isoformat(),
                },
            )
            plan.refresh_from_db()
        if stage == "draft":
            return
        plan = services.plan_step(ctx=me, plan_id=plan.pk, step="submit", version=plan.version)
        if stage == "returned":
            services.plan_step(
                ctx=them,
                plan_id=plan.pk,
                step="return",
                version=plan.version,
                comment="กรุณาเพิ่มกิจกรรมด้านการศึกษาของบุตร",
            )
        elif stage == "approved":
            plan = services.plan_step(
                ctx=them, plan_id=plan.pk, step="approve", version=plan.version
            )
            first = plan.items.order_by("position").first()
            services.item_status_set(
                ctx=me, plan_id=plan.pk, version=plan.version, item_id=first.pk, status="done"
            )
