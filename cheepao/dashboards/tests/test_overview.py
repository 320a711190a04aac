"""The signed-in dashboards through HTTP: each level's account sees its area and the areas
under it, figures equal the snapshot rows, the letters' targets' lights on their edges, and
a district account never sees another district (404, and not a name or figure of it)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cheepao.accounts.models import Body
from cheepao.geo.selectors import area_label
from cheepao.helpstats.models import MonthFigures
from cheepao.snapshots.models import AreaMonth

from .conftest import DEC, NOV, snapshot

pytestmark = pytest.mark.django_db


def page(client, url: str, **params) -> str:
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def figure(html: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}"><dt>.*?</dt><dd>(.*?)</dd>', html, flags=re.S)
    assert found, name
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def ranking(html: str) -> list[str]:
    return re.findall(r'<tr data-area="(\d+)">', html)


def test_each_level_sees_its_area_and_the_areas_under_it(snapshots, client, sign_in, make_user):
    for role, code, children in (
        ("national", "", ["34"]),
        ("province", "34", ["3402", "3401"]),  # by helped %: 65.7 % before 45 %
        ("district", "3401", ["340101", "340104"]),
        ("subdistrict", "340101", ["34010101"]),
        ("mentor", "34010101", []),
    ):
        sign_in(client, make_user(role, code))
        html = page(client, reverse("dashboards:overview"))
        assert f'id="dash-area">{area_label(code)}<' in html, role
        assert ranking(html) == children, role
        # Latest month by default; its figures.
        assert '<option value="2568-12" selected>' in html
        row = AreaMonth.objects.get(month=DEC, area_code=code)
        assert figure(html, "targets") == f"{row.targets:,}"
        for child in children:
            assert reverse("dashboards:overview_area", args=[child]) in html
            assert client.get(reverse("dashboards:overview_area", args=[child])).status_code == 200
        if code:
            assert client.get(reverse("dashboards:overview_area", args=[code])).status_code == 200


def test_the_figures_are_the_rows(snapshots, client, sign_in, make_user):
    row = AreaMonth.objects.get(month=NOV, area_code="3401")
    row.evaluated, row.escaped = 80, 20
    row.closed_at = timezone.make_aware(datetime(2025, 12, 5, 14, 0))
    row.closed_by_name = "นายอำเภอ ทดสอบ"
    row.save()
    sign_in(client, make_user("district", "3401"))
    html = page(client, reverse("dashboards:overview"), month="2568-11")
    # 3401 in November: targets 100, helped int(30*.6)+int(15*.6) = 18 + 9 = 27.
    assert figure(html, "targets") == "100"
    assert figure(html, "verified_pct") == "100.0 %"
    assert figure(html, "certified_pct") == "80.0 %"  # (30 + 50) / 100
    assert figure(html, "plan_pct") == "50.0 %"
    assert figure(html, "recorded_pct") == "90.0 %"
    assert figure(html, "helped_pct") == "27.0 %"
    assert figure(html, "helped_fully_pct") == "13.0 %"  # 9 + 4
    assert figure(html, "acts_per_household") == "0.8 ครั้งต่อครัวเรือน"  # 81 / 100
    assert figure(html, "solved_pct") == "13.5 %"  # 27 / 200
    assert figure(html, "referrals_overdue") == "2"
    assert figure(html, "escalated") == "0"
    assert figure(html, "escaped_pct").startswith("25.0 %")
    assert 'href="/evaluation/3401/"' in html
    assert 'data-closed="yes"' in html and "นายอำเภอ ทดสอบ" in html
    # December: not closed, provisional; no evaluation, so no escaped row.
    html = page(client, reverse("dashboards:overview"))
    assert 'data-closed="no"' in html and "ยังไม่ปิด" in html
    assert 'data-figure="escaped_pct"' not in html
    assert 'href="/evaluation/3401/"' not in html


def test_no_data_is_not_zero(geography, client, sign_in, make_user):
    snapshot(DEC, "3401")  # no target households at all
    sign_in(client, make_user("district", "3401"))
    html = page(client, reverse("dashboards:overview"))
    assert figure(html, "helped_pct") == "ไม่มีข้อมูล"
    assert figure(html, "targets") == "0"


def test_the_trend_is_the_rows_in_order_with_a_table(snapshots, client, sign_in, make_user):
    sign_in(client, make_user("province", "34"))
    html = page(client, reverse("dashboards:overview"))
    data = json.loads(re.search(r'id="dash-trend-data"[^>]*>(.*?)</script>', html).group(1))
    assert data["months"] == ["ต.ค. 2568", "พ.ย. 2568", "ธ.ค. 2568"]
    helped = next(s for s in data["series"] if s["rate"] == "helped_pct")
    rows = AreaMonth.objects.filter(area_code="34").order_by("month")
    assert helped["data"] == [round(100 * r.helped / r.targets, 1) for r in rows]
    assert {(t["rate"], t["value"]) for t in data["targets"]} == {
        ("recorded_pct", 75.0),
        ("helped_pct", 50.0),
        ("helped_pct", 100.0),
        ("helped_fully_pct", 80.0),
    }
    table = html[
        html.index('id="dash-trend-table"') : html.index("</table>", html.index("dash-trend-table"))
    ]
    assert table.count("<tr>") == 4  # the header and three months
    assert '<th scope="row">ธ.ค. 2568</th>' in table
    # An earlier month picked: the trend ends there.
    html = page(client, reverse("dashboards:overview"), month="2568-11")
    data = json.loads(re.search(r'id="dash-trend-data"[^>]*>(.*?)</script>', html).group(1))
    assert data["months"] == ["ต.ค. 2568", "พ.ย. 2568"]


def test_ranking_by_a_chosen_rate_no_data_last(snapshots, client, sign_in, make_user):
    # Another district with no target households: ranked last whatever the rate.
    snapshot(DEC, "3403")
    sign_in(client, make_user("province", "34"))
    html = page(client, reverse("dashboards:overview"))
    assert ranking(html) == ["3402", "3401", "3403"]
    assert 'data-area="3403"><td>3</td><th scope="row"><a' in html
    html = page(client, reverse("dashboards:overview"), rank="plan_pct")
    assert ranking(html) == ["3401", "3402", "3403"]  # 50 % before 49.6 % (68 of 137)
    html = page(client, reverse("dashboards:overview"), rank="nonsense")
    assert ranking(html) == ["3402", "3401", "3403"]  # back to helped %


def _light(html: str, code: str) -> tuple[str, str]:
    found = re.search(
        rf'<li data-state="(\w+)" data-target="{code}">.*?class="dash-light-value">(.*?)</span>',
        html,
        flags=re.S,
    )
    assert found, code
    return found.group(1), found.group(2)


@pytest.mark.parametrize(
    ("month", "targets", "recorded", "state", "shown"),
    [
        (date(2026, 2, 1), 200, 149, "not_yet", "74.5 %"),  # before March: not yet due
        (date(2026, 3, 1), 200, 149, "missed", "74.5 %"),  # in March, short: missed
        (date(2026, 3, 1), 200, 150, "met", "75.0 %"),  # exactly 75 %: met
        (date(2026, 3, 1), 2000, 1499, "met", "75.0 %"),  # 74.95 rounds to 75.0 (helpstats)
        (date(2026, 3, 1), 2000, 1498, "missed", "74.9 %"),
        (date(2026, 1, 1), 0, 0, "not_yet", "ไม่มีข้อมูล"),
        (date(2026, 4, 1), 0, 0, "missed", "ไม่มีข้อมูล"),
    ],
)
def test_traffic_lights_on_their_edges(
    geography, client, sign_in, make_user, month, targets, recorded, state, shown
):
    snapshot(month, "3401", targets=targets, recorded=recorded)
    sign_in(client, make_user("district", "3401"))
    html = page(client, reverse("dashboards:overview"))
    assert _light(html, "recorded") == (state, shown)
    words = {"met": "บรรลุแล้ว", "not_yet": "ยังไม่ถึงกำหนด", "missed": "ไม่บรรลุตามกำหนด"}
    assert re.search(
        rf'data-target="recorded">.*?class="dash-state">{words[state]}</strong>', html, flags=re.S
    )


def test_the_other_letters_targets_read_their_counts(geography, client, sign_in, make_user):
    # September: help ≥ 50 % due; December: 100 %, every failing dimension 80 %, 3 acts.
    snapshot(date(2025, 9, 1), "3401", targets=10, helped=5, helped_fully=8, acts=29)
    snapshot(date(2025, 12, 1), "3401", targets=10, helped=9, helped_fully=8, acts=30)
    sign_in(client, make_user("district", "3401"))
    html = page(client, reverse("dashboards:overview"), month="2568-09")
    assert _light(html, "helped_half") == ("met", "50.0 %")
    assert _light(html, "helped_all")[0] == "not_yet"
    assert _light(html, "helped_fully") == ("met", "80.0 %")
    assert _light(html, "acts_per_household") == ("not_yet", "2.9 ครั้งต่อครัวเรือน")
    html = page(client, reverse("dashboards:overview"), month="2568-12")
    assert _light(html, "helped_all") == ("missed", "90.0 %")
    assert _light(html, "acts_per_household") == ("met", "3.0 ครั้งต่อครัวเรือน")


def test_a_district_never_sees_another_district(snapshots, client, sign_in, make_user):
    other = snapshots["other"]
    sign_in(client, make_user("district", "3401"))
    before = list(AreaMonth.objects.values_list("pk", "helped", "closed_at"))
    for code in (other, "340201", "34020101", "34", "3499", "34019999"):
        assert client.get(reverse("dashboards:overview_area", args=[code])).status_code == 404
        assert (
            client.get(
                reverse("dashboards:overview_area", args=[code]), {"month": "2568-11"}
            ).status_code
            == 404
        )
    for url in (
        reverse("dashboards:overview"),
        reverse("dashboards:overview_area", args=["340101"]),
    ):
        for params in ({}, {"month": "2568-10"}, {"rank": "verified_pct"}):
            html = page(client, url, **params)
            assert area_label(other) not in html
            assert other not in html and "340201" not in html
            # The other district's figures (137 targets, 65.7 % helped in December, 49.6 %
            # with a plan, 18 and 54 helped in October and November) appear nowhere.
            assert 'data-area="3402"' not in html
            for shown in ("137", "65.7", "49.6", "39.4", "13.1"):
                assert shown not in html, shown
    assert list(AreaMonth.objects.values_list("pk", "helped", "closed_at")) == before


def test_outside_no_row_and_no_right_are_the_same_404(snapshots, client, sign_in, make_user):
    sign_in(client, make_user("subdistrict", "340101"))
    for code in ("340104", "3401", "34"):
        assert client.get(reverse("dashboards:overview_area", args=[code])).status_code == 404
    # Inside the area, but no snapshot row: the same 404.
    assert client.get(reverse("dashboards:overview_area", args=["34010199"])).status_code == 404
    # An agency account reads no snapshot: 404 for its own dashboard too, and no menu entry.
    office = Body.objects.create(name="สาธารณสุข", kind=Body.Kind.AGENCY, area_code="3401")
    sign_in(client, make_user("agency", "3401", body=office))
    assert client.get(reverse("dashboards:overview")).status_code == 404
    assert client.get(reverse("dashboards:overview_area", args=["3401"])).status_code == 404
    assert 'href="/dashboard/"' not in client.get(reverse("helpstats:month")).content.decode()
    # Not signed in: to the sign-in page.
    client.logout()
    response = client.get(reverse("dashboards:overview_area", args=["3401"]))
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_own_area_before_any_snapshot_says_so(geography, client, sign_in, make_user):
    sign_in(client, make_user("district", "3401"))
    html = page(client, reverse("dashboards:overview"))
    assert 'id="dash-none"' in html
    assert 'href="/dashboard/" aria-current="page">แดชบอร์ด<' in html  # the menu entry


def test_agency_lines_of_the_month_link_to_the_statistics(snapshots, client, sign_in, make_user):
    office = Body.objects.create(name="สำนักงานเกษตรอำเภอ", kind=Body.Kind.AGENCY, area_code="3401")
    elsewhere = Body.objects.create(
        name="สำนักงานที่ดินศรีเมือง", kind=Body.Kind.AGENCY, area_code="3402"
    )
    at = timezone.now()
    MonthFigures.objects.create(
        month=DEC, level="district", area_code="3401", body=office, acts=7,
        households_helped=5, referrals_sent=4, referrals_done=2, referrals_overdue=1,
        computed_at=at,
    )  # fmt: skip
    MonthFigures.objects.create(
        month=NOV, level="district", area_code="3401", body=office, acts=99, computed_at=at
    )
    MonthFigures.objects.create(
        month=DEC, level="district", area_code="3402", body=elsewhere, acts=3, computed_at=at
    )
    sign_in(client, make_user("district", "3401"))
    html = page(client, reverse("dashboards:overview"))
    table = html[html.index('id="dash-agencies"') :]
    table = table[: table.index("</table>")]
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", table)]
    assert cells[-6:] == ["สำนักงานเกษตรอำเภอ", "7", "5", "4", "2", "1"]
    assert "สำนักงานที่ดินศรีเมือง" not in html
    assert 'href="/stats/?month=2568-12"' in html
    html = page(client, reverse("dashboards:overview_area", args=["340101"]))
    assert 'id="dash-agencies-none"' in html
    assert 'href="/stats/area/340101/?month=2568-12"' in html


def test_english(snapshots, client, sign_in, make_user):
    sign_in(client, make_user("district", "3401"))
    client.cookies["django_language"] = "en"
    html = client.get(reverse("dashboards:overview"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<h1 tabindex="-1">Dashboard</h1>' in html
    assert "Dec 2568 BE" in html
    assert "Ranking of the areas under it" in html


def test_every_level_reads_as_thai(snapshots, client, sign_in, make_user):
    """No English word, internal code or bare area code on any level's dashboard (the
    checker of config/tests/test_thai_ui.py), closed month and evaluation included."""
    from cheepao.config.tests.test_thai_ui import problems

    row = AreaMonth.objects.get(month=DEC, area_code="3401")
    row.evaluated, row.escaped, row.closed_at, row.closed_by_name = 5, 1, timezone.now(), "สมชาย"
    row.save()
    for role, code in (("district", "3401"), ("subdistrict", "340101"), ("mentor", "34010101")):
        user = make_user(role, code)
        sign_in(client, user)
        for params in ({}, {"rank": "acts_per_household"}, {"month": "2568-10"}):
            html = page(client, reverse("dashboards:overview"), **params)
            assert problems(html, {user.username}) == [], (role, params)


def test_the_trend_is_the_last_twelve_months_to_the_month_picked(
    geography, client, sign_in, make_user
):
    from cheepao.helpstats.months import between

    for i, month in enumerate(between(date(2024, 1, 1), date(2025, 6, 1))):  # 18 months
        snapshot(month, "3401", targets=100, helped=i)
    sign_in(client, make_user("district", "3401"))
    for params, first, last, helped in (
        ({}, "ก.ค. 2567", "มิ.ย. 2568", list(range(6, 18))),
        ({"month": "2568-01"}, "ก.พ. 2567", "ม.ค. 2568", list(range(1, 13))),
        ({"month": "2567-03"}, "ม.ค. 2567", "มี.ค. 2567", [0, 1, 2]),
    ):
        html = page(client, reverse("dashboards:overview"), **params)
        data = json.loads(re.search(r'id="dash-trend-data"[^>]*>(.*?)</script>', html).group(1))
        assert (data["months"][0], data["months"][-1]) == (first, last)
        series = next(s for s in data["series"] if s["rate"] == "helped_pct")
        assert series["data"] == [float(n) for n in helped]


def test_only_the_busiest_agencies_are_listed(snapshots, client, sign_in, make_user):
    """A country has thousands of offices: the dashboard lists the 20 with the most acts of
    help, says how many there are, and leaves the rest to the monthly statistics."""
    at = timezone.now()
    for i in range(21):
        office = Body.objects.create(
            name=f"สำนักงาน {i:02d}", kind=Body.Kind.AGENCY, area_code="3401"
        )
        MonthFigures.objects.create(
            month=DEC, level="district", area_code="3401", body=office, acts=i, computed_at=at
        )
    sign_in(client, make_user("district", "3401"))
    html = page(client, reverse("dashboards:overview"))
    table = html[
        html.index('id="dash-agencies"') : html.index("</table>", html.index('id="dash-agencies"'))
    ]
    names = re.findall(r"สำนักงาน (\d\d)", table)
    assert names == [f"{i:02d}" for i in range(20, 0, -1)]
    assert "แสดง 20 หน่วยงานที่ให้ความช่วยเหลือมากที่สุด จากทั้งหมด 21 หน่วยงาน" in html
