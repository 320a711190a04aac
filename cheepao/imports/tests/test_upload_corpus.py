"""A corpus of wrong files fed to the list upload, through the page and through the service.

Every file is either read by what its bytes are (whatever its name says) or refused whole
with a Thai sentence that tells the person what to do; never a server error, never part of
a file stored.
"""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.urls import reverse
from django.utils import translation

from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.households.models import HouseholdEvent
from cheepao.imports import contract, services
from cheepao.imports.models import ListEntry, ListImport, RejectedRow, ReviewItem

from . import corpus
from .helpers import HEADER, csv_bytes, first_pin, person_row, refusal, two_households, upload

pytestmark = pytest.mark.django_db

SAVE_AS = "กรุณาเปิดไฟล์ใน Excel แล้วบันทึกเป็น 'Excel Workbook (.xlsx)' หรือ 'CSV UTF-8'"


@pytest.fixture
def province(make_user, sign_in, client, registry):
    user = make_user("province", "34")
    sign_in(client, user)
    return user


def _stored() -> tuple[int, ...]:
    return (
        ListImport.objects.count(),
        RejectedRow.objects.count(),
        ListEntry.objects.count(),
        ReviewItem.objects.count(),
        AuditEvent.objects.count(),
        HouseholdEvent.objects.count(),
    )


def _post(client, content: bytes, name: str):
    return client.post(
        reverse("imports:upload"), {"kind": "thaiqm", "name": "", "file": upload(content, name)}
    )


def _rows() -> tuple[list[list], list]:
    a, b = two_households()
    return [person_row(a, pin=first_pin(a)), person_row(b, house_code=b.house_code)], [a, b]


def _good_files() -> dict[str, bytes]:
    """The same two registry rows, in every form an office might send them."""
    rows, _ = _rows()
    text = csv_bytes(rows).decode("utf-8")
    xlsx = corpus.xlsx_bytes(rows, HEADER)
    thai = csv_bytes(
        rows,
        header=["เลขบัตรประชาชน", "รหัสบ้าน", "ชื่อ", "นามสกุล", "รหัสตำบล", "หมู่ที่", "บ้านเลขที่"],
    )
    return {
        "workbook_named.csv": xlsx,
        "text_named.xlsx": text.encode("utf-8"),
        "excel_csv_utf8.csv": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "tis620.csv": text.encode("cp874"),
        "unicode_text.txt": text.replace(",", "\t").encode("utf-16"),
        "semicolons.csv": text.replace(",", ";").encode("utf-8"),
        "thai_headers.csv": thai,
        "thai_headers.xlsx": corpus.xlsx_bytes(rows, thai.decode().splitlines()[0].split(",")),
    }


