"""One account per role in the demo province, with passwords printed once.

    manage.py demo_accounts --province 34

Run again at any time: the same usernames get new passwords (the old ones stop working),
and national/province accounts get a new set of backup codes for the second factor, so a
demo visitor can sign in without setting up an authenticator app.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cheepao.accounts import selectors, services
from cheepao.accounts.roles import RULES, Role
from cheepao.core.context import Context
from cheepao.geo import selectors as geo

FALLBACK_SUBDISTRICT = "01"  # เมือง…/ในเมือง-style first subdistrict of the first district
FALLBACK_VILLAGE = "01"


class Command(BaseCommand):
    help = "Create (or refresh) one demo account per role in a province; print passwords once."

    def add_arguments(self, parser):
        parser.add_argument("--province", default="34", help="province code (default 34)")
        parser.add_argument(
            "--first-login",
            action="store_true",
            help="make the demo accounts choose a new password at first sign-in, as real "
            "accounts do (by default the demo skips that step)",
        )

    def handle(self, *args, province: str, first_login: bool, **options):
        area = geo.area_get(province) if len(province) == 2 else None
        if area is None:
            raise CommandError(
                f"unknown province {province!r}: run `manage.py load_geography` first, and "
                "give a 2-digit province code"
            )
        districts = geo.area_children(province)
        if not districts:
            raise CommandError(f"province {province} has no districts in the geography")
        district = districts[0]
        subdistrict_code = selectors.busiest_subdistrict(district.code) or (
            district.code + FALLBACK_SUBDISTRICT
        )
        subdistrict = geo.area_get(subdistrict_code)
        if subdistrict is None:
            raise CommandError(f"subdistrict {subdistrict_code} is not in the geography")
        villages = selectors.villages_with_households(subdistrict_code)
        village_code = villages[0] if villages else subdistrict_code + FALLBACK_VILLAGE

        plan = [
            (
                "demo-national",
                Role.NATIONAL,
                "",
                "ผู้ใช้สาธิต ระดับประเทศ",
                "ศูนย์อำนวยการขจัดความยากจนและพัฒนาคนทุกช่วงวัยอย่างยั่งยืน (ศจพ.) ส่วนกลาง",
            ),
            ("demo-province", Role.PROVINCE, province, "ผู้ใช้สาธิต ศจพ.จ.", f"ศจพ.จ.{area.name_th}"),
            (
                "demo-district",
                Role.DISTRICT,
                district.code,
                "ผู้ใช้สาธิต ศจพ.อ.",
                f"ศจพ.อ.{district.name_th}",
            ),
            (
                "demo-subdistrict",
                Role.SUBDISTRICT,
                subdistrict_code,
                "ผู้ใช้สาธิต ทีมปฏิบัติการ",
                f"ทีมปฏิบัติการตำบล{subdistrict.name_th}",
            ),
            (
                "demo-mentor",
                Role.MENTOR,
                village_code,
                "ผู้ใช้สาธิต ทีมพี่เลี้ยง",
                f"ทีมพี่เลี้ยง หมู่ที่ {int(village_code[6:])} ตำบล{subdistrict.name_th}",
            ),
            (
                "demo-agency",
                Role.AGENCY,
                province,
                "ผู้ใช้สาธิต หน่วยงาน",
                f"สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด{area.name_th}",
            ),
        ]
        ctx = Context.cli()
        rows, codes = [], {}
        for username, role, code, full_name, body_name in plan:
            account, password, created = services.demo_account_ensure(
                ctx=ctx,
                username=username,
                full_name=full_name,
                role=role,
                area_code=code,
                body_name=body_name,
                first_login=first_login,
            )
            rows.append(
                (
                    username,
                    role.value,
                    code or "—",
                    selectors.area_label(code),
                    password,
                    "created" if created else "new password",
                )
            )
            if RULES[role].two_factor:
                codes[username] = services.backup_codes_issue(ctx=ctx, user=account)

        out = self.stdout
        out.write("Cheepao demo accounts (passwords are shown only now; run again for new ones):")
        header = ("username", "role", "area", "area name", "password", "")
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            out.write("  " + "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))
        out.write("")
        out.write("Two-step sign-in is required for national and province accounts. Instead of an")
        out.write("authenticator app, type one of these backup codes when asked (each works once):")
        for username, user_codes in codes.items():
            out.write(f"  {username}: {' '.join(user_codes)}")
        if not first_login:
            out.write("")
            out.write("Demo accounts skip the first-login password change; accounts created in the")
            out.write("app (Accounts → Create an account) must choose their own password first.")
