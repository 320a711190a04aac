"""A district, three mentor accounts of one subdistrict, an appointed team, and helpers:
more households for a village (the tiny registry has 1-3 per village) and a snapshot of
everything the mentoring services write, to assert that a refusal changed nothing."""

from __future__ import annotations

import pytest

from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.households.models import Household, HouseholdEvent
from cheepao.mentoring import services
from cheepao.mentoring.models import Assignment, MentorTeam, TeamMember

VILLAGE = "34011209"  # three target households in the tiny registry


def snapshot() -> dict:
    return {
        "teams": list(MentorTeam.objects.order_by("pk").values()),
        "members": list(TeamMember.objects.order_by("pk").values()),
        "assignments": list(Assignment.objects.order_by("pk").values()),
        "history": HouseholdEvent.objects.count(),
        "audit_writes": AuditEvent.objects.filter(action__in=["create", "update"]).count(),
    }


def add_households(registry, village_code: str, n: int, start: int = 1) -> list[Household]:
    """`n` more active target households in `village_code` (one bulk insert)."""
    rows = [
        Household(
            registry=registry,
            hh_id=f"T{village_code}-{i:04d}",
            province_code=village_code[:2],
            district_code=village_code[:4],
            subdistrict_code=village_code[:6],
            village_no=int(village_code[6:]),
            village_code=village_code,
            house_no=f"{i}",
        )
        for i in range(start, start + n)
    ]
    Household.objects.bulk_create(rows)
    return list(Household.objects.filter(hh_id__in=[r.hh_id for r in rows]).order_by("pk"))


@pytest.fixture
def village(registry) -> str:
    return VILLAGE


@pytest.fixture
def district(make_user, village):
    return make_user("district", village[:4], first_name="นายอำเภอ", last_name="ทดสอบ")


@pytest.fixture
def mentors(make_user, village):
    return [
        make_user("mentor", village, first_name=name, last_name="ใจดี")
        for name in ("สมชาย", "สมหญิง", "สมศักดิ์")
    ]


def member_rows(mentors, *, students: int = 1) -> list[dict]:
    rows = [
        {"user": mentors[0], "kind": "civil_servant", "position": "พัฒนากร", "is_lead": True},
        {"user": mentors[1], "kind": "civil_servant", "position": "ครู"},
    ]
    rows += [{"name": f"นักศึกษา {i + 1}", "kind": "student"} for i in range(students)]
    return rows


@pytest.fixture
def team(district, mentors, village):
    return services.team_appoint(
        ctx=Context.cli(district),
        subdistrict_code=village[:6],
        name="ทีมพี่เลี้ยง หมู่ 9",
        order_no="123/2568",
        members=member_rows(mentors),
    )


@pytest.fixture
def ctx(district):
    return Context.cli(district)
