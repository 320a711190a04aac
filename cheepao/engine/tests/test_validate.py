"""Validation: each rule rejects exactly the rows that break it, and keeps every other row.

Run as a script for a throughput check on synthetic member rows (not a test):
    .venv/bin/python -m cheepao.engine.tests.test_validate --members 1000000
"""

from __future__ import annotations

import random
import string
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from stdnum.th import pin as stdnum_pin

from cheepao.cli import main
from cheepao.engine import contract, readers, validate
from cheepao.engine.readers import FileError
from cheepao.engine.tests.fixtures import survey as s

H, M = contract.HOUSEHOLDS, contract.MEMBERS
TODAY = date(2026, 1, 1)


def rejects(result: validate.ValidationResult) -> set[tuple]:
    """(table, row, column, code) of every reject."""
    return {(r["table"], r["row"], r["column"], r["code"]) for r in result.rejects.to_pylist()}


def run(tmp_path: Path, households: list, members: list, **kw) -> validate.ValidationResult:
    hp = s.write_csv(tmp_path / "households.csv", H, households)
    mp = s.write_csv(tmp_path / "members.csv", M, members)
    return validate.validate_survey(hp, mp, today=TODAY, **kw)


def keeps_row(record: dict) -> bool:
    """A problem that is reported but leaves its row in the computation (a member's PIN)."""
    codes = validate.KEEPS_ROW.get((record["table"], record["column"]), frozenset())
    return record["code"] in codes


def assert_accounted(result: validate.ValidationResult) -> None:
    """Nothing is lost: read = kept + rejected, every rejected row has a reject, and every
    row kept with something to correct has its record and its `data_problems`."""
    for name, table in (("households", result.households), ("members", result.members)):
        t = result.summary.tables[name]
        assert t.rows_read == t.rows_kept + t.rows_rejected
        assert table.num_rows == t.rows_kept
        records = [r for r in result.rejects.to_pylist() if r["table"] == name]
        rejected = {(r["file"], r["row"]) for r in records if not keeps_row(r)}
        to_correct = {(r["file"], r["row"]) for r in records if keeps_row(r)} - rejected
        assert len(rejected) == t.rows_rejected
        assert len(to_correct) == t.rows_to_correct
        if name == "members":
            flagged = table["data_problems"].drop_null()
            assert len(flagged) == t.rows_to_correct


# -------------------------------------------------------------------- PIN check digit


def _random_pins(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        body = "".join(rng.choice(string.digits) for _ in range(12))
        roll = rng.random()
        if roll < 0.4:
            out.append(body + stdnum_pin.calc_check_digit(body))
        elif roll < 0.7:
            out.append(body + rng.choice(string.digits))
        elif roll < 0.8:
            v = body + stdnum_pin.calc_check_digit(body)
            out.append(f"{v[0]}-{v[1:5]}-{v[5:10]}-{v[10:12]}-{v[12]}")
        else:
            alphabet = string.digits + " -\t\u00a0\u2013\uff11\u0e51ab"
            out.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16))))
    return out


def test_pin_check_matches_stdnum():
    edge = [
        "1101700230708",
        "1101700230701",
        "0101700230708",
        "9101700230708",
        "3100600445635",
        "1-2345-45678-78-1",
        "1-2345-45678-78-9",
        " 3100600445635 ",
        "3100600445635\n",
        "31006004456350",
        "310060044563",
        "",
        " ",
        "-",
        "abcdefghijklm",
        "๓๑๐๐๖๐๐๔๔๕๖๓๕",
        "\uff13100600445635",
        "3\u20131006\u201300445635",
        "3100600445635\x1c",
        "\t3100600445635",
        "3 1 0 0 6 0 0 4 4 5 6 3 5",
        "3100600445635-",
        "+3100600445635",
        "3100600445635.0",
    ]
    values = edge + _random_pins(20000, seed=1)
    got = validate.pin_valid(values)
    want = np.array([stdnum_pin.is_valid(v) for v in values])
    mismatch = [v for v, g, w in zip(values, got, want, strict=True) if g != w]
    assert not mismatch, mismatch[:10]
    assert want.sum() > 6000  # the sample holds plenty of both


