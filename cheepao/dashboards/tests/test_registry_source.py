"""The public register of a survey year loaded into the registry reads the area read model
(ADR 0020); a year not loaded reads its run. Each page says which."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from cheepao.conftest import RUN_PROVINCE, RUN_YEAR
from cheepao.dashboards.tests.test_pages import table_rows, text_of, th
from cheepao.engine import api
from cheepao.households import services
from cheepao.households.models import AreaSummary, Household

pytestmark = pytest.mark.django_db


def _source(html: str) -> str:
    start = html.index("data-figures-source")
    return text_of(html[start : html.index("</p>", start)])


def test_a_year_not_loaded_shows_its_run_and_says_so(client, runs_dir, geography):
    html = th(client, "/").content.decode()
    assert "ยังไม่ได้นำเข้าทะเบียนครัวเรือนเป้าหมาย" in _source(html)
    assert f'href="/runs/{RUN_YEAR}/register_province.csv"' in html
    assert f"/register/{RUN_YEAR}/" not in html
    assert client.get(f"/register/{RUN_YEAR}/register_province.csv").status_code == 404


def test_a_loaded_year_shows_the_registry_s_figures_and_what_they_reflect(
    client, registry, runs_dir
):
    run = api.latest_run(runs_dir)
    html = th(client, "/").content.decode()
    source = _source(html)
    assert f"ตัวเลขจากทะเบียนครัวเรือนเป้าหมาย ปีสำรวจ {RUN_YEAR}" in source
    assert "ยังไม่มีผลการตรวจสอบที่ ศจพ.จ. เห็นชอบในพื้นที่นี้" in source
    assert "คำนวณตัวเลขเมื่อ" in source
    # Straight after loading, the registry's register is the run's, and so is its CSV,
    # byte for byte; the links lead to the registry's files.
    df = run.register("province")
    rows = table_rows(html)
    assert [r[1] for r in rows[1:-1]] == df["area_name_th"].tolist()
    assert f'href="/register/{RUN_YEAR}/register_province.csv"' in html
    assert f'href="/runs/{RUN_YEAR}/register_province.csv"' not in html
    for level in api.REGISTER_LEVELS:
        response = client.get(f"/register/{RUN_YEAR}/register_{level}.csv")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        assert response.content == (Path(run.path) / f"register_{level}.csv").read_bytes()
    response = client.get(f"/register/{RUN_YEAR}/register_district.xlsx")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"

    # In English too.
    html = client.get(f"/areas/{RUN_PROVINCE}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    source = _source(html)
    assert f"Figures of the target registry, survey year {RUN_YEAR}, loaded from the run" in source
    assert "no verification results approved by the province centre in this area yet" in source


def test_the_public_register_follows_the_registry_not_the_households(client, registry):
    """The page reads summary rows: a household changed without its summary refreshed does
    not show; once refreshed (as approval does), it does."""
    household = Household.objects.filter(registry=registry).first()
    download = f"/register/{RUN_YEAR}/register_province.csv"
    before = table_rows(th(client, "/").content.decode())[-1]
    file_before = client.get(download).content
    Household.objects.filter(pk=household.pk).update(status=Household.Status.REMOVED)
    assert table_rows(th(client, "/").content.decode())[-1] == before
    assert client.get(download).content == file_before
    services.area_summary_refresh(registry=registry, village_codes=[household.village_code])
    after = table_rows(th(client, "/").content.decode())[-1]
    assert int(after[2]) == int(before[2]) - 1
    # The file is made again for the new figures (a file is kept only for one state).
    rows = list(csv.reader(io.StringIO(client.get(download).content.decode("utf-8-sig"))))
    assert rows[-1][:3] == ["", "รวม", str(int(before[2]) - 1)]


def test_registry_downloads_of_unknown_years_levels_or_formats_are_404(client, registry):
    assert client.get("/register/2400/register_province.csv").status_code == 404
    assert client.get(f"/register/{RUN_YEAR}/register_nation.csv").status_code == 404
    assert client.get(f"/register/{RUN_YEAR}/register_province.json").status_code == 404
    AreaSummary.objects.all().delete()  # a registry whose summary is not built: the run's
    assert client.get(f"/register/{RUN_YEAR}/register_province.csv").status_code == 404
    assert f'href="/runs/{RUN_YEAR}/register_province.csv"' in th(client, "/").content.decode()
