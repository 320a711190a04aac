"""The columns a list file may have, as data: one table read by the engine's survey readers.

The same `Column` type as the survey contract (`cheepao.engine.contract`) is used, so the
readers type and compact the cells exactly as they do for a survey delivery, and a reason
reads the same whether it came from a survey file or a list. A row needs a national ID or
a house code (or both) to be matched to the registry; names, subdistrict and village are
required because a row that matches nothing has to be findable in the field.

The problem dimensions and indicators a ThaiQM list gives are kept with the row as the
list reported them: they are claims for the ศจพ.1 visit to confirm, not registry problems.
"""

from __future__ import annotations

from cheepao.engine.api import CODE, INT, STR, Column, Table

from .models import ListKind

PIN = "pin"
HOUSE_CODE = "house_code"
#: Every row needs at least one of these.
KEYS = (PIN, HOUSE_CODE)
#: Cells holding several codes (ThaiQM): split on commas, semicolons or spaces.
MULTI = ("dimensions", "indicators")

LIST = Table(
    "list",
    key=(),
    columns=(
        Column(PIN, STR, False, "National ID (13 digits)", "เลขประจำตัวประชาชน", pattern=r"\d{13}"),
        Column(
            HOUSE_CODE, STR, False, "DOPA house code (11 digits)", "รหัสประจำบ้าน", pattern=r"\d{11}"
        ),
        Column("first_name", STR, True, "First name", "ชื่อ"),
        Column("last_name", STR, True, "Last name", "นามสกุล"),
        Column(
            "subdistrict_code",
            STR,
            True,
            "DOPA subdistrict code (6 digits)",
            "รหัสตำบล",
            pattern=r"\d{6}",
        ),
        Column("village_no", INT, True, "Village number", "หมู่ที่", min=1, max=99),
        Column("house_no", STR, False, "House number", "บ้านเลขที่"),
        Column(
            "list_kind",
            CODE,
            False,
            "List kind, when it differs from the upload's",
            "ประเภทบัญชีรายชื่อ",
            codes=tuple(ListKind.values),
        ),
        Column(
            "dimensions",
            STR,
            False,
            "Problem dimensions (ThaiQM), e.g. health, income",
            "มิติที่มีปัญหา (ThaiQM)",
        ),
        Column(
            "indicators",
            STR,
            False,
            "Failing indicators (ThaiQM), e.g. H2, I3",
            "ตัวชี้วัดที่ตกเกณฑ์ (ThaiQM)",
        ),
        Column("note", STR, False, "Note", "หมายเหตุ"),
    ),
)

#: Reasons the list adds to the engine's `validate.REASONS` (same wording style, both languages).
REASONS: dict[str, tuple[str, str]] = {
    "missing_key": (
        "The row has neither a national ID (pin) nor a house code (house_code): "
        "it cannot be matched to the registry.",
        "แถวนี้ไม่มีทั้งเลขประจำตัวประชาชน (pin) และรหัสประจำบ้าน (house_code) จึงจับคู่กับทะเบียนไม่ได้",
    ),
    "outside_area": (
        "This subdistrict is outside your area ({area}).",
        "ตำบลนี้อยู่นอกพื้นที่ที่ท่านรับผิดชอบ ({area})",
    ),
}

#: Upload limits: bigger files are refused whole, before anything is read.
MAX_BYTES = 25 * 1024 * 1024
ACCEPTED_FORMATS = ("csv", "xlsx")
