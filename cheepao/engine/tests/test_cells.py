"""The one helper that keeps user text out of spreadsheet formulas (engine/cells.py)."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
import xlsxwriter
from openpyxl import Workbook

from cheepao.engine import api
from cheepao.engine.cells import FORMULA_TRIGGERS

PAYLOADS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", '=cmd|"/c calc"!A1']


def _sheet_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_csv_text_neutralises_every_trigger(payload):
    assert payload.startswith(FORMULA_TRIGGERS)
    assert api.cells.csv_text(payload) == "'" + payload


def test_csv_text_keeps_data_as_it_is():
    for value in ("นายสมชาย", "12/3", "", "a=b", 5, -5, 1.5, None, True):
        assert api.cells.csv_text(value) == value


def test_csv_row_through_the_csv_module():
    out = io.StringIO()
    csv.writer(out).writerow(api.cells.csv_row(["=1+1", "ok", -2]))
    assert out.getvalue() == "'=1+1,ok,-2\r\n"


def test_openpyxl_text_is_never_a_formula():
    wb = Workbook()
    ws = wb.active
    api.cells.openpyxl_append(ws, [*PAYLOADS, 7, None])
    api.cells.openpyxl_set(ws, 2, 1, '=HYPERLINK("http://x")')
    out = io.BytesIO()
    wb.save(out)
    xml = _sheet_xml(out.getvalue())
    assert "<f>" not in xml
    assert "<t>=1+1</t>" in xml  # kept as the text that was typed
    assert '<c r="H1" t="n"><v>7</v></c>' in xml


def test_xlsxwriter_options_keep_strings():
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, **api.cells.XLSXWRITER_OPTIONS})
    ws = wb.add_worksheet()
    for j, payload in enumerate(PAYLOADS):
        ws.write(0, j, payload)
    wb.close()
    assert "<f>" not in _sheet_xml(out.getvalue())


def test_openpyxl_keeps_error_codes_as_text_and_survives_control_characters():
    wb = Workbook()
    ws = wb.active
    api.cells.openpyxl_append(ws, ["#N/A", "สม\x0bชาย", "=A1\x01"])
    api.cells.openpyxl_set(ws, 2, 1, "#REF!")
    out = io.BytesIO()
    wb.save(out)
    xml = _sheet_xml(out.getvalue())
    assert "<f>" not in xml and 't="e"' not in xml
    assert "<t>#N/A</t>" in xml and "<t>#REF!</t>" in xml
    assert "<t>สม\ufffdชาย</t>" in xml  # still there, the forbidden character made visible


def test_openpyxl_append_writes_only_the_row_it_was_given():
    wb = Workbook()
    ws = wb.active
    api.cells.openpyxl_append(ws, ["a", "b", "c"])
    api.cells.openpyxl_append(ws, ["=x"])
    out = io.BytesIO()
    wb.save(out)
    xml = _sheet_xml(out.getvalue())
    assert re.findall(r'<c r="(\w+)"', xml) == ["A1", "B1", "C1", "A2"]


def test_csv_frame_neutralises_text_columns_only():
    import pandas as pd

    df = pd.DataFrame({"name": ["=1+1", "สมชาย", None], "n": [-1, 2, 3]})
    df["o"] = pd.Series(["+1", 5, None], dtype=object)
    df["s"] = pd.Series(["@x", "y", "-z"], dtype="string")
    out = api.cells.csv_frame(df)
    assert out["name"].tolist()[:2] == ["'=1+1", "สมชาย"] and pd.isna(out["name"].iloc[2])
    assert out["n"].tolist() == [-1, 2, 3]
    assert out["o"].tolist() == ["'+1", 5, None]
    assert out["s"].tolist() == ["'@x", "y", "'-z"]
    assert df["name"].tolist()[0] == "=1+1"  # the caller's frame is left as it was


def test_csv_arrow_neutralises_every_trigger_and_keeps_the_rest():
    import pyarrow as pa
    import pyarrow.csv as pcsv

    table = pa.table(
        {
            "value": [*PAYLOADS, "ok", None, "a=b"],
            "row": list(range(len(PAYLOADS) + 3)),
        }
    )
    out = api.cells.csv_arrow(table)
    assert out.schema == table.schema
    assert out.column("value").to_pylist() == [
        *("'" + p for p in PAYLOADS),
        "ok",
        None,
        "a=b",
    ]
    assert out.column("row").to_pylist() == table.column("row").to_pylist()
    buf = io.BytesIO()
    pcsv.write_csv(out, buf)
    rows = list(csv.reader(io.StringIO(buf.getvalue().decode())))
    assert not any(cell.startswith(FORMULA_TRIGGERS) for row in rows[1:] for cell in row)


def test_frame_to_csv_keeps_a_carriage_return_inside_its_cell(tmp_path):
    import pandas as pd

    path = tmp_path / "t.csv"
    api.cells.frame_to_csv(pd.DataFrame({"ที่": ["1", "2"], "name": ["\r=1+1ก", "ข\rค"]}), path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows == [["ที่", "name"], ["1", "'\r=1+1ก"], ["2", "ข\rค"]]
