"""The mentoring verbs: what each writes, and for every refusal its code and that nothing
changed (teams, members, assignments, history, audit)."""

from __future__ import annotations

import pytest
from django.utils import translation

from cheepao.audit.models import AuditEvent
from cheepao.core import access, errors
from cheepao.core.context import Context
from cheepao.households import history as registry_history
from cheepao.households.models import Household, HouseholdEvent
from cheepao.mentoring import services
from cheepao.mentoring.models import Assignment, MentorTeam, TeamMember
from cheepao.mentoring.tests.conftest import add_households, member_rows, snapshot

pytestmark = pytest.mark.django_db


def refused(call, code: str, kind=errors.ServiceError):
    before = snapshot()
    with pytest.raises(kind) as raised:
        call()
    assert raised.value.code == code
    assert snapshot() == before
    return raised.value


def appoint(ctx, village, members, **kw):
    kw.setdefault("subdistrict_code", village[:6])
    kw.setdefault("name", "ทีม")
    return lambda: services.team_appoint(ctx=ctx, members=members, **kw)


# ---------------------------------------------------------------- appointing a team


def test_a_district_appoints_a_team_of_its_subdistrict(team, district, mentors, village):
    assert team.subdistrict_code == village[:6] and team.district_code == village[:4]
    assert team.appointed_by == district and team.order_no == "123/2568"
    members = list(team.members.order_by("-is_lead", "pk"))
    assert [m.name for m in members] == ["สมชาย ใจดี", "สมหญิง ใจดี", "นักศึกษา 1"]
    assert [m.is_lead for m in members] == [True, False, False]
    assert members[2].user is None and members[2].kind == "student"
    row = AuditEvent.objects.get(action="create", object_type="mentoring.mentorteam")
    assert row.object_id == str(team.pk) and row.area_code == village[:6]


def test_appointing_refusals(ctx, make_user, mentors, village, settings):
    ok = member_rows(mentors)
    sub = Context.cli(make_user("subdistrict", village[:6]))
    refused(appoint(sub, village, ok), "mentoring.may_not_appoint")
    refused(appoint(Context.cli(None), village, ok), "mentoring.may_not_appoint")
    refused(appoint(ctx, village, ok, subdistrict_code="340201"), "mentoring.not_a_subdistrict")
    refused(appoint(ctx, village, ok, subdistrict_code="3401"), "mentoring.not_a_subdistrict")
    refused(appoint(ctx, village, ok, name="  "), "mentoring.name_blank")
    error = refused(appoint(ctx, village, ok[:2]), "mentoring.team_size")
    assert error.params == {"min": 3, "max": 5, "count": 2}
    six = member_rows(mentors, students=4)
    refused(appoint(ctx, village, six), "mentoring.team_size")
    no_lead = [{**r, "is_lead": False} for r in ok]
    refused(appoint(ctx, village, no_lead), "mentoring.one_lead")
    two_leads = [ok[0], {**ok[1], "is_lead": True}, ok[2]]
    refused(appoint(ctx, village, two_leads), "mentoring.one_lead")
    named_lead = [{**ok[0], "is_lead": False}, ok[1], {**ok[2], "is_lead": True}]
    refused(appoint(ctx, village, named_lead), "mentoring.lead_civil_servant")
    volunteer_lead = [{**ok[0], "kind": "volunteer"}, *ok[1:]]
    refused(appoint(ctx, village, volunteer_lead), "mentoring.lead_civil_servant")
    elsewhere = make_user("mentor", "34010501")
    refused(
        appoint(ctx, village, [ok[0], {**ok[1], "user": elsewhere}, ok[2]]),
        "mentoring.bad_account",
    )
    team_account = make_user("subdistrict", village[:6])
    refused(
        appoint(ctx, village, [ok[0], {**ok[1], "user": team_account}, ok[2]]),
        "mentoring.bad_account",
    )
    gone = make_user("mentor", village, is_active=False)
    refused(appoint(ctx, village, [ok[0], {**ok[1], "user": gone}, ok[2]]), "mentoring.bad_account")
    refused(
        appoint(ctx, village, [ok[0], {**ok[1], "user": mentors[0]}, ok[2]]),
        "mentoring.account_twice",
    )
    refused(
        appoint(ctx, village, [*ok[:2], {"name": "", "kind": "student"}]), "mentoring.name_needed"
    )
    refused(appoint(ctx, village, [*ok[:2], {"name": "ก", "kind": "alien"}]), "mentoring.bad_kind")
    # The sizes are settings.
    settings.CHEEPAO_TEAM_SIZE_MIN = 2
    assert services.team_appoint(ctx=ctx, subdistrict_code=village[:6], name="ทีม", members=ok[:2])