def test_every_check_digit_position_is_caught():
    good = s.pin(123456)
    assert validate.pin_valid([good])[0]
    for i in range(13):
        for d in "0123456789":
            typo = good[:i] + d + good[i + 1 :]
            assert validate.pin_valid([typo])[0] == stdnum_pin.is_valid(typo), typo


# -------------------------------------------------------------------- one survey, every rule


def test_good_fixture_keeps_every_row():
    result = validate.validate_survey(
        s.FIXTURES / "households_good.csv", s.FIXTURES / "members_good.csv", today=TODAY
    )
    assert result.ok and result.rejects.num_rows == 0
    assert (result.households.num_rows, result.members.num_rows) == (3, 7)
    assert result.households.column_names == H.names
    assert result.members.column_names == [*M.names, "data_problems"]
    assert result.members["data_problems"].null_count == 7
    assert result.members.schema.field("birth_date").type == pa.date32()
    assert result.summary.tables["members"].rows_read == 7
    assert_accounted(result)


def _survey_with_every_problem():
    """Households H00.. each with a head (40) and a child (10) unless a case says otherwise.

    Returns households, members and the exact rejects expected, as
    (table, row, column, code); household rows start at 2, member rows at 2.
    """
    hh: list = []
    mb: list = []
    want: set = set()
    seq = iter(range(1, 10_000))

    def add_household(hh_id: str, members: int = 2, **cells) -> int:
        hh.append(s.household(hh_id, **cells))
        row = len(hh) + 1
        for no, age in list(enumerate((40, 10), start=1))[:members]:
            mb.append(s.member(hh_id, no, age, seq=next(seq)))
        return row

    def add_member(hh_id: str, no: int, years: int, **cells) -> int:
        mb.append(s.member(hh_id, no, years, seq=next(seq), **cells))
        return len(mb) + 1

    def rejected_household(row: int, column: str, code: str, hh_id: str, **cells) -> None:
        """A bad household row: its own reject, and both its members lose their household."""
        first_member = len(mb) + 2
        assert add_household(hh_id, **cells) == row
        want.add(("households", row, column, code))
        want.add(("members", first_member, "hh_id", "household_rejected"))
        want.add(("members", first_member + 1, "hh_id", "household_rejected"))

    add_household("H00")  # a plain good household
    # Household rules.
    rejected_household(3, "village_no", "not_integer", "H01", village_no="abc")
    rejected_household(4, "subdistrict_code", "missing_value", "H02", subdistrict_code="")
    rejected_household(5, "hh_id", "bad_format", "H 03!")
    want |= {("members", 8, "hh_id", "bad_format"), ("members", 9, "hh_id", "bad_format")}
    rejected_household(
        6, "subdistrict_code", "unknown_subdistrict", "H04", subdistrict_code="340102"
    )
    rejected_household(7, "subdistrict_code", "bad_format", "H05", subdistrict_code="34010")
    rejected_household(8, "village_no", "out_of_range", "H06", village_no="100")
    rejected_household(9, "lat", "out_of_range", "H07", lat="30.5")
    rejected_household(10, "income_main", "negative_amount", "H08", income_main="-5")
    rejected_household(11, "land_tenure", "unknown_code", "H09", land_tenure="castle")
    rejected_household(12, "food_fda_mark", "not_boolean", "H10", food_fda_mark="maybe")
    rejected_household(13, "house_code", "bad_format", "H11", house_code="1234")
    # A household filed under another year: its members (2568) find no household.
    assert add_household("H12", survey_year="2025") == 14
    want |= {
        ("households", 14, "survey_year", "out_of_range"),
        ("members", 26, "hh_id", "orphan_member"),
        ("members", 27, "hh_id", "orphan_member"),
    }
    # The same household twice: both copies go, and so do the members.
    rejected_household(15, "hh_id", "duplicate_household", "H13")
    hh.append(s.household("H13"))
    want.add(("households", 16, "hh_id", "duplicate_household"))
    # Households without a usable member.
    assert add_household("H14", members=0) == 17
    want.add(("households", 17, "hh_id", "no_members"))
    assert add_household("H15", members=0) == 18
    want.add(("households", 18, "hh_id", "no_members"))
    r = add_member("H15", 1, 40, sex="X")
    want.add(("members", r, "sex", "unknown_code"))
    # An amount above a trillion baht (here a national ID typed into it) is out of range.
    rejected_household(19, "income_other", "out_of_range", "H16", income_other="1234567890123")
    # Member rules; each member's household keeps its other, good member.
    cases = [
        (dict(pin="1101700230701"), "pin", "pin_check_digit"),
        (dict(pin="0101700230708"), "pin", "pin_first_digit"),
        (dict(pin="12345"), "pin", "bad_format"),
        (dict(age="130"), "age", "out_of_range"),
        (dict(age="forty"), "age", "not_integer"),
        (dict(first_name=""), "first_name", "missing_value"),
        (dict(relation="boss"), "relation", "unknown_code"),
        (dict(birth_date="2020-13-01"), "birth_date", "not_date"),
        (dict(birth_date="2000-01-01"), "age", "age_mismatch"),
        (dict(birth_date="2528-01-15"), "birth_date", "birth_date_future"),
        (dict(birth_date="1850-01-01"), "birth_date", "birth_date_too_early"),
        (dict(income_year="-1"), "income_year", "negative_amount"),
        (dict(income_year="1e13"), "income_year", "out_of_range"),
        (dict(exercise=""), "exercise", "missing_answer"),
        (dict(literacy=""), "literacy", "missing_answer"),
        (dict(disabled="true"), "disabled_cared", "missing_answer"),
        (dict(m3_graduate="true"), "continued_m4", "missing_answer"),
        (dict(welfare_card="ไม่แน่ใจ"), "welfare_card", "not_boolean"),
    ]
    for i, (cells, column, code) in enumerate(cases):
        hh_id = f"M{i:02d}"
        add_household(hh_id, members=1)
        r = add_member(hh_id, 2, 40, **cells)
        want.add(("members", r, column, code))
    # Answers by age: the child's own question left empty.
    for i, (age, column) in enumerate(
        [
            (0, "birth_weight_g"),
            (4, "preschool_care"),
            (10, "compulsory_schooling"),
            (70, "elderly_cared"),
        ]
    ):
        hh_id = f"A{i}"
        add_household(hh_id, members=1)
        r = add_member(hh_id, 2, age, **{column: ""})
        want.add(("members", r, column, "missing_answer"))
    # Not asked, so not missing: a toddler without exercise, an adult without schooling.
    add_household("N1", members=1)
    add_member("N1", 2, 3, exercise="", preschool_care="true")
    add_member("N1", 3, 30, compulsory_schooling="", preschool_care="")
    # A member number used twice in one household, a PIN used in two households.
    add_household("D1", members=1)
    r1 = add_member("D1", 2, 12)
    r2 = add_member("D1", 2, 14)
    want |= {
        ("members", r1, "member_no", "duplicate_member"),
        ("members", r2, "member_no", "duplicate_member"),
    }
    add_household("D2", members=1)
    add_household("D3", members=1)
    r1 = add_member("D2", 2, 30, pin=s.pin(999_001))
    r2 = add_member("D3", 2, 30, pin=s.pin(999_001))
    want |= {("members", r1, "pin", "duplicate_pin"), ("members", r2, "pin", "duplicate_pin")}
    # A member whose household is not in the file.
    r = add_member("ZZ", 1, 40)
    want.add(("members", r, "hh_id", "orphan_member"))
    # A malformed line among the members.
    line = s.csv_text(M, [s.member("D3", 3, 9)]).splitlines()[1] + ",surplus"
    mb.append(line)
    want.add(("members", len(mb) + 1, None, "malformed_line"))
    return hh, mb, want


