"""The Logbook's pages through HTTP: who reads and writes a household's Logbook, the forms
(bad input re-displayed in Thai, nothing written), photo evidence, a second send of the same
form, corrections as new entries, programmes, and the links from the folder and "my
households" (issue 12 items 1-2)."""

from __future__ import annotations

import datetime
import io
import re
import uuid

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.folders.tests.helpers import jpeg, jpeg_with_gps, upload
from cheepao.households.models import HouseholdEvent
from cheepao.logbook import services
from cheepao.logbook.models import Entry, Programme

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def state():
    return (
        list(Entry.objects.order_by("pk").values()),
        list(Programme.objects.order_by("pk").values()),
        HouseholdEvent.objects.count(),
        AuditEvent.objects.exclude(action="view").count(),
    )


def page_url(h):
    return reverse("logbook:household", args=[h.pk])


def record_url(h, part):
    return reverse("logbook:record", args=[h.pk, part])


def help_data(cared, **over):
    p = cared["problem"]
    data = {
        "uid": str(uuid.uuid4()),
        "step": "2",
        "occurred_on": TODAY().isoformat(),
        "target": f"{p.dimension}|{p.indicator}",
        "help_kind": "goods",
        "agency": str(cared["office"].pk),
        "programme": "",
        "giver": "",
        "value": "1500",
        "note": "ข้าวสาร 2 กระสอบ",
    }
    data.update(over)
    return data


def test_the_mentor_reads_and_records(cared, client, sign_in):
    h = cared["household"]
    sign_in(client, cared["mentor"])
    response = client.get(page_url(h))
    assert response.status_code == 200
    assert reverse("logbook:record", args=[h.pk, "help"]) in response.content.decode()
    reads = AuditEvent.objects.filter(action="view", object_id=str(h.pk)).count()
    assert reads == 1

    response = client.post(
        record_url(h, "visit"),
        {"uid": str(uuid.uuid4()), "occurred_on": TODAY().isoformat(), "note": "บ้านสะอาด"},
    )
    assert response.status_code == 302
    visit = Entry.objects.get(part="visit")
    assert visit.note == "บ้านสะอาด" and visit.recorded_by == cared["mentor"]

    # The act of help, step 1 chooses; step 2 records.
    first = help_data(cared, step="1")
    response = client.post(record_url(h, "help"), first)
    assert response.status_code == 200
    assert 'name="step" value="2"' in response.content.decode()
    assert not Entry.objects.filter(part="help").exists()
    response = client.post(record_url(h, "help"), help_data(cared))
    assert response.status_code == 302
    helped = Entry.objects.get(part="help")
    assert helped.agency == cared["office"] and str(helped.value) == "1500.00"

    body = client.get(page_url(h)).content.decode()
    assert 'id="lb-helps">1<' in body
    assert "1,500.00" in body
    assert "ข้าวสาร 2 กระสอบ" in body and "บ้านสะอาด" in body


