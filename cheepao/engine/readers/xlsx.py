"""XLSX workbooks: the first sheet, header in row 1, checked before openpyxl opens it."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from cheepao.engine import contract, filecheck
from cheepao.engine.readers.common import (
    EMPTY_FILE,
    FileError,
    ReadResult,
    assemble,
    convert,
    match_header,
    no_rows,
    too_many_rows,
    unknown_warning,
)
from cheepao.engine.readers.values import parse_column


def _cell_text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e18 else repr(v)
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == time(0) else v.isoformat(sep=" ")
    if isinstance(v, date | time):
        return v.isoformat()
    return str(v)


#: Data rows are read this many columns past the header's last, to notice (and warn of)
#: values outside the named columns without letting a stray cell in column XFD make every
#: row 16,384 cells wide.
XLSX_EXTRA_COLUMNS = 64


def read_xlsx(
    path: Path,
    spec: contract.Table,
    max_rows: int | None = None,
    max_unpacked: int | None = None,
) -> ReadResult:
    """The first sheet, header in row 1. Workbooks are small, so this loops in Python.

    The archive is checked before openpyxl opens it (`filecheck.check_xlsx`), and openpyxl
    is given the open file, not the name, so a workbook named `.csv` is read like any
    other. Whatever openpyxl raises on a broken workbook is a `FileError`.
    """
    refusal = filecheck.check_xlsx(path, max_unpacked)
    if refusal is not None:
        raise FileError.refused(path, refusal)
    from openpyxl import load_workbook

    warnings: list[str] = []
    with open(path, "rb") as fh:
        try:
            wb = load_workbook(fh, read_only=True, data_only=True)
        except Exception as e:  # any failure of the parser on a bad file
            raise FileError.refused(path, filecheck.DAMAGED_XLSX) from e
        try:
            sheets = wb.worksheets
            if not sheets:
                raise FileError(path, EMPTY_FILE, "the workbook has no worksheet", "ไฟล์นี้ไม่มีแผ่นงาน")
            ws = sheets[0]
            ws.reset_dimensions()  # a stated size of A1:XFD1048576 is no reason to pad rows
            header = next(ws.iter_rows(max_row=1, values_only=True), None)
            if not header or all(h is None for h in header):
                raise FileError(path, EMPTY_FILE, "the first sheet is empty", "แผ่นงานแรกว่างเปล่า")
            names = [_cell_text(h) or "" for h in header]
            include, unknown = match_header(names, spec, path)
            warnings += unknown_warning(path, unknown)
            cols: dict[str, list] = {name: [] for name in include.values()}
            rows: list[int] = []
            outside = 0
            width = len(names) + XLSX_EXTRA_COLUMNS
            for number, values in enumerate(
                ws.iter_rows(min_row=2, max_col=width, values_only=True), start=2
            ):
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    continue
                if max_rows is not None and len(rows) >= max_rows:
                    raise too_many_rows(path, max_rows)
                if any(v is not None for v in values[len(names) :]):
                    outside += 1
                rows.append(number)
                for i, name in include.items():
                    cols[name].append(_cell_text(values[i]) if i < len(values) else None)
        except FileError:
            raise
        except Exception as e:  # a sheet broken part-way through
            raise FileError.refused(path, filecheck.DAMAGED_XLSX) from e
        finally:
            wb.close()
    if not rows:
        raise no_rows(path)
    if outside:
        warnings.append(
            f"{path}: {outside} rows have values right of the last named column; "
            "those values were ignored"
        )
    raw = {name: pa.array(values, pa.string()) for name, values in cols.items()}
    chunk = convert(raw, np.asarray(rows, dtype=np.int64), spec, parse_column)
    return assemble([(str(path), chunk)], spec, [str(path)], warnings)