def test_every_rule_rejects_exactly_its_rows(tmp_path):
    hh, mb, want = _survey_with_every_problem()
    result = run(tmp_path, hh, mb)
    got = rejects(result)
    assert got == want, (sorted(got - want, key=str), sorted(want - got, key=str))
    assert_accounted(result)
    kept = {"pin_check_digit", "pin_first_digit", "duplicate_pin", "bad_format"}
    rows_bad_h = {r for t, r, _, _ in want if t == "households"}
    rows_bad_m = {
        r for t, r, c, code in want if t == "members" and not (c == "pin" and code in kept)
    }
    assert result.households.num_rows == len(hh) - len(rows_bad_h)
    assert result.members.num_rows == len(mb) - len(rows_bad_m)
    assert not result.ok
    # Every reason code used has both messages, and every record carries them.
    for r in result.rejects.to_pylist():
        assert r["reason_en"] and r["reason_th"], r
        assert r["file"].endswith(f"{r['table']}.csv")


def test_messages_name_the_other_rows_and_the_household(tmp_path):
    hh, mb, _ = _survey_with_every_problem()
    result = run(tmp_path, hh, mb)
    by = {(r["table"], r["row"], r["code"]): r for r in result.rejects.to_pylist()}
    assert by["households", 15, "duplicate_household"]["reason_en"].endswith("also in row 16")
    assert by["households", 16, "duplicate_household"]["reason_th"].endswith("ซ้ำกับแถว 15")
    assert by["households", 17, "no_members"]["reason_en"].endswith("no member row has this hh_id")
    assert by["households", 18, "no_members"]["reason_en"].endswith(
        "all 1 member rows were rejected"
    )
    gone = by["members", 4, "household_rejected"]
    assert gone["value"] == "H01"
    assert gone["reason_en"].endswith("household row 3 (not_integer)")
    mismatch = next(r for r in result.rejects.to_pylist() if r["code"] == "age_mismatch")
    assert mismatch["reason_en"].endswith("birth date 2000-01-01 gives age 25 on 2025-03-01")
    future = next(r for r in result.rejects.to_pylist() if r["code"] == "birth_date_future")
    assert "Buddhist Era" in future["reason_en"] and "พ.ศ." in future["reason_th"]
    missing = next(r for r in result.rejects.to_pylist() if r["column"] == "exercise")
    assert "H4" in missing["reason_en"] and "H4" in missing["reason_th"]
    big = by["households", 19, "out_of_range"]
    assert big["value"] == "1234567890123"
    assert big["reason_en"] == "income_other must be from 0 to 1,000,000,000,000."
    assert big["reason_th"] == "รายได้อื่น (income_other) ต้องอยู่ระหว่าง 0 ถึง 1,000,000,000,000"
    broken = next(r for r in result.rejects.to_pylist() if r["code"] == "malformed_line")
    assert broken["value"].endswith(",surplus") and "fields" in broken["reason_en"]


