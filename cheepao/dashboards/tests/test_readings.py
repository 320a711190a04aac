"""The public pages say which reading of each ambiguous definition produced the figures
(ADR 0013), in Thai and in English, without the catalogue's codes."""

from __future__ import annotations

import html as html_mod
import json
import re
import shutil

import pytest

from cheepao.conftest import RUN_YEAR

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200
    return " ".join(html_mod.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.mark.parametrize("url", ["/", "/areas/34/"])
def test_public_pages_name_the_readings(client, runs_dir, geography, url):
    text = _text(client.get(url, HTTP_ACCEPT_LANGUAGE="th"))
    assert "การตีความนิยามที่ใช้คำนวณตัวเลขชุดนี้" in text
    assert "กลุ่มเป้าหมายวิกฤต ตกเกณฑ์อย่างน้อย 3 มิติ จาก 5 มิติ มิติใดก็ได้" in text
    assert "รายได้ที่ตัวชี้วัด I1 นับ มีอาชีพ และมีรายได้จากแหล่งใดก็ได้" in text
    assert "any_3_of_5" not in text and "occupation_income" not in text
    en = _text(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert "Definitions as read for these figures" in en
    assert "Which newborns indicator H1 counts Born in the 12 months before the survey" in en


def test_a_run_read_another_way_says_so(client, settings, runs_dir, geography, tmp_path):
    runs = tmp_path / "runs"
    shutil.copytree(runs_dir / str(RUN_YEAR), runs / str(RUN_YEAR))
    path = runs / str(RUN_YEAR) / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["readings"]["newborn_window"] = "survey_year"
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    settings.CHEEPAO_RUNS_DIR = runs
    text = _text(client.get("/", HTTP_ACCEPT_LANGUAGE="th"))
    assert (
        "เด็กแรกเกิดที่ตัวชี้วัด H1 นับ เด็กที่เกิดในปี พ.ศ. ของการสำรวจ (ตามวันเกิด) (ไม่ใช่การตีความตั้งต้น)"
    ) in text
