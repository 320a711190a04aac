"""The public pages through HTTP (Django's test client), against a real engine run."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from cheepao.conftest import RUN_PROVINCE, RUN_YEAR
from cheepao.engine import api
from cheepao.engine.tests import golden

pytestmark = pytest.mark.django_db

# the area column (index 1) is จังหวัด / อำเภอ / ตำบล / หมู่บ้าน by level
SEED_003_HEADERS = [*golden.SEED_003_HEADERS[:1], None, *golden.SEED_003_HEADERS[2:]]
COUNT_COLUMNS = [
    "target_households",
    "welfare_card_holders",
    "members",
    "dim_health",
    "dim_living",
    "dim_education",
    "dim_income",
    "dim_access",
    "target_persons",
]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def table_rows(html: str, caption_id: str = "register-caption") -> list[list[str]]:
    """Cells of the table whose caption has `caption_id`, header row first, as plain text."""
    start = html.index(f'id="{caption_id}"')
    table = html[html.rindex("<table", 0, start) : html.index("</table>", start)]
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, flags=re.S)
        rows.append([text_of(c).strip() for c in cells])
    return rows


def as_int(cell: str) -> int:
    return int(cell.replace(",", ""))


def th(client, url: str):
    return client.get(url, HTTP_ACCEPT_LANGUAGE="th")


def test_home_without_run_says_how_to_compute_one(client, empty_runs_dir, geography):
    response = th(client, "/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="th"' in html
    assert "ยังไม่มีผลการคำนวณ" in html
    assert f"cheepao compute --input SURVEY_DIR/2568 --out {empty_runs_dir}/2568" in html
    assert "<table" not in html
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert "No computed run yet" in response.content.decode()


def test_area_page_without_run_also_explains(client, empty_runs_dir, geography):
    html = th(client, "/areas/34/").content.decode()
    assert "จังหวัดอุบลราชธานี" in html
    assert "ยังไม่มีผลการคำนวณ" in html


def test_home_shows_run_facts_and_province_register_with_total(client, runs_dir, geography):
    run = api.latest_run(runs_dir)
    response = th(client, "/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="th"' in html
    assert f"ข้อมูลปี {RUN_YEAR}" in html
    # the rules by their Thai title and version, never the set's id ("tpmap_mpi_17@v1")
    assert f'{run.catalogue.title_th} <span class="muted">(ฉบับที่ {run.catalogue.version})' in html
    assert run.manifest["indicator_set"] not in html and run.catalogue.id not in html
    assert run.manifest["target_profile"] not in html.split("<main", 1)[1]
    assert "เกณฑ์รายได้เฉลี่ย (บาท/คน/ปี)" in html
    assert "38,000" in html
    # computed-at in the Buddhist Era, Bangkok time
    assert re.search(
        r"\d{1,2} (ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|"
        r"ต\.ค\.|พ\.ย\.|ธ\.ค\.) 25\d\d เวลา \d\d:\d\d น\.",
        html,
    )

    rows = table_rows(html)
    expected = list(SEED_003_HEADERS)
    expected[1] = "จังหวัด"
    assert rows[0] == expected
    df = run.register("province")
    body, total = rows[1:-1], rows[-1]
    assert [r[1] for r in body] == df["area_name_th"].tolist()
    assert [r[0] for r in body] == [str(i) for i in range(1, len(df) + 1)]
    for r, (_, area) in zip(body, df.iterrows(), strict=True):
        assert [as_int(c) for c in r[2:]] == [int(area[c]) for c in COUNT_COLUMNS]
    assert total[:2] == ["", "รวม"]
    assert [as_int(c) for c in total[2:]] == [int(df[c].sum()) for c in COUNT_COLUMNS]
    assert '<th scope="row"><a href="/areas/34/">' in html
    assert "<caption" in html and 'scope="col"' in html


def test_home_shows_alkire_foster_summary(client, runs_dir, geography):
    run = api.latest_run(runs_dir)
    af = run.af().iloc[0]
    html = th(client, "/").content.decode()
    assert "ความยากจนหลายมิติ (วิธี Alkire-Foster)" in html
    assert f"{af['H'] * 100:.2f} %" in html
    assert f"{af['A'] * 100:.1f} %" in html
    assert f"{af['M0']:.4f}" in html
    rows = table_rows(html, "af-caption")
    assert len(rows) == 1 + 17
    codes = [r[0] for r in rows[1:]]
    assert codes == [i.code for i in run.catalogue.indicators]
    first = run.catalogue.indicators[0]
    assert rows[1][3] == f"{af['ch_' + first.code] * 100:.2f} %"
    assert rows[1][4] == f"{af['pct_' + first.code]:.1f} %"


def test_drill_down_province_district_subdistrict(client, runs_dir, geography):
    run = api.latest_run(runs_dir)
    districts = run.register("district", RUN_PROVINCE)
    assert not districts.empty

    html = th(client, f"/areas/{RUN_PROVINCE}/").content.decode()
    rows = table_rows(html)
    assert rows[0][1] == "อำเภอ"
    assert [r[1] for r in rows[1:-1]] == districts["area_name_th"].tolist()
    assert [as_int(c) for c in rows[-1][2:]] == [int(districts[c].sum()) for c in COUNT_COLUMNS]
    assert 'aria-current="page">จังหวัดอุบลราชธานี</span>' in html

    district = districts.iloc[0]["area_code"]
    html = th(client, f"/areas/{district}/").content.decode()
    rows = table_rows(html)
    subs = run.register("subdistrict", district)
    assert rows[0][1] == "ตำบล"
    assert [r[1] for r in rows[1:-1]] == subs["area_name_th"].tolist()
    assert f'<a href="/areas/{RUN_PROVINCE}/">จังหวัดอุบลราชธานี</a>' in html

    sub = subs.iloc[0]["area_code"]
    html = th(client, f"/areas/{sub}/").content.decode()
    rows = table_rows(html)
    villages = run.register("village", sub)
    assert rows[0][1] == "หมู่บ้าน"
    assert [r[1] for r in rows[1:-1]] == villages["area_name_th"].tolist()
    # villages are the last level: no links into them
    assert f'href="/areas/{villages.iloc[0]["area_code"]}/"' not in html


def test_area_in_geography_but_not_in_run(client, runs_dir, geography):
    html = th(client, "/areas/10/").content.decode()
    assert "กรุงเทพมหานคร" in html
    assert f"ผลการคำนวณปี {RUN_YEAR} ไม่มีครัวเรือนในพื้นที่นี้" in html
    assert 'id="register-caption"' not in html


@pytest.mark.parametrize(
    "url",
    [
        "/areas/99/",
        "/areas/3499/",
        "/areas/349999/",
        "/areas/3/",
        "/areas/34010101/",
        "/areas/abc/",
    ],
)
def test_unknown_area_codes_are_404(client, runs_dir, geography, url):
    response = th(client, url)
    assert response.status_code == 404
    assert "ไม่พบหน้านี้" in response.content.decode()


def test_language_switch_to_english_and_back(client, runs_dir, geography):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/areas/34/"})
    assert response.status_code == 302
    assert response["Location"] == "/areas/34/"
    html = client.get("/areas/34/").content.decode()
    assert '<html lang="en">' in html
    assert "Ubon Ratchathani Province" in html
    rows = table_rows(html)
    assert rows[0][:3] == ["No.", "District", "Target households"]
    assert rows[-1][1] == "Total"
    assert "Survey year 2568" in html
    assert re.search(r"\d{1,2} [A-Z][a-z]{2} 25\d\d BE, \d\d:\d\d", html)

    client.post(reverse("set_language"), {"language": "th", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="th">' in html
    assert "ทะเบียนงบหน้าครัวเรือนเป้าหมาย" in html


def test_download_links_serve_the_exported_files(client, runs_dir, geography):
    run = api.latest_run(runs_dir)
    html = th(client, f"/areas/{RUN_PROVINCE}/").content.decode()
    csv_url = f"/runs/{RUN_YEAR}/register_district.csv"
    xlsx_url = f"/runs/{RUN_YEAR}/register_district.xlsx"
    assert f'href="{csv_url}"' in html and f'href="{xlsx_url}"' in html

    response = client.get(csv_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body == (Path(run.path) / "register_district.csv").read_bytes()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "ที่" and rows[0][1] == "อำเภอ"
    assert rows[-1][1] == "รวม"

    response = client.get(xlsx_url)
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[2]][:2] == ["ที่", "อำเภอ"]


@pytest.fixture
def own_runs_dir(runs_dir, tmp_path, settings) -> Path:
    """A private copy of the session's run, for tests that change files in it."""
    import shutil

    copy = tmp_path / "runs"
    shutil.copytree(runs_dir, copy)
    settings.CHEEPAO_RUNS_DIR = copy
    return copy


