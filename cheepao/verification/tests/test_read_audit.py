"""The verification pages that list names record one audit read row listing what they
showed (issue 9 item 9): the area page (village or subdistrict) and a batch page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.households.models import Household
from cheepao.verification import services
from cheepao.verification.tests.conftest import form_data

pytestmark = pytest.mark.django_db


def _mark() -> int:
    last = AuditEvent.objects.order_by("-pk").first()
    return last.pk if last else 0


def _reads_after(mark: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=mark, action="view").order_by("pk"))


def _form_links(html: str) -> list[int]:
    """The households the page lists: each links to its form ศจพ.1, once, in order."""
    seen: list[int] = []
    for pk in re.findall(r'href="/verification/households/(\d+)/"', html):
        if int(pk) not in seen:
            seen.append(int(pk))
    return seen


def _hh_ids(pks: list[int]) -> list[str]:
    hh = dict(Household.objects.filter(pk__in=pks).values_list("pk", "hh_id"))
    return [hh[pk] for pk in pks]


@pytest.mark.parametrize("level", ["village", "subdistrict"])
def test_the_area_page_records_one_read_listing_its_households(
    client, sign_in, team, household, level
):
    code = household.village_code if level == "village" else household.subdistrict_code
    sign_in(client, team)
    mark = _mark()
    response = client.get(reverse("verification:area", args=[code]))
    assert response.status_code == 200
    shown = _form_links(response.content.decode())
    assert household.pk in shown
    (row,) = _reads_after(mark)
    assert (row.actor, row.object_type, row.object_id, row.area_code) == (
        team,
        "verification.area",
        code,
        code,
    )
    assert row.changes == {"households": shown, "hh_ids": _hh_ids(shown)}
    assert row.summary == f"verification (ศจพ.1) of {code} read: {len(shown)} households"
    with translation.override("th"):
        text = row.summary_text
    assert text.startswith("ดูการตรวจสอบ ศจพ.1 ")
    assert text.endswith(f": {len(shown)} ครัวเรือน")


def test_the_batch_page_records_which_households_it_listed(
    client, sign_in, team, district, household
):
    services.verification_save(
        household=household, ctx=Context.cli(team), data=form_data(household)
    )
    batch = services.batch_submit(area_code=household.village_code, ctx=Context.cli(team))
    sign_in(client, district)
    mark = _mark()
    html = client.get(reverse("verification:batch", args=[batch.pk])).content.decode()
    shown = _form_links(html)
    assert shown == [household.pk]
    (row,) = _reads_after(mark)
    assert (row.object_type, row.object_id) == ("verification.batch", str(batch.pk))
    assert row.changes == {"households": shown, "hh_ids": _hh_ids(shown)}
