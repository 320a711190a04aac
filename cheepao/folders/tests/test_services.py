"""The folder's verbs: what they write (version, history in Thai, audit) and every refusal by
its code with nothing changed (no row, no history, no audit, no stored file)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.utils import translation
from PIL import Image

from cheepao.audit.models import AuditEvent
from cheepao.core import errors
from cheepao.core.context import Context
from cheepao.folders import services
from cheepao.folders.models import FamilyFolder, FolderPhoto
from cheepao.folders.tests.helpers import (
    folder_data,
    jpeg,
    jpeg_with_gps,
    snapshot,
    upload,
)
from cheepao.households.models import HouseholdEvent

pytestmark = pytest.mark.django_db


def stored_files() -> set[str]:
    try:
        dirs, _files = default_storage.listdir("folders")
    except FileNotFoundError:
        return set()
    out = set()
    for d in dirs:
        out |= {f"{d}/{f}" for f in default_storage.listdir(f"folders/{d}")[1]}
    return out


def test_prefilled_from_the_registry(care):
    h = care.household
    answers = services.folder_answers(None, h)
    head = h.members.get(relation="head") if h.members.filter(relation="head").exists() else None
    members = list(h.members.all())
    assert answers["head_name"] == (head or members[0]).full_name
    assert answers["members_male"] == sum(m.sex == "M" for m in members)
    assert answers["members_female"] == sum(m.sex == "F" for m in members)
    assert answers["members_disabled"] == sum(m.disabled for m in members)
    assert answers["income_per_person"] == h.income_per_person
    assert f"หมู่ที่ {h.village_no}" in answers["address"]
    assert "จังหวัดอุบลราชธานี" in answers["address"]


def test_each_save_is_a_new_version_with_history_and_audit(care):
    h, ctx = care.household, Context.cli(care.mentor)
    first = services.folder_save(ctx=ctx, household=h, data=folder_data(), base_version=None)
    assert (first.number, first.saved_by, first.saved_by_name) == (1, care.mentor, "สมใจ ใฝ่ดี")
    assert first.income_per_person == Decimal("25000.00")
    assert first.help_kinds == ["money", "training"]  # catalogue order
    assert first.khok_budget == "cdd"
    second = services.folder_save(
        ctx=Context.cli(care.mate),
        household=h,
        data=folder_data(household_type="welfare", khok_nong_na=""),
        base_version=1,
    )
    assert second.number == 2 and second.khok_budget == ""  # a budget only for a plot owner
    assert FamilyFolder.objects.filter(household=h).count() == 2
    assert FamilyFolder.objects.get(pk=first.pk).household_type == "developable"  # kept
    events = list(HouseholdEvent.objects.filter(household=h, kind="folders.saved").order_by("pk"))
    with translation.override("th"):
        assert [e.text for e in events] == [
            "บันทึกแบบสรุปข้อมูลครัวเรือน ฉบับที่ 1",
            "บันทึกแบบสรุปข้อมูลครัวเรือน ฉบับที่ 2",
        ]
    audit = AuditEvent.objects.filter(object_type="households.household", object_id=str(h.pk))
    assert audit.filter(action="create").count() == 1
    last = audit.filter(action="update").get()
    assert last.changes["after"] == {
        "household_type": "welfare",
        "khok_nong_na": "",
        "khok_budget": "",
    }


def test_stale_version_is_a_conflict_and_changes_nothing(care):
    h = care.household
    services.folder_save(
        ctx=Context.cli(care.mentor), household=h, data=folder_data(), base_version=None
    )
    before = snapshot()
    with pytest.raises(errors.Conflict) as refused:
        services.folder_save(
            ctx=Context.cli(care.mate), household=h, data=folder_data(), base_version=None
        )
    assert refused.value.code == "folders.stale"
    assert snapshot() == before


@pytest.mark.parametrize("role", ["mentor", "subdistrict", "district", "province", "national"])
def test_not_in_care_is_not_found_and_changes_nothing(care, make_user, role):
    h = care.household
    area = {"mentor": h.village_code, "subdistrict": h.subdistrict_code}.get(role, "")
    if role in ("district", "province"):
        area = h.district_code if role == "district" else h.province_code
    other = make_user(role, area)
    ctx = Context.cli(other)
    before = snapshot()
    calls = [
        lambda: services.folder_save(ctx=ctx, household=h, data=folder_data(), base_version=0),
        lambda: services.photo_add(ctx=ctx, household=h, kind="house", upload=upload(jpeg())),
        lambda: services.location_set(ctx=ctx, household=h, lat=15.2, lng=104.8),
    ]
    for call in calls:
        with pytest.raises(errors.NotFound) as refused:
            call()
        assert refused.value.code == "access.not_found"
    assert snapshot() == before
    assert stored_files() == set()


def test_an_ended_assignment_ends_the_care(care):
    from django.utils import timezone

    care.assignment.ended_at = timezone.now()
    care.assignment.save()
    with pytest.raises(errors.NotFound):
        services.folder_save(
            ctx=Context.cli(care.mentor),
            household=care.household,
            data=folder_data(),
            base_version=0,
        )
    assert not FamilyFolder.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("savings", "-1", "folders.amount"),
        ("debt_formal", "10000000000", "folders.amount"),
        ("income_per_person", "lots", "folders.amount"),
        ("members_male", "100", "folders.count"),
        ("head_age", "-3", "folders.age"),
        ("household_type", "rich", "folders.choice"),
        ("help_kinds", ["goods", "yacht"], "folders.choice"),
        ("debt_cause", "ก" * 501, "folders.too_long"),
    ],
)
def test_bad_answers_are_refused_by_field_and_change_nothing(care, field, value, code):
    before = snapshot()
    with pytest.raises(errors.Invalid) as refused:
        services.folder_save(
            ctx=Context.cli(care.mentor),
            household=care.household,
            data=folder_data(**{field: value}),
            base_version=0,
        )
    assert refused.value.code == "folders.invalid"
    got = refused.value.fields[field]
    assert (got if isinstance(got, str) else got[0]) == code
    assert snapshot() == before


def test_a_photo_is_stored_re_encoded_resized_with_a_thumbnail_and_no_exif(care):
    h = care.household
    big = Image.new("RGB", (3200, 2000), (10, 20, 30))
    raw = io.BytesIO()
    big.save(raw, "PNG")
    photo = services.photo_add(
        ctx=Context.cli(care.mentor),
        household=h,
        kind="house",
        upload=upload(raw.getvalue(), "house.png", "image/png"),
    )
    assert (photo.width, photo.height) == (1600, 1000)
    with photo.image.open("rb") as f, Image.open(f) as img:
        assert (img.format, img.size) == ("JPEG", (1600, 1000))
    with photo.thumb.open("rb") as f, Image.open(f) as img:
        assert max(img.size) == 320
    assert photo.image.name.startswith(f"folders/{h.uid}/")
    event = HouseholdEvent.objects.get(household=h, kind="folders.photo_added")
    with translation.override("th"):
        assert event.text == "เพิ่มภาพถ่าย: สภาพบ้านเรือน"


def test_gps_exif_is_stripped_from_what_is_stored(care):
    raw = jpeg_with_gps()
    with Image.open(io.BytesIO(raw)) as original:  # the test photo does carry a position
        assert original.getexif().get_ifd(0x8825)[2] == (15.0, 13.0, 42.5)
    photo = services.photo_add(
        ctx=Context.cli(care.mentor), household=care.household, kind="head", upload=upload(raw)
    )
    for stored in (photo.image, photo.thumb):
        with stored.open("rb") as f:
            data = f.read()
        with Image.open(io.BytesIO(data)) as img:
            assert dict(img.getexif()) == {}
            assert not img.getexif().get_ifd(0x8825)
        assert b"Exif" not in data and b"TestCam" not in data


def test_a_photo_over_10_mb_is_refused_and_nothing_stored(care):
    before = snapshot()
    data = jpeg() + b"\0" * (10 * 1024 * 1024)
    with pytest.raises(errors.Invalid) as refused:
        services.photo_add(
            ctx=Context.cli(care.mentor),
            household=care.household,
            kind="house",
            upload=upload(data),
        )
    assert refused.value.code == "folders.photo_too_big"
    assert snapshot() == before and stored_files() == set()


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4 not a photo at all", b"GIF89a" + b"\0" * 100, b"\xff\xd8\xff\xe0 broken", b""],
)
def test_a_non_image_named_jpg_is_refused_and_nothing_stored(care, data):
    before = snapshot()
    with pytest.raises(errors.Invalid) as refused:
        services.photo_add(
            ctx=Context.cli(care.mentor),
            household=care.household,
            kind="house",
            upload=upload(data, "photo.jpg"),
        )
    assert refused.value.code == "folders.not_an_image"
    assert snapshot() == before and stored_files() == set()


def test_the_sixth_photo_is_refused_until_one_is_removed(care):
    h, ctx = care.household, Context.cli(care.mentor)
    photos = [
        services.photo_add(ctx=ctx, household=h, kind=k, upload=upload(jpeg()))
        for k in ("head", "members", "house", "surroundings", "surroundings")
    ]
    files = stored_files()
    before = snapshot()
    with pytest.raises(errors.Refused) as refused:
        services.photo_add(ctx=ctx, household=h, kind="other", upload=upload(jpeg()))
    assert refused.value.code == "folders.too_many_photos"
    assert snapshot() == before and stored_files() == files

    removed = services.photo_remove(ctx=ctx, household=h, photo_id=photos[0].pk)
    assert removed.removed_at is not None and removed.removed_by == care.mentor
    assert FolderPhoto.objects.filter(pk=removed.pk).exists()  # kept, in history
    assert default_storage.exists(removed.image.name)
    services.photo_add(ctx=ctx, household=h, kind="other", upload=upload(jpeg()))
    assert FolderPhoto.objects.filter(household=h, removed_at__isnull=True).count() == 5
    with translation.override("th"):
        assert HouseholdEvent.objects.get(household=h, kind="folders.photo_removed").text == (
            "นำภาพถ่ายออก: หัวหน้าครัวเรือน"
        )
    before = snapshot()
    with pytest.raises(errors.Refused) as again:
        services.photo_remove(ctx=ctx, household=h, photo_id=photos[0].pk)
    assert again.value.code == "folders.photo_gone"
    assert snapshot() == before


def test_location_is_a_new_version_keeping_the_answers(care):
    h, ctx = care.household, Context.cli(care.mentor)
    services.folder_save(ctx=ctx, household=h, data=folder_data(), base_version=0)
    pinned = services.location_set(ctx=ctx, household=h, lat="15.2291", lng="104.8571")
    assert (pinned.number, pinned.lat, pinned.lng) == (2, 15.2291, 104.8571)
    assert pinned.household_type == "developable" and pinned.skills == "ทอผ้า"
    again = services.folder_save(ctx=ctx, household=h, data=folder_data(), base_version=2)
    assert (again.lat, again.lng) == (15.2291, 104.8571)  # the pin carries forward
    with translation.override("th"):
        assert HouseholdEvent.objects.get(household=h, kind="folders.location_set").text == (
            "ปักหมุดบ้านบนแผนที่ (ฉบับที่ 2)"
        )


@pytest.mark.parametrize(
    ("lat", "lng"),
    [(51.5, -0.12), (13.7, 120.0), (0, 0), ("abc", "100"), ("", ""), (None, 100.5), ("nan", "100")],
)
def test_coordinates_outside_thailand_are_refused(care, lat, lng):
    before = snapshot()
    with pytest.raises(errors.Invalid) as refused:
        services.location_set(
            ctx=Context.cli(care.mentor), household=care.household, lat=lat, lng=lng
        )
    assert refused.value.code == "folders.bad_location"
    assert snapshot() == before
