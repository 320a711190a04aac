"""List imports through HTTP: bad rows, matching, the review queue, refusals."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from cheepao.accounts.roles import Role
from cheepao.audit.models import AuditEvent
from cheepao.households.models import Household, HouseholdEvent
from cheepao.imports.models import ListEntry, ListImport, RejectedRow, ReviewItem
from cheepao.jobs.models import Job

from .helpers import (
    HEADER,
    csv_bytes,
    first_pin,
    person_row,
    refusal,
    two_households,
    upload,
    valid_pin,
    wrong_check_digit,
)

pytestmark = pytest.mark.django_db

NOT_IN_REGISTRY = valid_pin("399999999999")


@pytest.fixture
def province(make_user, sign_in, client, registry):
    user = make_user(Role.PROVINCE, "34")
    sign_in(client, user)
    return user


def _post(client, content: bytes, name: str = "list.csv", kind: str = "thaiqm", title="ThaiQM"):
    return client.post(
        reverse("imports:upload"),
        {"kind": kind, "name": title, "file": upload(content, name)},
    )


def _stored() -> tuple[int, ...]:
    return (
        ListImport.objects.count(),
        RejectedRow.objects.count(),
        ListEntry.objects.count(),
        ReviewItem.objects.count(),
        AuditEvent.objects.count(),
        HouseholdEvent.objects.count(),
    )


def test_bad_rows_are_reported_one_by_one_and_good_rows_kept(client, province):
    a, b = two_households()
    header = [*HEADER, "indicators"]
    good_a = [*person_row(a, pin=first_pin(a)), "H2, i3"]
    bad_pin = [*person_row(a, pin=wrong_check_digit(first_pin(a))), ""]
    no_name = [*person_row(a, pin=first_pin(a)), ""]
    no_name[2] = ""
    bad_village = [*person_row(a, pin=first_pin(a)), ""]
    bad_village[5] = "หมู่ห้า"
    outside = [*person_row(a, pin=NOT_IN_REGISTRY), ""]
    outside[4] = "100101"  # Phra Borom Maha Ratchawang, Bangkok
    no_key = [*person_row(a), ""]
    good_b = [*person_row(b, house_code=b.house_code), ""]
    not_found = [*person_row(a, pin=NOT_IN_REGISTRY), ""]
    bad_indicator = [*person_row(b, house_code=b.house_code), "H2, Z9"]
    unknown_sub = [*person_row(a, pin=NOT_IN_REGISTRY), ""]
    unknown_sub[4] = "349999"
    content = csv_bytes(
        [
            good_a,
            bad_pin,
            no_name,
            bad_village,
            outside,
            no_key,
            good_b,
            not_found,
            bad_indicator,
            unknown_sub,
        ],
        header,
    )
    content += b"1,2,3,4,5,6,7,8,9\n"  # row 12: more fields than the header

    response = _post(client, content, name="thaiqm_34.csv")

    imp = ListImport.objects.get()
    job = Job.objects.get()
    # The upload starts a background job (run at once in the tests); its page links to the
    # import once the work is done.
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.state, job.started_by) == ("imports.list_import", "done", imp.uploaded_by)
    assert job.result == {
        "import": imp.pk,
        "rows_read": 11,
        "rows_rejected": 8,
        "rows_matched": 2,
        "rows_queued": 1,
    }
    job_page = client.get(response["Location"]).content.decode()
    assert f'href="{reverse("imports:detail", args=[imp.pk])}"' in job_page
    assert "เสร็จแล้ว" in job_page and "11 จาก 11" in job_page
    assert (imp.rows_read, imp.rows_rejected, imp.rows_matched, imp.rows_queued) == (11, 8, 2, 1)
    rejects = list(
        RejectedRow.objects.order_by("row", "id").values_list(
            "row", "column", "value", "code", "reason_th"
        )
    )
    codes = ", ".join(
        [
            "A1",
            "A2",
            "E1",
            "E2",
            "E3",
            "E4",
            "H1",
            "H2",
            "H3",
            "H4",
            "I1",
            "I2",
            "I3",
            "L1",
            "L2",
            "L3",
            "L4",
        ]
    )
    assert rejects == [
        (
            3,
            "pin",
            wrong_check_digit(first_pin(a)),
            "pin_check_digit",
            "หลักสุดท้ายของเลขประจำตัวประชาชนไม่ตรงกับหลักตรวจสอบ น่าจะพิมพ์เลขผิด",
        ),
        (4, "first_name", "", "missing_value", "ต้องกรอก ชื่อ (first_name) แต่ช่องนี้ว่าง"),
        (5, "village_no", "หมู่ห้า", "not_integer", "หมู่ที่ (village_no) ต้องเป็นจำนวนเต็ม"),
        (6, "subdistrict_code", "100101", "outside_area", "ตำบลนี้อยู่นอกพื้นที่ที่ท่านรับผิดชอบ (34)"),
        (
            7,
            "",
            "",
            "missing_key",
            "แถวนี้ไม่มีทั้งเลขประจำตัวประชาชน (pin) และรหัสประจำบ้าน (house_code) จึงจับคู่กับทะเบียนไม่ได้",
        ),
        (
            10,
            "indicators",
            "Z9",
            "unknown_code",
            f"ตัวชี้วัดที่ตกเกณฑ์ (ThaiQM) (indicators) ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: {codes}",
        ),
        (
            11,
            "subdistrict_code",
            "349999",
            "unknown_subdistrict",
            "ไม่มีตำบลที่ใช้รหัสนี้ (รหัสตำบลของกรมการปกครอง)",
        ),
        (
            12,
            "",
            "1,2,3,4,5,6,7,8,9",
            "malformed_line",
            "อ่านบรรทัดนี้เป็นแถวข้อมูลไม่ได้: มี 9 ช่อง แต่หัวตารางมี 8 ช่อง",
        ),
    ]
    entries = list(
        ListEntry.objects.order_by("row").values_list("row", "household", "matched_by", "kind")
    )
    assert entries == [(2, a.pk, "pin", "thaiqm"), (8, b.pk, "house_code", "thaiqm")]
    assert ListEntry.objects.get(row=2).data["indicators"] == ["H2", "I3"]
    item = ReviewItem.objects.get()
    assert (item.row, item.reason, item.status, item.village_code, item.candidates) == (
        9,
        "not_found",
        "open",
        a.village_code,
        [],
    )
    # The source of the registry household stays what it was.
    assert set(Household.objects.filter(pk__in=[a.pk, b.pk]).values_list("source", flat=True)) == {
        "survey"
    }

    upload_event = AuditEvent.objects.get(object_type="imports.listimport")
    assert (upload_event.action, upload_event.actor, upload_event.area_code) == (
        "import",
        province,
        "34",
    )
    assert upload_event.changes["rows_read"] == 11 and upload_event.changes["rows_matched"] == 2
    for h, row in ((a, 2), (b, 8)):
        event = AuditEvent.objects.get(object_type="households.household", object_id=str(h.pk))
        assert event.action == "import" and event.area_code == h.village_code
        assert event.changes["rows"] == [row]
        # …and the household's history tells it, the list by its kind and name.
        (told,) = HouseholdEvent.objects.filter(household=h).exclude(kind="loaded")
        assert (told.kind, told.actor) == ("imports.listed", province)
        assert told.data == {
            "list_import": imp.pk,
            "list_kind": "thaiqm",
            "name": imp.name,
            "rows": [row],
        }
        with translation.override("th"):
            assert told.text == f"พบในบัญชีรายชื่อ (ThaiQM) “{imp.name}” แถวที่ {row}"

    page = client.get(reverse("imports:detail", args=[imp.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<dd id="rows-matched">2</dd>' in html and '<dd id="rows-rejected">8</dd>' in html
    assert "หลักสุดท้ายของเลขประจำตัวประชาชนไม่ตรงกับหลักตรวจสอบ" in html
    assert wrong_check_digit(first_pin(a)) not in html  # masked on the page


def test_rejects_csv_has_full_values_and_is_audited(client, province):
    a, _ = two_households()
    bad = wrong_check_digit(first_pin(a))
    _post(client, csv_bytes([person_row(a, pin=bad)]), name="q.csv")
    imp = ListImport.objects.get()
    before = AuditEvent.objects.filter(action="export").count()

    response = client.get(reverse("imports:rejects_csv", args=[imp.pk]))

    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == "file,row,column,value,code,reason_th,reason_en"
    assert lines[1].startswith(f"q.csv,2,pin,{bad},pin_check_digit,")
    assert len(lines) == 2
    event = AuditEvent.objects.filter(action="export").get()
    assert before == 0 and event.object_id == str(imp.pk) and event.actor == province


def test_xlsx_and_csv_with_bom_are_read_alike(client, province):
    a, b = two_households()
    rows = [person_row(a, pin=first_pin(a)), person_row(b, house_code=b.house_code)]
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    assert _post(client, buf.getvalue(), name="list.xlsx", kind="vulnerable").status_code == 302
    assert _post(client, csv_bytes(rows, bom=True), name="list.csv").status_code == 302
    first, second = ListImport.objects.order_by("pk")
    assert (first.rows_read, first.rows_matched, first.kind) == (2, 2, "vulnerable")
    assert (second.rows_read, second.rows_matched, second.kind) == (2, 2, "thaiqm")
    assert list(ListEntry.objects.filter(list_import=first).values_list("kind", flat=True)) == [
        "vulnerable",
        "vulnerable",
    ]


def test_conflicts_go_to_the_review_queue(client, province):
    a, b = two_households()
    pin_a = first_pin(a)
    header = [*HEADER]
    conflict = person_row(a, pin=pin_a, house_code=b.house_code)  # PIN → a, house code → b
    other = valid_pin("312345678901")
    twice_1 = person_row(a, pin=other, house_code=a.house_code)
    twice_2 = person_row(b, pin=other, house_code=b.house_code)
    same = person_row(a, pin=pin_a, house_code=a.house_code)  # agrees: a plain match
    _post(client, csv_bytes([conflict, twice_1, twice_2], header))
    imp = ListImport.objects.get()
    assert (imp.rows_read, imp.rows_rejected, imp.rows_matched, imp.rows_queued) == (3, 0, 0, 3)
    items = list(ReviewItem.objects.order_by("row").values_list("row", "reason", "candidates"))
    both = sorted([a.pk, b.pk])
    assert items == [
        (2, "pin_house", both),
        (3, "pin_two_houses", [a.pk]),
        (4, "pin_two_houses", [b.pk]),
    ]
    assert not ListEntry.objects.exists()

    _post(client, csv_bytes([same]))
    assert ListEntry.objects.get().household_id == a.pk

    page = client.get(reverse("imports:review"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "มีแถวจากบัญชีรายชื่อที่ตรงกับตัวกรองรอการพิจารณา 3 แถว" in html
    assert pin_a not in html  # PINs masked in the queue


@pytest.fixture
def queued(client, province):
    a, b = two_households()
    _post(
        client,
        csv_bytes(
            [
                person_row(a, pin=first_pin(a), house_code=b.house_code),
                person_row(a, pin=NOT_IN_REGISTRY),
            ]
        ),
    )
    return a, b, ReviewItem.objects.get(row=2), ReviewItem.objects.get(row=3)


def _decide(client, item, **data):
    return client.post(reverse("imports:decide", args=[item.pk]), data)


def test_reviewer_links_a_row_to_a_chosen_household(client, province, queued):
    _a, b, conflict, _ = queued
    events = AuditEvent.objects.count()
    response = _decide(client, conflict, decision="link", household=b.pk)
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert (conflict.status, conflict.household_id, conflict.decided_by) == (
        "linked",
        b.pk,
        province,
    )
    entry = ListEntry.objects.get()
    assert (entry.household_id, entry.matched_by, entry.row) == (b.pk, "review", 2)
    event = AuditEvent.objects.latest("id")
    assert AuditEvent.objects.count() == events + 1
    told = HouseholdEvent.objects.filter(household=b).latest("id")
    assert (told.kind, told.data["rows"], told.actor) == ("imports.linked", [2], province)
    assert (event.action, event.object_type, event.object_id) == (
        "import",
        "households.household",
        str(b.pk),
    )

    # Already decided: a second decision changes nothing.
    before = _stored()
    _decide(client, conflict, decision="field_visit")
    conflict.refresh_from_db()
    assert conflict.status == "linked" and _stored() == before


def test_reviewer_links_by_typed_household_id_after_seeing_who_lives_there(
    client, province, queued
):
    a, _, _, unmatched = queued
    before = _stored()
    response = _decide(client, unmatched, decision="link", hh_id=a.hh_id)
    html = response.content.decode()
    assert response.status_code == 200
    head = a.members.get(relation="head")
    assert "ใช่ครัวเรือนนี้หรือไม่" in html and head.full_name in html
    assert "หมู่ที่" in html and "ตำบล" in html  # the area by name, not by code
    unmatched.refresh_from_db()
    assert unmatched.status == "open"
    view = AuditEvent.objects.latest("id")
    assert (view.action, view.object_id) == ("view", str(a.pk))
    assert _stored()[:4] == before[:4]

    _decide(client, unmatched, decision="link", household=a.pk, confirm="1")
    unmatched.refresh_from_db()
    assert unmatched.status == "linked" and unmatched.household_id == a.pk


def test_field_visit_and_reject_need_no_household_and_a_reason(client, province, queued):
    _, _, conflict, unmatched = queued
    _decide(client, unmatched, decision="field_visit")
    unmatched.refresh_from_db()
    assert unmatched.status == "field_visit"
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_type, event.object_id) == (
        "update",
        "imports.reviewitem",
        str(unmatched.pk),
    )

    before = _stored()
    _decide(client, conflict, decision="reject", note="  ")
    conflict.refresh_from_db()
    assert conflict.status == "open" and _stored() == before
    _decide(client, conflict, decision="reject", note="ย้ายออกนอกจังหวัดแล้ว")
    conflict.refresh_from_db()
    assert (conflict.status, conflict.note) == ("rejected", "ย้ายออกนอกจังหวัดแล้ว")
    assert not ListEntry.objects.exists()


def test_link_to_a_household_outside_the_reviewers_area_is_refused(
    client, province, queued, make_user
):
    _, _, _, unmatched = queued
    elsewhere = Household.objects.exclude(pk__in=unmatched.candidates).first()
    Household.objects.filter(pk=elsewhere.pk).update(
        province_code="35", district_code="3501", subdistrict_code="350101", village_code="35010101"
    )
    before = _stored()
    _decide(client, unmatched, decision="link", household=elsewhere.pk)
    _decide(client, unmatched, decision="link", hh_id=elsewhere.hh_id)
    unmatched.refresh_from_db()
    assert unmatched.status == "open" and _stored() == before


def test_another_province_sees_no_import_and_no_queue(client, queued, make_user, sign_in):
    _, _, conflict, _ = queued
    imp = ListImport.objects.get()
    sign_in(client, make_user(Role.PROVINCE, "35"))
    before = _stored()
    assert client.get(reverse("imports:detail", args=[imp.pk])).status_code == 404
    assert client.get(reverse("imports:rejects_csv", args=[imp.pk])).status_code == 404
    assert _decide(client, conflict, decision="field_visit").status_code == 404
    assert "ThaiQM" not in client.get(reverse("imports:list")).content.decode()
    assert not client.get(reverse("imports:review")).context["cards"]
    conflict.refresh_from_db()
    assert conflict.status == "open" and _stored() == before


@pytest.mark.parametrize(
    "role,area,review",
    [
        (Role.DISTRICT, "3401", 200),
        (Role.SUBDISTRICT, "340101", 200),
        (Role.MENTOR, "340101", 404),
        (Role.AGENCY, "34", 404),
    ],
)
def test_roles_without_import_permission_get_404_and_store_nothing(
    client, registry, make_user, sign_in, role, area, review
):
    """Districts and subdistricts open the review queue (the rows handed down to them),
    nothing else of the imports."""
    a, _ = two_households()
    sign_in(client, make_user(role, area))
    before = _stored()
    for name in ("imports:upload", "imports:list", "imports:template"):
        assert client.get(reverse(name)).status_code == 404, name
    assert client.get(reverse("imports:review")).status_code == review
    before = _stored()[:4]
    response = _post(client, csv_bytes([person_row(a, pin=first_pin(a))]))
    assert response.status_code == 404
    assert _stored()[:4] == before


def test_national_user_imports_anywhere(client, registry, make_user, sign_in):
    a, _ = two_households()
    sign_in(client, make_user(Role.NATIONAL, ""))
    assert _post(client, csv_bytes([person_row(a, pin=first_pin(a))])).status_code == 302
    assert ListImport.objects.get().area_code == "" and ListEntry.objects.count() == 1


@pytest.mark.parametrize(
    "name,content,message",
    [
        (
            "photo.png",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
            "ไม่ใช่ไฟล์ CSV, XLSX หรือ Parquet",
        ),
        (
            "old.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
            "ไม่รองรับไฟล์ Excel แบบเก่า (.xls)",
        ),
        ("empty.csv", b"", "ไฟล์ว่างเปล่า"),
        ("header.csv", csv_bytes([]), "ไฟล์ไม่มีแถวข้อมูล"),
        (
            "noname.csv",
            b"pin,subdistrict_code,village_no\n1101700230705,340101,1\n",
            "ยังขาดคอลัมน์ที่จำเป็น: ชื่อ (first_name); นามสกุล (last_name)",
        ),
        (
            "nokey.csv",
            "first_name,last_name,subdistrict_code,village_no\nก,ข,340101,1\n".encode(),
            "ไฟล์ต้องมีคอลัมน์ pin หรือ house_code",
        ),
    ],
)
def test_unusable_files_are_refused_whole(client, province, name, content, message):
    before = _stored()
    response = _post(client, content, name=name)
    assert message in refusal(client, response)
    assert _stored() == before
    assert default_storage.listdir("uploads")[1] == []  # the stored upload is gone too


def test_no_registry_loaded_refuses_the_upload(client, make_user, sign_in, db):
    sign_in(client, make_user(Role.PROVINCE, "34"))
    response = _post(client, csv_bytes([["", "34010100001", "ก", "ข", "340101", 1, "1"]]))
    assert response.status_code == 400
    assert "ยังไม่มีปีสำรวจในทะเบียน" in response.content.decode()
    assert not ListImport.objects.exists()


def test_past_imports_show_their_counts(client, province):
    a, _b = two_households()
    _post(client, csv_bytes([person_row(a, pin=first_pin(a)), ["x"]]), title="ThaiQM อุบลฯ")
    html = client.get(reverse("imports:list")).content.decode()
    imp = ListImport.objects.get()
    assert (imp.rows_read, imp.rows_rejected, imp.rows_matched, imp.rows_queued) == (2, 1, 1, 0)
    assert "ThaiQM อุบลฯ" in html
    assert reverse("imports:detail", args=[imp.pk]) in html


def test_signed_out_visitors_are_sent_to_sign_in_and_nothing_is_stored(client, registry):
    a, _ = two_households()
    before = _stored()
    response = _post(client, csv_bytes([person_row(a, pin=first_pin(a))]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    assert client.get(reverse("imports:review")).status_code == 302
    assert _stored() == before


def test_english_pages_show_the_english_reasons(client, province):
    a, _ = two_households()
    _post(client, csv_bytes([person_row(a, pin=wrong_check_digit(first_pin(a)))]))
    imp = ListImport.objects.get()
    client.cookies["django_language"] = "en"
    html = client.get(reverse("imports:detail", args=[imp.pk])).content.decode()
    assert "Rejected rows" in html
    assert "The last digit of the national ID (PIN) does not match its check digit" in html


def test_thai_headings_of_a_real_thaiqm_export_are_understood(client, province):
    a, _ = two_households()
    header = [
        "ลำดับ",
        "เลขบัตรประชาชน",
        "คำนำหน้า",
        "ชื่อ",
        "นามสกุล",
        "บ้านเลขที่",
        "หมู่ที่",
        "รหัสตำบล",
        "สภาพปัญหา",
        "ตัวชี้วัด",
    ]
    m = a.members.exclude(pin="").order_by("member_no").first()
    row = [
        1,
        m.pin,
        "นาย",
        m.first_name,
        m.last_name,
        a.house_no,
        a.village_no,
        a.subdistrict_code,
        "ด้านสุขภาพ, รายได้",
        "h2 I3",
    ]
    assert _post(client, csv_bytes([row], header), name="thaiqm.csv").status_code == 302
    imp = ListImport.objects.get()
    assert (imp.rows_read, imp.rows_rejected, imp.rows_matched) == (1, 0, 1)
    entry = ListEntry.objects.get()
    assert entry.household_id == a.pk
    assert entry.data["dimensions"] == ["health", "income"]
    assert entry.data["indicators"] == ["H2", "I3"]
    assert imp.warnings == [
        {
            "en": "Columns the list does not use were ignored: ลำดับ, คำนำหน้า",
            "th": "คอลัมน์ที่ระบบไม่ได้ใช้ถูกข้ามไป: ลำดับ, คำนำหน้า",
        }
    ]


def test_rows_placed_by_subdistrict_district_and_province_names(client, province):
    """Real exports name the place (ตำบล อำเภอ จังหวัด, หมู่ 5) instead of DOPA codes."""
    import geothai

    a, _ = two_households()
    sub = next(s for s in geothai.subdistricts(a.district_code) if s.code == a.subdistrict_code)
    district = next(d for d in geothai.districts("34") if d.code == a.district_code)
    m = a.members.exclude(pin="").order_by("member_no").first()
    header = ["เลขบัตรประชาชน", "ชื่อ", "นามสกุล", "บ้านเลขที่", "หมู่", "ตำบล", "อำเภอ", "จังหวัด"]
    base = [m.pin, m.first_name, m.last_name, a.house_no]
    rows = [
        [*base, f"หมู่ที่ {a.village_no}", f"ต.{sub.name_th}", f"อ.{district.name_th}", "จ.อุบลราชธานี"],
        [*base, f"ม.{a.village_no}", sub.name_th, "", ""],  # the uploader's province decides
        [*base, str(a.village_no), "หนองบัว", "", ""],  # 28 of that name
        [*base, str(a.village_no), "ไม่มีตำบลนี้", "", ""],
        [*base, str(a.village_no), sub.name_th, "", "เชียงใหม่"],
    ]
    assert _post(client, csv_bytes(rows, header), name="thaiqm.csv").status_code == 302
    imp = ListImport.objects.get()
    assert (imp.rows_read, imp.rows_rejected) == (5, 3)
    entries = ListEntry.objects.order_by("row")
    assert [(e.row, e.data["subdistrict_code"], e.data["village_no"]) for e in entries] == [
        (2, a.subdistrict_code, a.village_no),
        (3, a.subdistrict_code, a.village_no),
    ]
    rejects = list(RejectedRow.objects.order_by("row").values_list("row", "column", "code"))
    assert rejects == [
        (4, "subdistrict", "ambiguous_subdistrict"),
        (5, "subdistrict", "unknown_subdistrict_name"),
        (6, "subdistrict", "unknown_subdistrict_name"),
    ]
    reasons = list(RejectedRow.objects.order_by("row").values_list("reason_th", flat=True))
    assert reasons[0].startswith("มีตำบลชื่อนี้ ")
    assert reasons[2] == (
        "ไม่พบตำบลชื่อนี้ จังหวัดเชียงใหม่ กรุณาตรวจการสะกด หรือระบุรหัสตำบล (subdistrict_code)"
    )


def _headings_cell(html: str, column: str) -> str:
    """The "other headings accepted" cell of one column's row on the upload page."""
    import re

    row = re.search(rf"<code>{column}</code></th>(.*?)</tr>", html, re.S).group(1)
    return re.findall(r'<td class="text">(.*?)</td>', row, re.S)[1]


