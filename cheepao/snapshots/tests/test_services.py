"""The snapshot verbs through their interface: every figure of a small known month, the
levels summed from the rows under them, closing bottom-up with each refusal (its code,
nothing changed), and a late Logbook entry landing in the next month."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.core.errors import Invalid, NotFound, Refused
from cheepao.helpstats.months import code as month_code
from cheepao.households.models import Household, Problem
from cheepao.logbook import services as logbook
from cheepao.logbook.tests.helpers import household_with_problem, put_in_care
from cheepao.snapshots import errors
from cheepao.snapshots.models import COUNTS, AreaMonth
from cheepao.snapshots.services import month_build, month_close
from cheepao.snapshots.tests.conftest import MONTH, month_before

pytestmark = pytest.mark.django_db

FIGURES = (*COUNTS, "baht")


def figures(row: AreaMonth) -> dict:
    return {name: getattr(row, name) for name in FIGURES}


def table() -> list[tuple]:
    return list(
        AreaMonth.objects.order_by("month", "area_code").values_list(
            "month", "area_code", *FIGURES, "built_at", "closed_at", "closed_by_name"
        )
    )


def test_every_figure_of_the_district_on_a_known_month(snapshot_world):
    w = snapshot_world
    district = w["district"]
    n = month_build(ctx=Context.cli(), month="2568-11")
    assert n == AreaMonth.objects.filter(month=MONTH).count()
    row = AreaMonth.objects.get(month=MONTH, area_code=district)
    problems = Problem.objects.filter(
        household__registry=w["registry"],
        household__status="active",
        household__district_code=district,
    )
    assert (row.level, row.survey_year, row.closed) == (
        "district",
        w["registry"].survey_year,
        False,
    )
    assert figures(row) == {
        "targets": w["targets"],
        "verified": 1,  # `one` certified; `two` only drafted
        "certified": 1,
        "with_plan": 1,  # `two`'s plan is not approved yet
        "problems": problems.filter(status__in=["open", "solved"]).count(),
        "problems_solved": problems.filter(status="solved").count(),
        "recorded": 3,  # the need of March and the two cases
        "helped": 2,
        "helped_fully": 1,
        "acts": 3,  # October's and November's two (the withdrawn one does not count)
        "baht": Decimal("1900.00"),  # 200 + 1,000 + 700 (corrected) in the year
        "acts_month": 2,  # October, not built, counted from the Logbook: 1 act
        "helped_month": 1,
        "referrals_overdue": 1,
        "escalated": 1,
        "evaluated": 2,  # escaped and still; the one that left is not found again
        "escaped": 1,
    }
    # Every level is the sum of the level under it, down to the villages.
    for parent in AreaMonth.objects.filter(month=MONTH).exclude(level="village"):
        kids = AreaMonth.objects.filter(
            month=MONTH,
            level={"country": "province", "province": "district", "district": "subdistrict",
                   "subdistrict": "village"}[parent.level],
            area_code__startswith=parent.area_code,
        )  # fmt: skip
        for name in FIGURES:
            assert getattr(parent, name) == sum(getattr(k, name) for k in kids), (parent, name)
    # A village row for every village with targets, and only those.
    villages = set(
        Household.objects.filter(registry=w["registry"], status="active")
        .values_list("village_code", flat=True)
        .distinct()
    )
    assert (
        set(
            AreaMonth.objects.filter(month=MONTH, level="village").values_list(
                "area_code", flat=True
            )
        )
        == villages
    )
    event = AuditEvent.objects.filter(object_type="snapshots.month").get()
    assert (event.object_id, event.changes["rows"]) == ("2568-11", n)


def test_the_month_figures_follow_the_stored_row_of_the_month_before(snapshot_world):
    w = snapshot_world
    month_build(ctx=Context.cli(), month="2568-10")
    october = AreaMonth.objects.get(month=MONTH.replace(month=10), area_code=w["district"])
    assert (october.acts, october.acts_month, october.helped, october.helped_month) == (1, 1, 1, 1)
    assert october.baht == Decimal("200.00") and october.escalated == 0
    month_build(ctx=Context.cli(), month="2568-11")
    november = AreaMonth.objects.get(month=MONTH, area_code=w["district"])
    assert (november.acts_month, november.helped_month) == (2, 1)
    # January starts a new campaign year: its month's figures are the year's own.
    month_build(ctx=Context.cli(), month="2569-01")
    january = AreaMonth.objects.get(month=date(2026, 1, 1), area_code=w["district"])
    assert (january.acts, january.acts_month, january.baht) == (0, 0, Decimal("0.00"))


def test_building_an_area_replaces_its_rows_and_sums_the_areas_above(snapshot_world, make_user):
    w = snapshot_world
    month_build(ctx=Context.cli(), month="2568-11")
    before = {r.area_code: r.pk for r in AreaMonth.objects.filter(month=MONTH)}
    one = w["one"]
    Household.objects.filter(pk=w["two"].pk).update(status="left")
    month_build(ctx=Context.cli(make_user("district", w["district"])), month="2568-11",
                area=one.subdistrict_code)  # fmt: skip
    after = {r.area_code: r for r in AreaMonth.objects.filter(month=MONTH)}
    assert set(after) <= set(before)
    # Inside the subdistrict and above it: new rows; elsewhere: untouched.
    for code, row in after.items():
        touched = code.startswith(one.subdistrict_code) or one.subdistrict_code.startswith(code)
        assert (row.pk != before[code]) == touched, code
    gone = 1 if w["two"].subdistrict_code == one.subdistrict_code else 0
    assert after[w["district"]].targets == w["targets"] - gone


def test_build_refusals_change_nothing(snapshot_world, make_user):
    w = snapshot_world
    rows, events = table(), AuditEvent.objects.count()
    with pytest.raises(Invalid) as bad:
        month_build(ctx=Context.cli(), month="11-2568")
    assert bad.value.code == "snapshots.bad_month"
    with pytest.raises(Invalid) as bad:
        month_build(ctx=Context.cli(), month="2568-11", area="34x")
    assert bad.value.code == "snapshots.bad_area"
    with pytest.raises(NotFound):
        month_build(ctx=Context.cli(make_user("province", "10")), month="2568-11", area="34")
    with pytest.raises(NotFound):  # an agency office builds nothing
        month_build(
            ctx=Context.cli(make_user("agency", w["district"], body=w["health"])),
            month="2568-11",
            area=w["district"],
        )
    assert table() == rows and AuditEvent.objects.count() == events


def _refused(code: str, exc: type, user, month: str, area: str) -> None:
    rows, events = table(), AuditEvent.objects.count()
    with pytest.raises(exc) as refused:
        month_close(ctx=Context.cli(user), month=month, area_code=area)
    assert refused.value.code == code
    assert table() == rows and AuditEvent.objects.count() == events


def test_a_month_closes_bottom_up_with_each_refusal(snapshot_world, make_user):
    w = snapshot_world
    one, district = w["one"], w["district"]
    province = district[:2]
    month_build(ctx=Context.cli(), month="2568-11")
    subdistricts = list(
        AreaMonth.objects.filter(month=MONTH, level="subdistrict", area_code__startswith=district)
        .order_by("area_code")
        .values_list("area_code", flat=True)
    )
    district_user = make_user("district", district, first_name="อำเภอ", last_name="ทดสอบ")
    team = make_user("subdistrict", one.subdistrict_code, first_name="ตำบล", last_name="ทดสอบ")
    # Outside the account's area: as if it did not exist.
    _refused("access.not_found", NotFound, make_user("district", "1001"), "2568-11", district)
    # Not the area's own office: the district for a subdistrict, the province for a district.
    _refused(errors.NOT_PERMITTED, Refused, district_user, "2568-11", one.subdistrict_code)
    _refused(errors.NOT_PERMITTED, Refused, make_user("province", province), "2568-11", district)
    # A village closes with its subdistrict (whoever asks).
    _refused(errors.LEVEL_ORDER, Refused, team, "2568-11", one.village_code)
    _refused(errors.LEVEL_ORDER, Refused, make_user("mentor", one.village_code), "2568-11",
             one.village_code)  # fmt: skip
    # The running month has not ended.
    today = timezone.localdate()
    _refused(errors.MONTH_NOT_ENDED, Refused, team, month_code(today), one.subdistrict_code)
    # A month never built.
    _refused(errors.NOT_BUILT, Refused, team, "2568-09", one.subdistrict_code)
    # The district before its subdistricts: it names them.
    rows = table()
    with pytest.raises(Refused) as refused:
        month_close(ctx=Context.cli(district_user), month="2568-11", area_code=district)
    assert refused.value.code == errors.CHILDREN_OPEN
    assert refused.value.params["areas"].count(",") == len(subdistricts) - 1
    assert table() == rows

    row = month_close(ctx=Context.cli(team), month="2568-11", area_code=one.subdistrict_code)
    assert row.closed and row.closed_by == team and row.closed_by_name == "ตำบล ทดสอบ"
    frozen = AreaMonth.objects.filter(month=MONTH, area_code__startswith=one.subdistrict_code)
    assert frozen.filter(level="village").exists()
    assert not frozen.filter(closed_at__isnull=True).exists()
    event = AuditEvent.objects.filter(object_type="snapshots.month").latest("pk")
    assert (event.actor, event.area_code, event.changes["closed"]) == (
        team, one.subdistrict_code, frozen.count()
    )  # fmt: skip
    _refused(errors.ALREADY_CLOSED, Refused, team, "2568-11", one.subdistrict_code)
    for code in subdistricts:
        if code != one.subdistrict_code:
            month_close(ctx=Context.cli(make_user("subdistrict", code)), month="2568-11",
                        area_code=code)  # fmt: skip
    # The province before the district: refused, naming it.
    province_user = make_user("province", province)
    _refused(errors.CHILDREN_OPEN, Refused, province_user, "2568-11", province)
    row = month_close(ctx=Context.cli(district_user), month="2568-11", area_code=district)
    assert row.closed and row.closed_by_name == "อำเภอ ทดสอบ"
    kids = AreaMonth.objects.filter(
        month=MONTH, level="subdistrict", area_code__startswith=district
    )
    assert row.targets == sum(k.targets for k in kids) == w["targets"]
    # Building the month again touches no closed row.
    closed = [r for r in table() if r[-2] is not None]
    month_build(ctx=Context.cli(), month="2568-11")
    assert [r for r in table() if r[-2] is not None] == closed


def test_a_late_entry_lands_in_the_next_month(registry, make_user):
    h, problem = household_with_problem(registry)
    mentor = make_user("mentor", h.village_code)
    put_in_care(h, mentor)
    team = make_user("subdistrict", h.subdistrict_code)
    m, n = month_before(timezone.localdate())

    def help_on(day: date, baht: str) -> None:
        logbook.help_record(
            ctx=Context.cli(mentor),
            household_id=h.pk,
            occurred_on=day,
            dimension=problem.dimension,
            indicator=problem.indicator,
            help_kind="goods",
            giver="อบต.",
            value=baht,
        )

    help_on(m, "100")
    month_build(ctx=Context.cli(), month=month_code(m))
    month_close(ctx=Context.cli(team), month=month_code(m), area_code=h.subdistrict_code)
    closed = AreaMonth.objects.get(month=m, area_code=h.village_code)
    assert (closed.acts, closed.acts_month, closed.helped_month, closed.baht) == (
        1, 1, 1, Decimal("100.00")
    )  # fmt: skip
    frozen = table()
    help_on(m + timedelta(days=1), "50")  # recorded after the month was closed
    month_build(ctx=Context.cli(), month=month_code(m))
    month_build(ctx=Context.cli(), month=month_code(n))
    for code in (h.village_code, h.subdistrict_code):
        row = AreaMonth.objects.get(month=m, area_code=code)
        assert (row.acts, row.baht) == (1, Decimal("100.00")), code
    assert [r for r in table() if r[0] == m and r[-2] is not None] == [
        r for r in frozen if r[0] == m and r[-2] is not None
    ]
    for code in (h.village_code, h.subdistrict_code, h.district_code, ""):
        nxt = AreaMonth.objects.get(month=n, area_code=code)
        assert (nxt.acts, nxt.acts_month, nxt.helped, nxt.helped_month) == (2, 1, 1, 0), code
        assert nxt.baht == Decimal("150.00"), code