def test_summary_counts(tmp_path):
    hh, mb, want = _survey_with_every_problem()
    result = run(tmp_path, hh, mb)
    sm = result.summary
    assert sm.tables["households"].rows_read == len(hh)
    assert sm.tables["members"].rows_read == len(mb)
    assert sum(sm.problems.values()) == result.rejects.num_rows == len(want)
    gone = sum(1 for w in want if w[3] == "household_rejected")
    assert sm.problems["household_rejected"] == gone == 26
    assert list(sm.problems.values()) == sorted(sm.problems.values(), reverse=True)
    assert sm.top[0] == {
        "table": "members",
        "code": "household_rejected",
        "column": "hh_id",
        "count": gone,
    }
    assert sm.catalogue == "tpmap_mpi_17@v2"
    assert sm.as_dict()["tables"]["members"]["rows_kept"] == result.members.num_rows


def test_a_kept_household_may_lose_some_members(tmp_path):
    hh = [s.household("H1")]
    mb = [s.member("H1", 1, 40), s.member("H1", 2, 10, sex="?")]
    result = run(tmp_path, hh, mb)
    assert rejects(result) == {("members", 3, "sex", "unknown_code")}
    assert result.households.num_rows == 1
    assert result.summary.households_missing_members == 1


def test_a_bad_national_id_keeps_the_member_and_says_what_to_correct(tmp_path):
    """Issue 9 item 12: a PIN problem is reported with file, row and column, and the member
    stays in every computation; only rows that cannot be placed in a household, or that
    break a rule about an answer, are set aside."""
    hh = [s.household("H1"), s.household("H2")]
    mb = [
        s.member("H1", 1, 40, seq=1),
        s.member("H1", 2, 38, seq=2, pin="1101700230701"),  # check digit should be 8
        s.member("H1", 3, 12, seq=3, pin="0101700230708"),  # starts with 0
        s.member("H2", 1, 40, seq=4, pin="12345"),  # not a PIN at all
        s.member("H2", 2, 38, seq=5, pin=s.pin(777)),
        s.member("H2", 3, 36, seq=6, pin=s.pin(777)),  # the same PIN twice
        s.member("H2", 4, 30, seq=7, pin="1101700230702", sex="X"),  # also a bad answer
    ]
    result = run(tmp_path, hh, mb)
    assert rejects(result) == {
        ("members", 3, "pin", "pin_check_digit"),
        ("members", 4, "pin", "pin_first_digit"),
        ("members", 5, "pin", "bad_format"),
        ("members", 6, "pin", "duplicate_pin"),
        ("members", 7, "pin", "duplicate_pin"),
        ("members", 8, "pin", "pin_check_digit"),
        ("members", 8, "sex", "unknown_code"),
    }
    assert_accounted(result)
    members = result.summary.tables["members"]
    assert (members.rows_kept, members.rows_rejected, members.rows_to_correct) == (6, 1, 5)
    kept = result.members.to_pylist()
    assert [(m["hh_id"], m["member_no"]) for m in kept] == [
        ("H1", 1), ("H1", 2), ("H1", 3), ("H2", 1), ("H2", 2), ("H2", 3)
    ]  # fmt: skip
    assert [m["data_problems"] for m in kept] == [
        None, "pin_check_digit", "pin_first_digit", "bad_format", "duplicate_pin",
        "duplicate_pin",
    ]  # fmt: skip
    # a typed 13-digit number is kept for the team to check; what is not a PIN is emptied
    assert [m["pin"] for m in kept][1:4] == ["1101700230701", "0101700230708", None]
    by = {(r["row"], r["column"]): r for r in result.rejects.to_pylist()}
    assert by[3, "pin"]["value"] == "1101700230701"
    assert by[3, "pin"]["file"].endswith("members.csv")
    assert by[3, "pin"]["reason_en"].endswith("The member is kept and counted; correct the ID.")
    assert by[3, "pin"]["reason_th"].endswith("ยังนับสมาชิกคนนี้ตามปกติ แต่ต้องแก้ไขเลขประจำตัวประชาชน")
    assert by[5, "pin"]["value"] == "12345"
    assert by[6, "pin"]["reason_en"] == (
        "The same national ID (PIN) is given to more than one member in this survey year: "
        "also in row 7. The member is kept and counted; correct the ID."
    )
    # a row set aside for another reason does not say it is kept
    assert "kept" not in by[8, "pin"]["reason_en"]
    assert "ยังนับ" not in by[8, "pin"]["reason_th"]