def _bad_files() -> list[tuple[str, bytes, str]]:
    """(name, bytes, the Thai sentence the person must read)."""
    rows, _ = _rows()
    xlsx = corpus.xlsx_bytes(rows, HEADER)
    sheet = "xl/worksheets/sheet1.xml"
    long_line = b"pin," + b"x" * 300_000 + b"\n1,2\n"
    return [
        ("empty.csv", b"", "ไฟล์ว่างเปล่า"),
        ("blank.csv", b"  \r\n\r\n ", "ไฟล์ว่างเปล่า"),
        ("bom_only.csv", b"\xef\xbb\xbf", "ไฟล์ว่างเปล่า"),
        ("header_only.xlsx", corpus.xlsx_bytes([], HEADER), "ไฟล์ไม่มีแถวข้อมูล"),
        ("header_only.csv", csv_bytes([]), "ไฟล์ไม่มีแถวข้อมูล"),
        ("locked.xlsx", corpus.encrypted_workbook(), "ไฟล์นี้ตั้งรหัสผ่านไว้จึงอ่านไม่ได้"),
        ("old.xls", corpus.OLD_XLS, "ไม่รองรับไฟล์ Excel แบบเก่า (.xls)"),
        ("bomb.xlsx", corpus.zip_bomb(xlsx), "ถูกบีบอัดแน่นผิดปกติ"),
        ("laughs.xlsx", corpus.billion_laughs(xlsx), "ไฟล์นี้ดูเหมือนไฟล์ Excel (.xlsx) แต่เสียหรือไม่ครบ"),
        (
            "broken_sheet.xlsx",
            corpus.rezip(xlsx, {sheet: b"<worksheet><sheetData><row>"}),
            "ไฟล์นี้ดูเหมือนไฟล์ Excel (.xlsx) แต่เสียหรือไม่ครบ",
        ),
        ("cut.xlsx", xlsx[: len(xlsx) // 2], "ไฟล์นี้ดูเหมือนไฟล์ Excel (.xlsx) แต่เสียหรือไม่ครบ"),
        ("export.xls", corpus.HTML_AS_XLS, "ไฟล์นี้เป็นหน้าเว็บ (HTML) หรือไฟล์ XML"),
        ("export2003.xls", corpus.SPREADSHEET_2003_XML, "ไฟล์นี้เป็นหน้าเว็บ (HTML) หรือไฟล์ XML"),
        ("scan.pdf", corpus.PDF, "ไฟล์นี้เป็นเอกสาร PDF"),
        ("photo.csv", corpus.PNG, "ไม่ใช่ไฟล์ CSV, XLSX หรือ Parquet"),
        ("random.csv", corpus.GARBAGE, "ไม่ใช่ไฟล์ CSV, XLSX หรือ Parquet"),
        ("lists.xlsx", corpus.zip_of({"a.csv": csv_bytes(rows)}), "ไฟล์นี้เป็นไฟล์บีบอัด ZIP"),
        (
            "binary.xlsx",
            corpus.zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\0"}),
            "ไม่รองรับไฟล์ Excel แบบไบนารี (.xlsb)",
        ),
        (
            "calc.xlsx",
            corpus.zip_of(
                {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b""}
            ),
            "ไม่รองรับไฟล์ OpenDocument (.ods",
        ),
        ("parquet.csv", _parquet(), "นำเข้าได้เฉพาะไฟล์ CSV (UTF-8) หรือ XLSX เท่านั้น"),
        (
            "households.csv",
            b"survey_year,hh_id,village_no\n2568,H1,1\n",
            "ยังขาดคอลัมน์ที่จำเป็น: ชื่อ (first_name); นามสกุล (last_name)",
        ),
        (
            "nowhere.csv",
            "เลขบัตรประชาชน,ชื่อ,นามสกุล,หมู่ที่\n3101700012345,ก,ข,1\n".encode(),
            "ไฟล์ต้องมีคอลัมน์รหัสตำบล (subdistrict_code) หรือชื่อตำบล อำเภอ และจังหวัด",
        ),
        ("one_long_line.csv", long_line, ""),
        ("cp1252.csv", "pin,first_name\n1,Zoë ÿ €\n".encode("cp1252") * 3, ""),
    ]


def _parquet() -> bytes:
    buf = io.BytesIO()
    pq.write_table(pa.table({"pin": ["1"]}), buf)
    return buf.getvalue()


GOOD = [
    "workbook_named.csv",
    "text_named.xlsx",
    "excel_csv_utf8.csv",
    "tis620.csv",
    "unicode_text.txt",
    "semicolons.csv",
    "thai_headers.csv",
    "thai_headers.xlsx",
]


@pytest.mark.parametrize("name", GOOD)
def test_good_files_are_read_by_their_content_whatever_their_name(client, province, name):
    content = _good_files()[name]
    _, (a, b) = _rows()
    response = _post(client, content, name)
    assert response.status_code == 302, (name, response.content.decode()[:2000])
    imp = ListImport.objects.get()
    assert (imp.rows_read, imp.rows_rejected, imp.rows_matched) == (2, 0, 2), name
    assert imp.file_name == name
    entries = ListEntry.objects.order_by("row")
    assert [(e.row, e.household_id) for e in entries] == [(2, a.pk), (3, b.pk)]
    names = [(e.data["first_name"], e.data["last_name"]) for e in entries]
    members = [a.members.exclude(pin="").order_by("member_no").first()]
    members.append(b.members.exclude(pin="").order_by("member_no").first())
    assert names == [(m.first_name, m.last_name) for m in members]


def test_bad_files_get_a_thai_message_and_store_nothing(client, province):
    for name, content, message in _bad_files():
        before = _stored()
        response = _post(client, content, name)
        html = refusal(client, response)
        if message:
            assert message in html, (name, html[html.find("errorlist") :][:600])
        assert _stored() == before, name


def test_the_service_refuses_every_bad_file_and_raises_nothing_else(province):
    with translation.override("th"):
        for name, content, message in _bad_files():
            before = _stored()
            with pytest.raises(services.ImportRefused) as e:
                services.list_import(
                    ctx=Context.cli(province), upload=upload(content, name), name="", kind="thaiqm"
                )
            assert str(e.value), name
            if message:
                assert message in str(e.value), (name, str(e.value))
            assert _stored() == before, name


def test_the_service_reads_every_good_file(province):
    for name, content in _good_files().items():
        imp = services.list_import(
            ctx=Context.cli(province), upload=upload(content, name), name="", kind="thaiqm"
        )
        assert (imp.rows_read, imp.rows_rejected, imp.rows_matched) == (2, 0, 2), name


def test_legacy_encodings_say_how_they_were_read(client, province):
    rows, _ = _rows()
    _post(client, csv_bytes(rows).decode().encode("cp874"), "tis620.csv")
    imp = ListImport.objects.get()
    page = client.get(reverse("imports:detail", args=[imp.pk])).content.decode()
    assert "ไฟล์นี้ไม่ใช่ UTF-8 จึงอ่านเป็นภาษาไทยแบบ TIS-620 (Windows-874)" in page


def test_too_many_rows_and_too_many_bytes_are_refused_whole(client, province, monkeypatch):
    rows, _ = _rows()
    monkeypatch.setattr(contract, "MAX_ROWS", 1)
    for name, content in (
        ("two.csv", csv_bytes(rows)),
        ("two.xlsx", corpus.xlsx_bytes(rows, HEADER)),
    ):
        before = _stored()
        response = _post(client, content, name)
        assert "ไฟล์มีข้อมูลเกิน 1 แถว กรุณาแบ่งเป็นหลายไฟล์" in refusal(client, response), name
        assert _stored() == before
    monkeypatch.setattr(contract, "MAX_ROWS", 200_000)
    monkeypatch.setattr(contract, "MAX_BYTES", 100)
    response = _post(client, csv_bytes(rows), "big.csv")
    assert response.status_code == 400
    assert "ไฟล์มีขนาดเกิน" in response.content.decode()
    assert not ListImport.objects.exists()


def test_a_nul_character_deep_in_a_text_file_is_not_stored(client, province):
    """The first 64 KB decide the kind; a NUL further on is dropped from the values, as
    PostgreSQL would refuse it."""
    rows, (a, _) = _rows()
    filler = [[*rows[0], "x" * 200]] * 400
    response = _post(
        client, csv_bytes([*filler, [*rows[0], "ย้าย\x00แล้ว"]], [*HEADER, "note"]), "nul.csv"
    )
    assert response.status_code == 302
    entry = ListEntry.objects.get(row=402)
    assert entry.household_id == a.pk and entry.data["note"] == "ย้ายแล้ว"
