"""`manage.py demo_mentoring` after `demo_accounts`: the demo mentor leads a team with
households in its care, other households stay unassigned, and a second run changes
nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cheepao.households.models import Household
from cheepao.mentoring.models import Assignment, MentorTeam, TeamMember

pytestmark = pytest.mark.django_db


def test_demo_mentoring_is_idempotent(registry):
    with pytest.raises(CommandError):
        call_command("demo_mentoring", "--province", "34", stdout=io.StringIO())
    call_command("demo_accounts", "--province", "34", stdout=io.StringIO())
    call_command("demo_mentoring", "--province", "34", stdout=io.StringIO())
    team = MentorTeam.objects.get()
    lead = TeamMember.objects.get(team=team, is_lead=True)
    assert lead.user.username == "demo-mentor"
    assert team.members.count() == 3
    mine = Assignment.objects.filter(mentor=lead, ended_at__isnull=True)
    assert mine.exists()
    assert mine.count() <= 10
    assert Household.objects.exclude(pk__in=Assignment.objects.values("household_id")).exists()
    before = list(Assignment.objects.values_list("pk", flat=True))
    call_command("demo_mentoring", "--province", "34", stdout=io.StringIO())
    assert MentorTeam.objects.count() == 1 and TeamMember.objects.count() == 3
    assert list(Assignment.objects.values_list("pk", flat=True)) == before
