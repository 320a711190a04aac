"""`--reading` on compute and compare, and the line naming the readings under register,
mpi, compute and compare output (ADR 0013)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cheepao.cli import main
from cheepao.cli.tests.test_engine_commands import _write, year_data
from cheepao.engine import api
from cheepao.engine.tests import golden

CRITICAL = [c for c in golden.READING_CASES if c.reading == "critical"]
NAMED_TH = "กลุ่มเป้าหมายวิกฤต: ตกเกณฑ์ครบทั้ง 3 มิติ ด้านรายได้ ความเป็นอยู่ และสุขภาพ"
ANY3_TH = "กลุ่มเป้าหมายวิกฤต: ตกเกณฑ์อย่างน้อย 3 มิติ จาก 5 มิติ มิติใดก็ได้"


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def critical_runs(tmp_path_factory) -> dict[str, Path]:
    """The three critical cases computed under each choice of `critical`."""
    root = tmp_path_factory.mktemp("readings")
    src = _write(
        root / "survey",
        [c.household for c in CRITICAL],
        [m for c in CRITICAL for m in c.members],
    )
    out = {}
    for choice in ("any_3_of_5", "income_living_health"):
        args = ["compute", "--input", str(src), "--out", str(root / choice)]
        if choice != "any_3_of_5":
            args += ["--reading", f"critical={choice}"]
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 0, res.output
        out[choice] = root / choice
        out[f"{choice}.output"] = res.output
    out["src"] = src
    return out


def test_compute_takes_a_reading_and_records_it(critical_runs):
    default = api.open_run(critical_runs["any_3_of_5"]).manifest
    named = api.open_run(critical_runs["income_living_health"]).manifest
    assert default["readings"]["critical"] == "any_3_of_5"
    assert named["readings"]["critical"] == "income_living_health"
    assert {k: v for k, v in named["readings"].items() if k != "critical"} == {
        k: v for k, v in default["readings"].items() if k != "critical"
    }
    assert default["row_counts"]["critical_households"] == 2
    assert named["row_counts"]["critical_households"] == 1
    # the compute summary says which reading produced the numbers
    assert ANY3_TH in _flat(critical_runs["any_3_of_5.output"])
    assert NAMED_TH in _flat(critical_runs["income_living_health.output"])
    assert "[critical=income_living_health]" in critical_runs["income_living_health.output"]


@pytest.mark.parametrize(
    ("arg", "code", "message"),
    [
        ("critical=all_five", 1, "reading 'critical' has no choice 'all_five'"),
        ("newborn=survey_year", 1, "unknown reading 'newborn'"),
        ("critical", 2, "expected NAME=CHOICE"),
    ],
)
def test_compute_refuses_a_wrong_reading_and_writes_nothing(
    critical_runs, tmp_path, arg, code, message
):
    out = tmp_path / "run"
    res = CliRunner().invoke(
        main, ["compute", "--input", str(critical_runs["src"]), "--out", str(out), "--reading", arg]
    )
    assert res.exit_code == code
    assert message in _flat(res.output)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_register_names_the_readings_in_thai_and_english(critical_runs):
    run = str(critical_runs["income_living_health"])
    th = CliRunner().invoke(main, ["register", "--run", run, "--level", "province"])
    assert th.exit_code == 0, th.output
    flat = _flat(th.output)
    assert "นิยามที่ใช้คำนวณ (tpmap_mpi_17@v2):" in flat
    assert NAMED_TH in flat
    assert "ผู้พิการที่ตัวชี้วัด A2 นับ: สมาชิกทุกคนที่พิการ" in flat
    assert "อยู่รอด" not in flat  # a comparison reading: not under a register
    en = CliRunner().invoke(main, ["register", "--run", run, "--level", "province", "--lang", "en"])
    assert en.exit_code == 0, en.output
    assert "Critical targets: Fails all three of income, living conditions and health" in _flat(
        en.output
    )


def test_register_workbooks_carry_the_readings_under_the_table(critical_runs, tmp_path):
    out = tmp_path / "reg.xlsx"
    res = CliRunner().invoke(
        main,
        ["register", "--run", str(critical_runs["income_living_health"]), "--output", str(out)],
    )
    assert res.exit_code == 0, res.output
    for path in (out, critical_runs["income_living_health"] / "register_district.xlsx"):
        ws = openpyxl.load_workbook(path).active
        column_a = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
        total = next(i for i, v in enumerate(column_a) if v is None and i > 1)  # ที่ of รวม
        notes = [v for v in column_a[total + 1 :] if v]
        assert notes[0] == "นิยามที่ใช้คำนวณ (tpmap_mpi_17@v2):"
        assert NAMED_TH in notes
        assert len(notes) == 5  # heading + the four readings of a survey year
        assert all(ws.cell(r, 1).data_type == "s" for r in range(total + 3, ws.max_row + 1))


def test_mpi_names_the_readings(critical_runs):
    res = CliRunner().invoke(main, ["mpi", "--run", str(critical_runs["income_living_health"])])
    assert res.exit_code == 0, res.output
    assert NAMED_TH in _flat(res.output)


@pytest.fixture(scope="module")
def years(tmp_path_factory) -> dict[int, Path]:
    root = tmp_path_factory.mktemp("compare")
    out = {}
    for year in (2567, 2568):
        src = _write(root / "survey" / str(year), *year_data(year))
        res = CliRunner().invoke(
            main, ["compute", "--input", str(src), "--out", str(root / str(year))]
        )
        assert res.exit_code == 0, res.output
        out[year] = root / str(year)
    return out


@pytest.mark.parametrize(
    ("readings", "survives", "sustainable"),
    [
        # B, C, D pass income, living and health in 2568; no target of 2567 passed them in
        # both years (A income, B and C living)
        ((), 3, 0),
        # A and E fail one dimension each: they pass 3 of 5 as well
        (("survives=any_3_of_5",), 5, 0),
        # B and C, targets in 2567, pass the three in 2568
        (("sustainable=later_year",), 3, 2),
    ],
)
def test_compare_reads_survives_and_sustainable_as_asked(years, readings, survives, sustainable):
    args = ["compare", "--before", str(years[2567]), "--after", str(years[2568])]
    for r in readings:
        args += ["--reading", r]
    res = CliRunner().invoke(main, [*args, "--json"])
    assert res.exit_code == 0, res.output
    (row,) = json.loads(res.output)
    assert (row["survives"], row["sustainable"]) == (survives, sustainable)
    printed = CliRunner().invoke(main, [*args, "--level", "district"])
    assert printed.exit_code == 0, printed.output
    flat = _flat(printed.output)
    assert "อยู่รอด: " in flat and "ยั่งยืน: " in flat
    if readings == ("survives=any_3_of_5",):
        assert "อยู่รอด: ผ่านเกณฑ์อย่างน้อย 3 มิติ จาก 5 มิติ มิติใดก็ได้" in flat


def test_compare_refuses_an_unknown_reading(years):
    res = CliRunner().invoke(
        main,
        [
            "compare",
            "--before",
            str(years[2567]),
            "--after",
            str(years[2568]),
            "--reading",
            "survives=always",
        ],
    )
    assert res.exit_code == 1
    assert "reading 'survives' has no choice 'always'" in _flat(res.output)
