"""Wrong files, as offices really send them, built in memory for the upload tests.

Each maker returns bytes; none needs a program or package beyond what the platform uses.
"""

from __future__ import annotations

import io
import struct
import zipfile

from openpyxl import Workbook

FREE, END, FAT_SECT, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def xlsx_bytes(rows: list[list], header: list[str]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rezip(xlsx: bytes, replace: dict[str, bytes] | None = None, add: dict | None = None) -> bytes:
    """The workbook's parts re-packed, some replaced or added (deflated)."""
    replace, add = replace or {}, add or {}
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            z.writestr(name, replace.get(name, src.read(name)))
        for name, data in add.items():
            z.writestr(name, data)
    return out.getvalue()


def zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def zip_bomb(xlsx: bytes, mb: int = 64) -> bytes:
    """A real workbook whose sheet is padded with `mb` MB of blanks: a few hundred KB that
    unpack a thousand times over."""
    sheet = zipfile.ZipFile(io.BytesIO(xlsx)).read("xl/worksheets/sheet1.xml")
    head, _, tail = sheet.partition(b"<sheetData>")
    padded = head + b" " * (mb << 20) + b"<sheetData>" + tail
    return rezip(xlsx, replace={"xl/worksheets/sheet1.xml": padded})


def billion_laughs(xlsx: bytes) -> bytes:
    """The sheet XML replaced by the classic entity-expansion attack."""
    entities = ['<!ENTITY lol0 "lollollollollollollollollollol">']
    entities += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    xml = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [' + "".join(entities) + "]>"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return rezip(xlsx, replace={"xl/worksheets/sheet1.xml": xml.encode()})


def _dir_entry(name: str, kind: int, *, right=NO_STREAM, child=NO_STREAM, start=END, size=0):
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", NO_STREAM, right, child)
        + b"\0" * 16  # CLSID
        + b"\0" * 4  # state bits
        + b"\0" * 16  # creation and modification times
        + struct.pack("<IQ", start, size)
    )


def encrypted_workbook() -> bytes:
    """What Excel writes for a workbook saved with a password to open: an OLE2 compound
    file (MS-CFB, version 3) whose streams are EncryptionInfo and EncryptedPackage."""
    sector = 512
    info, package = b"\x04\x00\x04\x00" + b"\x00" * 4092, b"\x11" * 4096
    fat = [FAT_SECT, END, *range(3, 10), END, *range(11, 18), END]
    fat += [FREE] * (sector // 4 - len(fat))
    directory = (
        _dir_entry("Root Entry", 5, child=1)
        + _dir_entry("EncryptionInfo", 2, right=2, start=2, size=len(info))
        + _dir_entry("EncryptedPackage", 2, start=10, size=len(package))
        + _dir_entry("", 0)
    )
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 0x1000, END, 0, END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", FREE) * 108
    )
    assert len(header) == sector and len(directory) == sector
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory + info + package


OLD_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "Workbook".encode("utf-16-le")
HTML_AS_XLS = (
    "<html xmlns:x='urn:schemas-microsoft-com:office:excel'><head><meta charset='utf-8'>"
    "</head><body><table><tr><td>เลขประจำตัวประชาชน</td><td>ชื่อ</td></tr>"
    "<tr><td>3101700012345</td><td>สมชาย</td></tr></table></body></html>"
).encode()
SPREADSHEET_2003_XML = (
    b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
    b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>'
)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
GARBAGE = bytes(range(256)) * 64