def test_duplicates_are_per_survey_year(tmp_path):
    hh = [s.household("H1"), s.household("H1", survey_year="2569")]
    mb = [
        s.member("H1", 1, 40, seq=1),
        s.member("H1", 1, 41, seq=1, survey_year="2569", birth_date="1985-01-15"),
    ]
    result = run(tmp_path, hh, mb)
    assert result.ok, result.rejects.to_pylist()
    assert result.members.num_rows == 2


def test_same_survey_from_xlsx_and_parquet(tmp_path):
    hh, mb, want = _survey_with_every_problem()
    mb = [r for r in mb if not isinstance(r, str)]  # no broken lines in a workbook
    want = {w for w in want if w[3] != "malformed_line"}
    csv_result = run(tmp_path, hh, mb)
    assert rejects(csv_result) == want
    hx = s.write_xlsx(tmp_path / "households.xlsx", H, hh)
    mx = s.write_xlsx(tmp_path / "members.xlsx", M, mb)
    xlsx_result = validate.validate_survey(hx, mx, today=TODAY)
    assert rejects(xlsx_result) == want
    assert xlsx_result.members.equals(csv_result.members)
    assert xlsx_result.households.equals(csv_result.households)
    # The same text in Parquet files.
    for name, spec, rows in (("households", H, hh), ("members", M, mb)):
        t = pa.table({c: pa.array([r[c] for r in rows], pa.string()) for c in spec.names})
        pq.write_table(t, tmp_path / f"{name}.parquet")
    pq_result = validate.validate_survey(
        tmp_path / "households.parquet", tmp_path / "members.parquet", today=TODAY
    )
    assert rejects(pq_result) == want
    assert pq_result.members.equals(csv_result.members)


