"""The plan-returned notification (notifications; ADR 0029): returning a plan with a comment
tells the household's mentor team (its members with accounts) in the same transaction;
a refused return tells nobody."""

from __future__ import annotations

import pytest
from django.core import mail

from cheepao.core import errors
from cheepao.core.context import Context
from cheepao.mentoring.models import Assignment
from cheepao.notifications.models import Notification
from cheepao.plans import services
from cheepao.plans.tests.test_services import drafted

pytestmark = pytest.mark.django_db


def test_returning_a_plan_notifies_its_mentor_team(
    cared, make_user, django_capture_on_commit_callbacks
):
    h, mentor = cared["household"], cared["mentor"]
    mentor.email = "mentor@example.org"
    mentor.save()
    teammate = make_user("mentor", h.village_code)
    team = Assignment.objects.get(household=h, ended_at__isnull=True).team
    team.members.create(user=teammate, name="เพื่อนร่วมทีม", kind="volunteer")
    plan = drafted(cared)
    plan = services.plan_step(
        ctx=Context.cli(mentor), plan_id=plan.pk, step="submit", version=plan.version
    )
    assert not Notification.objects.exists()  # sending a plan tells nobody
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_step(
            ctx=Context.cli(cared["team"]),
            plan_id=plan.pk,
            step="return",
            version=plan.version,
            comment="เพิ่มด้านการศึกษา",
        )
    got = Notification.objects.order_by("user_id")
    assert {n.user for n in got} == {mentor, teammate}
    n = got.first()
    assert (n.kind, n.url, n.args) == (
        "plans.returned",
        f"/plans/household/{h.pk}/",
        {"number": str(plan.number), "household": h.hh_id},
    )
    assert cared["other_mentor"] not in {n.user for n in got}
    assert [m.to for m in mail.outbox] == [["mentor@example.org"]]
    assert "เพิ่มด้านการศึกษา" not in mail.outbox[0].body  # the comment stays in Cheepao


def test_a_refused_return_notifies_nobody(cared):
    plan = drafted(cared)
    plan = services.plan_step(
        ctx=Context.cli(cared["mentor"]), plan_id=plan.pk, step="submit", version=plan.version
    )
    with pytest.raises(errors.Invalid):
        services.plan_step(
            ctx=Context.cli(cared["team"]),
            plan_id=plan.pk,
            step="return",
            version=plan.version,
            comment="",
        )
    assert not Notification.objects.exists()
