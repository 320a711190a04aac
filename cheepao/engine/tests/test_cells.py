"""The one helper that keeps user text out of spreadsheet formulas (engine/cells.py)."""

from __future__ import annotations

import csv
import io
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