def test_duplicates_across_parquet_files_name_the_file(tmp_path):
    typed = readers.read(s.FIXTURES / "members_good.csv", M).table.select(M.names)
    (tmp_path / "m").mkdir()
    pq.write_table(typed, tmp_path / "m" / "a.parquet")
    pq.write_table(typed.slice(0, 1), tmp_path / "m" / "b.parquet")
    result = validate.validate_survey(
        s.FIXTURES / "households_good.csv", tmp_path / "m", today=TODAY
    )
    dup = {(Path(r["file"]).name, r["row"], r["code"]) for r in result.rejects.to_pylist()}
    assert dup == {
        ("a.parquet", 2, "duplicate_member"),
        ("a.parquet", 2, "duplicate_pin"),
        ("b.parquet", 2, "duplicate_member"),
        ("b.parquet", 2, "duplicate_pin"),
    }
    text = next(
        r["reason_en"]
        for r in result.rejects.to_pylist()
        if r["code"] == "duplicate_pin" and r["file"].endswith("a.parquet")
    )
    assert text.endswith(f"also in row {tmp_path / 'm' / 'b.parquet'}:2")
    assert result.members.num_rows == 6


def test_in_memory_tables(tmp_path):
    h = readers.read(s.FIXTURES / "households_good.csv", H).table.select(H.names)
    m = readers.read(s.FIXTURES / "members_good.csv", M).table.select(M.names)
    result = validate.validate_survey(h, m, today=TODAY)
    assert result.ok
    assert result.members.select(M.names).equals(m)
    # Without their households, every member is an orphan; nothing else breaks.
    result = validate.validate_survey(h.slice(0, 0), m, today=TODAY)
    assert result.summary.problems == {"orphan_member": 7}
    assert result.members.num_rows == 0


def test_missing_column_stops_everything(tmp_path):
    path = s.write_csv(
        tmp_path / "members.csv",
        M,
        [s.member("H001", 1, 44)],
        columns=[c for c in M.names if c != "age"],
    )
    with pytest.raises(FileError) as e:
        validate.validate_survey(s.FIXTURES / "households_good.csv", path)
    assert e.value.code == "missing_column" and "age" in e.value.en


def test_generated_survey_validates_clean(tmp_path):
    synth = pytest.importorskip("cheepao.cli.generate")
    runner = CliRunner()
    out = tmp_path / "survey"
    args = [
        "generate",
        "--province",
        "34",
        "--scale",
        "tiny",
        "--years",
        "2568",
        "--out",
        str(out),
        "--format",
        "csv",
    ]
    result = runner.invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert synth
    year = out / "2568"
    checked = validate.validate_survey(
        next(year.glob("households.*")), next(year.glob("members.*"))
    )
    assert checked.rejects.num_rows == 0, checked.rejects.slice(0, 5).to_pylist()
    assert checked.members.num_rows > 100


# -------------------------------------------------------------------- the command


def _cli(*args: str):
    return CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)


def test_cli_clean_survey(tmp_path):
    out = tmp_path / "rejects.csv"
    r = _cli(
        "--households",
        str(s.FIXTURES / "households_good.csv"),
        "--members",
        str(s.FIXTURES / "members_good.csv"),
        "--rejects",
        str(out),
    )
    assert r.exit_code == 0, r.output
    assert "members" in r.output and "7" in r.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:].decode("utf-8").splitlines() == [
        "file,row,table,column,value,code,reason_en,reason_th"
    ]


