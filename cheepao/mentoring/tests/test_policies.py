"""The `care` action reaches exactly the households in an account's care: assigned to the
account, or to an active team the account is an active member of. Nobody else (inside the
area or not, of any role) reaches them, and a handover moves the reach."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cheepao.accounts.roles import Role
from cheepao.core import access, errors
from cheepao.households.models import Household
from cheepao.mentoring.models import Assignment, MentorTeam, TeamMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def cared(registry, make_user):
    h = Household.objects.filter(registry=registry).order_by("village_code", "pk").first()
    team = MentorTeam.objects.create(
        name="ทีม 1", subdistrict_code=h.subdistrict_code, district_code=h.district_code
    )
    lead_user = make_user("mentor", h.village_code)
    lead = TeamMember.objects.create(
        team=team, user=lead_user, name="ก", kind="civil_servant", is_lead=True
    )
    mate_user = make_user("mentor", h.subdistrict_code)
    TeamMember.objects.create(team=team, user=mate_user, name="ข", kind="volunteer")
    TeamMember.objects.create(team=team, name="ค", kind="student")  # no account
    assignment = Assignment.objects.create(
        household=h, team=team, mentor=lead, village_code=h.village_code
    )
    return {"household": h, "team": team, "lead": lead_user, "mate": mate_user, "a": assignment}


def test_the_assigned_mentor_and_the_team_reach_the_household(cared):
    h = cared["household"]
    for user in (cared["lead"], cared["mate"]):
        assert access.one(user, Household, "care", h.pk) == h
    assert set(access.actors(h, "care")) == {cared["lead"], cared["mate"]}


@pytest.mark.parametrize("role", Role.values)
def test_nobody_else_reaches_it(cared, make_user, role):
    h = cared["household"]
    area = {"national": "", "province": h.province_code, "district": h.district_code}.get(
        role, h.subdistrict_code
    )
    other = make_user(role, area)
    with pytest.raises(errors.NotFound):
        access.one(other, Household, "care", h.pk)
    assert not access.actors(h, "care").filter(pk=other.pk).exists()


def test_an_ended_assignment_or_membership_reaches_nothing(cared):
    h = cared["household"]
    TeamMember.objects.filter(user=cared["mate"]).update(active=False)
    with pytest.raises(errors.NotFound):
        access.one(cared["mate"], Household, "care", h.pk)
    Assignment.objects.filter(pk=cared["a"].pk).update(ended_at=timezone.now())
    with pytest.raises(errors.NotFound):
        access.one(cared["lead"], Household, "care", h.pk)
    assert not access.actors(h, "care").exists()


def test_a_household_of_another_village_in_care_is_reached_for_care_and_view(
    cared, make_user, registry
):
    """A village mentor given a household of another village of the subdistrict reaches it
    (care and the folder's view), and no other household of that village."""
    h = cared["household"]

    def neighbour(hh_id: str) -> Household:  # a household of village 99 of the subdistrict
        return Household.objects.create(
            registry=registry,
            hh_id=hh_id,
            province_code=h.province_code,
            district_code=h.district_code,
            subdistrict_code=h.subdistrict_code,
            village_no=99,
            village_code=h.subdistrict_code + "99",
        )

    given, not_given = neighbour("N-1"), neighbour("N-2")
    Assignment.objects.create(
        household=given,
        team=cared["team"],
        mentor=TeamMember.objects.get(user=cared["lead"]),
        village_code=given.village_code,
    )
    lead = cared["lead"]
    assert lead.area_code == h.village_code != given.village_code
    for action in ("care", "view"):
        assert access.one(lead, Household, action, given.pk) == given
        with pytest.raises(errors.NotFound):
            access.one(lead, Household, action, not_given.pk)
    assert access.actors(given, "view").filter(pk=lead.pk).exists()
    assert not access.actors(not_given, "view").filter(pk=lead.pk).exists()
    # the household's own village stays in view, as before
    assert access.one(lead, Household, "view", h.pk) == h
