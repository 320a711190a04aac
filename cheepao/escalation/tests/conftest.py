from __future__ import annotations

import pytest

from cheepao.accounts.models import Body
from cheepao.escalation.tests.factories import open_case, problems


@pytest.fixture
def world(registry, make_user):
    """An open case of a household (its district clock running), the district, subdistrict
    and province centres of its area, a provincial agency office (government) with an
    account, a foundation of the province, an agency of another province, and accounts of
    other areas."""
    (problem,) = problems(registry, 1)
    h = problem.household
    district = make_user("district", h.district_code)
    office = Body.objects.create(
        name="สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดทดสอบ",
        kind=Body.Kind.AGENCY,
        area_code=h.province_code,
        sector="government",
        ministry="กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์",
    )
    return {
        "household": h,
        "case": open_case(problem, by=district),
        "district": district,
        "subdistrict": make_user("subdistrict", h.subdistrict_code),
        "province": make_user("province", h.province_code),
        "mentor": make_user("mentor", h.village_code),
        "office": office,
        "agency_user": make_user("agency", h.province_code, body=office),
        "foundation": Body.objects.create(
            name="มูลนิธิทดสอบ", kind=Body.Kind.AGENCY, area_code=h.province_code,
            sector="foundation",
        ),
        "far_office": Body.objects.create(
            name="สำนักงานจังหวัดอื่น", kind=Body.Kind.AGENCY, area_code="35", sector="government"
        ),
        "other_district": make_user("district", "3402" if h.district_code != "3402" else "3403"),
        "other_province": make_user("province", "35"),
    }  # fmt: skip
