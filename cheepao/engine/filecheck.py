"""What a file really is, decided by its first bytes, never by its name.

People save files with whatever name the last program offered: an Excel workbook called
`list.csv`, a CSV called `list.xlsx`, a government system's "Excel export" that is an HTML
page called `.xls`, a workbook with a password. The readers ask `kind_of` first, so each
is either read by what it is or refused with a sentence that says what to do, in Thai and
English, before any parser sees it.

A workbook is a ZIP archive, and a ZIP can unpack to far more than it weighs (a "zip
bomb"). `check_xlsx` reads only the archive's directory and refuses a workbook that would
unpack to more than a set size, at a ratio no spreadsheet has, or into too many parts,
before openpyxl opens it. The sizes in the directory are safe to trust: Python's zipfile
never inflates a member past its declared size (it stops there and fails the CRC check).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97-2003 files, and encrypted OOXML
ZIP_STARTS = (b"PK\x03\x04", b"PK\x05\x06")  # a member first, or an empty archive
PARQUET = b"PAR1"
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: Names of the streams an encrypted Office file keeps its package in (MS-OFFCRYPTO),
#: as they are stored in the compound file's directory (UTF-16LE).
ENCRYPTED_STREAMS = tuple(n.encode("utf-16-le") for n in ("EncryptedPackage", "EncryptionInfo"))

#: A workbook may unpack to at most this much (all parts together) by default; callers
#: that expect small files (an uploaded list) pass a lower limit.
XLSX_MAX_UNPACKED = 1 << 30
#: No part bigger than `RATIO_FLOOR` may be more than this many times its packed size:
#: spreadsheet XML packs about 5-20 times; a zip bomb packs a thousand times and more.
XLSX_MAX_RATIO = 100
RATIO_FLOOR = 1 << 20
XLSX_MAX_PARTS = 10_000

HEAD_BYTES = 64 << 10


@dataclass(frozen=True)
class Refusal:
    """Why a file cannot be read, as a reason code and a sentence in each language."""

    code: str
    en: str
    th: str


UNREADABLE = "unreadable_file"
EMPTY = "empty_file"
PASSWORD = "password_protected"
TOO_BIG = "unpacks_too_big"

_SAVE_AS_EN = "open it in Excel and save it as 'Excel Workbook (.xlsx)' or 'CSV UTF-8'"
_SAVE_AS_TH = "กรุณาเปิดไฟล์ใน Excel แล้วบันทึกเป็น 'Excel Workbook (.xlsx)' หรือ 'CSV UTF-8'"

EMPTY_FILE = Refusal(EMPTY, "the file is empty", "ไฟล์ว่างเปล่า")
ENCRYPTED = Refusal(
    PASSWORD,
    "the workbook is protected with a password, so it cannot be read: remove the password "
    "(File > Info > Protect Workbook > Encrypt with Password, leave it blank) and upload it again",
    "ไฟล์นี้ตั้งรหัสผ่านไว้จึงอ่านไม่ได้ กรุณาเอารหัสผ่านออกก่อน (ไฟล์ > ข้อมูล > ป้องกันเวิร์กบุ๊ก > "
    "เข้ารหัสด้วยรหัสผ่าน แล้วลบรหัสผ่านให้ว่าง) แล้วส่งไฟล์อีกครั้ง",
)
OLD_OFFICE = Refusal(
    UNREADABLE,
    f"old Excel .xls files (and other Office 97-2003 files) are not supported: {_SAVE_AS_EN}",
    f"ไม่รองรับไฟล์ Excel แบบเก่า (.xls) หรือไฟล์ Office 97-2003 อื่น ๆ {_SAVE_AS_TH}",
)
WEB_PAGE = Refusal(
    UNREADABLE,
    "this is a web page (HTML) or an XML file, not a spreadsheet, even if its name says "
    f"Excel (many systems export tables this way): {_SAVE_AS_EN}",
    "ไฟล์นี้เป็นหน้าเว็บ (HTML) หรือไฟล์ XML ไม่ใช่ตารางคำนวณ แม้ชื่อไฟล์จะเป็นของ Excel "
    f"(หลายระบบส่งออกตารางแบบนี้) {_SAVE_AS_TH}",
)
PDF = Refusal(
    UNREADABLE,
    "this is a PDF document: a table in a PDF cannot be read; upload the spreadsheet it "
    "was made from (.xlsx or CSV UTF-8)",
    "ไฟล์นี้เป็นเอกสาร PDF ซึ่งอ่านตารางข้อมูลไม่ได้ กรุณาส่งไฟล์ตารางต้นฉบับ (.xlsx หรือ CSV UTF-8)",
)
NOT_A_TABLE = Refusal(
    UNREADABLE, "not a CSV, XLSX or Parquet file", "ไม่ใช่ไฟล์ CSV, XLSX หรือ Parquet"
)
DAMAGED_XLSX = Refusal(
    UNREADABLE,
    "the file looks like an Excel workbook (.xlsx) but is damaged or incomplete: "
    "open it in Excel, save it again and upload the new file",
    "ไฟล์นี้ดูเหมือนไฟล์ Excel (.xlsx) แต่เสียหรือไม่ครบ กรุณาเปิดใน Excel บันทึกใหม่ แล้วส่งไฟล์ใหม่อีกครั้ง",
)
XLSB = Refusal(
    UNREADABLE,
    f"Excel binary workbooks (.xlsb) are not supported: {_SAVE_AS_EN}",
    f"ไม่รองรับไฟล์ Excel แบบไบนารี (.xlsb) {_SAVE_AS_TH}",
)
OPENDOCUMENT = Refusal(
    UNREADABLE,
    "OpenDocument files (.ods, LibreOffice) are not supported: save it as "
    "'Excel 2007-365 (.xlsx)' or as CSV UTF-8",
    "ไม่รองรับไฟล์ OpenDocument (.ods ของ LibreOffice) กรุณาบันทึกเป็น 'Excel 2007-365 (.xlsx)' "
    "หรือ CSV UTF-8",
)
NOT_A_WORKBOOK = Refusal(
    UNREADABLE,
    "this is a ZIP archive (or a Word or PowerPoint file), not an Excel workbook: "
    "upload the .xlsx or CSV file itself",
    "ไฟล์นี้เป็นไฟล์บีบอัด ZIP (หรือไฟล์ Word/PowerPoint) ไม่ใช่ไฟล์ Excel กรุณาส่งไฟล์ .xlsx หรือ CSV โดยตรง",
)


def too_big(limit: int) -> Refusal:
    mb = max(1, limit >> 20)
    return Refusal(
        TOO_BIG,
        f"the workbook would unpack to more than {mb:,} MB, or is packed far tighter than "
        "any spreadsheet, so it was not opened: split the data into smaller files or save "
        "it as CSV UTF-8",
        f"ไฟล์ Excel นี้เมื่อแตกออกจะมีขนาดเกิน {mb:,} MB หรือถูกบีบอัดแน่นผิดปกติ จึงไม่เปิดอ่าน "
        "กรุณาแบ่งข้อมูลเป็นหลายไฟล์ หรือบันทึกเป็น CSV UTF-8",
    )


def _has_encrypted_streams(path: Path) -> bool:
    """An OLE2 file holding the streams of an encrypted OOXML package (a workbook saved
    with a password). The directory can sit anywhere in the file, so look through it all,
    a block at a time."""
    keep = max(len(n) for n in ENCRYPTED_STREAMS)
    tail = b""
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            data = tail + block
            if any(n in data for n in ENCRYPTED_STREAMS):
                return True
            tail = data[-keep:]
    return False


def _looks_like_markup(head: bytes) -> bool:
    text = head[len(UTF8_BOM) :] if head.startswith(UTF8_BOM) else head
    text = text.lstrip().lower()
    return text.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<head", b"<meta"))


def kind_of(path: Path) -> str | Refusal:
    """'csv', 'xlsx' or 'parquet' as the file's bytes say, or why it cannot be read."""
    with open(path, "rb") as f:
        head = f.read(HEAD_BYTES)
    if not head.strip():
        return EMPTY_FILE
    if head.startswith(OLE2):
        return ENCRYPTED if _has_encrypted_streams(path) else OLD_OFFICE
    if head.startswith(ZIP_STARTS):
        return "xlsx"
    if head.startswith(PARQUET):
        return "parquet"
    if head.startswith(b"%PDF"):
        return PDF
    if head[:2] in UTF16_BOMS:
        return "csv"
    if _looks_like_markup(head):
        return WEB_PAGE
    if b"\x00" in head:  # pictures, programs, archives of other kinds, random bytes
        return NOT_A_TABLE
    return "csv"


def check_xlsx(path: Path, max_unpacked: int | None = None) -> Refusal | None:
    """Refuse a ZIP that is no workbook, or that would unpack to too much, from its
    directory alone; None when openpyxl may open it."""
    limit = max_unpacked or XLSX_MAX_UNPACKED
    try:
        with zipfile.ZipFile(path) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return DAMAGED_XLSX
    names = {p.filename.lower() for p in parts}
    if "xl/workbook.bin" in names:
        return XLSB
    if "mimetype" in names and any(n.startswith("content.xml") for n in names):
        return OPENDOCUMENT
    if "[content_types].xml" not in names:
        return NOT_A_WORKBOOK
    if not any(n.startswith("xl/") for n in names):
        return NOT_A_WORKBOOK
    if any(p.flag_bits & 0x1 for p in parts):
        return ENCRYPTED
    if len(parts) > XLSX_MAX_PARTS or sum(p.file_size for p in parts) > limit:
        return too_big(limit)
    for p in parts:
        if p.file_size > RATIO_FLOOR and p.file_size > XLSX_MAX_RATIO * max(p.compress_size, 1):
            return too_big(limit)
    return None