def test_members_join_and_leave(team, ctx, make_user, village):
    joined = services.team_member_add(
        ctx=ctx, team=team, member={"name": "อสม. สมศรี", "kind": "volunteer", "phone": "0812345678"}
    )
    assert joined.active and joined.user is None
    services.team_member_add(
        ctx=ctx, team=team, member={"user": make_user("mentor", village), "kind": "civil_servant"}
    )
    # Five is the most.
    refused(
        lambda: services.team_member_add(
            ctx=ctx, team=team, member={"name": "ข", "kind": "neighbour"}
        ),
        "mentoring.team_size",
    )
    refused(
        lambda: services.team_member_add(
            ctx=ctx, team=team, member={"name": "ค", "kind": "civil_servant", "is_lead": True}
        ),
        "mentoring.one_lead",
    )
    left = services.team_member_leave(ctx=ctx, member=joined)
    assert not left.active and left.left_at is not None
    refused(lambda: services.team_member_leave(ctx=ctx, member=joined), "mentoring.member_left")
    lead = team.members.get(is_lead=True)
    refused(lambda: services.team_member_leave(ctx=ctx, member=lead), "mentoring.lead_leaves")
    assert TeamMember.objects.filter(team=team, active=True).count() == 4


def test_only_the_district_of_the_team_changes_it(team, make_user, village):
    member = {"name": "ข", "kind": "neighbour"}
    other = Context.cli(make_user("district", "3402"))
    refused(
        lambda: services.team_member_add(ctx=other, team=team, member=member), "access.not_found"
    )
    viewer = Context.cli(make_user("subdistrict", village[:6]))
    refused(lambda: services.team_member_add(ctx=viewer, team=team, member=member), "access.denied")
    refused(lambda: services.team_end(ctx=viewer, team=team), "access.denied")
    refused(
        lambda: services.households_assign(ctx=other, team=team, village_code=village),
        "access.not_found",
    )


# ---------------------------------------------------------------- assigning households


def test_a_village_is_spread_over_the_carers(team, ctx, village, registry):
    result = services.households_assign(ctx=ctx, team=team, village_code=village)
    assert (result.assigned, result.unassigned, result.cap) == (3, 0, 10)
    mentors = sorted(Assignment.objects.values_list("mentor__name", flat=True))
    assert mentors == ["สมชาย ใจดี", "สมชาย ใจดี", "สมหญิง ใจดี"]  # the student gets none
    h = Assignment.objects.first().household
    event = HouseholdEvent.objects.get(household=h, kind="mentoring.assigned")
    with translation.override("th"):
        text = registry_history.sentence(event.kind, event.data, h)
    assert text.startswith("อยู่ในความดูแลของทีมพี่เลี้ยง “ทีมพี่เลี้ยง หมู่ 9”")
    # Again: nothing left to assign, nothing assigned twice.
    again = services.households_assign(ctx=ctx, team=team, village_code=village)
    assert (again.assigned, again.unassigned) == (0, 0)
    assert Assignment.objects.count() == 3


def test_150_households_in_one_call(team, ctx, village, registry, django_assert_max_num_queries):
    add_households(registry, village, 147)
    with django_assert_max_num_queries(40):
        result = services.households_assign(ctx=ctx, team=team, village_code=village, cap=100)
    assert (result.assigned, result.unassigned) == (150, 0)
    assert sorted(result.per_member.values()) == [75, 75]
    assert HouseholdEvent.objects.filter(kind="mentoring.assigned").count() == 150
    assert (
        AuditEvent.objects.filter(object_type="households.household", action="update").count()
        == 150
    )


def test_the_cap_leaves_households_unassigned(team, ctx, village, registry):
    add_households(registry, village, 27)  # 30 in all
    result = services.households_assign(ctx=ctx, team=team, village_code=village)
    assert (result.assigned, result.unassigned) == (20, 10)
    assert set(result.per_member.values()) == {10}
    free = Household.objects.filter(village_code=village).exclude(
        pk__in=Assignment.objects.values("household_id")
    )
    assert free.count() == 10


