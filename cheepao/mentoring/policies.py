"""Who may act on mentor teams and on the households in a team's care (core.access).

- A mentor team is appointed and changed by the district centre (APPOINT_MENTORS) whose
  district holds it, and seen by accounts that view households there.
- Two actions on households, registered with the registry (`extensions.household_actions`):
  `assign` (the district puts a household in a team's care, hands it over) and `care` (the
  folder, the plan, later help): a mentor reaches only the households currently assigned
  to them or to a team they are an active member of.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from cheepao.accounts import roles
from cheepao.core import access
from cheepao.households import extensions
from cheepao.mentoring.models import Assignment, MentorTeam, TeamMember


class MentorTeamPolicy(access.AreaPolicy):
    model = MentorTeam
    area_lookup = "subdistrict_code"
    actions = {
        "view": roles.VIEW_HOUSEHOLDS,  # the team page and its appointment order
        "appoint": roles.APPOINT_MENTORS,  # change members, end the team, assign households
    }

    def within(self, user: Any, action: str, qs: QuerySet) -> QuerySet:
        # A team works for a whole subdistrict: an account of one of its villages sees it.
        return qs.filter(self.area_q(user.area_code[:6]))

    def actors(self, obj: MentorTeam, action: str) -> QuerySet:
        users = get_user_model()
        return users.objects.filter(
            Q(area_code__in=access.area_prefixes(obj.subdistrict_code))
            | Q(area_code__startswith=obj.subdistrict_code),
            is_active=True,
            role__in=users.roles_with(self.actions[action]),
        )


def cared_by(user: Any) -> QuerySet:
    """The current assignments in `user`'s care: as the named civil servant, or as an
    active member (with an account) of an active team."""
    teams = TeamMember.objects.filter(user=user, active=True, team__active=True).values("team_id")
    return Assignment.objects.filter(ended_at__isnull=True, team_id__in=teams)


def _care_within(user: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(pk__in=cared_by(user).values("household_id"))


def _care_actors(household: Any, users: QuerySet) -> QuerySet:
    teams = Assignment.objects.filter(household=household, ended_at__isnull=True).values("team_id")
    members = TeamMember.objects.filter(team_id__in=teams, active=True, team__active=True)
    return users.filter(pk__in=members.values("user_id"))


def register() -> None:
    access.register(MentorTeamPolicy())
    extensions.household_actions.register("assign", permission=roles.APPOINT_MENTORS, order=10)
    extensions.household_actions.register(
        "care",
        permission=roles.CARE,
        within=_care_within,
        actors=_care_actors,
        order=20,
        # The district may give a village mentor a household of another village of the
        # subdistrict: the assignment is the reach, and the mentor can open its folder.
        beyond_area=True,
        widens=("view",),
    )
