from __future__ import annotations

import pytest

from cheepao.accounts.models import Body
from cheepao.logbook.tests.helpers import household_with_problem, put_in_care


@pytest.fixture
def cared(registry, make_user):
    """A household with an open problem, in the care of a mentor of its village; another
    mentor of the village who does not care for it; its district centre; an agency office
    of its district with an account, and one of another province."""
    h, problem = household_with_problem(registry)
    mentor = make_user("mentor", h.village_code, first_name="สมใจ", last_name="ใจดี")
    put_in_care(h, mentor)
    office = Body.objects.create(
        name="สำนักงานสาธารณสุขอำเภอทดสอบ", kind=Body.Kind.AGENCY, area_code=h.district_code
    )
    far = Body.objects.create(name="สำนักงานเกษตรจังหวัดอื่น", kind=Body.Kind.AGENCY, area_code="10")
    return {
        "household": h,
        "problem": problem,
        "mentor": mentor,
        "other_mentor": make_user("mentor", h.village_code),
        "district": make_user("district", h.district_code),
        "office": office,
        "far_office": far,
        "agency_user": make_user("agency", h.district_code, body=office),
    }


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test stores its photos in its own directory (the default storage follows)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
