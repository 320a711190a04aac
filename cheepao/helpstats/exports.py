"""A month's statistics as a workbook (xlsxwriter): every cell through the one safe-cell
helper, so an area's or an office's name is text, never a formula. Aggregates only."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone, translation

from cheepao.engine.api import cells
from cheepao.geo.selectors import area_label
from cheepao.helpstats import months
from cheepao.helpstats.selectors import MonthPage

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = (
    ("acts", "การช่วยเหลือ (ครั้ง)"),
    ("baht", "มูลค่า (บาท)"),
    ("households_helped", "ครัวเรือนที่ได้รับความช่วยเหลือ"),
    ("cases_solved", "ปัญหาที่แก้ไขแล้ว"),
    ("referrals_sent", "ส่งต่อ"),
    ("referrals_accepted", "รับเรื่อง"),
    ("referrals_done", "ดำเนินการเสร็จ"),
    ("referrals_overdue", "เกินกำหนด"),
    ("escalated", "ส่งต่อจังหวัด"),
    ("acts_to_date", "การช่วยเหลือตั้งแต่ต้นปี"),
    ("helped_to_date", "ครัวเรือนที่ได้รับความช่วยเหลือตั้งแต่ต้นปี"),
    ("helped_fully_to_date", "ได้รับความช่วยเหลือครบทุกมิติที่ตกเกณฑ์"),
    ("recorded_to_date", "ครัวเรือนที่บันทึกสภาพปัญหาแล้ว"),
    ("targets", "ครัวเรือนเป้าหมาย"),
)
STATES = {"met": "บรรลุแล้ว", "not_yet": "ยังไม่ถึงกำหนด", "missed": "ไม่บรรลุตามกำหนด"}


def month_xlsx(page: MonthPage, *, user: Any) -> bytes:
    import xlsxwriter

    from cheepao.core.thai import be_datetime

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, **cells.XLSXWRITER_OPTIONS})
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet("สถิติรายเดือน")
    with translation.override("th"):
        name = area_label(page.code)
        month = months.label(page.month)
        made = be_datetime(timezone.now())
        standing = [
            (s.target.th, s.value, s.target.at_least, months.label(s.deadline), STATES[s.state])
            for s in page.standing
        ]
        children = [(area_label(r.area_code), r) for r in page.children]
    row = 0

    def put(values: list[Any], fmt: Any = None) -> None:
        nonlocal row
        for col, value in enumerate(values):
            ws.write(row, col, cells.xlsx_text(value), fmt)
        row += 1

    def figures(r: Any) -> list[Any]:
        return [getattr(r, f) for f, _ in COLUMNS]

    put([f"สถิติการช่วยเหลือรายเดือน {name} เดือน {month}"], bold)
    put([f"ออกโดย {user.get_full_name() or user.username} เมื่อ {made}"])
    row += 1
    put(["", *(label for _, label in COLUMNS)], bold)
    if page.line is not None:
        put([page.line.body.name if page.line.body else name, *figures(page.line)])
    if standing:
        row += 1
        put(["เป้าหมาย", "ผล", "เกณฑ์", "กำหนด", "สถานะ"], bold)
        for line in standing:
            put(["" if v is None else v for v in line])
    for title, lines in (
        ("พื้นที่ในความรับผิดชอบ", children),
        ("หน่วยงาน", [(r.body.name, r) for r in page.agencies]),
    ):
        if lines:
            row += 1
            put([title, *(label for _, label in COLUMNS)], bold)
            for label, r in lines:
                put([label, *figures(r)])
    ws.set_column(0, 0, 40)
    wb.close()
    return out.getvalue()
