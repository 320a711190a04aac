"""Readers: every format lands in the same typed table, and no cell or line goes missing."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cheepao.engine import contract, readers
from cheepao.engine.readers import FileError
from cheepao.engine.readers import csv as csv_reader
from cheepao.engine.tests.fixtures import survey as s

H, M = contract.HOUSEHOLDS, contract.MEMBERS


def problems(rr: readers.ReadResult) -> set[tuple]:
    """(row, column, value, code) of every problem."""
    return {(r["row"], r["column"], r["value"], r["code"]) for r in rr.problems.to_pylist()}


def test_good_csv_is_typed_by_the_contract_and_numbered_like_the_file():
    rr = readers.read(s.FIXTURES / "members_good.csv", M)
    t = rr.table
    assert rr.rows_read == t.num_rows == 7
    assert rr.problems.num_rows == 0
    assert t.column_names == [*M.names, "_file", "_row"]
    for c in M.columns:
        assert t.schema.field(c.name).type == c.arrow, c.name
    assert t["_row"].to_pylist() == list(range(2, 9))
    assert set(t["_file"].cast(pa.string()).to_pylist()) == {str(s.FIXTURES / "members_good.csv")}
    first = t.slice(0, 1).to_pylist()[0]
    assert first["birth_date"] == date(1981, 1, 15)
    assert first["age"] == 44 and first["exercise"] is True and first["pregnant"] is None
    assert first["first_name"] == "สมชาย"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("FALSE", False),
        ("1", True),
        ("0", False),
        ("Yes", True),
        ("no", False),
        ("Y", True),
        ("n", False),
        ("t", True),
        ("F", False),
        ("ใช่", True),
        ("ไม่ใช่", False),
        ("มี", True),
        ("ไม่มี", False),
        ("  TrUe ", True),
        (" ไม่มี\t", False),
        ("", None),
        ("   ", None),
    ],
)
def test_boolean_spellings(tmp_path, text, value):
    rows = [s.household("H1", food_fda_mark="true"), s.household("H2", food_fda_mark=text)]
    rr = readers.read(s.write_csv(tmp_path / "h.csv", H, rows), H)
    assert rr.problems.num_rows == 0
    assert rr.table["food_fda_mark"].to_pylist() == [True, value]


def test_unreadable_cells_keep_their_row_and_point_at_it(tmp_path):
    rows = [
        s.household("H1"),
        s.household("H2", village_no="abc", food_fda_mark="maybe"),
        s.household("H3", income_main="1.2.3", lat="north"),
        s.household("H4", survey_year="2568.0", income_main="1,234.50", lon="+104.5"),
        s.household("H5", village_no="3.5", income_other="nan"),
    ]
    rr = readers.read(s.write_csv(tmp_path / "h.csv", H, rows), H)
    assert problems(rr) == {
        (3, "village_no", "abc", "not_integer"),
        (3, "food_fda_mark", "maybe", "not_boolean"),
        (4, "income_main", "1.2.3", "not_number"),
        (4, "lat", "north", "not_number"),
        (6, "village_no", "3.5", "not_integer"),
        (6, "income_other", "nan", "not_number"),
    }
    t = rr.table
    assert t.num_rows == rr.rows_read == 5
    assert t["village_no"].to_pylist() == [1, None, 1, 1, None]
    assert t["survey_year"].to_pylist() == [2568] * 5
    assert t["income_main"].to_pylist() == [120000.0, 120000.0, None, 1234.5, 120000.0]
    assert t["lon"].to_pylist()[3] == 104.5
    assert t["hh_id"].to_pylist() == ["H1", "H2", "H3", "H4", "H5"]
    bad = rr.problems.to_pylist()
    assert {r["_i"] for r in bad} == {1, 2, 4}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1985-03-01", date(1985, 3, 1)),
        ("2024-02-29", date(2024, 2, 29)),
        ("1985-3-1", date(1985, 3, 1)),
        ("1985-03-01 00:00:00", date(1985, 3, 1)),
        ("2023-02-29", "bad"),
        ("1985-13-01", "bad"),
        ("01/03/1985", "bad"),
        ("1985-03-01 10:30:00", "bad"),
        ("", None),
    ],
)
def test_dates(tmp_path, text, value):
    rows = [s.member("H1", 1, 40), s.member("H1", 2, 40, birth_date=text)]
    rr = readers.read(s.write_csv(tmp_path / "m.csv", M, rows), M)
    if value == "bad":
        assert problems(rr) == {(3, "birth_date", text, "not_date")}
        assert rr.table["birth_date"][1].as_py() is None
    else:
        assert rr.problems.num_rows == 0
        assert rr.table["birth_date"][1].as_py() == value


def test_codes_and_text_are_trimmed_and_digit_codes_compacted(tmp_path):
    rows = [
        s.member(
            "H1",
            1,
            40,
            sex=" M ",
            relation="\thead",
            first_name="  สมชาย ",
            pin="1-1017-00230-70-8",
        ),
        s.member("H1", 2, 40, sex="F\u00a0", pin=" 1 1017 00230 71 6 ", title=" "),
    ]
    rr = readers.read(s.write_csv(tmp_path / "m.csv", M, rows), M)
    t = rr.table
    assert rr.problems.num_rows == 0
    assert t["sex"].to_pylist() == ["M", "F"]
    assert t["relation"].to_pylist() == ["head", "child"]
    assert t["first_name"].to_pylist()[0] == "สมชาย"
    assert t["pin"].to_pylist() == ["1101700230708", "1101700230716"]
    assert t["title"].to_pylist() == [None, None]


def test_malformed_lines_lose_no_good_row(tmp_path):
    good = [s.household(f"H{i}") for i in range(1, 7)]
    body = s.csv_text(H, good).splitlines()
    too_many = s.csv_text(H, [s.household("HX")]).splitlines()[1] + ",extra"
    unclosed = (
        s.csv_text(H, [s.household("HY", house_no="QQ")]).splitlines()[1].replace("QQ", '"12')
    )
    lines = [
        body[0],
        body[1],
        too_many,
        body[2],
        unclosed,
        body[3],
        "",
        body[4],
        "1,2,3",
        body[5],
        "   ",
        body[6],
    ]
    path = tmp_path / "h.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rr = readers.read(path, H)
    assert rr.table["hh_id"].to_pylist() == ["H1", "H2", "H3", "H4", "H5", "H6"]
    assert rr.table["_row"].to_pylist() == [2, 4, 6, 8, 10, 12]
    assert rr.rows_read == 9  # six rows and three broken lines; blank lines are not rows
    got = {(r["row"], r["code"], r["column"]) for r in rr.problems.to_pylist()}
    assert got == {
        (3, "malformed_line", None),
        (5, "malformed_line", None),
        (9, "malformed_line", None),
    }
    by_row = {r["row"]: r for r in rr.problems.to_pylist()}
    assert by_row[3]["value"] == too_many
    assert "fields" in by_row[3]["detail_en"]
    assert by_row[5]["value"] == unclosed
    assert "quote" in by_row[5]["detail_en"]
    assert by_row[9]["value"] == "1,2,3"


def _reference_rows(text: str) -> tuple[list[tuple[int, str]], list[int]]:
    """What a careful person would say: (line, hh_id) of good lines, numbers of bad lines."""
    good, bad = [], []
    lines = text.split("\n")
    width = len(lines[0].split(","))
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        if line.count('"') % 2:
            bad.append(number)
            continue
        fields = next(csv.reader(io.StringIO(line)))
        if len(fields) != width:
            bad.append(number)
        else:
            good.append((number, fields[1]))
    return good, bad


def test_row_numbers_stay_exact_across_many_parallel_blocks(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_reader, "BLOCK_BYTES", 700)  # a few lines per block
    rng = np.random.default_rng(7)
    lines = s.csv_text(H, [s.household(f"H{i}") for i in range(400)]).rstrip("\n").split("\n")
    out = [lines[0]]
    for i, line in enumerate(lines[1:]):
        roll = rng.random()
        if roll < 0.05:
            out.append(line + ",x")
        elif roll < 0.10:
            out.append(line.replace(",1,", ',"1,', 1))  # a quote opened, never closed
        elif roll < 0.13:
            out.append("")
        elif roll < 0.16:
            out.append(line.replace(f",H{i},", f',"H{i}",'))  # quoted, fine
        else:
            out.append(line)
    text = "\n".join(out) + "\n"
    path = tmp_path / "h.csv"
    path.write_text(text, encoding="utf-8")
    rr = readers.read(path, H)
    good, bad = _reference_rows(text)
    assert (
        list(zip(rr.table["_row"].to_pylist(), rr.table["hh_id"].to_pylist(), strict=True)) == good
    )
    assert sorted(rr.problems["row"].to_pylist()) == bad
    assert rr.rows_read == len(good) + len(bad)
    assert len(bad) > 20 and len(good) > 300


def test_a_file_read_as_it_streams_gives_what_the_whole_file_in_memory_gives(tmp_path, monkeypatch):
    """Files over the first read are parsed block by block as they are read; the rows,
    row numbers and problems must be those of the in-memory path, bad cells included."""
    monkeypatch.setattr(csv_reader, "BLOCK_BYTES", 1 << 16)
    rng = np.random.default_rng(11)
    lines = s.csv_text(H, [s.household(f"H{i}") for i in range(200)]).rstrip("\n").split("\n")
    out = [lines[0]]
    while len("\n".join(out)) < (1 << 20) + 50_000:  # past the 1 MB first read
        i = int(rng.integers(1, len(lines)))
        line = lines[i]
        roll = rng.random()
        if roll < 0.02:
            line = line.replace(",1,", ",x,", 1)  # a cell that is not a number or yes/no
        elif roll < 0.03:
            line = line + ",x"
        elif roll < 0.04:
            line = line.replace(",1,", ',"1,', 1)
        out.append(line)
    path = tmp_path / "big.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    assert csv_reader._streamable(path.read_bytes()[: 1 << 20], whole=False) == 0
    streamed = readers.read(path, H)
    monkeypatch.setattr(csv_reader, "_streamable", lambda head, whole: None)
    whole = readers.read(path, H)
    assert streamed.table.equals(whole.table)
    assert streamed.problems.equals(whole.problems)
    assert streamed.rows_read == whole.rows_read
    assert streamed.problems.num_rows > 50


def test_missing_required_column_is_a_file_error(tmp_path):
    cols = [c for c in H.names if c != "village_no"]
    path = s.write_csv(tmp_path / "h.csv", H, [s.household("H1")], columns=cols)
    with pytest.raises(FileError) as e:
        readers.read(path, H)
    assert e.value.code == "missing_column"
    assert "village_no" in str(e.value) and str(path) in str(e.value)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("h.csv", b"", "empty_file"),
        ("h.csv", b"  \n\n", "empty_file"),
        ("h.csv", s.csv_text(H, []).encode(), "empty_file"),
        ("h.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "unreadable_file"),
        ("h.bin", b"\x00\x01\x02\x03garbage\x00", "unreadable_file"),
        ("h.parquet", b"PAR1 not really", "unreadable_file"),
        ("h.xlsx", b"PK\x03\x04 not a zip", "unreadable_file"),
        ("h.csv", b"just,some,words\n1,2,3\n", "missing_column"),
    ],
)
def test_unusable_files(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileError) as e:
        readers.read(path, H)
    assert e.value.code == code
    assert e.value.en and e.value.th


def test_missing_file(tmp_path):
    with pytest.raises(FileError) as e:
        readers.read(tmp_path / "nope.csv", H)
    assert e.value.code == "file_not_found"


def test_unknown_columns_are_ignored_with_a_warning(tmp_path):
    path = s.write_csv(
        tmp_path / "h.csv", H, [s.household("H1", note="x")], columns=[*H.names, "note"]
    )
    rr = readers.read(path, H)
    assert rr.problems.num_rows == 0 and rr.table.num_rows == 1
    assert rr.warnings == [f"{path}: ignored unknown column note"]


def test_optional_columns_may_be_absent_and_header_case_is_free(tmp_path):
    cols = [c.name for c in H.columns if c.required]
    text = s.csv_text(H, [s.household("H1")], columns=cols)
    text = text.replace("survey_year", " Survey_Year ", 1)
    path = tmp_path / "h.csv"
    path.write_text(text, encoding="utf-8")
    rr = readers.read(path, H)
    assert rr.problems.num_rows == 0
    assert rr.table["survey_year"].to_pylist() == [2568]
    assert rr.table["lat"].to_pylist() == [None]


def test_encodings_and_delimiters(tmp_path):
    rows = [s.member("H1", 1, 40, first_name="สมชาย")]
    text = s.csv_text(M, rows)
    for name, data, warning in [
        ("bom.csv", b"\xef\xbb\xbf" + text.encode("utf-8"), None),
        ("tis.csv", text.encode("cp874"), "TIS-620"),
        ("u16.csv", text.encode("utf-16"), "UTF-16"),
        ("semi.csv", text.replace(",", ";").encode("utf-8"), None),
        ("crlf.csv", text.replace("\n", "\r\n").encode("utf-8"), None),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        rr = readers.read(path, M)
        assert rr.problems.num_rows == 0, name
        assert rr.table["first_name"].to_pylist() == ["สมชาย"], name
        assert rr.table["_row"].to_pylist() == [2], name
        assert (warning is None) == (not rr.warnings), name
        if warning:
            assert warning in rr.warnings[0]


def test_xlsx(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(M.names)
    good = s.member("H1", 1, 40)
    typed = dict(
        good,
        survey_year=2568,
        member_no=1,
        age=40,
        pin=int(good["pin"]),
        birth_date=date(1985, 1, 15),
        exercise=True,
        income_year=60000.0,
        has_occupation=1,
    )
    ws.append([typed.get(c) or None for c in M.names])
    ws.append([None] * len(M.names))  # an empty row is not a row
    ws.append(
        [dict(good, member_no="2", age="forty", exercise="maybe").get(c) or None for c in M.names]
    )
    path = tmp_path / "m.xlsx"
    wb.save(path)
    rr = readers.read(path, M)
    assert rr.table["_row"].to_pylist() == [2, 4]
    assert problems(rr) == {
        (4, "age", "forty", "not_integer"),
        (4, "exercise", "maybe", "not_boolean"),
    }
    first = rr.table.slice(0, 1).to_pylist()[0]
    assert first["pin"] == good["pin"]
    assert first["birth_date"] == date(1985, 1, 15)
    assert first["exercise"] is True and first["has_occupation"] is True
    assert first["income_year"] == 60000.0 and first["age"] == 40


def test_xlsx_missing_column_and_empty_sheet(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["survey_year", "hh_id"])
    wb.save(tmp_path / "short.xlsx")
    with pytest.raises(FileError) as e:
        readers.read(tmp_path / "short.xlsx", M)
    assert e.value.code == "missing_column"
    Workbook().save(tmp_path / "empty.xlsx")
    with pytest.raises(FileError) as e:
        readers.read(tmp_path / "empty.xlsx", M)
    assert e.value.code == "empty_file"


def test_parquet_typed_text_and_directories(tmp_path):
    typed = readers.read(s.FIXTURES / "members_good.csv", M).table.select(M.names)
    pq.write_table(typed, tmp_path / "typed.parquet")
    rr = readers.read(tmp_path / "typed.parquet", M)
    assert rr.problems.num_rows == 0
    assert rr.table.select(M.names).equals(typed)
    assert rr.table["_row"].to_pylist() == list(range(2, 9))

    # Text columns (and narrower or float numbers) are read like CSV cells.
    text = pa.table(
        {
            c: pa.array(
                [str(v) if v is not None else None for v in typed[c].to_pylist()], pa.string()
            )
            for c in M.names
        }
    )
    text = text.set_column(M.names.index("age"), "age", typed["age"].cast(pa.float64()))
    text = text.set_column(
        M.names.index("member_no"), "member_no", typed["member_no"].cast(pa.int8())
    )
    pq.write_table(text, tmp_path / "text.parquet")
    rr = readers.read(tmp_path / "text.parquet", M)
    assert rr.problems.num_rows == 0
    assert rr.table.select(M.names).equals(typed)

    # A directory of files, partitioned by year in the directory names.
    root = tmp_path / "dir"
    for year, part in (("2568", typed.slice(0, 3)), ("2569", typed.slice(3))):
        (root / f"survey_year={year}").mkdir(parents=True)
        pq.write_table(part.drop(["survey_year"]), root / f"survey_year={year}" / "part-0.parquet")
    rr = readers.read(root, M)
    assert rr.problems.num_rows == 0
    assert rr.table["survey_year"].to_pylist() == [2568] * 3 + [2569] * 4
    assert rr.table["_row"].to_pylist() == [2, 3, 4, 2, 3, 4, 5]
    assert len(rr.files) == 2
    assert (
        rr.table["_file"]
        .cast(pa.string())
        .to_pylist()[3]
        .endswith(str(Path("survey_year=2569") / "part-0.parquet"))
    )


def test_parquet_bad_cells_point_at_rows(tmp_path):
    t = pa.table(
        {
            "survey_year": ["2568", "2568", "x"],
            "hh_id": ["H1", "H2", "H3"],
            "subdistrict_code": [340101, 340101, 340101],
            "village_no": [1.0, 2.5, 3.0],
            **{c.name: ["true", "true", "true"] for c in H.columns if c.type == "bool"},
            **{
                c: [0.0, 0.0, float("inf")]
                for c in (
                    "income_main",
                    "income_secondary",
                    "income_other",
                    "income_own_production",
                )
            },
        }
    )
    pq.write_table(t, tmp_path / "h.parquet")
    rr = readers.read(tmp_path / "h.parquet", H)
    assert problems(rr) == {
        (3, "village_no", "2.5", "not_integer"),
        (4, "survey_year", "x", "not_integer"),
        (4, "income_main", "inf", "not_number"),
        (4, "income_secondary", "inf", "not_number"),
        (4, "income_other", "inf", "not_number"),
        (4, "income_own_production", "inf", "not_number"),
    }
    assert rr.table["subdistrict_code"].to_pylist() == ["340101"] * 3
    assert rr.table["village_no"].to_pylist() == [1, None, 3]


def test_in_memory_tables_and_frames():
    typed = readers.read(s.FIXTURES / "households_good.csv", H).table.select(H.names)
    rr = readers.read(typed, H)
    assert rr.files == ["<households>"] and rr.problems.num_rows == 0
    assert rr.table.select(H.names).equals(typed)
    rr = readers.read(typed.to_pandas(), H, label="frame")
    assert rr.files == ["frame"] and rr.problems.num_rows == 0
    assert rr.table["village_no"].to_pylist() == [1, 3, 7]


def test_fast_and_slow_parsing_agree():
    """A column is cast in one kernel unless a cell fails; the cell-by-cell path must then
    read every other cell exactly as the kernel would have."""
    cases = {
        contract.INT: ["12", "-3", "007", "0", "+5", "12.0", "  8 ", "1e3", "x"],
        contract.FLOAT: ["1.5", "-0.25", "1e3", ".5", "5.", "+2", "1,234.5", "inf", "x"],
        contract.MONEY: ["1.5", "-0.25", "1e3", ".5", "5.", "+2", "1,234.5", "0.10", "inf"],
        contract.BOOL: ["true", "FALSE", "1", "0", "True", "yes", "ใช่", " no ", "x"],
        contract.DATE: ["2020-01-05", "1999-12-31", "2020-1-5", "2020-02-30", "x"],
    }
    for kind, values in cases.items():
        col = contract.Column("c", kind, False, "", "")
        slow, slow_bad = readers.parse_column(pa.array([*values, None]), col)
        for i, v in enumerate(values):
            if slow_bad[i]:
                continue
            fast, fast_bad = readers.parse_column(pa.array([v]), col)
            assert not fast_bad[0], (kind, v)
            assert fast[0].as_py() == slow[i].as_py(), (kind, v)
        assert slow[len(values)].as_py() is None and not slow_bad[len(values)]
        assert slow_bad[-2], (kind, values[-1])


# -------------------------------------------------------------------- what a file really is


def _workbook(rows: list[list], header: list[str]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(header)
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rezip(xlsx: bytes, parts: dict[str, bytes]) -> bytes:
    import zipfile

    src, out = zipfile.ZipFile(io.BytesIO(xlsx)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            z.writestr(name, parts.pop(name, src.read(name)))
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def test_the_bytes_decide_the_format_not_the_name(tmp_path):
    row = s.household("H1")
    text = s.csv_text(H, [row]).encode()
    cases = {
        "workbook.csv": _workbook([[row[c] for c in H.names]], H.names),
        "text.xlsx": text,
        "text.parquet": text,
        "workbook.txt": _workbook([[row[c] for c in H.names]], H.names),
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        rr = readers.read(path, H)
        assert rr.table["hh_id"].to_pylist() == ["H1"], name
        assert rr.problems.num_rows == 0, name


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\0" * 600
            + "EncryptedPackage".encode("utf-16-le"),
            "password_protected",
            "password",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "unreadable_file", ".xls"),
        (b"\xef\xbb\xbf  <!DOCTYPE html><html><table>", "unreadable_file", "HTML"),
        (b'<?xml version="1.0"?><Workbook>', "unreadable_file", "XML"),
        (b"%PDF-1.7\n", "unreadable_file", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "unreadable_file", "not a CSV"),
    ],
)
def test_files_that_are_no_table_say_what_they_are(tmp_path, content, code, words):
    path = tmp_path / "list.csv"
    path.write_bytes(content)
    with pytest.raises(FileError) as e:
        readers.read(path, H)
    assert e.value.code == code
    assert words in e.value.en and e.value.th


def test_zip_bombs_and_other_archives_are_refused_before_openpyxl_opens_them(tmp_path):
    row = s.household("H1")
    xlsx = _workbook([[row[c] for c in H.names]], H.names)
    cases = {
        "bomb.xlsx": (_rezip(xlsx, {"xl/media/blank.xml": b" " * (8 << 20)}), "unpacks_too_big"),
        "xlsb.xlsx": (_rezip(xlsx, {"xl/workbook.bin": b"\0"}), "unreadable_file"),
        "cut.xlsx": (xlsx[:-100], "unreadable_file"),
    }
    for name, (content, code) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(FileError) as e:
            readers.read(path, H)
        assert e.value.code == code, name
    # Honest but bigger than the caller allows.
    path = tmp_path / "ok.xlsx"
    path.write_bytes(xlsx)
    assert readers.read(path, H).rows_read == 1
    with pytest.raises(FileError) as e:
        readers.read(path, H, max_unpacked=1000)
    assert e.value.code == "unpacks_too_big"


def test_max_rows_refuses_a_longer_file_in_every_format(tmp_path):
    rows = [s.household(f"H{i}") for i in range(3)]
    (tmp_path / "h.csv").write_text(s.csv_text(H, rows), encoding="utf-8")
    (tmp_path / "h.xlsx").write_bytes(_workbook([[r[c] for c in H.names] for r in rows], H.names))
    for name in ("h.csv", "h.xlsx"):
        assert readers.read(tmp_path / name, H, max_rows=3).rows_read == 3
        with pytest.raises(FileError) as e:
            readers.read(tmp_path / name, H, max_rows=2)
        assert e.value.code == "too_many_rows" and "2" in e.value.th


def test_a_stray_cell_far_right_or_a_huge_stated_size_does_not_widen_every_row(tmp_path):
    row = s.household("H1")
    xlsx = _workbook([[row[c] for c in H.names]], H.names)
    import zipfile

    sheet = zipfile.ZipFile(io.BytesIO(xlsx)).read("xl/worksheets/sheet1.xml").decode()
    sheet = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', sheet, count=1)
    assert "XFD1048576" in sheet
    sheet = sheet.replace(
        "</sheetData>",
        '<row r="5000"><c r="XFD5000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    )
    path = tmp_path / "wide.xlsx"
    path.write_bytes(_rezip(xlsx, {"xl/worksheets/sheet1.xml": sheet.encode()}))
    rr = readers.read(path, H)
    assert rr.table["_row"].to_pylist() == [2]  # the far cell is outside the read width


def test_aliases_name_a_column_in_the_header(tmp_path):
    from dataclasses import replace

    spec = replace(
        H,
        columns=tuple(
            replace(c, aliases=("รหัสครัวเรือน",)) if c.name == "hh_id" else c for c in H.columns
        ),
    )
    text = s.csv_text(H, [s.household("H1")]).replace("hh_id", " รหัสครัวเรือน ", 1)
    path = tmp_path / "h.csv"
    path.write_text(text, encoding="utf-8")
    assert readers.read(path, spec).table["hh_id"].to_pylist() == ["H1"]
    with pytest.raises(FileError) as e:
        readers.read(path, H)
    assert e.value.code == "missing_column" and e.value.columns == ("hh_id",)


# ------------------------------------------------------------------ amounts of baht (ADR 0015)

AMOUNTS = [  # (cell as written, the exact amount read)
    ("37999.70", "37999.70"),
    ("0.10", "0.10"),
    ("38000", "38000.00"),
    ("1,234.50", "1234.50"),
    ("1e6", "1000000.00"),
    (" 12 ", "12.00"),
    ("+5", "5.00"),
    ("1.005", "1.01"),  # more than two decimals: half up to the satang
    ("2.675", "2.68"),  # a double would make this 2.67499999...: the text decides
    ("1234.5678", "1234.57"),
    ("0.30000000000000004", "0.30"),
    ("1e-20", "0.00"),
]


def test_amounts_are_read_as_the_exact_decimals_written(tmp_path):
    """37,999.70 is 37,999.70, not the binary fraction below it; whatever the format."""
    rows = [s.household(f"H{i}", income_main=text) for i, (text, _) in enumerate(AMOUNTS)]
    want = [Decimal(v) for _, v in AMOUNTS]
    rr = readers.read(s.write_csv(tmp_path / "h.csv", H, rows), H)
    assert rr.problems.num_rows == 0
    assert rr.table.schema.field("income_main").type == pa.decimal128(18, 2)
    assert rr.table["income_main"].to_pylist() == want

    # Excel stores numbers as doubles: a cell holding 37999.7 is the amount 37,999.70.
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(H.names)
    for i, (text, _) in enumerate(AMOUNTS):
        row = s.household(f"H{i}")
        number = float(text.replace(",", ""))
        ws.append([number if c == "income_main" else row.get(c) or None for c in H.names])
    wb.save(tmp_path / "h.xlsx")
    rr = readers.read(tmp_path / "h.xlsx", H)
    assert rr.problems.num_rows == 0
    assert rr.table["income_main"].to_pylist() == want

    # Parquet: doubles by the decimal they print as; integers and decimals exactly.
    base = readers.read(s.FIXTURES / "households_good.csv", H).table.select(H.names)
    i = H.names.index("income_main")
    for arr, expected in (
        (pa.array([37999.7, 0.1, 1.005]), ["37999.70", "0.10", "1.01"]),
        (pa.array([38000, 0, 7], pa.int32()), ["38000.00", "0.00", "7.00"]),
        (
            pa.array(
                [Decimal("37999.7000"), Decimal("0.1"), Decimal("1.0050")], pa.decimal128(12, 4)
            ),
            ["37999.70", "0.10", "1.01"],
        ),
    ):
        pq.write_table(base.set_column(i, "income_main", arr), tmp_path / "h.parquet")
        rr = readers.read(tmp_path / "h.parquet", H)
        assert rr.problems.num_rows == 0, arr.type
        assert rr.table["income_main"].to_pylist() == [Decimal(v) for v in expected], arr.type


def test_an_amount_too_large_to_hold_is_a_cell_problem(tmp_path):
    rows = [
        s.household("H1", income_main="99999999999999999"),
        s.household("H2", income_main="1e99"),
        s.household("H3", income_main="12,34"),
        s.household("H4", income_main="9999999999999999.99"),
    ]
    rr = readers.read(s.write_csv(tmp_path / "h.csv", H, rows), H)
    assert problems(rr) == {
        (2, "income_main", "99999999999999999", "not_number"),
        (3, "income_main", "1e99", "not_number"),
        (4, "income_main", "12,34", "not_number"),
    }
    assert rr.table["income_main"].to_pylist() == [None, None, None, Decimal("9999999999999999.99")]
