"""A mentor team for the demo, appointed by the demo district in the demo mentor's
subdistrict, with the demo mentor as its lead and households of the mentor's village in
its care (the rest of the province stays unassigned).

    manage.py demo_mentoring --province 34

Run after `demo_accounts`. Run again at any time: the team is found by its name and
nothing is appointed or assigned twice (a full cap assigns nothing more).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from cheepao.accounts.roles import Role
from cheepao.core.context import Context
from cheepao.geo import selectors as geo
from cheepao.mentoring import services
from cheepao.mentoring.models import MentorTeam

DISTRICT = "demo-district"
MENTOR = "demo-mentor"


class Command(BaseCommand):
    help = "Appoint the demo mentor team and assign it households (after demo_accounts)."

    def add_arguments(self, parser):
        parser.add_argument("--province", default="34", help="province code (default 34)")

    def handle(self, *args, province: str, **options):
        users = get_user_model()
        district = users.objects.filter(
            username=DISTRICT, role=Role.DISTRICT, area_code__startswith=province
        ).first()
        mentor = users.objects.filter(
            username=MENTOR, role=Role.MENTOR, area_code__startswith=province
        ).first()
        if district is None or mentor is None:
            raise CommandError(f"run `manage.py demo_accounts --province {province}` first")
        village = mentor.area_code
        subdistrict = village[:6]
        if not subdistrict.startswith(district.area_code):
            raise CommandError(f"{MENTOR} ({village}) is outside {DISTRICT}'s district")
        ctx = Context.cli(district)
        area = geo.area_get(subdistrict)
        with translation.override("th"):  # a team's name is stored as the order writes it
            name = "ทีมพี่เลี้ยง " + geo.village_label(
                int(village[6:8]), area.full_name if area else subdistrict
            )
        team = MentorTeam.objects.filter(
            subdistrict_code=subdistrict, name=name, active=True
        ).first()
        if team is None:
            team = services.team_appoint(
                ctx=ctx,
                subdistrict_code=subdistrict,
                name=name,
                order_no="1/2568",
                members=[
                    {
                        "user": mentor,
                        "kind": "civil_servant",
                        "position": "นักวิชาการพัฒนาชุมชน",
                        "is_lead": True,
                    },
                    {
                        "name": "นางสาวกานดา เรียนดี",
                        "kind": "student",
                        "position": "นักศึกษามหาวิทยาลัยอุบลราชธานี",
                    },
                    {
                        "name": "นายสมปอง ใจบุญ",
                        "kind": "volunteer",
                        "position": "อาสาสมัครสาธารณสุขประจำหมู่บ้าน (อสม.)",
                        "phone": "0810000000",
                    },
                ],
            )
            self.stdout.write(f"appointed {team.name} ({team.members.count()} members)")
        else:
            self.stdout.write(f"{team.name} is already appointed")
        result = services.households_assign(ctx=ctx, team=team, village_code=village)
        self.stdout.write(
            f"village {village}: {result.assigned} households assigned now, "
            f"{result.unassigned} left unassigned (at most {result.cap} per person)"
        )
