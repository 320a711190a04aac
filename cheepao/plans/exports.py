"""The area's development plan as files: a workbook (xlsxwriter, every cell data through
the one safe-cell helper: agency names and area names are text, never a formula) and an
A4 PDF in Thai (WeasyPrint, the Thai fonts of Debian's fonts-thai-tlwg)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from cheepao.engine.api import cells
from cheepao.plans.models import PlanItem
from cheepao.plans.selectors import RollUp
from cheepao.plans.stages import DIMENSION_NAMES

PDF_CSS = Path(__file__).with_name("pdf") / "area.css"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["ความต้องการ", "ครัวเรือน", "รายการ", "เสร็จแล้ว", "ครัวเรือน (รอพิจารณา)", "รายการ (รอพิจารณา)"]


def _sections(roll: RollUp) -> list[tuple[str, list[tuple[str, Any]]]]:
    helps = dict(PlanItem.Help.choices)
    from cheepao.geo.selectors import area_label

    out = [
        ("ตามมิติ", [(DIMENSION_NAMES.get(n.key, (n.key,))[0], n) for n in roll.by_dimension]),
        ("ตามประเภทความช่วยเหลือ", [(str(helps.get(n.key, n.key)), n) for n in roll.by_help]),
        ("ตามหน่วยงาน", [(n.key or "พี่เลี้ยง (ไม่ระบุหน่วยงาน)", n) for n in roll.by_agency]),
    ]
    if roll.by_village:
        out.append(("ตามหมู่บ้าน", [(area_label(n.key), n) for n in roll.by_village]))
    return out


def rollup_xlsx(roll: RollUp, *, name: str, user: Any) -> bytes:
    import xlsxwriter

    from cheepao.core.thai import be_datetime

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, **cells.XLSXWRITER_OPTIONS})
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet("แผนพัฒนา")
    with translation.override("th"):
        sections = _sections(roll)
        made = be_datetime(timezone.now())
    row = 0

    def put(values: list[Any], fmt: Any = None) -> None:
        nonlocal row
        for col, value in enumerate(values):
            ws.write(row, col, cells.xlsx_text(value), fmt)
        row += 1

    put([f"แผนพัฒนาจากแผนครัวเรือน {name}"], bold)
    put([f"ออกโดย {user.get_full_name() or user.username} เมื่อ {made}"])
    put(
        [
            "แผนที่อนุมัติแล้ว",
            roll.plans_approved,
            "แผนที่รอพิจารณา",
            roll.plans_waiting,
            "รายการทั้งหมด",
            roll.items,
        ]
    )
    for title, lines in sections:
        row += 1
        put([title], bold)
        put(HEADER, bold)
        for label, n in lines:
            put(
                [
                    label,
                    n.n_households,
                    n.items,
                    n.done,
                    n.n_households_waiting,
                    n.items_waiting,
                ]
            )
    ws.set_column(0, 0, 48)
    ws.set_column(1, 5, 14)
    wb.close()
    return out.getvalue()


def rollup_pdf(
    roll: RollUp, *, name: str, user: Any, request: Any = None, uncompressed: bool = False
) -> bytes:
    from weasyprint import CSS, HTML

    from cheepao.core.thai import be_datetime

    with translation.override("th"):
        html = render_to_string(
            "plans/area_pdf.html",
            {
                "roll": roll,
                "name": name,
                "sections": _sections(roll),
                "header": HEADER,
                "maker": user.get_full_name() or user.username,
                "made": be_datetime(timezone.now()),
            },
        )
    return HTML(string=html).write_pdf(
        stylesheets=[CSS(filename=str(PDF_CSS))], uncompressed_pdf=uncompressed
    )
