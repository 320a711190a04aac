"""The folder's pages over HTTP: the mentors fill it, area viewers read it, nobody else
reaches it (404, nothing changed); photos and the PDF are reads that are audited."""

from __future__ import annotations

import io
import re
import zlib

import pytest
from django.urls import reverse
from PIL import Image

from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.folders import services
from cheepao.folders.models import FamilyFolder, FolderPhoto
from cheepao.folders.tests.helpers import folder_data, jpeg, jpeg_with_gps, snapshot, upload
from cheepao.households import extensions

pytestmark = pytest.mark.django_db


def post_form(**over):
    data = folder_data(**over)
    data["base_version"] = over.pop("base_version", "")
    return data


def test_the_mentor_fills_the_folder_in_steps(care, client, sign_in):
    h = care.household
    sign_in(client, care.mentor)
    page = client.get(reverse("folders:edit", args=[h.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="step"') == 4
    assert h.members.order_by("member_no").first().first_name in html  # prefilled
    assert AuditEvent.objects.filter(action="view", object_id=str(h.pk)).exists()
    response = client.post(reverse("folders:edit", args=[h.pk]), post_form(base_version="0"))
    assert response.status_code == 302
    folder = FamilyFolder.objects.get(household=h)
    assert folder.number == 1 and folder.saved_by == care.mentor
    read = client.get(reverse("folders:folder", args=[h.pk]))
    assert read.status_code == 200
    text = read.content.decode()
    assert "นายทองดี มีสุข" in text and "มีความพร้อมสามารถพัฒนาได้" in text
    assert 'data-version-row="1"' in text


def test_a_refused_save_keeps_what_was_typed(care, client, sign_in):
    h = care.household
    sign_in(client, care.mentor)
    before = snapshot()
    response = client.post(
        reverse("folders:edit", args=[h.pk]), post_form(savings="-5", skills="จักสาน")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "กรุณาระบุจำนวนเงินเป็นบาท ตั้งแต่ 0 ขึ้นไป" in html
    assert "จักสาน" in html
    assert snapshot() == before


def test_a_stale_page_is_told_and_keeps_its_answers(care, client, sign_in):
    h = care.household
    services.folder_save(
        ctx=Context.cli(care.mate), household=h, data=folder_data(), base_version=0
    )
    sign_in(client, care.mentor)
    before = snapshot()
    response = client.post(
        reverse("folders:edit", args=[h.pk]), post_form(base_version="0", skills="ปลูกผัก")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "มีผู้อื่นบันทึกแบบสรุปข้อมูลครัวเรือนนี้" in html and "ปลูกผัก" in html
    assert 'name="base_version" value="1"' in html
    assert snapshot() == before


def test_area_viewers_read_but_cannot_fill(care, client, sign_in, make_user):
    h = care.household
    services.folder_save(
        ctx=Context.cli(care.mentor), household=h, data=folder_data(), base_version=0
    )
    viewer = make_user("subdistrict", h.subdistrict_code)
    sign_in(client, viewer)
    read = client.get(reverse("folders:folder", args=[h.pk]))
    assert read.status_code == 200
    assert reverse("folders:edit", args=[h.pk]) not in read.content.decode()
    assert AuditEvent.objects.filter(
        actor=viewer, action="view", object_id=str(h.pk), summary__contains="version 1"
    ).exists()
    before = snapshot()
    for name in ("edit", "photos", "location"):
        assert client.get(reverse(f"folders:{name}", args=[h.pk])).status_code == 404
    assert (
        client.post(reverse("folders:edit", args=[h.pk]), post_form(base_version="1")).status_code
        == 404
    )
    assert (
        client.post(
            reverse("folders:photos", args=[h.pk]), {"kind": "house", "photo": upload(jpeg())}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("folders:location", args=[h.pk]), {"lat": "15", "lng": "104"}
        ).status_code
        == 404
    )
    assert snapshot() == before


def test_outside_the_area_nothing_is_reached(care, client, sign_in, make_user):
    h = care.household
    services.folder_save(
        ctx=Context.cli(care.mentor), household=h, data=folder_data(), base_version=0
    )
    photo = services.photo_add(
        ctx=Context.cli(care.mentor), household=h, kind="house", upload=upload(jpeg())
    )
    sign_in(client, make_user("district", "3402"))
    reads = AuditEvent.objects.count()
    for url in (
        reverse("folders:folder", args=[h.pk]),
        reverse("folders:photo", args=[h.pk, photo.pk, "thumb"]),
        reverse("folders:pdf", args=[h.pk]),
    ):
        assert client.get(url).status_code == 404
    assert AuditEvent.objects.count() == reads


def test_photos_by_http_camera_capture_and_served_without_gps(care, client, sign_in, make_user):
    h = care.household
    sign_in(client, care.mentor)
    page = client.get(reverse("folders:photos", args=[h.pk]))
    assert 'accept="image/*"' in page.content.decode()
    assert 'capture="environment"' in page.content.decode()
    response = client.post(
        reverse("folders:photos", args=[h.pk]), {"kind": "head", "photo": upload(jpeg_with_gps())}
    )
    assert response.status_code == 302
    photo = FolderPhoto.objects.get(household=h)
    viewer = make_user("district", h.district_code)
    sign_in(client, viewer)
    for size in ("full", "thumb"):
        served = client.get(reverse("folders:photo", args=[h.pk, photo.pk, size]))
        assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
        data = b"".join(served.streaming_content)
        with Image.open(io.BytesIO(data)) as img:
            assert dict(img.getexif()) == {}
        assert b"Exif" not in data
        assert "no-store" in served["Cache-Control"]
    assert AuditEvent.objects.filter(actor=viewer, action="view", object_id=str(h.pk)).count() == 2
    assert client.get(reverse("folders:photo", args=[h.pk, photo.pk, "raw"])).status_code == 404
    assert client.get(reverse("folders:photo", args=[h.pk, 2**62, "full"])).status_code == 404


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"not an image", "photo.jpg", "ไฟล์นี้ไม่ใช่ภาพถ่าย"),
        (jpeg() + b"\0" * (10 * 1024 * 1024), "big.jpg", "ภาพมีขนาดเกิน 10 MB"),
    ],
)
def test_refused_uploads_say_why_and_store_nothing(care, client, sign_in, data, name, message):
    h = care.household
    sign_in(client, care.mentor)
    before = snapshot()
    response = client.post(
        reverse("folders:photos", args=[h.pk]), {"kind": "house", "photo": upload(data, name)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


def test_remove_a_photo_by_http(care, client, sign_in):
    h = care.household
    photo = services.photo_add(
        ctx=Context.cli(care.mentor), household=h, kind="house", upload=upload(jpeg())
    )
    sign_in(client, care.mentor)
    response = client.post(reverse("folders:photo_remove", args=[h.pk, photo.pk]))
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.removed_at is not None


def test_location_by_http(care, client, sign_in):
    h = care.household
    sign_in(client, care.mentor)
    page = client.get(reverse("folders:location", args=[h.pk]))
    assert page.status_code == 200 and "data-use-location" in page.content.decode()
    before = snapshot()
    bad = client.post(reverse("folders:location", args=[h.pk]), {"lat": "48.85", "lng": "2.35"})
    assert bad.status_code == 200 and "ตำแหน่งนี้ไม่อยู่ในประเทศไทย" in bad.content.decode()
    assert snapshot() == before
    ok = client.post(
        reverse("folders:location", args=[h.pk]),
        {"lat": "15.244", "lng": "104.847", "base_version": "0"},
    )
    assert ok.status_code == 302
    assert FamilyFolder.objects.get(household=h).lat == 15.244


def _pdf_streams(pdf: bytes) -> list[bytes]:
    """The PDF's streams, inflated (object streams hold the page and font dictionaries)."""
    out = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return out


def _pdf_text_codes(pdf: bytes) -> set[int]:
    """The Unicode code points the PDF's fonts map glyphs to (their ToUnicode maps)."""
    found: set[int] = set()
    for text in _pdf_streams(pdf):
        if b"beginbfchar" in text or b"beginbfrange" in text:
            found |= {int(h, 16) for h in re.findall(rb"<([0-9A-Fa-f]{4})>", text)}
    return found


def test_the_pdf_is_one_a4_page_in_thai_with_thai_fonts_and_is_audited(
    care, client, sign_in, make_user
):
    h = care.household
    services.folder_save(
        ctx=Context.cli(care.mentor), household=h, data=folder_data(), base_version=0
    )
    services.photo_add(
        ctx=Context.cli(care.mentor), household=h, kind="house", upload=upload(jpeg())
    )
    viewer = make_user("subdistrict", h.subdistrict_code)
    sign_in(client, viewer)
    response = client.get(reverse("folders:pdf", args=[h.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")
    pdf = b"\n".join([response.content, *_pdf_streams(response.content)])
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    assert b"/MediaBox [0 0 595" in pdf  # A4 (595 x 842 pt)
    assert re.search(rb"/FontName\s*/[A-Z]{6}\+Garuda", pdf) or re.search(
        rb"/FontName\s*/[A-Z]{6}\+Loma", pdf
    )
    codes = _pdf_text_codes(response.content)
    for letter in "แบบสรุปข้อมูลครัวเรือน":
        assert ord(letter) in codes, letter
    assert (
        AuditEvent.objects.filter(actor=viewer, action="export", object_id=str(h.pk)).count() == 1
    )


def test_no_pdf_before_a_folder(care, client, sign_in):
    sign_in(client, care.mentor)
    assert client.get(reverse("folders:pdf", args=[care.household.pk])).status_code == 404


def test_the_registry_page_shows_the_folder_section(care, client, sign_in, make_user):
    h = care.household
    sign_in(client, care.mentor)
    page = client.get(reverse("households:folder", args=[h.pk])).content.decode()
    assert 'data-section="family-folder"' in page
    assert reverse("folders:edit", args=[h.pk]) in page
    services.folder_save(
        ctx=Context.cli(care.mentor), household=h, data=folder_data(), base_version=0
    )
    sign_in(client, make_user("subdistrict", h.subdistrict_code))
    page = client.get(reverse("households:folder", args=[h.pk])).content.decode()
    assert reverse("folders:folder", args=[h.pk]) in page
    assert reverse("folders:edit", args=[h.pk]) not in page


def test_the_pin_colour_is_the_folders_household_type(care, registry):
    h = care.household
    assert extensions.map_pin_kind.provider.key == "folders.household_type"
    assert extensions.map_pin_kind.of([h])[h.pk] in ("", "developable", "welfare")
    ctx = Context.cli(care.mentor)
    services.folder_save(ctx=ctx, household=h, data=folder_data(), base_version=0)
    assert extensions.map_pin_kind.of([h]) == {h.pk: "developable"}
    services.folder_save(
        ctx=ctx, household=h, data=folder_data(household_type="welfare"), base_version=1
    )
    assert extensions.map_pin_kind.of([h]) == {h.pk: "welfare"}
    services.folder_save(
        ctx=ctx, household=h, data=folder_data(household_type="gone"), base_version=2
    )
    assert extensions.map_pin_kind.of([h]) == {h.pk: ""}  # grey: not classified
    legend = dict(extensions.map_pin_kind.legend())
    assert list(legend) == ["developable", "welfare", ""]


def test_the_folder_reads_in_english_too(care, client, sign_in):
    h = care.household
    services.folder_save(
        ctx=Context.cli(care.mentor), household=h, data=folder_data(), base_version=0
    )
    sign_in(client, care.mentor)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    page = client.get(reverse("folders:folder", args=[h.pk])).content.decode()
    assert "Family folder" in page and "ready and able to develop" in page
    assert "Version 1" in page
    form = client.get(reverse("folders:edit", args=[h.pk])).content.decode()
    assert "Step 1 of 4" in form and "Save the folder" in form


def test_the_pdf_names_who_printed_it_and_when(care, client, sign_in, make_user):
    from datetime import datetime

    from django.utils import timezone

    from cheepao.folders import pdf

    h = care.household
    services.folder_save(
        ctx=Context.cli(care.mentor), household=h, data=folder_data(), base_version=0
    )
    viewer = make_user("subdistrict", h.subdistrict_code, first_name="สมศรี", last_name="พิมพ์")
    folder = services.folder_latest(h)
    when = timezone.make_aware(datetime(2026, 11, 22, 14, 5))
    html = pdf.folder_html(h, folder, user=viewer, when=when)
    assert "จัดทำโดย สมศรี พิมพ์ เมื่อ 22 พ.ย. 2569 เวลา 14:05 น." in html
    sign_in(client, viewer)
    response = client.get(reverse("folders:pdf", args=[h.pk]))
    codes = _pdf_text_codes(response.content)
    for letter in "จัดทำโดยสมศรีพิมพ์":
        assert ord(letter) in codes, letter
