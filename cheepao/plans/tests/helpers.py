"""Households in a mentor's care for the plan tests, made the way mentoring's models hold
them (MentorTeam, TeamMember, Assignment rows, as mentoring/tests/test_policies.py does):
the one place these tests reach into mentoring's tables."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count

from cheepao.households.models import Household, Problem
from cheepao.mentoring.models import Assignment, MentorTeam, TeamMember


def put_in_care(household: Household, mentor: Any, *, team: MentorTeam | None = None) -> Any:
    """Assign `household` to `mentor` (an account) in a team of its subdistrict."""
    if team is None:
        team = MentorTeam.objects.create(
            name="ทีมพี่เลี้ยงทดสอบ",
            subdistrict_code=household.subdistrict_code,
            district_code=household.district_code,
        )
    member = TeamMember.objects.filter(team=team, user=mentor).first() or (
        TeamMember.objects.create(
            team=team, user=mentor, name=mentor.username, kind="civil_servant", is_lead=True
        )
    )
    Assignment.objects.create(
        household=household, team=team, mentor=member, village_code=household.village_code
    )
    return team


def busiest_subdistrict(registry) -> str:
    """The subdistrict of `registry` with the most households (ties: the lowest code): in
    the tiny Ubon registry 340120, five target households in five villages."""
    row = (
        Household.objects.filter(registry=registry)
        .values("subdistrict_code")
        .annotate(n=Count("pk"))
        .order_by("-n", "subdistrict_code")
        .first()
    )
    assert row is not None, "the test registry is empty"
    return row["subdistrict_code"]


def household_failing(registry, dimensions: int = 2) -> Household:
    """A target household with open problems in at least `dimensions` dimensions."""
    for h in Household.objects.filter(registry=registry).order_by("village_code", "pk"):
        dims = set(
            h.problems.filter(status=Problem.Status.OPEN).values_list("dimension", flat=True)
        )
        if len(dims) >= dimensions:
            return h
    raise AssertionError("no such household in the test registry")


def item(dimension: str, indicator: str = "", **extra: Any) -> dict[str, Any]:
    data = {
        "dimension": dimension,
        "indicator": indicator,
        "own_action": "ปลูกผักสวนครัวไว้กินเอง",
        "support": "พี่เลี้ยงประสานเมล็ดพันธุ์",
        "help_kind": "goods",
        "due": (datetime.date.today() + datetime.timedelta(days=60)).isoformat(),
    }
    data.update(extra)
    return data