def test_inactive_people_are_skipped(team, ctx, village, registry, mentors, make_user):
    third = services.team_member_add(
        ctx=ctx, team=team, member={"user": mentors[2], "kind": "civil_servant"}
    )
    services.team_member_leave(ctx=ctx, member=third)  # left the team
    mentors[1].is_active = False  # account closed
    mentors[1].save()
    add_households(registry, village, 5)
    result = services.households_assign(ctx=ctx, team=team, village_code=village)
    assert result.per_member == {"สมชาย ใจดี": 8}
    assert set(Assignment.objects.values_list("mentor__user", flat=True)) == {mentors[0].pk}


def test_an_11th_household_is_over_the_cap(team, ctx, village, registry):
    add_households(registry, village, 8)  # 11 in all
    lead = team.members.get(is_lead=True)
    households = list(Household.objects.filter(village_code=village).order_by("pk"))
    for h in households[:10]:
        services.household_assign(ctx=ctx, household=h, member=lead)
    error = refused(
        lambda: services.household_assign(ctx=ctx, household=households[10], member=lead),
        "mentoring.over_cap",
    )
    assert error.params == {"name": "สมชาย ใจดี", "count": 10, "cap": 10}
    # A larger cap given by the district lets it through.
    services.household_assign(ctx=ctx, household=households[10], member=lead, cap=11)


def test_one_household_refusals(team, ctx, village, registry, make_user):
    lead = team.members.get(is_lead=True)
    student = team.members.get(kind="student")
    h = Household.objects.filter(village_code=village).first()
    refused(
        lambda: services.household_assign(ctx=ctx, household=h, member=student),
        "mentoring.not_a_carer",
    )
    in_other_subdistrict = (
        Household.objects.filter(district_code=village[:4])
        .exclude(subdistrict_code=village[:6])
        .first()
    )
    refused(
        lambda: services.household_assign(ctx=ctx, household=in_other_subdistrict, member=lead),
        "mentoring.household_outside",
    )
    (in_other_district,) = add_households(registry, "34020101", 1)
    refused(
        lambda: services.household_assign(ctx=ctx, household=in_other_district, member=lead),
        "access.not_found",
    )
    services.household_assign(ctx=ctx, household=h, member=lead)
    refused(
        lambda: services.household_assign(ctx=ctx, household=h, member=lead),
        "mentoring.already_assigned",
    )
    refused(
        lambda: services.households_assign(ctx=ctx, team=team, village_code="34010501"),
        "mentoring.village_outside",
    )
    refused(
        lambda: services.households_assign(ctx=ctx, team=team, village_code=village, cap="0"),
        "mentoring.bad_cap",
    )


def test_a_selection_is_assigned_whole_or_not_at_all(team, ctx, village, registry):
    lead = team.members.get(is_lead=True)
    households = add_households(registry, village, 4)
    refused(
        lambda: services.households_assign_to(ctx=ctx, households=[], member=lead),
        "mentoring.nothing_chosen",
    )
    error = refused(
        lambda: services.households_assign_to(ctx=ctx, households=households, member=lead, cap=3),
        "mentoring.over_cap_many",
    )
    assert error.params == {"name": "สมชาย ใจดี", "count": 0, "adding": 4, "cap": 3}
    assert error.message == "สมชาย ใจดี ดูแลอยู่ 0 ครัวเรือน หากเพิ่มอีก 4 ครัวเรือนจะเกินจำนวนสูงสุดต่อคน (3)"
    services.households_assign_to(ctx=ctx, households=households[:1], member=lead)
    # One of them already in a team's care: none of the others is assigned either.
    refused(
        lambda: services.households_assign_to(ctx=ctx, households=households[:2], member=lead),
        "mentoring.already_assigned",
    )
    made = services.households_assign_to(ctx=ctx, households=households[1:], member=lead)
    assert [a.household_id for a in made] == [h.pk for h in households[1:]]
    assert Assignment.objects.filter(mentor=lead, ended_at__isnull=True).count() == 4
    assert (
        HouseholdEvent.objects.filter(household__in=households, kind="mentoring.assigned").count()
        == 4
    )


