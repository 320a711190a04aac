"""`manage.py demo_logbook`: programmes of the demo agency and Logbook entries for the demo
mentor's first households; run twice it adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from cheepao.accounts.models import Body
from cheepao.households.models import Household
from cheepao.logbook.models import Entry, Programme
from cheepao.logbook.tests.helpers import put_in_care

pytestmark = pytest.mark.django_db


def test_demo_logbook(registry, make_user):
    out = io.StringIO()
    call_command("demo_logbook", "--province", "34", stdout=out)
    assert "demo_logbook: no demo accounts" in out.getvalue()
    mentor = make_user("mentor", "340105", username="demo-mentor")
    office = Body.objects.create(name="พมจ. ทดสอบ", kind=Body.Kind.AGENCY, area_code="34")
    make_user("agency", "34", username="demo-agency", body=office)
    for h in Household.objects.filter(subdistrict_code="340105").order_by("pk")[:4]:
        put_in_care(h, mentor)
    call_command("demo_logbook", "--province", "34", stdout=out)
    assert Programme.objects.filter(agency=office).count() == 2
    parts = sorted(Entry.objects.values_list("part", flat=True))
    assert parts.count("visit") == 3 and parts.count("help") == 6
    assert set(Entry.objects.filter(part="help").values_list("agency", flat=True)) == {office.pk}
    before = (list(Entry.objects.order_by("pk").values()), Programme.objects.count())
    call_command("demo_logbook", "--province", "34", stdout=out)
    assert (list(Entry.objects.order_by("pk").values()), Programme.objects.count()) == before