def test_cli_rejects(tmp_path):
    hh, mb, want = _survey_with_every_problem()
    hp = s.write_csv(tmp_path / "households.csv", H, hh)
    mp = s.write_csv(tmp_path / "members.csv", M, mb)
    r = _cli("--households", str(hp), "--members", str(mp))
    assert r.exit_code == 1, r.output
    assert "household_rejected" in r.output
    out = tmp_path / "rejects.csv"  # the default: next to the members file
    import csv

    text = out.read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == len(want)
    got = {(x["table"], int(x["row"]), x["column"] or None, x["code"]) for x in rows}
    assert got == want
    thai = next(x for x in rows if x["code"] == "unknown_subdistrict")
    assert thai["reason_th"] == "ไม่มีตำบลที่ใช้รหัสนี้ (รหัสตำบลของกรมการปกครอง)"
    assert thai["value"] == "340102" and thai["file"] == str(hp)


def test_cli_keeps_a_member_whose_national_id_is_to_correct(tmp_path):
    hp = s.write_csv(tmp_path / "households.csv", H, [s.household("H1")])
    mp = s.write_csv(
        tmp_path / "members.csv",
        M,
        [s.member("H1", 1, 40, seq=1), s.member("H1", 2, 38, seq=2, pin="1101700230701")],
    )
    r = _cli("--households", str(hp), "--members", str(mp))
    assert r.exit_code == 1, r.output  # something to do before the data is right
    assert "1 rows kept with a national ID to correct" in r.output
    assert "rows rejected" not in r.output
    import csv

    text = (tmp_path / "rejects.csv").read_bytes().decode("utf-8-sig")
    (row,) = list(csv.DictReader(text.splitlines()))
    assert (row["file"], row["row"], row["column"], row["value"], row["code"]) == (
        str(mp), "3", "pin", "1101700230701", "pin_check_digit"
    )  # fmt: skip


def test_cli_file_error_writes_nothing(tmp_path):
    mp = s.write_csv(
        tmp_path / "members.csv",
        M,
        [s.member("H001", 1, 44)],
        columns=[c for c in M.names if c != "sex"],
    )
    r = _cli("--households", str(s.FIXTURES / "households_good.csv"), "--members", str(mp))
    assert r.exit_code == 1
    assert str(mp) in r.output and "sex" in r.output
    assert not (tmp_path / "rejects.csv").exists()


def test_cli_usage_errors(tmp_path):
    assert _cli("--households", str(s.FIXTURES / "households_good.csv")).exit_code == 2
    assert (
        _cli(
            "--households",
            str(tmp_path / "nope.csv"),
            "--members",
            str(s.FIXTURES / "members_good.csv"),
        ).exit_code
        == 2
    )
    assert (
        _cli(
            "--households",
            str(s.FIXTURES / "households_good.csv"),
            "--members",
            str(s.FIXTURES / "members_good.csv"),
            "--catalogue",
            "no_such_set",
        ).exit_code
        == 2
    )
    assert _cli("--bogus").exit_code == 2
    r = _cli("--help")
    assert r.exit_code == 0 and "--rejects" in r.output and "--catalogue" in r.output


# -------------------------------------------------------------------- throughput (script)


