"""A household in a mentor's care for the Logbook tests, made the way mentoring's models
hold them (as plans/tests/helpers.py does): the one place these tests reach into
mentoring's tables."""

from __future__ import annotations

from typing import Any

from cheepao.households.models import Household, Problem
from cheepao.mentoring.models import Assignment, MentorTeam, TeamMember


def put_in_care(household: Household, mentor: Any) -> None:
    team = MentorTeam.objects.create(
        name="ทีมพี่เลี้ยงทดสอบ",
        subdistrict_code=household.subdistrict_code,
        district_code=household.district_code,
    )
    member = TeamMember.objects.create(
        team=team, user=mentor, name=mentor.username, kind="civil_servant", is_lead=True
    )
    Assignment.objects.create(
        household=household, team=team, mentor=member, village_code=household.village_code
    )


def household_with_problem(registry) -> tuple[Household, Problem]:
    """A target household and one of its open problems that names an indicator."""
    problem = (
        Problem.objects.filter(household__registry=registry, status=Problem.Status.OPEN)
        .exclude(indicator="")
        .select_related("household")
        .order_by("household__village_code", "household_id", "indicator")
        .first()
    )
    assert problem is not None, "no open problem in the test registry"
    return problem.household, problem
