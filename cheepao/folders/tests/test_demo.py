"""`manage.py demo_folders`: folders with drawn photos and pins for the demo mentor's
households; idempotent; a clean message when there is nobody to fill for."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from cheepao.folders.models import FamilyFolder, FolderPhoto
from cheepao.folders.tests.helpers import put_in_care
from cheepao.households.models import Household

pytestmark = pytest.mark.django_db


def run() -> str:
    out = io.StringIO()
    call_command("demo_folders", "--province", "34", stdout=out)
    return out.getvalue()


def test_without_the_demo_mentor_or_their_households_it_does_nothing(registry, make_user):
    assert "no account 'demo-mentor'" in run()
    make_user("mentor", "34010501", username="demo-mentor")
    assert "no household is in the care of demo-mentor" in run()
    assert not FamilyFolder.objects.exists()


def test_folders_photos_and_pins_once(registry, make_user):
    # two households of one village: the village with the most (34011611, two, in the
    # tiny registry; ties: the lowest code)
    village = (
        Household.objects.filter(registry=registry)
        .values("village_code")
        .annotate(n=Count("pk"))
        .order_by("-n", "village_code")
        .first()["village_code"]
    )
    households = list(
        Household.objects.filter(registry=registry, village_code=village).order_by("pk")[:2]
    )
    assert len(households) == 2
    mentor = make_user("mentor", households[0].village_code, username="demo-mentor")
    first = put_in_care(households[0], make_user)
    second = put_in_care(households[1], make_user)
    for care in (first, second):
        care.team.members.filter(is_lead=True).update(user=mentor)
    assert "2 family folder(s) filled" in run()
    for h in households:
        latest = FamilyFolder.objects.filter(household=h).order_by("-number").first()
        assert latest.number == 2 and latest.lat is not None  # answers, then the pin
        assert latest.saved_by == mentor
    assert FolderPhoto.objects.count() == 1 + 2
    before = (FamilyFolder.objects.count(), FolderPhoto.objects.count())
    assert "0 family folder(s) filled" in run()
    assert (FamilyFolder.objects.count(), FolderPhoto.objects.count()) == before
