"""`manage.py demo_routing`: the health office account, the foundation, and cases and
referrals in every state on the demo mentor's households; run twice it adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from cheepao.accounts.models import Body, User
from cheepao.households.models import Household, Problem
from cheepao.logbook.tests.helpers import put_in_care
from cheepao.routing.models import Case, Consent, Referral
from cheepao.routing.selectors import overdue

pytestmark = pytest.mark.django_db


def test_demo_routing(registry, make_user):
    out = io.StringIO()
    call_command("demo_routing", "--province", "34", stdout=out)
    assert "demo_routing: no demo accounts" in out.getvalue()
    mentor = make_user("mentor", "340105", username="demo-mentor")
    office = Body.objects.create(name="พมจ. ทดสอบ", kind=Body.Kind.AGENCY, area_code="34")
    make_user("agency", "34", username="demo-agency", body=office)
    cared = [
        h
        for h in Household.objects.filter(subdistrict_code="340105").order_by("village_code", "pk")
        if h.problems.filter(status="open").exists()
    ][:4]
    for h in cared:
        put_in_care(h, mentor)
    call_command("demo_routing", "--province", "34", stdout=out)
    health = User.objects.get(username="demo-health")
    assert health.role == "agency" and health.body.ministry == "กระทรวงสาธารณสุข"
    office.refresh_from_db()
    assert office.ministry == "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์"
    states = set(Referral.objects.values_list("state", flat=True))
    assert states == {"pending", "accepted", "rejected", "done", "revoked"}
    assert overdue().count() == 1
    assert Case.objects.filter(state="solved").count() == 1
    assert Problem.objects.filter(status="solved").count() == 1
    assert Referral.objects.filter(agency__sector="foundation", consent__isnull=False).count() == 1
    assert Consent.objects.count() == 1
    # The health office has a referral waiting for its answer (the demo path starts there).
    assert Referral.objects.filter(agency=health.body, state="pending").exists()
    before = (
        list(Case.objects.order_by("pk").values()),
        list(Referral.objects.order_by("pk").values()),
        User.objects.count(),
        Body.objects.count(),
    )
    call_command("demo_routing", "--province", "34", stdout=out)
    after = (
        list(Case.objects.order_by("pk").values()),
        list(Referral.objects.order_by("pk").values()),
        User.objects.count(),
        Body.objects.count(),
    )
    assert after == before
