from __future__ import annotations

import pytest

from cheepao.plans.tests.helpers import household_failing, put_in_care


@pytest.fixture
def cared(registry, make_user):
    """A household with open problems in two dimensions, in the care of a mentor of its
    village; the subdistrict team of its subdistrict; a mentor of the same village who
    does not care for it."""
    h = household_failing(registry)
    mentor = make_user("mentor", h.village_code)
    put_in_care(h, mentor)
    return {
        "household": h,
        "mentor": mentor,
        "team": make_user("subdistrict", h.subdistrict_code),
        "other_mentor": make_user("mentor", h.village_code),
        "district": make_user("district", h.district_code),
    }
