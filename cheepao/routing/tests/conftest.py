from __future__ import annotations

import pytest

from cheepao.accounts.models import Body
from cheepao.logbook.tests.helpers import household_with_problem, put_in_care
from cheepao.routing.catalogue import catalogue


@pytest.fixture
def world(registry, make_user):
    """A household with an open registry problem in the care of a mentor of its village;
    another mentor of the village; its district centre and one of another district; the
    lead ministry's district office of the problem's indicator with an account, an office
    of another ministry with an account, a foundation, and an office of the same ministry
    in another province."""
    h, problem = household_with_problem(registry)
    mentor = make_user("mentor", h.village_code)
    put_in_care(h, mentor)
    lead = catalogue().lead_of(problem.dimension, problem.indicator)
    office = Body.objects.create(
        name="สำนักงานเจ้าภาพอำเภอ", kind="agency", area_code=h.district_code, ministry=lead
    )
    other = Body.objects.create(
        name="สำนักงานอื่นอำเภอ", kind="agency", area_code=h.district_code, ministry="กระทรวงอื่น"
    )
    foundation = Body.objects.create(
        name="มูลนิธิช่วยเหลือ", kind="agency", area_code=h.province_code, sector="foundation"
    )
    far = Body.objects.create(name="สำนักงานจังหวัดอื่น", kind="agency", area_code="10", ministry=lead)
    return {
        "household": h,
        "problem": problem,
        "lead": lead,
        "mentor": mentor,
        "other_mentor": make_user("mentor", h.village_code),
        "district": make_user("district", h.district_code),
        "far_district": make_user("district", "3402" if h.district_code != "3402" else "3401"),
        "province": make_user("province", h.province_code),
        "office": office,
        "other_office": other,
        "foundation": foundation,
        "far": far,
        "agency": make_user("agency", h.district_code, body=office),
        "other_agency": make_user("agency", h.district_code, body=other),
        "foundation_user": make_user("agency", h.province_code, body=foundation),
    }
