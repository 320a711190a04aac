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
SUBDISTRICT_CODE = "subdistrict_code"
#: Where a row is: the subdistrict code, or (as real exports give it) the names of the
#: subdistrict, district and province, which the reader looks the code up by.
SUBDISTRICT_NAMES = ("subdistrict", "district", "province")
#: Every row needs at least one of these.
KEYS = (PIN, HOUSE_CODE)
#: Cells holding several codes (ThaiQM): split on commas, semicolons or spaces.
MULTI = ("dimensions", "indicators")

#: Header names accepted besides the column name: the Thai headings of real ThaiQM and
#: provincial exports, and common English spellings. Matched trimmed, in any case, with
#: inner spaces as one (`readers.common.match_header`).
ALIASES: dict[str, tuple[str, ...]] = {
    PIN: (
        "เลขประจำตัวประชาชน",
        "เลขบัตรประชาชน",
        "เลขบัตรประจำตัวประชาชน",
        "เลขที่บัตรประชาชน",
        "เลขประจำตัวประชาชน 13 หลัก",
        "เลขบัตรประชาชน 13 หลัก",
        "เลข ปชช.",
        "national_id",
        "citizen_id",
        "id_card",
    ),
    HOUSE_CODE: ("รหัสประจำบ้าน", "รหัสบ้าน", "เลขรหัสประจำบ้าน", "house_id"),
    "first_name": ("ชื่อ", "ชื่อตัว", "firstname", "first name"),
    "last_name": ("นามสกุล", "สกุล", "ชื่อสกุล", "lastname", "last name", "surname"),
    "subdistrict_code": ("รหัสตำบล", "รหัสตำบล (6 หลัก)", "tambon_code"),
    "subdistrict": ("ตำบล", "แขวง", "ชื่อตำบล", "tambon"),
    "district": ("อำเภอ", "เขต", "ชื่ออำเภอ", "amphoe"),
    "province": ("จังหวัด", "ชื่อจังหวัด", "changwat"),
    "village_no": ("หมู่ที่", "หมู่", "ม.", "moo", "village"),
    "house_no": ("บ้านเลขที่", "เลขที่บ้าน", "เลขที่", "house number"),
    "list_kind": ("ประเภทบัญชีรายชื่อ", "ประเภทบัญชี"),
    "dimensions": ("มิติที่มีปัญหา", "มิติ", "ปัญหา", "สภาพปัญหา", "ด้านที่มีปัญหา"),
    "indicators": ("ตัวชี้วัดที่ตกเกณฑ์", "ตัวชี้วัด", "ตัวชี้วัดที่ไม่ผ่าน"),
    "note": ("หมายเหตุ",),
}


def is_thai(heading: str) -> bool:
    """A heading written in Thai script (the upload page shows these on the Thai page and
    the others on the English one; both are accepted whatever the page's language)."""
    return any("\u0e00" <= ch <= "\u0e7f" for ch in heading)


def headings(column: Column, *, thai: bool) -> tuple[str, ...]:
    """The other headings `column` is accepted under, in one language."""
    return tuple(a for a in column.aliases if is_thai(a) == thai)


