"""`manage.py demo_plans`: plans at each stage for the demo mentor's households, and run
twice it adds nothing; without households in care it does nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from cheepao.households.models import Household
from cheepao.plans.models import Plan
from cheepao.plans.tests.helpers import busiest_subdistrict, put_in_care

pytestmark = pytest.mark.django_db


def test_demo_plans(registry, make_user):
    out = io.StringIO()
    call_command("demo_plans", "--province", "34", stdout=out)
    assert "demo_plans: no demo accounts" in out.getvalue()
    sub = busiest_subdistrict(registry)  # four households or more: one plan per stage
    mentor = make_user("mentor", sub, username="demo-mentor")
    make_user("subdistrict", sub, username="demo-subdistrict")
    call_command("demo_plans", "--province", "34", stdout=out)
    assert "nothing to do" in out.getvalue()
    crew = None
    for h in Household.objects.filter(subdistrict_code=sub).order_by("pk")[:5]:
        crew = put_in_care(h, mentor, team=crew)
    call_command("demo_plans", "--province", "34", stdout=out)
    statuses = sorted(Plan.objects.values_list("status", flat=True))
    assert statuses == ["approved", "draft", "returned", "submitted"]
    before = list(Plan.objects.order_by("pk").values())
    call_command("demo_plans", "--province", "34", stdout=out)
    assert list(Plan.objects.order_by("pk").values()) == before