def test_handing_over_none_of_the_ticked_is_refused(team, ctx, village, registry):
    lead = team.members.get(is_lead=True)
    mate = team.members.get(is_lead=False, kind="civil_servant")
    households = add_households(registry, village, 2)
    services.households_assign_to(ctx=ctx, households=households, member=lead)
    refused(
        lambda: services.households_hand_over(
            ctx=ctx, from_member=lead, to_member=mate, note="ย้าย", households=[]
        ),
        "mentoring.nothing_chosen",
    )


# ---------------------------------------------------------------- handing over


def test_hand_over_ends_and_starts_assignments_with_the_note(team, ctx, village, registry):
    services.households_assign(ctx=ctx, team=team, village_code=village)
    lead, mate = team.members.filter(kind="civil_servant").order_by("-is_lead", "pk")
    moved = services.households_hand_over(
        ctx=ctx, from_member=lead, to_member=mate, note="ย้ายไปรับราชการที่อื่น"
    )
    assert moved == 2
    ended = Assignment.objects.filter(mentor=lead)
    assert all(a.ended_at and a.handover_note == "ย้ายไปรับราชการที่อื่น" for a in ended)
    assert Assignment.objects.filter(mentor=mate, ended_at__isnull=True).count() == 3
    h = ended.first().household
    event = HouseholdEvent.objects.get(household=h, kind="mentoring.handed_over")
    with translation.override("th"):
        text = registry_history.sentence(event.kind, event.data, h)
    assert text == "ส่งต่อการดูแลจาก สมชาย ใจดี ให้ สมหญิง ใจดี: ย้ายไปรับราชการที่อื่น"
    # Care follows: the new mentor reaches it, the lead (still a member) too as a team mate.
    assert access.one(mate.user, Household, "care", h.pk) == h


def test_a_civil_servant_with_households_leaves_after_handing_them_over(
    team, ctx, village, registry
):
    services.households_assign(ctx=ctx, team=team, village_code=village)
    mate = team.members.get(is_lead=False, kind="civil_servant")
    lead = team.members.get(is_lead=True)
    error = refused(
        lambda: services.team_member_leave(ctx=ctx, member=mate), "mentoring.has_households"
    )
    assert error.params["count"] == 1
    services.households_hand_over(ctx=ctx, from_member=mate, to_member=lead, note="ลาออก")
    services.team_member_leave(ctx=ctx, member=mate)
    assert not TeamMember.objects.get(pk=mate.pk).active


def test_hand_over_refusals_and_ending_a_team(team, ctx, village, registry, district, make_user):
    services.households_assign(ctx=ctx, team=team, village_code=village)
    lead = team.members.get(is_lead=True)
    mate = team.members.get(is_lead=False, kind="civil_servant")
    student = team.members.get(kind="student")

    def over(frm, to, note="ย้าย", **kw):
        return lambda: services.households_hand_over(
            ctx=ctx, from_member=frm, to_member=to, note=note, **kw
        )

    refused(over(lead, mate, note=" "), "mentoring.note_needed")
    refused(over(lead, lead), "mentoring.same_person")
    refused(over(lead, student), "mentoring.not_a_carer")
    refused(over(student, lead), "mentoring.nothing_to_hand_over")
    refused(over(lead, mate, cap=2), "mentoring.over_cap_many")  # would pass the cap of 2
    refused(lambda: services.team_end(ctx=ctx, team=team), "mentoring.team_has_households")
    # Another team of the subdistrict takes them over; then the first team ends.
    newcomers = [make_user("mentor", village) for _ in range(2)]
    second = services.team_appoint(
        ctx=ctx,
        subdistrict_code=village[:6],
        name="ทีม 2",
        members=[
            {"user": newcomers[0], "kind": "civil_servant", "is_lead": True},
            {"user": newcomers[1], "kind": "civil_servant"},
            {"name": "เพื่อนบ้าน", "kind": "neighbour"},
        ],
    )
    to = second.members.get(is_lead=True)
    services.households_hand_over(ctx=ctx, from_member=lead, to_member=to, note="สลับทีม")
    services.households_hand_over(ctx=ctx, from_member=mate, to_member=to, note="สลับทีม")
    ended = services.team_end(ctx=ctx, team=team)
    assert not ended.active and not ended.members.filter(active=True).exists()
    refused(
        lambda: services.team_member_add(ctx=ctx, team=team, member={"name": "ก", "kind": "other"}),
        "mentoring.team_ended",
    )
    refused(over(to, lead), "mentoring.team_ended")
    assert MentorTeam.objects.filter(active=True).get() == second
