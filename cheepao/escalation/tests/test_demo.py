"""`manage.py demo_escalation`: two problems of the demo district escalated, one assigned
and one returned; run twice it changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from cheepao.accounts.models import Body
from cheepao.escalation.models import Clock, Escalation
from cheepao.routing.models import Referral

pytestmark = pytest.mark.django_db


def test_demo_escalation(registry, make_user):
    out = io.StringIO()
    call_command("demo_escalation", "--province", "34", stdout=out)
    assert "demo_escalation: no demo accounts" in out.getvalue()
    make_user("district", "3401", username="demo-district")
    make_user("province", "34", username="demo-province")
    office = Body.objects.create(name="พมจ. ทดสอบ", kind=Body.Kind.AGENCY, area_code="34")
    make_user("agency", "34", username="demo-agency", body=office)
    call_command("demo_escalation", "--province", "34", stdout=out)
    escalations = list(Escalation.objects.order_by("pk"))
    assert len(escalations) == 2
    assert all(e.assigned_agency == office for e in escalations)
    assert [e.returned_at is not None for e in escalations] == [False, True]
    assert Referral.objects.filter(level="province", agency=office).count() == 2
    before = (
        list(Escalation.objects.order_by("pk").values()),
        list(Clock.objects.order_by("pk").values()),
        Referral.objects.count(),
    )
    call_command("demo_escalation", "--province", "34", stdout=out)
    after = (
        list(Escalation.objects.order_by("pk").values()),
        list(Clock.objects.order_by("pk").values()),
        Referral.objects.count(),
    )
    assert after == before
