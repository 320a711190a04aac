"""`cheepao generate` end to end through click."""

from __future__ import annotations

import csv

import pyarrow.parquet as pq
from click.testing import CliRunner

from cheepao.cli import main
from cheepao.engine import contract


def test_generate_parquet(tmp_path):
    out = tmp_path / "survey"
    r = CliRunner().invoke(
        main,
        [
            "generate",
            "--province",
            "34",
            "--scale",
            "tiny",
            "--seed",
            "1",
            "--years",
            "2567,2568",
            "--out",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "households" in r.output and "persons" in r.output
    for y in ("2567", "2568"):
        assert pq.read_schema(out / y / "households.parquet").names == contract.HOUSEHOLDS.names
        assert pq.read_schema(out / y / "members.parquet").names == contract.MEMBERS.names


def test_generate_csv(tmp_path):
    r = CliRunner().invoke(
        main,
        [
            "generate",
            "--province",
            "34",
            "--scale",
            "tiny",
            "--years",
            "2568",
            "--format",
            "csv",
            "--out",
            str(tmp_path),
        ],
    )
    assert r.exit_code == 0, r.output
    with open(tmp_path / "2568" / "members.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == contract.MEMBERS.names
    assert {r["disabled"] for r in rows} == {"true", "false"}
    assert "" in {r["elderly_cared"] for r in rows}, "null is an empty cell"
    assert all(len(r["birth_date"]) == 10 and r["birth_date"][4] == "-" for r in rows)
    assert (tmp_path / "2568" / "households.csv").exists()


def test_usage_error_exits_2(tmp_path):
    r = CliRunner().invoke(main, ["generate", "--scale", "galactic", "--out", str(tmp_path)])
    assert r.exit_code == 2


def test_unknown_province_exits_1(tmp_path):
    r = CliRunner().invoke(
        main, ["generate", "--province", "99", "--scale", "tiny", "--out", str(tmp_path)]
    )
    assert r.exit_code == 1
    assert "unknown province code '99'" in r.output


def test_bad_years_exit_1(tmp_path):
    r = CliRunner().invoke(
        main,
        [
            "generate",
            "--province",
            "34",
            "--scale",
            "tiny",
            "--years",
            "2025",
            "--out",
            str(tmp_path),
        ],
    )
    assert r.exit_code == 1
    assert "did you mean 2568" in r.output


def test_help_lists_options():
    r = CliRunner().invoke(main, ["generate", "--help"])
    assert r.exit_code == 0
    for opt in ("--province", "--scale", "--seed", "--years", "--out", "--format"):
        assert opt in r.output
