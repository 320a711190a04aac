"""compute / register / mpi / compare end to end through the CLI, on hand-made files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from cheepao.cli import main
from cheepao.engine import api
from cheepao.engine.tests import golden
from cheepao.engine.tests.factories import household, member, tables


def _write(dirpath: Path, hh: list[dict], mm: list[dict]) -> Path:
    dirpath.mkdir(parents=True, exist_ok=True)
    h, m = tables(hh, mm)
    pq.write_table(h, dirpath / "households.parquet")
    pq.write_table(m, dirpath / "members.parquet")
    return dirpath


def year_data(year: int) -> tuple[list[dict], list[dict]]:
    """Two districts of Ubon.

    2567: A fails I3, B fails L1, C fails L4; D and E fail nothing.
    2568: A still fails I3, B escaped, C escaped L4 but its child fails E1, E newly fails L2.
    """
    later = year == 2568
    hh = [
        household("A", subdistrict="340101", village=1, year=year, income=30000),
        household("B", subdistrict="340101", village=2, year=year, housing_durable=later),
        household("C", subdistrict="340201", village=1, year=year, home_toilet=later),
        household("D", subdistrict="340201", village=3, year=year),
        household("E", subdistrict="340101", village=1, year=year, drinking_water_enough=not later),
    ]
    mm = [
        member("A", 1, 45, year=year, welfare_card=True),
        member("A", 2, 12, year=year),
        member("B", 1, 70, year=year, welfare_card=True),
        member("C", 1, 33, year=year),
        member("C", 2, 4, year=year, preschool_care=not later),
        member("D", 1, 50, year=year),
        member("E", 1, 60, year=year, welfare_card=True),
    ]
    return hh, mm


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[int, Path]:
    root = tmp_path_factory.mktemp("cli")
    out = {}
    runner = CliRunner()
    for year in (2567, 2568):
        src = _write(root / "survey" / str(year), *year_data(year))
        dest = root / "runs" / str(year)
        res = runner.invoke(main, ["compute", "--input", str(src), "--out", str(dest)])
        assert res.exit_code == 0, res.output
        out[year] = dest
    return out


def test_compute_writes_a_complete_run(runs):
    run = api.open_run(runs[2568])
    m = run.manifest
    assert m["survey_year"] == 2568
    assert m["indicator_set"] == "tpmap_mpi_17@v2"
    assert m["thresholds"]["income_per_person_year"] == 38000
    assert m["k"] == "1/3"
    assert m["row_counts"]["households"] == 5
    assert m["row_counts"]["persons"] == 7
    # A (I3), C (E1), E (L2) are targets in 2568; B and D are not
    assert m["row_counts"]["target_households"] == 3
    assert m["rejects"] == {
        "households": 0,
        "members": 0,
        "members_to_correct": 0,
        "problems": {},
    }
    assert len(m["inputs"]["households"][0]["sha256"]) == 64
    for name in (
        "households.parquet",
        "persons.parquet",
        "rejects.csv",
        "af_total.parquet",
        "af_life_stage.parquet",
        "register_village.xlsx",
        "register_district.csv",
    ):
        assert (runs[2568] / name).exists(), name
    assert not any(p.name.startswith(".") for p in runs[2568].parent.iterdir())


def test_register_csv_total_equals_sum_of_rows(runs, tmp_path):
    out = tmp_path / "reg.csv"
    res = CliRunner().invoke(
        main, ["register", "--run", str(runs[2568]), "--level", "district", "--output", str(out)]
    )
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, encoding="utf-8-sig", dtype={"ที่": str})
    assert list(df.columns) == golden.SEED_003_HEADERS  # district level: อำเภอ
    body, total = df.iloc[:-1], df.iloc[-1]
    assert total["อำเภอ"] == "รวม"
    assert body["อำเภอ"].tolist() == ["เมืองอุบลราชธานี", "ศรีเมืองใหม่"]
    for col in df.columns[2:]:
        assert total[col] == body[col].sum()
    assert body["จำนวนครัวเรือนเป้าหมาย (ครัวเรือน)"].tolist() == [2, 1]
    assert body["จำนวนสมาชิกในบ้าน (คน)"].tolist() == [3, 2]
    # A: both members deprived through I3; E: its head through L2; C: only the child (E1)
    assert body["จำนวนคนจนเป้าหมาย TPMAP (คน)"].tolist() == [3, 1]
    assert body["จำนวนผู้ถือบัตรสวัสดิการแห่งรัฐ (คน)"].tolist() == [2, 0]


def test_register_prints_thai_table_and_filters_within(runs):
    res = CliRunner().invoke(
        main,
        ["register", "--run", str(runs[2568]), "--level", "village", "--within", "3402"],
        env={"COLUMNS": "300"},
    )
    assert res.exit_code == 0, res.output
    assert "หมู่ที่ 1 ต." in res.output and "รวม" in res.output
    assert "หมู่ที่ 2" not in res.output  # village 2 is in district 3401


def test_register_within_an_area_outside_the_run_is_bad_input(runs):
    res = CliRunner().invoke(
        main, ["register", "--run", str(runs[2568]), "--level", "district", "--within", "10"]
    )
    assert res.exit_code == 1
    assert "inside area 10" in res.output


def test_mpi_json_matches_the_engine(runs):
    res = CliRunner().invoke(main, ["mpi", "--run", str(runs[2568]), "--json", "--k", "1/20"])
    assert res.exit_code == 0, res.output
    (row,) = json.loads(res.output)
    assert row["k"] == "1/20"
    # all 3 targets are poor at k = 1/20 (each deprived in exactly one indicator)
    assert row["poor_households"] == 3 and row["poor_persons"] == 5 and row["persons"] == 7
    assert row["H"] == pytest.approx(5 / 7)
    # scores: A I3 = 1/15 (2 persons), C E1 = 1/20 (2), E L2 = 1/20 (1)
    m0 = (2 * (1 / 15) + 2 * (1 / 20) + 1 * (1 / 20)) / 7
    assert row["M0"] == pytest.approx(m0, rel=1e-12)
    assert row["pct_I3"] == pytest.approx(100 * (2 / 15) / (2 / 15 + 3 / 20), rel=1e-12)
    assert sum(row[f"pct_{c}"] for c in ("I3", "L2", "E1")) == pytest.approx(100)


def test_mpi_by_life_stage_and_default_k(runs):
    res = CliRunner().invoke(
        main, ["mpi", "--run", str(runs[2568]), "--by", "life_stage", "--json"]
    )
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert [r["life_stage"] for r in rows] == [
        "early_childhood",
        "school_age",
        "adolescent",
        "working_age",
        "elderly",
    ]
    assert all(r["poor_persons"] == 0 for r in rows)  # nobody reaches k = 1/3


@pytest.mark.parametrize("k", ["0", "1.5", "abc"])
def test_mpi_rejects_bad_k(runs, k):
    res = CliRunner().invoke(main, ["mpi", "--run", str(runs[2568]), "--k", k])
    assert res.exit_code == 1, res.output


def test_compare_counts_escaped_still_newly(runs):
    res = CliRunner().invoke(
        main, ["compare", "--before", str(runs[2567]), "--after", str(runs[2568]), "--json"]
    )
    assert res.exit_code == 0, res.output
    (row,) = json.loads(res.output)
    assert row["still_I3"] == 1
    assert row["escaped_L1"] == 1
    assert row["escaped_L4"] == 1
    assert row["newly_E1"] == 1
    assert row["newly_L2"] == 1
    # targets: A and C stay, B escapes, E falls in
    assert (row["escaped_target"], row["still_target"], row["newly_target"]) == (1, 2, 1)
    assert row["households_before"] == row["households_after"] == 5


def test_compare_wrong_order_is_bad_input(runs):
    res = CliRunner().invoke(
        main, ["compare", "--before", str(runs[2568]), "--after", str(runs[2567])]
    )
    assert res.exit_code == 1
    assert "earlier year goes first" in res.output


def test_usage_errors_exit_2(runs):
    runner = CliRunner()
    assert runner.invoke(main, ["compute", "--input", "x"]).exit_code == 2  # no --out
    assert (
        runner.invoke(main, ["register", "--run", str(runs[2568]), "--level", "x"]).exit_code == 2
    )
    assert runner.invoke(main, ["nope"]).exit_code == 2


def test_missing_run_is_bad_input(tmp_path):
    res = CliRunner().invoke(main, ["register", "--run", str(tmp_path / "none")])
    assert res.exit_code == 1
    assert "no engine run" in res.output


def test_failed_compute_leaves_nothing_behind(tmp_path):
    src = tmp_path / "bad"
    src.mkdir()
    (src / "households.csv").write_text("survey_year,hh_id\n2568,A\n", encoding="utf-8")
    (src / "members.csv").write_text("survey_year,hh_id,member_no\n2568,A,1\n", encoding="utf-8")
    out = tmp_path / "runs" / "2568"
    res = CliRunner().invoke(main, ["compute", "--input", str(src), "--out", str(out)])
    assert res.exit_code == 1
    assert not out.exists()
    assert not (tmp_path / "runs").exists() or list((tmp_path / "runs").iterdir()) == []


def test_help_everywhere():
    runner = CliRunner()
    for cmd in ("generate", "validate", "compute", "register", "mpi", "compare"):
        res = runner.invoke(main, [cmd, "--help"])
        assert res.exit_code == 0, (cmd, res.output)
        assert "--help" in res.output


def test_the_installed_program_computes_and_keeps_its_exit_codes(tmp_path):
    """`cheepao` as installed (the `run` entry point, which freezes the heap on the way out):
    a real computation writes its run and exits 0, bad input exits 1, usage errors exit 2."""
    import subprocess
    import sys

    program = str(Path(sys.executable).parent / "cheepao")
    src = _write(tmp_path / "2568", *year_data(2568))
    out = tmp_path / "run"

    def call(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([program, *args], capture_output=True, text=True, timeout=300)

    done = call("compute", "--input", str(src), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert json.loads((out / "manifest.json").read_text())["row_counts"]["target_households"] == 3

    def tree() -> dict[str, bytes]:
        return {str(p): p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}

    before = tree()
    missing = call("register", "--run", str(tmp_path / "none"))
    assert missing.returncode == 1
    assert "no engine run" in missing.stdout + missing.stderr
    usage = call("compute", "--input", str(src))  # no --out
    assert usage.returncode == 2
    assert "--out" in usage.stderr
    assert tree() == before  # the refusals wrote nothing and changed nothing


# ---------------------------------------------------------------- the CLI explains itself


def _row(output: str, label: str) -> list[str]:
    """The cells of the printed table row that starts with `label`."""
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip().strip("│").split("│")]
        if cells and cells[0] == label:
            return cells[1:]
    raise AssertionError(f"no row {label!r} in:\n{output}")


@pytest.fixture(scope="module")
def run_k20(runs, tmp_path_factory) -> Path:
    """2568 computed at k = 1/20, where every target household is also MPI-poor."""
    src = runs[2568].parent.parent / "survey" / "2568"
    out = tmp_path_factory.mktemp("k20") / "2568"
    res = CliRunner().invoke(
        main, ["compute", "--input", str(src), "--out", str(out), "--k", "1/20"]
    )
    assert res.exit_code == 0, res.output
    return out


def test_mpi_says_what_mpi_poor_and_tpmap_targets_count(runs):
    res = CliRunner().invoke(main, ["mpi", "--run", str(runs[2568])], env={"COLUMNS": "300"})
    assert res.exit_code == 0, res.output
    out = res.output
    # headers Thai over English
    for words in ("คน", "Persons", "H อัตราคนจน", "headcount ratio", "M0 ดัชนี MPI"):
        assert words in out, words
    # the two counts of the same people, side by side: nobody is poor at k = 1/3 (one
    # failing indicator each), 4 are TPMAP targets (A's two members, C's child, E's head)
    assert _row(out, "7") == ["0", "0", "0", "0", "4"]
    assert "คนจนตาม MPI ที่ k = 1/3 / MPI-poor at k = 1/3: 0 คน / persons" in out
    assert (
        "= everyone living in a household whose weighted deprivation score (the sum of the "
        "weights of the indicators it fails) is at least 1/3 (Alkire-Foster)." in out
    )
    assert "คนจนเป้าหมายตามเกณฑ์ TPMAP / Target persons by the TPMAP rule: 4 คน / persons" in out
    assert "= members of households failing at least 1 dimension who are themselves deprived" in out
    assert (
        "= a household failing one indicator scores only 1/20 to 1/10, below k = 1/3: it is a "
        "TPMAP target but not MPI-poor." in out
    )
    assert "ครัวเรือนที่ตกเกณฑ์ตัวชี้วัดเดียวได้คะแนนเพียง 1/20 ถึง 1/10 ต่ำกว่า k = 1/3" in out
    # indicators and dimensions by name, with their weights; no bare internal codes
    assert _row(out, "I3 รายได้")[:2] == ["รายได้ / Income", "1/15"]
    assert _row(out, "A2 ผู้พิการ")[:2] == ["การเข้าถึงบริการรัฐ / Access to public services", "1/10"]
    assert not re.search(r"│ (health|living|education|income|access) ", out)


def test_mpi_by_area_sets_the_tpmap_count_beside_each_group(runs):
    res = CliRunner().invoke(
        main,
        ["mpi", "--run", str(runs[2568]), "--by", "district", "--k", "1/20"],
        env={"COLUMNS": "300"},
    )
    assert res.exit_code == 0, res.output
    assert "อำเภอ" in res.output and "District" in res.output
    assert "MPI-poor at k = 1/20" in res.output
    # 3401: A (2 persons, score 1/15) and E (1, score 1/20) are poor at 1/20, of 4 persons:
    # A = (2/15 + 1/20) / 3, M0 = (2/15 + 1/20) / 4; targets: A's two members and E's head
    row = ["4", "3", "0.75", "0.0611111", "0.0458333", "3"]
    assert _row(res.output, "3401 เมืองอุบลราชธานี") == row
    # 3402: C (2 persons) poor; only C's child is a target
    assert _row(res.output, "3402 ศรีเมืองใหม่") == ["3", "2", "0.666667", "0.05", "0.0333333", "1"]
    # a group is explained as well as the whole run, without a count it does not have
    assert "คนจนเป้าหมายตามเกณฑ์ TPMAP / Target persons by the TPMAP rule\n" in res.output


def test_mpi_by_life_stage_names_the_stages(runs):
    res = CliRunner().invoke(
        main, ["mpi", "--run", str(runs[2568]), "--by", "life_stage"], env={"COLUMNS": "300"}
    )
    assert res.exit_code == 0, res.output
    # the child of C (4) and the child of A (12) are the targets below working age
    assert _row(res.output, "เด็กแรกเกิด/ปฐมวัย / Early childhood")[-1] == "1"
    assert _row(res.output, "วัยเรียน / School age")[-1] == "1"
    assert _row(res.output, "วัยผู้สูงอายุ / Elderly")[-1] == "1"  # E's head, 60


def test_register_prints_both_languages_and_the_mpi_count_of_the_same_areas(run_k20):
    res = CliRunner().invoke(
        main, ["register", "--run", str(run_k20), "--level", "district"], env={"COLUMNS": "300"}
    )
    assert res.exit_code == 0, res.output
    out = res.output
    for words in ("ครัวเรือนเป้าหมาย", "Target households", "คนจนเป้าหมาย", "Target persons"):
        assert words in out, words
    assert _row(out, "1")[0] == "เมืองอุบลราชธานี"
    assert "คนจนเป้าหมายตามเกณฑ์ TPMAP / Target persons by the TPMAP rule: 4 คน / persons" in out
    assert "คนจนตาม MPI ที่ k = 1/20 / MPI-poor at k = 1/20: 5 คน / persons" in out
    assert "Members = all members of target households" in out
    within = CliRunner().invoke(
        main,
        ["register", "--run", str(run_k20), "--level", "village", "--within", "3401"],
        env={"COLUMNS": "300"},
    )
    assert within.exit_code == 0, within.output
    assert "Target persons by the TPMAP rule: 3 คน / persons" in within.output
    assert "MPI-poor at k = 1/20: 3 คน / persons" in within.output


def test_mpi_and_register_of_a_run_without_targets(tmp_path):
    src = _write(
        tmp_path / "survey",
        [household("D", subdistrict="340201", village=3)],
        [member("D", 1, 50)],
    )
    out = tmp_path / "run"
    runner = CliRunner()
    assert runner.invoke(main, ["compute", "--input", str(src), "--out", str(out)]).exit_code == 0
    for args in (["mpi"], ["mpi", "--by", "life_stage"], ["register", "--level", "district"]):
        res = runner.invoke(main, [*args, "--run", str(out)], env={"COLUMNS": "300"})
        assert res.exit_code == 0, res.output
        assert "Target persons by the TPMAP rule" in res.output
    assert _row(res.output, "1")[-1] == "0"
    res = runner.invoke(
        main, ["mpi", "--by", "life_stage", "--run", str(out)], env={"COLUMNS": "300"}
    )
    assert _row(res.output, "วัยผู้ใหญ่/วัยแรงงาน / Working age")[-1] == "0"
