"""The monthly report as files: a workbook (xlsxwriter, every cell through the one safe-cell
helper, so an area's or a person's name is text, never a formula) and an A4 landscape PDF
in Thai (WeasyPrint, the Thai fonts of Debian's fonts-thai-tlwg), laid out as the
provinces' monthly tables in the letters are (seed 003): "ที่", the area, its figures, one
line per area under it, and "รวม" (the area's own row)."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from cheepao.engine.api import cells
from cheepao.reports.selectors import Monthly, made_line

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
PDF_CSS = Path(__file__).with_name("pdf.css")
#: Rows of the workbook before the table (title, status, blank): the header is row 4.
HEADER_ROW = 3


def monthly_xlsx(report: Monthly, *, user: Any, when: datetime) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, **cells.XLSXWRITER_OPTIONS})
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    ws = wb.add_worksheet("รายงานประจำเดือน")
    with translation.override("th"):
        title, state = report.title, report.status_line
    row = 0

    def put(values: list[Any], fmt: Any = None) -> None:
        nonlocal row
        for col, value in enumerate(values):
            ws.write(row, col, cells.xlsx_text(value), fmt)
        row += 1

    put([title], bold)
    put([state])
    row = HEADER_ROW
    put(report.headers, head)
    for line in report.lines:
        put([line.number, line.name, *line.figures, line.status])
    put(["", report.total.name, *report.total.figures, report.total.status], bold)
    row += 1
    put([made_line(user, when)])
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 36)
    ws.set_column(2, len(report.headers) - 1, 14)
    ws.set_row(HEADER_ROW, 60)
    wb.close()
    return out.getvalue()


def monthly_pdf(report: Monthly, *, user: Any, when: datetime, uncompressed: bool = False) -> bytes:
    from weasyprint import CSS, HTML  # imported here: pango is loaded only for a PDF

    with translation.override("th"):
        html = render_to_string(
            "reports/monthly_pdf.html",
            {"report": report, "made": made_line(user, when)},
        )
    return HTML(string=html).write_pdf(
        stylesheets=[CSS(filename=str(PDF_CSS))], uncompressed_pdf=uncompressed
    )
