"""The annual evaluation report as a workbook (xlsxwriter): every cell through the one
safe-cell helper, so a name is text, never a formula; "made by / when" on top, and the
caveat (association, not proof). Aggregates only."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone, translation

from cheepao.engine.api import cells
from cheepao.evaluation.selectors import Page
from cheepao.geo.selectors import area_label

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CAVEAT_TH = (
    "ข้อควรระวัง: ตัวเลขนี้แสดงความสัมพันธ์ ไม่ใช่ข้อพิสูจน์ว่าความช่วยเหลือทำให้พ้นความยากจน "
    "(สิ่งอื่นเปลี่ยนไปด้วย และการเลือกผู้ได้รับความช่วยเหลือไม่ได้เป็นการสุ่ม)"
)
CAVEAT_EN = (
    "Caveat: this shows association, not proof that the help moved households out of "
    "poverty (other things changed too; who was helped was not chosen at random)."
)


def _n(value: Any) -> Any:
    return "" if value is None else value


def evaluation_xlsx(page: Page, *, user: Any) -> bytes:
    import xlsxwriter

    from cheepao.core.thai import be_datetime

    ev = page.evaluation
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, **cells.XLSXWRITER_OPTIONS})
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet("ประเมินผล")
    with translation.override("th"):
        name = area_label(page.code)
        made = be_datetime(timezone.now())
        children = [(area_label(c.code), c) for c in page.children]
    row = 0

    def put(values: list[Any], fmt: Any = None) -> None:
        nonlocal row
        for col, value in enumerate(values):
            ws.write(row, col, cells.xlsx_text(value), fmt)
        row += 1

    maker = user.get_full_name() or user.username
    put([f"รายงานประเมินผลประจำปี ปีสำรวจ {ev.before_year} → {ev.after_year}"], bold)
    put(["พื้นที่", name])
    put(["จัดทำโดย", maker])
    put(["เมื่อ", made])
    put([CAVEAT_TH])
    put([CAVEAT_EN])
    row += 1
    line = page.line
    put(["ครัวเรือนที่ติดตาม", line.followed])
    put(["พบในการสำรวจปีถัดไป", line.found])
    put(["พ้นความยากจน (ครัวเรือน)", line.escaped])
    put(["พ้นความยากจน (ร้อยละ)", _n(line.escaped_pct)])
    put(["อยู่รอด", line.stages["survives"]])
    put(["พอเพียง", line.stages["sufficient"]])
    put(["ยั่งยืน", line.stages["sustainable"]])
    row += 1
    if children:
        put(["พื้นที่", "ครัวเรือนที่ติดตาม", "พบ", "พ้นความยากจน", "ร้อยละ", "อยู่รอด", "พอเพียง", "ยั่งยืน"], bold)
        for label, c in children:
            put(
                [label, c.followed, c.found, c.escaped, _n(c.escaped_pct),
                 c.stages["survives"], c.stages["sufficient"], c.stages["sustainable"]]
            )  # fmt: skip
        row += 1
    put(
        ["ตัวชี้วัด", "ชื่อ", "ขาดแคลนปีก่อน", "พ้น", "ยังขาดแคลน", "ขาดแคลนใหม่",
         "ได้รับความช่วยเหลือ", "พ้น (ได้รับ)", "ร้อยละ (ได้รับ)",
         "ไม่ได้รับ", "พ้น (ไม่ได้รับ)", "ร้อยละ (ไม่ได้รับ)"],
        bold,
    )  # fmt: skip
    for s in page.subjects:
        put(
            [s.subject, s.label, s.deprived_before, s.escaped, s.still, s.newly,
             s.helped, s.helped_escaped, _n(s.helped_pct),
             s.not_helped, s.not_helped_escaped, _n(s.not_helped_pct)]
        )  # fmt: skip
    for title, lines in (("หน่วยงาน", page.agencies), ("โครงการ", page.programmes)):
        row += 1
        put(
            [title, "ตัวชี้วัด/มิติ", "ครัวเรือนที่ได้รับความช่วยเหลือ", "พ้นในปีถัดไป", "ร้อยละ",
             "บาท", "บาทต่อครัวเรือนที่พ้น"],
            bold,
        )  # fmt: skip
        for g in lines:
            put(
                [g.name, g.label, g.households, g.escaped, _n(g.escaped_pct),
                 g.baht, _n(g.baht_per_escaped)]
            )  # fmt: skip
    ws.set_column(0, 0, 34)
    ws.set_column(1, 11, 16)
    wb.close()
    return out.getvalue()
