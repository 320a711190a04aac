"""A district, three mentor accounts of one subdistrict, an appointed team, and helpers:
more households for a village (the tiny registry has 1-2 per village) and a snapshot of
everything the mentoring services write, to assert that a refusal changed nothing; and
`care_state`: households in the lead's care with a family folder, a returned plan, neither."""

from __future__ import annotations

import pytest
from django.db.models import Count

from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.folders import services as folder_services
from cheepao.folders.tests.helpers import folder_data
from cheepao.households.models import Household, HouseholdEvent
from cheepao.mentoring import services
from cheepao.mentoring.models import Assignment, MentorTeam, TeamMember
from cheepao.plans import services as plan_services
from cheepao.plans.tests.helpers import item

# The village the tests work in holds three households. No village of the tiny registry has
# three target households since the regenerated population (ADR 0033: at most two), so the
# village with the most (ties: the lowest code) is topped up with test-local households
# numbered from 901 on, clear of the ones the tests add from 1 on.
VILLAGE_HOUSEHOLDS = 3
TOP_UP_FROM = 901


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


def busiest_village(registry) -> str:
    """The village of `registry` with the most active households (ties: the lowest code)."""
    row = (
        Household.objects.filter(registry=registry, status=Household.Status.ACTIVE)
        .values("village_code")
        .annotate(n=Count("pk"))
        .order_by("-n", "village_code")
        .first()
    )
    assert row is not None, "the tiny registry has no active household"
    return row["village_code"]


@pytest.fixture
def village(registry) -> str:
    code = busiest_village(registry)
    have = Household.objects.filter(
        registry=registry, village_code=code, status=Household.Status.ACTIVE
    ).count()
    if have < VILLAGE_HOUSEHOLDS:
        add_households(registry, code, VILLAGE_HOUSEHOLDS - have, start=TOP_UP_FROM)
    return code


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


@pytest.fixture
def care_state(district, team, mentors, village, make_user):
    """Three households in the lead's care: one with a family folder, one with a plan of
    two items (one done) returned by the subdistrict team, one with neither."""
    lead, _mate = carers_of(team)
    result = services.households_assign(
        ctx=Context.cli(district), team=team, village_code=village, cap=3
    )
    assert result.assigned == 3
    mine = [
        a.household
        for a in Assignment.objects.filter(mentor=lead).order_by("household__house_no", "pk")
    ]
    if len(mine) < 3:  # spread over the two carers: give the lead the others
        services.households_hand_over(
            ctx=Context.cli(district),
            from_member=carers_of(team)[1],
            to_member=lead,
            note="รวมไว้ที่หัวหน้าทีม",
        )
        mine = [
            a.household
            for a in Assignment.objects.filter(mentor=lead, ended_at__isnull=True).order_by(
                "village_code", "household__house_no", "pk"
            )
        ]
    mentor = Context.cli(mentors[0])
    folder_services.folder_save(
        ctx=mentor, household=mine[0], data=folder_data(), base_version=None
    )
    plan = plan_services.plan_start(ctx=mentor, household_id=mine[1].pk)
    plan = plan_services.plan_save(
        ctx=mentor,
        plan_id=plan.pk,
        version=plan.version,
        data={"goal": "มีรายได้พอใช้", "attitude": "อยากพึ่งตนเอง", "target_stage": "survive"},
    )
    plan_services.item_add(ctx=mentor, plan_id=plan.pk, version=plan.version, data=item("income"))
    plan.refresh_from_db()
    plan_services.item_add(ctx=mentor, plan_id=plan.pk, version=plan.version, data=item("health"))
    plan.refresh_from_db()
    first = plan.items.order_by("position").first()
    plan_services.item_status_set(
        ctx=mentor, plan_id=plan.pk, version=plan.version, item_id=first.pk, status="done"
    )
    plan.refresh_from_db()
    plan = plan_services.plan_step(ctx=mentor, plan_id=plan.pk, step="submit", version=plan.version)
    reviewer = Context.cli(make_user("subdistrict", village[:6]))
    plan_services.plan_step(
        ctx=reviewer, plan_id=plan.pk, step="return", version=plan.version, comment="เพิ่มรายละเอียด"
    )
    return mine


def carers_of(team):
    return team.members.get(is_lead=True), team.members.get(is_lead=False, kind="civil_servant")