def synthetic_survey(households: int, seed: int = 0) -> tuple[pa.Table, pa.Table]:
    """Valid typed tables, built with numpy alone (fast enough for millions of rows)."""
    rng = np.random.default_rng(seed)
    codes = np.asarray(validate.valid_subdistricts().to_pylist())
    ids = np.char.add("H", np.arange(households).astype(str))
    size = rng.integers(1, 6, households)
    n = int(size.sum())
    owner = np.repeat(np.arange(households), size)
    member_no = np.arange(n) - np.repeat(np.cumsum(size) - size, size) + 1
    age = rng.integers(0, 95, n)
    reference = np.datetime64("2025-03-01")
    birth = reference - (age * 365.25 + rng.integers(1, 360, n)).astype("timedelta64[D]")
    # Distinct PIN bodies from an affine permutation, then stdnum's check digit.
    x = (np.arange(n, dtype=np.int64) * 982451653 + 12345) % (8 * 10**11) + 10**11
    digits = (x[:, None] // (10 ** np.arange(11, -1, -1, dtype=np.int64))) % 10
    check = (11 - (digits * np.arange(13, 1, -1)).sum(1) % 11) % 10
    pins = np.frombuffer(
        (np.hstack([digits, check[:, None]]) + 48).astype(np.uint8).tobytes(), dtype="S13"
    ).astype(str)

    def answer(applies):
        return np.where(applies, rng.random(n) < 0.9, None)

    hcols = {
        "survey_year": np.full(households, 2568),
        "hh_id": ids,
        "subdistrict_code": rng.choice(codes, households),
        "village_no": rng.integers(1, 20, households),
        "house_no": np.arange(households).astype(str),
        "income_main": np.round(rng.random(households) * 200000, 2),
        **{
            c: np.zeros(households)
            for c in ("income_secondary", "income_other", "income_own_production")
        },
        **{c.name: rng.random(households) < 0.9 for c in H.columns if c.type == contract.BOOL},
    }
    mcols = {
        "survey_year": np.full(n, 2568),
        "hh_id": ids[owner],
        "member_no": member_no,
        "pin": pins,
        "title": np.where(rng.random(n) < 0.5, "นาย", "นาง"),
        "first_name": np.char.add("สมชาย", (np.arange(n) % 997).astype(str)),
        "last_name": np.char.add("ใจดี", (np.arange(n) % 991).astype(str)),
        "sex": np.where(rng.random(n) < 0.5, "M", "F"),
        "birth_date": birth,
        "age": age,
        "relation": np.where(member_no == 1, "head", "child"),
        "education": rng.choice(list(contract.EDUCATION), n),
        "student_status": np.full(n, "none"),
        "occupation": np.full(n, "ทำนา"),
        "has_occupation": rng.random(n) < 0.7,
        "income_year": np.round(rng.random(n) * 100000, 2),
        "disabled": np.zeros(n, bool),
        "self_care": np.ones(n, bool),
        "chronic_illness": np.zeros(n, bool),
        "welfare_card": rng.random(n) < 0.3,
        "newborn": age == 0,
        "birth_weight_g": np.where(age == 0, rng.integers(2000, 4000, n), None),
        "exercise": answer(age >= 6),
        "preschool_care": answer((age >= 3) & (age <= 5)),
        "compulsory_schooling": answer((age >= 6) & (age <= 14)),
        "m3_graduate": np.zeros(n, bool),
        "literacy": answer((age >= 15) & (age <= 59)),
        "elderly_cared": answer(age >= 60),
    }

    def table(spec: contract.Table, cols: dict, rows: int) -> pa.Table:
        out = {}
        for c in spec.columns:
            t = c.arrow
            v = cols.get(c.name)
            if v is None:
                out[c.name] = pa.nulls(rows, t)
            elif c.type == contract.MONEY:  # drawn as doubles with two decimals
                out[c.name] = pa.array(v).cast(pa.decimal128(38, 2)).cast(t)
            else:
                out[c.name] = pa.array(v, t)
        return pa.table(out)

    return table(H, hcols, households), table(M, mcols, n)


def _throughput(members: int, workdir: Path) -> None:
    import time

    import pyarrow.csv as pcsv

    h, m = synthetic_survey(max(1, members // 3))
    hp, mp = workdir / "households.csv", workdir / "members.csv"
    options = pcsv.WriteOptions(quoting_style="none")
    pcsv.write_csv(h, hp, options)
    pcsv.write_csv(m, mp, options)
    hh = readers.read(hp, H)
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        result = validate.validate_survey(hh, mp)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        rows = result.summary.tables["members"].rows_read
        print(
            f"{rows:,} member rows read and validated (households already read): "
            f"{wall:.2f} s wall, {cpu:.2f} s CPU -> {rows / wall:,.0f} rows/s "
            f"({rows / cpu:,.0f} rows per CPU-second); rejects: {result.rejects.num_rows}"
        )


if __name__ == "__main__":
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[2])
    parser.add_argument("--members", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        _throughput(args.members, Path(d))
