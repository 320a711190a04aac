"""A small month of work in one district (November 2568 BE = 2025), for exact numbers.

Two households of one district: `one` fails a single dimension, `two` fails two. Office
`health` (the district's health office) and office `foundation`:
- help to `one` by health on 5 Nov (1,000 baht, its failing dimension); help to `one` by
  health on 10 Nov (500 baht) corrected to 700 baht; help to `two` by the foundation on
  12 Nov (300 baht) withdrawn; help to `two` by the mentor (no office) on 20 Oct (200
  baht, one of its two dimensions); a need of a third household on 1 Mar;
- case `solved` (one, owner health) opened 1 Nov and solved 15 Nov on the first help;
  case `open` (two, owner health) opened 1 Nov, escalated to the province on 25 Nov;
- referrals sent in November: pending to health (follow-up 20 Nov: overdue), accepted by
  health (3 Nov; follow-up 15 Dec), rejected by the foundation (4 Nov), done by health
  (accepted 5 Nov, done 20 Nov), revoked from the foundation (6 Nov).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db.models import Count
from django.utils import timezone

from cheepao.accounts.models import Body
from cheepao.escalation.models import Escalation
from cheepao.households.models import Household, Problem
from cheepao.logbook.models import Entry
from cheepao.routing.models import Case, Referral

MONTH = date(2025, 11, 1)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _dims(h: Household) -> list[str]:
    return sorted(
        set(
            Problem.objects.filter(household=h, status__in=["open", "solved"]).values_list(
                "dimension", flat=True
            )
        )
    )


@pytest.fixture
def month_world(registry, make_user):
    hs = (
        Household.objects.filter(registry=registry, status="active")
        .annotate(n=Count("problems__dimension", distinct=True))
        .order_by("district_code", "village_code", "pk")
    )
    one = next(h for h in hs if h.n == 1)
    two = next(h for h in hs if h.n >= 2 and h.district_code == one.district_code)
    three = next(
        h for h in hs if h.district_code == one.district_code and h.pk not in (one.pk, two.pk)
    )
    health = Body.objects.create(
        name="สำนักงานสาธารณสุขอำเภอทดสอบ",
        kind=Body.Kind.AGENCY,
        area_code=one.district_code,
        ministry="กระทรวงสาธารณสุข",
    )
    foundation = Body.objects.create(
        name="=มูลนิธิทดสอบ", kind=Body.Kind.AGENCY, area_code=one.district_code, sector="foundation"
    )
    mentor = make_user("mentor", one.village_code)

    def entry(h, part, day, **fields):
        return Entry.objects.create(
            household=h,
            village_code=h.village_code,
            part=part,
            occurred_on=day,
            recorded_by=mentor,
            **fields,
        )

    d1 = _dims(one)[0]
    two_dims = _dims(two)
    first = entry(one, "help", date(2025, 11, 5), agency=health, dimension=d1, value=Decimal(1000))
    second = entry(one, "help", date(2025, 11, 10), agency=health, dimension=d1, value=500)
    entry(one, "help", date(2025, 11, 10), agency=health, dimension=d1, value=700, corrects=second)
    gone = entry(
        two, "help", date(2025, 11, 12), agency=foundation, dimension=two_dims[1], value=300
    )
    entry(two, "help", date(2025, 11, 12), agency=foundation, corrects=gone, withdraws=True)
    entry(two, "help", date(2025, 10, 20), dimension=two_dims[0], value=200)
    entry(three, "need", date(2025, 3, 1), note="ไม่มีรายได้")

    solved = Case.objects.create(
        household=one,
        village_code=one.village_code,
        dimension=d1,
        owner=health,
        state="solved",
        opened_at=at(date(2025, 11, 1)),
        solved_at=at(date(2025, 11, 15)),
        solved_entry=first,
    )
    open_case = Case.objects.create(
        household=two,
        village_code=two.village_code,
        dimension=two_dims[0],
        owner=health,
        opened_at=at(date(2025, 11, 1)),
    )

    def referral(case, agency, state, follow_up, **fields):
        return Referral.objects.create(
            case=case,
            village_code=case.village_code,
            agency=agency,
            state=state,
            follow_up_on=follow_up,
            sent_at=at(date(2025, 11, 2)),
            **fields,
        )

    referral(open_case, health, "pending", date(2025, 11, 20))
    referral(solved, health, "accepted", date(2025, 12, 15), decided_at=at(date(2025, 11, 3)))
    referral(
        open_case, foundation, "rejected", date(2025, 11, 10), decided_at=at(date(2025, 11, 4))
    )
    referral(
        open_case,
        health,
        "done",
        date(2025, 11, 10),
        decided_at=at(date(2025, 11, 5)),
        done_at=at(date(2025, 11, 20)),
    )
    referral(solved, foundation, "revoked", date(2025, 11, 30), decided_at=at(date(2025, 11, 6)))
    Escalation.objects.create(
        case=open_case,
        village_code=open_case.village_code,
        from_level="district",
        to_level="province",
        reason="เกินกำหนด",
        escalated_at=at(date(2025, 11, 25)),
    )
    return {
        "one": one,
        "two": two,
        "three": three,
        "health": health,
        "foundation": foundation,
        "district": one.district_code,
        "targets": Household.objects.filter(
            registry=registry, status="active", district_code=one.district_code
        ).count(),
    }