def test_the_upload_page_lists_the_headings_in_its_own_language(client, province):
    """The Thai page lists the Thai headings of real exports, the English page the English
    spellings; a file may use either on both (issue 9, item 7)."""
    html = client.get(reverse("imports:upload")).content.decode()
    assert _headings_cell(html, "pin") == (
        "เลขประจำตัวประชาชน, เลขบัตรประชาชน, เลขบัตรประจำตัวประชาชน, เลขที่บัตรประชาชน, "
        "เลขประจำตัวประชาชน 13 หลัก, เลขบัตรประชาชน 13 หลัก, เลข ปชช."
    )
    assert _headings_cell(html, "last_name") == "นามสกุล, สกุล, ชื่อสกุล"
    assert "national_id" not in html and "surname" not in html
    assert "ใช้หัวคอลัมน์ภาษาอังกฤษที่ใช้กันทั่วไปได้เช่นกัน" in html
    client.cookies["django_language"] = "en"
    html = client.get(reverse("imports:upload")).content.decode()
    assert _headings_cell(html, "pin") == "national_id, citizen_id, id_card"
    assert _headings_cell(html, "last_name") == "lastname, last name, surname"
    assert _headings_cell(html, "note") == "—"
    assert "เลขบัตรประชาชน" not in html
    assert "The Thai headings of ThaiQM and provincial exports are accepted as well" in html


def test_english_headings_are_accepted_on_the_thai_page(client, province):
    a, _ = two_households()
    m = a.members.exclude(pin="").order_by("member_no").first()
    header = ["national_id", "first name", "surname", "tambon_code", "moo", "house number"]
    row = [m.pin, m.first_name, m.last_name, a.subdistrict_code, a.village_no, a.house_no]
    assert _post(client, csv_bytes([row], header)).status_code == 302
    imp = ListImport.objects.get()
    assert (imp.rows_read, imp.rows_rejected, imp.rows_matched) == (1, 0, 1)
    assert ListEntry.objects.get().household_id == a.pk