def test_the_page_is_one_query_per_read_not_per_entry(cared, client, sign_in):
    h = cared["household"]
    ctx = Context.cli(cared["mentor"])
    for n in range(3):
        services.help_record(
            ctx=ctx,
            household_id=h.pk,
            occurred_on=TODAY(),
            dimension=cared["problem"].dimension,
            help_kind="goods",
            agency=cared["office"].pk,
            value=n,
        )
    sign_in(client, cared["mentor"])
    client.get(page_url(h))  # the area's name is read once, then kept (geo.selectors)
    with CaptureQueriesContext(connection) as few:
        client.get(page_url(h))
    for n in range(30):
        services.visit_record(ctx=ctx, household_id=h.pk, occurred_on=TODAY(), note=f"v{n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(page_url(h)).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_another_mentor_gets_404_and_nothing_changes(cared, client, sign_in, make_user):
    h = cared["household"]
    other = make_user("mentor", "34999999")
    sign_in(client, other)
    before = state()
    assert client.get(page_url(h)).status_code == 404
    for part in ("visit", "help", "need", "summary"):
        assert client.get(record_url(h, part)).status_code == 404
        assert client.post(record_url(h, part), help_data(cared, note="x")).status_code == 404
    assert state() == before


def test_an_area_viewer_reads_but_may_not_write(cared, client, sign_in):
    h = cared["household"]
    sign_in(client, cared["district"])
    response = client.get(page_url(h))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("logbook:record", args=[h.pk, "visit"]) not in body
    before = state()
    assert client.post(record_url(h, "visit"), {"note": "x"}).status_code == 404
    assert client.post(page_url(h), {}).status_code == 405
    assert state() == before
    # The mentor of the village who does not care for it reads it too (their area).
    sign_in(client, cared["other_mentor"])
    assert client.get(page_url(h)).status_code == 200
    assert client.get(record_url(h, "visit")).status_code == 404


def test_bad_input_is_redisplayed_in_thai_and_nothing_is_written(cared, client, sign_in):
    h = cared["household"]
    sign_in(client, cared["mentor"])
    before = state()
    tomorrow = (TODAY() + timezone.timedelta(days=1)).isoformat()
    response = client.post(
        record_url(h, "help"),
        help_data(cared, occurred_on=tomorrow, value="สองร้อย", note="เก็บไว้"),
        HTTP_ACCEPT_LANGUAGE="th",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "เก็บไว้" in body  # what was typed stays
    # The verb's codes, in Thai, on their fields.
    assert "กรุณาระบุวันที่ที่เกิดขึ้น ต้องไม่เป็นวันในอนาคตและไม่ก่อนปี พ.ศ. 2560" in body
    assert "กรุณาระบุมูลค่าเป็นบาท เป็นตัวเลขตั้งแต่ 0 ขึ้นไป" in body
    assert 'name="step" value="2"' in body  # both steps shown; sent again, it records
    response = client.post(
        record_url(h, "visit"), {"uid": str(uuid.uuid4()), "occurred_on": "x", "note": ""}
    )
    assert response.status_code == 400
    assert "กรุณากรอกข้อมูลนี้" in response.content.decode()  # logbook.field_required
    assert state() == before


def test_a_second_send_of_the_same_form_records_once(cared, client, sign_in):
    h = cared["household"]
    sign_in(client, cared["mentor"])
    data = help_data(cared)
    assert client.post(record_url(h, "help"), data).status_code == 302
    assert client.post(record_url(h, "help"), data).status_code == 302
    assert Entry.objects.filter(part="help").count() == 1
    visit = {"uid": str(uuid.uuid4()), "occurred_on": TODAY().isoformat(), "note": "ก"}
    client.post(record_url(h, "visit"), visit)
    client.post(record_url(h, "visit"), visit)
    assert Entry.objects.filter(part="visit").count() == 1


def test_photo_evidence_is_checked_stripped_and_served_with_access(cared, client, sign_in):
    h = cared["household"]
    sign_in(client, cared["mentor"])
    before = state()
    response = client.post(
        record_url(h, "help"),
        {**help_data(cared), "photo": upload(b"%PDF-1.4 not a photo", "x.jpg")},
    )
    assert response.status_code == 400
    assert "ไฟล์นี้ไม่ใช่ภาพถ่าย" in response.content.decode()  # logbook.not_an_image
    assert state() == before
    assert not default_storage.exists("logbook") or not default_storage.listdir("logbook")[1]
    # A good photo with a refused entry (a date in the future): its files are not kept.
    tomorrow = (TODAY() + timezone.timedelta(days=1)).isoformat()
    response = client.post(
        record_url(h, "help"),
        {**help_data(cared, occurred_on=tomorrow), "photo": upload(jpeg())},
    )
    assert response.status_code == 400
    assert state() == before
    assert not default_storage.exists("logbook") or not default_storage.listdir("logbook")[1]

    response = client.post(
        record_url(h, "help"), {**help_data(cared), "photo": upload(jpeg_with_gps())}
    )
    assert response.status_code == 302
    entry = Entry.objects.get(part="help")
    assert entry.photo.startswith("logbook/")
    with default_storage.open(entry.photo) as f:
        stored = Image.open(io.BytesIO(f.read()))
        assert not stored.getexif()
    body = client.get(page_url(h)).content.decode()
    thumb = reverse("logbook:photo", args=[entry.pk, "thumb"])
    assert thumb in body
    reads = AuditEvent.objects.filter(action="view").count()
    response = client.get(thumb)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert AuditEvent.objects.filter(action="view").count() == reads + 1
    # A mentor elsewhere: the same 404 as for an entry with no photo.
    client.logout()
    assert client.get(thumb).status_code == 302  # sign in first


def test_a_photo_is_404_outside_the_area(cared, client, sign_in, make_user):
    h = cared["household"]
    sign_in(client, cared["mentor"])
    client.post(record_url(h, "help"), {**help_data(cared), "photo": upload(jpeg())})
    entry = Entry.objects.get(part="help")
    sign_in(client, make_user("mentor", "34999999"))
    assert client.get(reverse("logbook:photo", args=[entry.pk, "full"])).status_code == 404
    assert client.get(reverse("logbook:photo", args=[entry.pk + 99, "full"])).status_code == 404


def test_a_correction_is_a_new_entry_shown_with_the_old_struck(cared, client, sign_in):
    h = cared["household"]
    sign_in(client, cared["mentor"])
    client.post(record_url(h, "help"), help_data(cared, value="100"))
    entry = Entry.objects.get(part="help")
    url = reverse("logbook:correct", args=[entry.pk])
    form = client.get(url).content.decode()
    assert 'value="100.00"' in form
    uid = re.search(r'name="uid" value="([^"]+)"', form).group(1)
    data = help_data(cared, value="150", uid=uid)
    data.pop("step")
    assert client.post(url, {**data, "action": "correct"}).status_code == 302
    assert Entry.objects.filter(part="help").count() == 2
    fixed = Entry.objects.get(corrects=entry)
    assert str(fixed.value) == "150.00"
    body = client.get(page_url(h)).content.decode()
    assert "<s>" in body and 'id="lb-baht">150.00<' in body
    # Correcting the corrected one again: refused in Thai, nothing changed.
    before = state()
    data["uid"] = str(uuid.uuid4())
    response = client.post(url, {**data, "action": "correct"})
    assert response.status_code == 400
    assert state() == before
    # Withdraw the newest: it no longer counts.
    response = client.post(
        reverse("logbook:correct", args=[fixed.pk]),
        {"uid": str(uuid.uuid4()), "action": "withdraw"},
    )
    assert response.status_code == 302
    assert Entry.objects.counting().filter(part="help").count() == 0
    assert 'id="lb-helps">0<' in client.get(page_url(h)).content.decode()


def test_a_correction_by_another_mentor_is_404(cared, client, sign_in, make_user):
    h = cared["household"]
    entry = services.visit_record(
        ctx=Context.cli(cared["mentor"]), household_id=h.pk, occurred_on=TODAY(), note="ก"
    )
    sign_in(client, cared["other_mentor"])
    before = state()
    url = reverse("logbook:correct", args=[entry.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"note": "ข", "action": "correct"}).status_code == 404
    assert state() == before


def test_programmes_listed_and_registered(cared, client, sign_in):
    sign_in(client, cared["agency_user"])
    assert client.get(reverse("logbook:programmes")).status_code == 200
    url = reverse("logbook:programme_register")
    before = state()
    response = client.post(url, {"name": "", "budget_year": "69", "budget": "-1"})
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
    assert state() == before
    response = client.post(
        url,
        {
            "name": "โครงการซ่อมบ้าน",
            "budget_year": "2569",
            "budget": "50000",
            "dimensions": [cared["problem"].dimension],
        },
    )
    assert response.status_code == 302
    assert Programme.objects.get().agency == cared["office"]
    assert "โครงการซ่อมบ้าน" in client.get(reverse("logbook:programmes")).content.decode()
    sign_in(client, cared["district"])
    assert "โครงการซ่อมบ้าน" in client.get(reverse("logbook:programmes")).content.decode()
    sign_in(client, cared["mentor"])
    assert client.get(reverse("logbook:programmes")).status_code == 404
    assert client.post(url, {"name": "x"}).status_code == 404


def test_the_folder_and_my_households_link_to_the_logbook(cared, client, sign_in):
    h = cared["household"]
    services.visit_record(
        ctx=Context.cli(cared["mentor"]), household_id=h.pk, occurred_on=TODAY(), note="ก"
    )
    sign_in(client, cared["mentor"])
    folder = client.get(reverse("households:folder", args=[h.pk])).content.decode()
    assert page_url(h) in folder and 'id="folder-logbook-helps">0<' in folder
    mine = client.get(reverse("mentoring:mine")).content.decode()
    assert page_url(h) in mine and 'data-care="logbook"' in mine


def test_an_account_reached_by_serve_reads_once_routing_registers_it(
    cared, client, sign_in, make_user
):
    """`serve` (routing's action for the agencies serving a household's cases) opens the
    page read-only as soon as it is registered; before, the account gets the 404."""
    from cheepao.accounts import roles
    from cheepao.households import extensions

    h = cared["household"]
    server = make_user("mentor", "34999999")  # outside the area: not reached by `view`
    sign_in(client, server)
    assert client.get(page_url(h)).status_code == 404
    routing_serve = extensions.household_actions.get("serve")  # routing's own, put back after
    extensions.household_actions.register(
        "serve",
        permission=roles.VIEW_HOUSEHOLDS,
        beyond_area=True,
        within=lambda user, qs: qs.filter(pk=h.pk) if user.pk == server.pk else qs.none(),
    )
    try:
        response = client.get(page_url(h))
        assert response.status_code == 200
        assert reverse("logbook:record", args=[h.pk, "visit"]) not in response.content.decode()
        assert client.get(record_url(h, "visit")).status_code == 404
    finally:
        extensions.household_actions.remove("serve")
        if routing_serve is not None:
            extensions.household_actions.add(routing_serve)


def test_a_photo_over_10_mb_is_refused_and_nothing_is_written(cared, client, sign_in):
    from django.core.files.uploadedfile import SimpleUploadedFile

    h = cared["household"]
    sign_in(client, cared["mentor"])
    before = state()
    big = SimpleUploadedFile("big.jpg", jpeg() + b"\0" * (10 * 1024 * 1024), "image/jpeg")
    response = client.post(record_url(h, "help"), {**help_data(cared), "photo": big})
    assert response.status_code == 400
    assert "10 MB" in response.content.decode()
    assert state() == before


def test_the_district_registers_a_programme_for_an_agency_it_names(cared, client, sign_in):
    sign_in(client, cared["district"])
    url = reverse("logbook:programme_register")
    form = client.get(url).content.decode()
    assert f'value="{cared["office"].pk}"' in form  # an office of its district
    assert f'value="{cared["far_office"].pk}"' not in form  # not one of another province
    before = state()
    data = {"name": "โครงการอาชีพ", "budget_year": "2569", "budget": "1000"}
    response = client.post(url, {**data, "agency": str(cared["far_office"].pk)})
    assert response.status_code == 400
    assert "กรุณาเลือกหน่วยงาน" in response.content.decode()  # logbook.bad_agency
    assert state() == before
    assert client.post(url, {**data, "agency": str(cared["office"].pk)}).status_code == 302
    assert Programme.objects.get().agency == cared["office"]


def test_a_part_shows_its_newest_twenty_entries_and_all_on_request(cared, client, sign_in):
    """A household helped for years has hundreds of entries: each part shows its newest 20
    (the counts still count them all) and "show all" opens the whole part."""
    h = cared["household"]
    ctx = Context.cli(cared["mentor"])
    for n in range(25):
        services.visit_record(
            ctx=ctx, household_id=h.pk, occurred_on=TODAY() - datetime.timedelta(days=n),
            note=f"เยี่ยมครั้งที่ {25 - n}",
        )  # fmt: skip
    sign_in(client, cared["mentor"])
    html = client.get(page_url(h)).content.decode()
    visits = html.split('id="lb-list-visit"', 1)[1].split("</ol>", 1)[0]
    assert visits.count('data-part="visit"') == 20
    assert "เยี่ยมครั้งที่ 25" in visits and "เยี่ยมครั้งที่ 5<" not in visits
    assert 'id="lb-all-visit"' in html and "แสดงทั้งหมด 25 รายการ" in html
    assert 'id="lb-all-help"' not in html
    whole = client.get(page_url(h) + "?all=visit").content.decode()
    assert (
        whole.split('id="lb-list-visit"', 1)[1].split("</ol>", 1)[0].count('data-part="visit"')
        == 25
    )
    assert 'id="lb-all-visit"' not in whole
