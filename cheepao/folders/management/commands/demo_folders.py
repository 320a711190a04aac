"""Family folders for the demo: the demo mentor fills the folders of some households in
their care, with photos drawn by Pillow and the house pinned on the map.

    manage.py demo_folders --province 34

Run after `demo_accounts` and `demo_mentoring` (which puts households in the demo mentor's
care). Idempotent: a household that already has a folder is left as it is, so a second run
adds nothing. With no household in the demo mentor's care (mentoring's demo not run), it
says so and does nothing.
"""

from __future__ import annotations

import hashlib
import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw

from cheepao.core import access, errors
from cheepao.core.context import Context
from cheepao.folders import services
from cheepao.folders.models import FamilyFolder, FolderPhoto
from cheepao.households.models import Household

MENTOR = "demo-mentor"
HOW_MANY = 6
# Ubon Ratchathani's city hall: where a household without a position is pinned around.
UBON = (15.2448, 104.8473)
TYPES = ["developable", "developable", "welfare", "developable", "other", "welfare"]
WISHES = ["wants", "urgent", "wants", "does_not_want", "wants", "urgent"]
HELP = [["training", "money"], ["goods", "utilities"], ["money"], [], ["referral"], ["goods"]]
SKILLS = ["ทอผ้าไหม", "จักสานไม้ไผ่", "", "ปลูกผักปลอดสาร", "ช่างไม้", "เลี้ยงไก่พื้นเมือง"]
FUNDS = [["village_fund"], ["savings_group", "kkkj"], [], ["women_fund"], ["village_fund"], []]
COLOURS = {"head": (196, 120, 70), "house": (120, 90, 60), "surroundings": (70, 140, 70)}


def drawn_photo(kind: str, seed: int) -> bytes:
    """A simple picture (a house, a person, fields) drawn by Pillow, as a phone's JPEG."""
    img = Image.new("RGB", (1200, 900), (170, 205, 235))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 600, 1200, 900], fill=(90 + seed * 7 % 60, 150, 80))
    colour = COLOURS.get(kind, (150, 150, 150))
    if kind == "head":
        d.ellipse([500, 250, 700, 450], fill=colour)
        d.rectangle([470, 450, 730, 800], fill=(60, 90, 150))
    elif kind == "house":
        d.rectangle([350, 380, 850, 700], fill=colour)
        d.polygon([(300, 400), (600, 180), (900, 400)], fill=(150, 40, 40))
        d.rectangle([560, 520, 640, 700], fill=(60, 40, 20))
    else:
        for i in range(6):
            x = 80 + i * 190
            d.ellipse([x, 420, x + 120, 560], fill=colour)
            d.rectangle([x + 50, 540, x + 70, 640], fill=(100, 70, 40))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


def position(household: Household) -> tuple[float, float]:
    if household.lat is not None and household.lon is not None:
        try:
            return services.location_check(household.lat, household.lon)
        except errors.Invalid:  # a registry position outside Thailand: use ours
            pass
    h = int(hashlib.sha256(household.hh_id.encode()).hexdigest()[:8], 16)
    return UBON[0] + (h % 1000 - 500) / 10000, UBON[1] + (h // 1000 % 1000 - 500) / 10000


class Command(BaseCommand):
    help = "Fill some family folders (with photos and pins) for the demo mentor's households."

    def add_arguments(self, parser):
        parser.add_argument("--province", default="34", help="province code (default 34)")

    def handle(self, *args, province: str, **options):
        mentor = get_user_model().objects.filter(username=MENTOR, is_active=True).first()
        if mentor is None:
            self.stdout.write(f"demo_folders: no account {MENTOR!r}; run demo_accounts first.")
            return
        cared = (
            access.scope(mentor, Household, "care")
            .filter(province_code=province)
            .order_by("village_code", "house_no", "pk")
        )
        if not cared.exists():
            self.stdout.write(
                f"demo_folders: no household is in the care of {MENTOR} yet "
                "(run demo_mentoring first); nothing to fill."
            )
            return
        ctx = Context.cli(mentor)
        made = 0
        for i, household in enumerate(cared[:HOW_MANY]):
            if FamilyFolder.objects.filter(household=household).exists():
                continue
            data = services.folder_prefill(household)
            data.update(
                household_type=TYPES[i],
                household_type_other="ครอบครัวขยาย" if TYPES[i] == "other" else "",
                wish=WISHES[i],
                help_kinds=HELP[i],
                skills=SKILLS[i],
                funds=FUNDS[i],
                debt_cause="ลงทุนทำการเกษตร" if i % 2 == 0 else "",
                khok_nong_na="plot_owner" if i == 0 else "",
                khok_budget="cdd" if i == 0 else "",
            )
            services.folder_save(ctx=ctx, household=household, data=data, base_version=0)
            if not FolderPhoto.objects.filter(household=household).exists():
                for kind in ("head", "house", "surroundings")[: 1 + i % 3]:
                    services.photo_add(
                        ctx=ctx,
                        household=household,
                        kind=kind,
                        upload=SimpleUploadedFile(
                            f"{kind}.jpg", drawn_photo(kind, i), content_type="image/jpeg"
                        ),
                    )
            lat, lng = position(household)
            services.location_set(ctx=ctx, household=household, lat=lat, lng=lng)
            made += 1
        self.stdout.write(
            f"demo_folders: {made} family folder(s) filled for {MENTOR} "
            f"({cared.count()} household(s) in their care)."
        )
