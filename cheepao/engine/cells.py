"""Spreadsheet cells that stay data: the one helper every CSV and XLSX writer uses.

Text that people typed (names, notes, house numbers, rejected values of an uploaded file)
must never become a formula or a DDE payload when the file is opened in Excel or
LibreOffice. CSV has no types, so text that a spreadsheet would read as a formula is
neutralised as OWASP recommends ("CSV Injection"): a leading single quote before a cell
that starts with `=`, `+`, `-`, `@`, a tab or a carriage return. XLSX has types, so text is
written as a string cell and is never evaluated, whatever it starts with.

No Django here: the engine's register and rejects writers use it as well as the platform's
exports (through `cheepao.engine.api`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# The first characters that make a spreadsheet read a CSV cell as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# xlsxwriter's Workbook options that keep every string a string (its defaults already turn
# no string into a formula only when `strings_to_formulas` is False).
XLSXWRITER_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def csv_text(value: Any) -> Any:
    """`value` as a CSV cell: text that would start a formula gets a leading quote; numbers,
    dates, booleans and None are returned unchanged (a number is data, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """A row of cells for `csv.writer`, every text cell neutralised."""
    return [csv_text(v) for v in values]


def openpyxl_append(ws: Any, values: Iterable[Any]) -> None:
    """`ws.append(values)` with every text cell typed as a string, so that openpyxl does not
    store a text starting with '=' as a formula."""
    ws.append(list(values))
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def openpyxl_set(ws: Any, row: int, column: int, value: Any) -> Any:
    """`ws.cell(row, column, value)` with text typed as a string; returns the cell."""
    cell = ws.cell(row, column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell
