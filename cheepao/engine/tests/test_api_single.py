"""api.find_surveyed_persons: any surveyed person by PIN, from the run's own input files."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cheepao.engine import api
from cheepao.engine.tests.factories import household, member

PIN_A = "1101700207030"
PIN_B = "3340111701921"
PIN_C = "1340109607347"


def _run(tmp_path, households: pd.DataFrame, members: pd.DataFrame, fmt: str) -> api.Run:
    """A run directory whose manifest names the given inputs, as pipeline.py writes it."""
    inputs = {}
    for name, df in (("households", households), ("members", members)):
        path = tmp_path / f"{name}.{fmt}"
        if fmt == "parquet":
            df.to_parquet(path, index=False)
        else:
            df.to_csv(path, index=False)
        inputs[name] = [{"path": str(path), "sha256": "x"}]
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "manifest.json").write_text(
        json.dumps({"survey_year": 2568, "inputs": inputs}), encoding="utf-8"
    )
    return api.open_run(run_dir)


def _survey() -> tuple[pd.DataFrame, pd.DataFrame]:
    hh = pd.DataFrame(
        [
            household("H1", subdistrict="340101", village=3, house_no="12/1"),
            household("H2", subdistrict="340205", village=7),
        ]
    )
    mb = pd.DataFrame(
        [
            member("H1", 1, 40, pin=PIN_A, first_name="สมชาย", last_name="ใจดี"),
            member("H1", 2, 10, pin=None),
            member("H2", 1, 70, pin=PIN_B),
        ]
    )
    return hh, mb


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_finds_surveyed_persons_with_their_village(tmp_path, fmt):
    hh, mb = _survey()
    if fmt == "csv":  # PINs as offices type them
        mb["pin"] = mb["pin"].map(
            lambda p: f"{p[0]}-{p[1:5]}-{p[5:10]}-{p[10:12]}-{p[12]}" if isinstance(p, str) else p
        )
    run = _run(tmp_path, hh, mb, fmt)

    found = api.find_surveyed_persons(run, [PIN_A, "3-3401-11701-92-1", PIN_C])

    assert list(found.columns) == list(api.SURVEYED_PERSON_COLUMNS)
    assert found[["hh_id", "member_no", "pin", "first_name", "last_name"]].values.tolist() == [
        ["H1", 1, PIN_A, "สมชาย", "ใจดี"],
        ["H2", 1, PIN_B, "ชื่อ1", "ทดสอบ"],
    ]
    assert found.subdistrict_code.tolist() == ["340101", "340205"]
    assert found.village_no.tolist() == [3, 7]
    assert found.house_no.iloc[0] == "12/1"


def test_no_pins_and_unknown_pins_give_an_empty_frame(tmp_path):
    hh, mb = _survey()
    run = _run(tmp_path, hh, mb, "parquet")
    assert api.find_surveyed_persons(run, []).empty
    assert api.find_surveyed_persons(run, [PIN_C, "  "]).empty


def test_other_survey_years_in_the_same_file_are_not_matched(tmp_path):
    hh, mb = _survey()
    hh2 = pd.DataFrame([household("H9", year=2567)])
    mb2 = pd.DataFrame([member("H9", 1, 30, year=2567, pin=PIN_C)])
    run = _run(tmp_path, pd.concat([hh, hh2]), pd.concat([mb, mb2]), "parquet")
    assert api.find_surveyed_persons(run, [PIN_C]).empty


def test_a_missing_input_file_is_an_error_not_an_empty_answer(tmp_path):
    hh, mb = _survey()
    run = _run(tmp_path, hh, mb, "parquet")
    (tmp_path / "members.parquet").unlink()
    with pytest.raises(api.RunNotFound):
        api.find_surveyed_persons(run, [PIN_A])