LIST = Table(
    "list",
    key=(),
    columns=(
        Column(
            PIN,
            STR,
            False,
            "National ID (13 digits)",
            "เลขประจำตัวประชาชน",
            pattern=r"\d{13}",
            aliases=ALIASES[PIN],
        ),
        Column(
            HOUSE_CODE,
            STR,
            False,
            "DOPA house code (11 digits)",
            "รหัสประจำบ้าน",
            pattern=r"\d{11}",
            aliases=ALIASES[HOUSE_CODE],
        ),
        Column("first_name", STR, True, "First name", "ชื่อ", aliases=ALIASES["first_name"]),
        Column("last_name", STR, True, "Last name", "นามสกุล", aliases=ALIASES["last_name"]),
        Column(
            "subdistrict_code",
            STR,
            False,
            "DOPA subdistrict code (6 digits), or the names in the next three columns",
            "รหัสตำบล (6 หลัก) หรือชื่อตำบล อำเภอ จังหวัด ในสามคอลัมน์ถัดไป",
            pattern=r"\d{6}",
            aliases=ALIASES["subdistrict_code"],
        ),
        Column(
            "subdistrict",
            STR,
            False,
            "Subdistrict name, when there is no subdistrict_code",
            "ชื่อตำบล (เมื่อไม่มีรหัสตำบล)",
            aliases=ALIASES["subdistrict"],
        ),
        Column(
            "district",
            STR,
            False,
            "District name: tells apart subdistricts of the same name",
            "ชื่ออำเภอ ใช้แยกตำบลที่ชื่อซ้ำกัน",
            aliases=ALIASES["district"],
        ),
        Column(
            "province",
            STR,
            False,
            "Province name: tells apart subdistricts of the same name",
            "ชื่อจังหวัด ใช้แยกตำบลที่ชื่อซ้ำกัน",
            aliases=ALIASES["province"],
        ),
        Column(
            "village_no",
            INT,
            True,
            "Village number",
            "หมู่ที่",
            min=1,
            max=99,
            aliases=ALIASES["village_no"],
        ),
        Column("house_no", STR, False, "House number", "บ้านเลขที่", aliases=ALIASES["house_no"]),
        Column(
            "list_kind",
            CODE,
            False,
            "List kind, when it differs from the upload's",
            "ประเภทบัญชีรายชื่อ",
            codes=tuple(ListKind.values),
            aliases=ALIASES["list_kind"],
        ),
        Column(
            "dimensions",
            STR,
            False,
            "Problem dimensions (ThaiQM), e.g. health, income",
            "มิติที่มีปัญหา (ThaiQM)",
            aliases=ALIASES["dimensions"],
        ),
        Column(
            "indicators",
            STR,
            False,
            "Failing indicators (ThaiQM), e.g. H2, I3",
            "ตัวชี้วัดที่ตกเกณฑ์ (ThaiQM)",
            aliases=ALIASES["indicators"],
        ),
        Column("note", STR, False, "Note", "หมายเหตุ", aliases=ALIASES["note"]),
    ),
)

#: Reasons the list adds to the engine's `validate.REASONS` (same wording style, both languages).
REASONS: dict[str, tuple[str, str]] = {
    "missing_key": (
        "The row has neither a national ID (pin) nor a house code (house_code): "
        "it cannot be matched to the registry.",
        "แถวนี้ไม่มีทั้งเลขประจำตัวประชาชน (pin) และรหัสประจำบ้าน (house_code) จึงจับคู่กับทะเบียนไม่ได้",
    ),
    "unknown_subdistrict_name": (
        "No subdistrict of this name{where} is known: check the spelling, or give the "
        "subdistrict_code.",
        "ไม่พบตำบลชื่อนี้{where_th} กรุณาตรวจการสะกด หรือระบุรหัสตำบล (subdistrict_code)",
    ),
    "ambiguous_subdistrict": (
        "{n} subdistricts have this name{where}: add the district (อำเภอ) and province "
        "(จังหวัด) columns, or give the subdistrict_code.",
        "มีตำบลชื่อนี้ {n} แห่ง{where_th} กรุณาเพิ่มคอลัมน์อำเภอและจังหวัด หรือระบุรหัสตำบล (subdistrict_code)",
    ),
    "outside_area": (
        "This subdistrict is outside your area ({area}).",
        "ตำบลนี้อยู่นอกพื้นที่ที่ท่านรับผิดชอบ ({area})",
    ),
}

#: Upload limits: bigger files are refused whole, before anything is read. 200,000 rows
#: hold a whole country's ThaiQM list of a phase (85,300 households in 2565, seed 002).
MAX_BYTES = 25 * 1024 * 1024
MAX_ROWS = 200_000
#: What an XLSX list may unpack to: 200,000 rows of these columns fit in well under this.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
ACCEPTED_FORMATS = ("csv", "xlsx")
