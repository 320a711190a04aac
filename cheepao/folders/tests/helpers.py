"""The one place the folder tests put a household in a mentor's care, and make photos.

Mentoring's services (appointing teams, assigning households) may not be in this tree yet,
so the care is made directly as rows: a team of the household's subdistrict, its lead (a
mentor account) named as the household's civil servant, a teammate with an account and one
without (as mentoring/tests/test_policies.py does)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from cheepao.audit.models import AuditEvent
from cheepao.folders.models import FamilyFolder, FolderPhoto
from cheepao.households.models import Household, HouseholdEvent
from cheepao.mentoring.models import Assignment, MentorTeam, TeamMember


@dataclass
class Care:
    household: Household
    mentor: Any  # the named civil servant (a mentor account)
    mate: Any  # a teammate with an account
    team: MentorTeam
    assignment: Assignment


def put_in_care(household: Household, make_user) -> Care:
    team = MentorTeam.objects.create(
        name="ทีมพี่เลี้ยง ทดสอบ",
        subdistrict_code=household.subdistrict_code,
        district_code=household.district_code,
    )
    mentor = make_user("mentor", household.village_code, first_name="สมใจ", last_name="ใฝ่ดี")
    lead = TeamMember.objects.create(
        team=team, user=mentor, name="สมใจ ใฝ่ดี", kind="civil_servant", is_lead=True
    )
    mate = make_user("mentor", household.subdistrict_code)
    TeamMember.objects.create(team=team, user=mate, name="สมหมาย", kind="volunteer")
    TeamMember.objects.create(team=team, name="นักศึกษา", kind="student")
    assignment = Assignment.objects.create(
        household=household, team=team, mentor=lead, village_code=household.village_code
    )
    return Care(household, mentor, mate, team, assignment)


def jpeg(size=(800, 600), colour=(40, 120, 60), exif=None) -> bytes:
    img = Image.new("RGB", size, colour)
    ImageDraw.Draw(img).rectangle([10, 10, size[0] // 2, size[1] // 2], fill=(200, 180, 40))
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif) if exif is not None else img.save(out, "JPEG")
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    """A camera's photo: EXIF with the place it was taken (GPS IFD) and the camera."""
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (15.0, 13.0, 42.5)
    gps[3] = "E"
    gps[4] = (104.0, 51.0, 7.25)
    return jpeg(exif=exif)


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def snapshot() -> dict:
    """Everything the folder services write, as comparable values."""
    return {
        "folders": list(FamilyFolder.objects.order_by("pk").values()),
        "photos": list(FolderPhoto.objects.order_by("pk").values()),
        "history": list(HouseholdEvent.objects.order_by("pk").values_list("pk", flat=True)),
        "audit_writes": AuditEvent.objects.exclude(
            action__in=[AuditEvent.Action.VIEW, AuditEvent.Action.EXPORT]
        ).count(),
    }


def folder_data(**over: Any) -> dict[str, Any]:
    data = {
        "head_name": "นายทองดี มีสุข",
        "head_age": 58,
        "address": "บ้านเลขที่ 12 หมู่ที่ 1",
        "occupation": "ทำนา",
        "members_male": 2,
        "members_female": 2,
        "members_disabled": 1,
        "income_per_person": "25,000",
        "savings": "1200",
        "debt_formal": "40000",
        "debt_informal": "5000",
        "debt_cause": "ลงทุนทำนา",
        "household_type": "developable",
        "wish": "wants",
        "help_kinds": ["training", "money"],
        "skills": "ทอผ้า",
        "khok_nong_na": "plot_owner",
        "khok_budget": "cdd",
        "funds": ["village_fund", "savings_group"],
    }
    data.update(over)
    return data
