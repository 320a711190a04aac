"""`manage.py demo_logbook`: programmes of the demo agency and Logbook entries for the demo
mentor's first households; run twice it adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from cheepao.accounts.models import Body
from cheepao.households.models import Household
from cheepao.logbook.models import Entry, Programme
from cheepao.logbook.tests.helpers import put_in_care

pytestmark = pytest.mark.django_db


def test_demo_logbook(registry, make_user):
    out = io.StringIO()
    call_command("demo_logbook", "--province", "34", stdout=out)
    assert "demo_logbook: no demo accounts" in out.getvalue()
    # four households in care, one more than the demo fills: those of the subdistrict with
    # the most (340120, five, in the tiny registry; ties: the lowest code)
    sub = (
        Household.objects.filter(registry=registry)
        .values("subdistrict_code")
        .annotate(n=Count("pk"))
        .order_by("-n", "subdistrict_code")
        .first()["subdistrict_code"]
    )
    mentor = make_user("mentor", sub, username="demo-mentor")
    office = Body.objects.create(name="พมจ. ทดสอบ", kind=Body.Kind.AGENCY, area_code="34")
    make_user("agency", "34", username="demo-agency", body=office)
    homes = list(Household.objects.filter(subdistrict_code=sub).order_by("pk")[:4])
    assert len(homes) == 4
    for h in homes:
        put_in_care(h, mentor)
    call_command("demo_logbook", "--province", "34", stdout=out)
    assert Programme.objects.filter(agency=office).count() == 2
    parts = sorted(Entry.objects.values_list("part", flat=True))
    assert parts.count("visit") == 3 and parts.count("help") == 6
    assert set(Entry.objects.filter(part="help").values_list("agency", flat=True)) == {office.pk}
    before = (list(Entry.objects.order_by("pk").values()), Programme.objects.count())
    call_command("demo_logbook", "--province", "34", stdout=out)
    assert (list(Entry.objects.order_by("pk").values()), Programme.objects.count()) == before