def test_download_of_missing_files_or_years_is_404(client, own_runs_dir, geography):
    assert client.get("/runs/2400/register_district.csv").status_code == 404
    (own_runs_dir / str(RUN_YEAR) / "register_province.xlsx").unlink()
    assert client.get(f"/runs/{RUN_YEAR}/register_province.xlsx").status_code == 404
    html = th(client, "/").content.decode()
    assert f'href="/runs/{RUN_YEAR}/register_province.csv"' in html
    assert "register_province.xlsx" not in html
    assert client.get(f"/runs/{RUN_YEAR}/register_nation.csv").status_code == 404
    assert client.get(f"/runs/{RUN_YEAR}/manifest.json").status_code == 404
    for outside in (
        "/runs/../register_province.csv",
        "/runs/..%2F/register_province.csv",
        "/runs/.hidden/register_province.csv",
        "/runs/%2Fetc/register_province.csv",
    ):
        assert client.get(outside).status_code == 404, outside


def test_latest_run_is_the_highest_survey_year(client, own_runs_dir, geography):
    """A second run with a higher year wins; the page reads its manifest, not the folder name."""
    import shutil

    newer = own_runs_dir / f"{RUN_YEAR + 1}-tpmap2562"
    shutil.copytree(own_runs_dir / str(RUN_YEAR), newer)
    manifest = json.loads((newer / "manifest.json").read_text(encoding="utf-8"))
    manifest["survey_year"] = RUN_YEAR + 1
    (newer / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    html = th(client, "/").content.decode()
    assert f"ข้อมูลปี {RUN_YEAR + 1}" in html
    link = f"/runs/{RUN_YEAR + 1}-tpmap2562/register_province.csv"
    assert f'href="{link}"' in html
    assert client.get(link).status_code == 200


def test_home_tells_when_geography_is_not_loaded(client, runs_dir):
    from cheepao.geo.models import District, Province, Subdistrict

    Subdistrict.objects.all().delete()
    District.objects.all().delete()
    Province.objects.all().delete()
    html = th(client, "/").content.decode()
    assert "python manage.py load_geography" in html
    assert th(client, f"/areas/{RUN_PROVINCE}/").status_code == 404


def test_pages_only_answer_safe_methods(client, runs_dir, geography):
    assert client.post("/").status_code == 405
    assert client.post(f"/areas/{RUN_PROVINCE}/").status_code == 405
