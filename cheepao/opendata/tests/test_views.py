"""The open data page and files over HTTP, anonymous: exact content, Thai and English,
the threshold setting, 404s, nothing written."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.conf import settings as django_settings

from cheepao.audit.models import AuditEvent
from cheepao.opendata.tests.conftest import MONTH, TINY, make_rows
from cheepao.snapshots.models import AreaMonth

URL = "/open-data/"
ZERO = dict.fromkeys(
    (
        "verified",
        "certified",
        "with_plan",
        "problems",
        "problems_solved",
        "recorded",
        "helped_fully",
        "acts",
        "evaluated",
        "escaped",
    ),
    0,
)
ZERO_RATES = {
    "verified_pct": 0.0,
    "certified_pct": 0.0,
    "plan_pct": 0.0,
    "recorded_pct": 0.0,
    "helped_fully_pct": 0.0,
    "acts_per_household": 0.0,
    "solved_pct": None,  # no problems: nothing to divide by
    "escaped_pct": None,
}
HIDDEN_TARGET_RATES = [
    "verified_pct",
    "certified_pct",
    "plan_pct",
    "recorded_pct",
    "helped_pct",
    "helped_fully_pct",
    "acts_per_household",
]


def _english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


def _cells(html: str, code: str) -> list[str]:
    row = re.search(rf'<tr data-area="{code}">(.*?)</tr>', html, re.S).group(1)
    return [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
    ]


def _area(code, level, parent, th, en, targets, helped, *, hidden=(), helped_pct=None):
    out = {
        "code": code,
        "level": level,
        "parent": parent,
        "name_th": th,
        "name_en": en,
        "targets": None if "targets" in hidden else targets,
        **ZERO,
        "helped": None if "helped" in hidden else helped,
        **ZERO_RATES,
        "helped_pct": helped_pct,
        "suppressed": [],
    }
    figures = ["targets", *ZERO, "helped"]
    out["suppressed"] = [f for f in figures if f in hidden]
    if "targets" in hidden:
        out.update(dict.fromkeys(HIDDEN_TARGET_RATES))
        out["suppressed"] = ["targets", "helped", *HIDDEN_TARGET_RATES]
    elif "helped" in hidden:
        out["suppressed"] = ["helped", "helped_pct"]
    # The published order: figures, then rates, then the list of hidden names.
    keys = ["code", "level", "parent", "name_th", "name_en", "targets", "verified", "certified",
            "with_plan", "problems", "problems_solved", "recorded", "helped", "helped_fully",
            "acts", "evaluated", "escaped", "verified_pct", "certified_pct", "plan_pct",
            "recorded_pct", "helped_pct", "helped_fully_pct", "acts_per_household",
            "solved_pct", "escaped_pct", "suppressed"]  # fmt: skip
    return {k: out[k] for k in keys}


EXPECTED = {
    "country": [_area("", "country", None, "ทั้งประเทศ", "Whole country", 29, 18, helped_pct=62.1)],
    "province": [
        _area("34", "province", "", "อุบลราชธานี", "Ubon Ratchathani", 29, 18, helped_pct=62.1)
    ],
    "district": [
        _area(
            "3401",
            "district",
            "34",
            "เมืองอุบลราชธานี",
            "Mueang Ubon Ratchathani",
            18,
            9,
            helped_pct=50.0,
        ),
        _area("3402", "district", "34", "ศรีเมืองใหม่", "Si Mueang Mai", 11, 9, helped_pct=81.8),
    ],
    # 340201 has 2 targets and 2 helped (small): 340202 is hidden with it in both figures;
    # 340101 helped 3 (small): 340104, the only other subdistrict of 3401, with it.
    "subdistrict": [
        _area("340101", "subdistrict", "3401", "ในเมือง", "Nai Mueang", 10, 3, hidden=["helped"]),
        _area("340104", "subdistrict", "3401", "หัวเรือ", "Hua Ruea", 8, 6, hidden=["helped"]),
        _area(
            "340201", "subdistrict", "3402", "นาคำ", "Na Kham", 2, 2, hidden=["targets", "helped"]
        ),
        _area(
            "340202",
            "subdistrict",
            "3402",
            "แก้งกอก",
            "Kaeng Kok",
            9,
            7,
            hidden=["targets", "helped"],
        ),
    ],
}


def test_json_of_each_level_and_of_all(client, tiny_month):
    for level in ("province", "district", "subdistrict"):
        response = client.get(f"{URL}2569-11/{level}.json")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response["Content-Disposition"] == (
            f'attachment; filename="cheepao_open_2569-11_{level}.json"'
        )
        data = json.loads(response.content)
        assert data["areas"] == EXPECTED[level]
        assert data["month"] == "2569-11" and data["level"] == level
    data = json.loads(client.get(f"{URL}2569-11/all.json").content)
    assert data["level"] == "all"
    assert data["areas"] == [a for lv in EXPECTED.values() for a in lv]
    assert data["survey_year"] == 2568
    assert data["computed_at"] == "2026-12-01T02:00:00+00:00"
    assert data["licence"] == {
        "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert data["attribution"]["en"] == "Data from Cheepao, monthly summary of target households"
    assert data["suppression"]["min_count"] == 5
    assert data["suppression"]["marker"] == {"csv": "x", "json": None}
    assert "less than 5 are suppressed" in data["suppression"]["en"]
    assert "น้อยกว่า 5 ถูกปกปิด" in data["suppression"]["th"]


def test_csv_of_a_level(client, tiny_month):
    response = client.get(f"{URL}2569-11/subdistrict.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="cheepao_open_2569-11_subdistrict.csv"'
    )
    assert "no-store" in response["Cache-Control"]  # every download (config/security.py)
    assert response.content.startswith("\ufeff".encode())
    lines = response.content.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "# Cheepao open data, month 2569-11 (BE), level subdistrict"
    assert lines[1] == (
        "# Licence: Creative Commons Attribution 4.0 International (CC BY 4.0) "
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert lines[2].startswith("# Attribution: Data from Cheepao")
    assert lines[3].startswith("# Suppressed cells are marked x: Counts greater than 0 and less")
    assert lines[4:] == [
        "code,level,parent,name_th,name_en,targets,verified,certified,with_plan,problems,"
        "problems_solved,recorded,helped,helped_fully,acts,evaluated,escaped,verified_pct,"
        "certified_pct,plan_pct,recorded_pct,helped_pct,helped_fully_pct,acts_per_household,"
        "solved_pct,escaped_pct",
        "340101,subdistrict,3401,ในเมือง,Nai Mueang,10,0,0,0,0,0,0,x,0,0,0,0,"
        "0.0,0.0,0.0,0.0,x,0.0,0.0,,",
        "340104,subdistrict,3401,หัวเรือ,Hua Ruea,8,0,0,0,0,0,0,x,0,0,0,0,"
        "0.0,0.0,0.0,0.0,x,0.0,0.0,,",
        "340201,subdistrict,3402,นาคำ,Na Kham,x,0,0,0,0,0,0,x,0,0,0,0,x,x,x,x,x,x,x,,",
        "340202,subdistrict,3402,แก้งกอก,Kaeng Kok,x,0,0,0,0,0,0,x,0,0,0,0,x,x,x,x,x,x,x,,",
        "",
    ]


def test_csv_text_cells_are_never_formulas(client, tiny_month):
    from cheepao.geo.models import Subdistrict

    Subdistrict.objects.filter(code="340101").update(name_th="=HYPERLINK(1)", name_en="@SUM(1)")
    text = client.get(f"{URL}2569-11/subdistrict.csv").content.decode("utf-8-sig")
    assert "340101,subdistrict,3401,'=HYPERLINK(1),'@SUM(1),10," in text


def test_the_page_in_thai_anonymous(client, tiny_month):
    records = AuditEvent.objects.count()
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 tabindex="-1">ข้อมูลเปิด</h1>' in html
    assert '<option value="2569-11" selected>พ.ย. 2569</option>' in html
    assert '<option value="province" selected>จังหวัด</option>' in html
    assert _cells(html, "34")[:4] == ["1", "อุบลราชธานี", "29", "0"]
    assert _cells(html, "")[1:3] == ["ทั้งประเทศ", "29"]
    assert 'href="/open-data/2569-11/province.csv"' in html
    assert 'href="/open-data/2569-11/province.json"' in html
    assert 'href="/open-data/2569-11/all.json"' in html
    assert "น้อยกว่า 5 จะถูกปกปิดและแสดงเป็น x" in html
    assert 'rel="license">ครีเอทีฟคอมมอนส์ แสดงที่มา 4.0 สากล</a>' in html
    # Nothing written: no audit row (no personal data), no snapshot touched.
    assert AuditEvent.objects.count() == records
    assert AreaMonth.objects.count() == len(tiny_month)


def test_the_page_of_subdistricts_hides_the_small(client, tiny_month):
    html = client.get(URL, {"month": "2569-11", "level": "subdistrict"}).content.decode()
    cells = _cells(html, "340201")
    assert cells[:3] == ["3", "นาคำ", "x"]
    assert cells[2 + 7] == "x"  # helped
    assert _cells(html, "340101")[2] == "10"
    assert "<tfoot>" not in html


def test_the_page_in_english(client, tiny_month):
    _english(client)
    html = client.get(URL, {"level": "district"}).content.decode()
    assert '<h1 tabindex="-1">Open data</h1>' in html
    assert '<option value="2569-11" selected>Nov 2569 BE</option>' in html
    assert _cells(html, "3402")[:3] == ["2", "Si Mueang Mai", "11"]
    assert "less than 5 is hidden and shown as x" in html
    assert 'href="/open-data/2569-11/district.csv"' in html
    assert 'rel="license">Creative Commons Attribution 4.0 International (CC BY 4.0)</a>' in html


@pytest.mark.parametrize("level", ["province", "district", "subdistrict"])
def test_the_page_reads_as_thai(client, tiny_month, level):
    from cheepao.config.tests.test_thai_ui import problems

    html = client.get(URL, {"level": level}).content.decode()
    assert problems(html, set()) == []


@pytest.mark.parametrize(
    "path",
    [
        "?month=2569-10",  # no snapshot that month
        "?month=nonsense",
        "?level=village",  # villages are never published
        "?level=country",
        "2569-10/province.csv",
        "2569-10/all.json",
        "2569-13/all.json",
        "2569-11/village.csv",
        "2569-11/village.json",
    ],
)
def test_no_such_month_or_level_is_404(client, tiny_month, path):
    assert client.get(URL + path).status_code == 404


def test_a_month_is_published_only_with_the_country_row(client, tiny_month):
    AreaMonth.objects.filter(month=MONTH, area_code="").delete()
    assert client.get(URL + "2569-11/all.json").status_code == 404


def test_no_month_yet(client, db):
    html = client.get(URL).content.decode()
    assert "ยังไม่มีเดือนใดที่เผยแพร่" in html
    assert "<table" not in html


def test_the_threshold_is_a_setting(client, tiny_month, settings):
    settings.CHEEPAO_OPEN_DATA_MIN_COUNT = 3
    data = json.loads(client.get(URL + "2569-11/subdistrict.json").content)
    hidden = {a["code"]: a["suppressed"][:2] for a in data["areas"]}
    # 3 helped is no longer small; 2 still is (and takes 340202 with it).
    assert hidden == {
        "340101": [],
        "340104": [],
        "340201": ["targets", "helped"],
        "340202": ["targets", "helped"],
    }
    assert data["suppression"]["min_count"] == 3
    settings.CHEEPAO_OPEN_DATA_MIN_COUNT = 2
    data = json.loads(client.get(URL + "2569-11/subdistrict.json").content)
    assert [a["suppressed"] for a in data["areas"]] == [[], [], [], []]
    html = client.get(URL).content.decode()
    assert "น้อยกว่า 2 จะถูกปกปิด" in html


def test_a_rebuilt_month_is_published_afresh(client, tiny_month):
    assert (
        json.loads(client.get(URL + "2569-11/province.json").content)["areas"][0]["targets"] == 29
    )
    AreaMonth.objects.filter(month=MONTH, area_code__in=["", "34"]).update(
        targets=30, built_at="2026-12-02T02:00:00+00:00"
    )
    data = json.loads(client.get(URL + "2569-11/province.json").content)
    assert data["areas"][0]["targets"] == 30
    assert data["computed_at"] == "2026-12-02T02:00:00+00:00"


def test_months_are_listed_newest_first(client, tiny_month):
    make_rows(TINY, month=date(2026, 10, 1))
    html = client.get(URL).content.decode()
    assert html.index('value="2569-11"') < html.index('value="2569-10"')
    html = client.get(URL, {"month": "2569-10"}).content.decode()
    assert '<option value="2569-10" selected>ต.ค. 2569</option>' in html


def test_the_public_pages_link_here(client, db):
    html = client.get("/").content.decode()
    assert 'href="/open-data/"' in html


def test_below_provinces_the_page_shows_one_province(client, tiny_month):
    """Subdistricts are shown one province at a time (the first by default; an unknown
    code falls back to it); districts may show every province; the province is named."""
    for params in ({}, {"within": "34"}, {"within": "99"}, {"within": "<b>"}):
        html = client.get(
            URL, {"month": "2569-11", "level": "subdistrict", **params}
        ).content.decode()
        assert '<option value="34" selected>' in html
        assert "ตำบล · อุบลราชธานี ·" in html or "อุบลราชธานี · " in html
        assert _cells(html, "340101")[2] == "10"
    html = client.get(URL, {"month": "2569-11", "level": "district"}).content.decode()
    assert '<option value="" selected>' in html
    html = client.get(URL, {"month": "2569-11", "level": "province", "within": "34"}).content
    assert '<option value="" selected>' in html.decode()
