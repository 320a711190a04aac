"""Spreadsheet cells that stay data: the one helper every CSV and XLSX writer uses.

Text that people typed (names, notes, house numbers, rejected values of an uploaded file)
must never become a formula or a DDE payload when the file is opened in Excel or
LibreOffice. CSV has no types, so text that a spreadsheet would read as a formula is
neutralised as OWASP recommends ("CSV Injection"): a leading single quote before a cell
that starts with `=`, `+`, `-`, `@`, a tab or a carriage return. XLSX has types, so text is
written as a string cell and is never evaluated, whatever it starts with.

One function per kind of writer, all with the same rule:
- `csv.writer`: `csv_row` (or `csv_text` for one cell);
- pandas `to_csv`: `frame_to_csv` (or `csv_frame` for a frame to write otherwise);
- Arrow / `pyarrow.csv.write_csv`: `csv_arrow`;
- openpyxl: `openpyxl_append` and `openpyxl_set` instead of `ws.append` / `ws.cell`;
- xlsxwriter: `XLSXWRITER_OPTIONS` in the `Workbook` options.

No Django here: the engine's register and rejects writers use it as well as the platform's
exports (through `cheepao.engine.api`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# The first characters that make a spreadsheet read a CSV cell as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# The same as a regular expression, for Arrow's compute functions.
_TRIGGER_RE = "^[=+\\-@\\t\\r]"

# xlsxwriter's Workbook options that keep every string a string: by default `write()`
# turns a text starting with '=' into a formula and a text that looks like a URL or a
# number into a link or a number.
XLSXWRITER_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}

# Control characters an XLSX file cannot hold (openpyxl refuses them with an error, which
# would turn a stray character in one imported name into a failed download). They are
# shown as U+FFFD, so the cell still says that something was there.
_XML_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")


def csv_text(value: Any) -> Any:
    """`value` as a CSV cell: text that would start a formula gets a leading quote; numbers,
    dates, booleans and None are returned unchanged (a number is data, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """A row of cells for `csv.writer`, every text cell neutralised."""
    return [csv_text(v) for v in values]


def csv_frame(df: Any) -> Any:
    """A pandas DataFrame ready for `to_csv`: a copy whose text cells are neutralised
    (numeric columns are left as they are)."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    out = df.copy()
    for name in out.columns:
        column = out[name]
        if is_object_dtype(column.dtype) or is_string_dtype(column.dtype):
            out[name] = column.map(csv_text)
    return out


def frame_to_csv(df: Any, path: Any) -> None:
    """Write a pandas DataFrame as the platform writes every CSV: text neutralised
    (`csv_frame`), UTF-8 with a BOM so that Excel shows the Thai, and CRLF line ends as in
    RFC 4180. With pandas' default LF ends, a carriage return inside a name would be
    written unquoted and split the row in two."""
    csv_frame(df).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")


def csv_arrow(table: Any) -> Any:
    """An Arrow table ready for `pyarrow.csv.write_csv`: its text columns neutralised."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for column in table.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            quoted = pc.binary_join_element_wise("'", column, "")
            column = pc.if_else(pc.match_substring_regex(column, _TRIGGER_RE), quoted, column)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=table.schema)


def xlsx_text(value: Any) -> Any:
    """A value an XLSX cell can hold: text without the control characters XML forbids."""
    if isinstance(value, str) and _XML_ILLEGAL.search(value):
        return _XML_ILLEGAL.sub("\ufffd", value)
    return value


def _openpyxl_cell(ws: Any, value: Any) -> Any:
    """A detached openpyxl cell; text typed as a string, so never a formula or an error
    code (openpyxl otherwise stores '=…' as a formula and '#N/A' as an error)."""
    from openpyxl.cell.cell import Cell

    value = xlsx_text(value)
    if not isinstance(value, str):
        return value
    cell = Cell(ws, value=value)
    cell.data_type = "s"
    return cell


def openpyxl_append(ws: Any, values: Iterable[Any]) -> None:
    """`ws.append(values)` with every text cell typed as a string."""
    ws.append([_openpyxl_cell(ws, v) for v in values])


def openpyxl_set(ws: Any, row: int, column: int, value: Any) -> Any:
    """`ws.cell(row, column, value)` with text typed as a string; returns the cell."""
    cell = ws.cell(row, column)
    cell.value = xlsx_text(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell
