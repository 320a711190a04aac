"""The review queue at real volume: filters, decisions on many rows, rows handed down to the
district or subdistrict that must decide them, counters that stay true, and one audit row
per page read."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from cheepao.accounts.roles import Role
from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.core.errors import Invalid, NotFound, Refused
from cheepao.households.models import Household, HouseholdEvent
from cheepao.imports import services
from cheepao.imports.models import ListEntry, ListImport, ReviewItem

from .helpers import csv_bytes, first_pin, person_row, two_households, upload, valid_pin

pytestmark = pytest.mark.django_db

Status = ReviewItem.Status


@pytest.fixture
def province(make_user, sign_in, client, registry):
    user = make_user(Role.PROVINCE, "34")
    sign_in(client, user)
    return user


def _post(client, rows: list[list], title: str = "ThaiQM 2568"):
    response = client.post(
        reverse("imports:upload"),
        {"kind": "thaiqm", "name": title, "file": upload(csv_bytes(rows), "thaiqm.csv")},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return ListImport.objects.latest("pk")


def _unmatched(n: int, households: list[Household]) -> list[list]:
    """`n` rows with valid national IDs nobody in the registry has, spread over the
    villages of `households`."""
    rows = []
    for i in range(n):
        h = households[i % len(households)]
        rows.append(
            [valid_pin(f"39{i:010d}"), "", f"ชื่อ{i}", "ทดสอบ", h.subdistrict_code, h.village_no, ""]
        )
    return rows


def _two_subdistricts() -> tuple[Household, Household]:
    """Two registry households with a PIN and a house code, in different subdistricts."""
    found: list[Household] = []
    for h in Household.objects.exclude(house_code="").order_by("hh_id"):
        if h.members.exclude(pin="").exists() and all(
            h.subdistrict_code != f.subdistrict_code for f in found
        ):
            found.append(h)
        if len(found) == 2:
            return found[0], found[1]
    raise AssertionError("the test registry needs households in two subdistricts")


def _state() -> tuple:
    return (
        list(ReviewItem.objects.order_by("pk").values()),
        list(ListImport.objects.order_by("pk").values()),
        ListEntry.objects.count(),
        AuditEvent.objects.count(),
        HouseholdEvent.objects.count(),
    )


def _bulk(client, action: str, *, query: dict | None = None, items=(), **data):
    payload = {
        "action": action,
        "scope": "selected" if items else "filter",
        "query": urlencode(query or {}),
        "item": [str(i.pk) for i in items],
        **data,
    }
    return client.post(reverse("imports:review_bulk"), payload)


def _counters_true(imp: ListImport) -> None:
    imp.refresh_from_db()
    assert imp.rows_matched == imp.entries.count()
    assert imp.rows_queued == imp.reviews.filter(status=Status.OPEN).count()
    assert (
        imp.rows_read
        == imp.rows_rejected + imp.rows_matched + imp.reviews.exclude(status=Status.LINKED).count()
    )


def test_a_thousand_unmatched_rows_are_decided_in_a_few_requests(client, province):
    households = list(Household.objects.order_by("pk")[:10])
    imp = _post(client, _unmatched(1_000, households))
    assert (imp.rows_read, imp.rows_queued) == (1_000, 1_000)
    requests = 0

    query = {"list_import": imp.pk, "match": "none"}
    page = client.get(reverse("imports:review"), query)
    requests += 1
    assert page.status_code == 200
    assert len(page.context["cards"]) == 50  # a page is 50 rows
    assert page.context["open_rows"] == 1_000
    assert page.context["bulk"]["expected"].value() == 1_000
    events = AuditEvent.objects.count()

    response = _bulk(client, "field_visit", query=query, expected=1_000)
    requests += 1
    assert response.status_code == 302
    back = urlencode({**query, "status": "open"})
    assert response["Location"] == reverse("imports:review") + "?" + back

    assert requests == 2
    assert ReviewItem.objects.filter(status=Status.FIELD_VISIT).count() == 1_000
    assert not ReviewItem.objects.filter(status=Status.OPEN).exists()
    assert set(ReviewItem.objects.values_list("decided_by", flat=True)) == {province.pk}
    assert AuditEvent.objects.count() == events + 1_000  # one per row decided
    _counters_true(imp)
    assert imp.rows_queued == 0
    after = client.get(reverse("imports:review"), query)
    assert after.context["open_rows"] == 0 and not after.context["cards"]


def test_the_review_page_records_one_audit_row_of_what_it_showed(client, province):
    a, b = two_households()
    imp = _post(
        client,
        [person_row(a, pin=first_pin(a), house_code=b.house_code), *_unmatched(60, [a])],
    )
    before = AuditEvent.objects.count()
    page = client.get(reverse("imports:review"), {"list_import": imp.pk})
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    shown = [card.item.pk for card in page.context["cards"]]
    assert len(shown) == 50
    assert (event.action, event.object_type, event.actor) == (
        "view",
        "imports.reviewitem",
        province,
    )
    assert event.changes["items"] == shown
    assert event.changes["households"] == sorted([a.pk, b.pk])
    assert event.changes["filters"] == {"list_import": imp.pk, "status": "open"}
    client.get(reverse("imports:review"), {"list_import": imp.pk, "page": 2})
    assert AuditEvent.objects.latest("id").changes["page"] == 2
    assert len(AuditEvent.objects.latest("id").changes["items"]) == 11


def test_reviewers_see_the_name_and_area_of_each_candidate(client, province):
    a, b = two_households()
    _post(client, [person_row(a, pin=first_pin(a), house_code=b.house_code)])
    html = client.get(reverse("imports:review")).content.decode()
    for h in (a, b):
        head = h.members.get(relation="head")
        assert head.full_name in html
    assert "ตรงตามเลขประจำตัวประชาชน" in html and "ตรงตามรหัสประจำบ้าน" in html
    assert f"หมู่ที่ {a.village_no} ตำบล" in html and "อำเภอ" in html
    # Areas by name, not by code (the code shows only inside the household id).
    assert re.findall(rf"{a.village_code}(?!-)", html) == []


def test_accept_all_matched_by_national_id(client, province):
    a, b = two_households()
    conflict = person_row(a, pin=first_pin(a), house_code=b.house_code)  # PIN → a, code → b
    imp = _post(client, [conflict, *_unmatched(3, [a])])
    item = ReviewItem.objects.get(row=2)
    assert (item.reason, item.pin_household_id) == ("pin_house", a.pk)
    query = {"match": "pin"}
    page = client.get(reverse("imports:review"), query)
    assert [c.item.pk for c in page.context["cards"]] == [item.pk]

    response = _bulk(client, "link_pin", query=query, expected=1)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.household_id, item.decided_by) == ("linked", a.pk, province)
    entry = ListEntry.objects.get(row=2)
    assert (entry.household_id, entry.matched_by) == (a.pk, "review")
    event = AuditEvent.objects.filter(action="import", object_id=str(a.pk)).latest("id")
    assert event.changes["rows"] == [2]
    told = HouseholdEvent.objects.filter(household=a).latest("id")
    assert (told.kind, told.data["rows"], told.data["list_import"]) == (
        "imports.linked",
        [2],
        imp.pk,
    )
    _counters_true(imp)
    assert (imp.rows_matched, imp.rows_queued) == (1, 3)

    # Ticked rows whose ID names no household stay open, and the reviewer is told.
    open_rows = list(ReviewItem.objects.filter(status=Status.OPEN))
    before = _state()
    response = _bulk(client, "link_pin", items=open_rows, expected=3)
    assert _state() == before
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[-1] == "ไม่มีแถวใดที่เลือกไว้ที่เลขประจำตัวประชาชนตรงกับครัวเรือนเดียว"


def test_reject_all_with_a_given_reason_or_nothing_at_all(client, province):
    a, _ = two_households()
    imp = _post(client, _unmatched(4, [a]))
    query = {"reason": "not_found"}
    before = _state()
    _bulk(client, "reject", query=query, expected=4, note="  ")
    assert _state() == before
    _bulk(client, "reject", query=query, expected=5, note="ย้ายออกนอกจังหวัด")  # page was stale
    assert _state() == before
    _bulk(client, "reject", query=query, expected=4, note="ย้ายออกนอกจังหวัด")
    assert set(ReviewItem.objects.values_list("status", "note")) == {("rejected", "ย้ายออกนอกจังหวัด")}
    _counters_true(imp)
    detail = client.get(reverse("imports:detail", args=[imp.pk])).content.decode()
    assert '<dd id="reviews-rejected">4</dd>' in detail
    assert '<dd id="rows-queued">0</dd>' in detail


def test_ticked_rows_only(client, province):
    a, _ = two_households()
    _post(client, _unmatched(5, [a]))
    first, second, *_ = ReviewItem.objects.order_by("row")
    _bulk(client, "field_visit", items=[first, second])
    assert list(ReviewItem.objects.order_by("row").values_list("status", flat=True)) == [
        "field_visit",
        "field_visit",
        "open",
        "open",
        "open",
    ]
    # A ticked row decided meanwhile: the whole selection is refused.
    before = _state()
    third = ReviewItem.objects.get(row=4)
    _bulk(client, "field_visit", items=[first, third])
    assert _state() == before


def test_bulk_decisions_are_audited_as_messages(client, province):
    """Each row decided in bulk has its audit row, in English with codes and in Thai with
    names; a selection of one row reads like a decision on one row."""
    from django.utils import translation

    from cheepao.geo.selectors import area_label

    a, _ = two_households()
    _post(client, _unmatched(4, [a]))
    first, second, third, fourth = ReviewItem.objects.order_by("row")
    _bulk(client, "reject", items=[first], note="ย้ายออก")
    _bulk(client, "reject", items=[second, third], note="ซ้ำ")
    _bulk(client, "to_district", items=[fourth])
    events = AuditEvent.objects.filter(object_type="imports.reviewitem", action="update")
    rows = {e.object_id: e for e in events.order_by("pk")}
    assert [rows[str(i.pk)].summary for i in (first, second, third, fourth)] == [
        "list row 2 rejected: ย้ายออก",
        "list row 3 rejected with 1 other rows: ซ้ำ",
        "list row 4 rejected with 1 other rows: ซ้ำ",
        f"list row 5 handed to area {a.district_code}",
    ]
    with translation.override("th"):
        district = area_label(a.district_code)
        assert district.startswith("อำเภอ")
        assert [rows[str(i.pk)].summary_text for i in (first, second, fourth)] == [
            "ไม่รับแถวที่ 2 ของบัญชีรายชื่อ: ย้ายออก",
            "ไม่รับแถวที่ 3 ของบัญชีรายชื่อ พร้อมกับแถวอื่นอีก 1 แถว: ซ้ำ",
            f"ส่งแถวที่ 5 ของบัญชีรายชื่อให้{district}พิจารณา",
        ]
    client.get(reverse("imports:review"))
    page = AuditEvent.objects.filter(object_type="imports.reviewitem", action="view").latest("pk")
    assert page.summary == "list review page 1: 1 rows, 0 households"
    with translation.override("th"):
        assert page.summary_text == "เปิดดูหน้าตรวจบัญชีรายชื่อหน้าที่ 1: 1 แถว 0 ครัวเรือน"


def test_rows_handed_to_the_subdistrict_that_must_decide_them(client, province, make_user, sign_in):
    a, b = _two_subdistricts()
    imp = _post(client, _unmatched(6, [a, b]))
    _bulk(client, "to_subdistrict", query={}, expected=6)
    assigned = dict(ReviewItem.objects.values_list("row", "assigned_area"))
    assert assigned == {r: (a if r % 2 == 0 else b).subdistrict_code for r in range(2, 8)}
    assert ReviewItem.objects.filter(status=Status.OPEN).count() == 6  # handed on, not decided

    # The province still sees the rows of its import, and who has them.
    html = client.get(reverse("imports:review"), {"list_import": imp.pk}).content.decode()
    assert html.count('class="assigned"') == 6

    team = make_user(Role.SUBDISTRICT, a.subdistrict_code)
    sign_in(client, team)
    page = client.get(reverse("imports:review"))
    mine = {c.item.row for c in page.context["cards"]}
    assert mine == {2, 4, 6}
    theirs = ReviewItem.objects.get(row=3)
    before = _state()
    assert (
        client.post(
            reverse("imports:decide", args=[theirs.pk]), {"decision": "field_visit"}
        ).status_code
        == 404
    )
    _bulk(client, "field_visit", items=[theirs])
    _bulk(client, "to_subdistrict", query={}, expected=3)  # not below its own area
    assert _state() == before
    _bulk(client, "field_visit", query={}, expected=3)
    assert set(
        ReviewItem.objects.filter(assigned_area=a.subdistrict_code).values_list("status", flat=True)
    ) == {"field_visit"}
    assert ReviewItem.objects.filter(status=Status.OPEN).count() == 3
    _counters_true(imp)

    district = make_user(Role.DISTRICT, a.district_code)
    sign_in(client, district)
    assert {c.item.row for c in client.get(reverse("imports:review")).context["cards"]} == {3, 5, 7}
    other = make_user(Role.SUBDISTRICT, "340199")
    sign_in(client, other)
    assert not client.get(reverse("imports:review")).context["cards"]


def test_a_district_hands_rows_on_to_its_subdistricts_and_the_province_takes_them_back(
    client, province, make_user, sign_in
):
    a, _ = two_households()
    _post(client, _unmatched(2, [a]))
    _bulk(client, "to_district", query={}, expected=2)
    assert set(ReviewItem.objects.values_list("assigned_area", flat=True)) == {a.district_code}
    sign_in(client, make_user(Role.DISTRICT, a.district_code))
    before = _state()
    _bulk(client, "to_district", query={}, expected=2)
    _bulk(client, "take_back", query={}, expected=2)
    assert _state() == before
    _bulk(client, "to_subdistrict", query={}, expected=2)
    assert set(ReviewItem.objects.values_list("assigned_area", flat=True)) == {a.subdistrict_code}
    sign_in(client, province)
    _bulk(client, "take_back", query={}, expected=2)
    assert set(ReviewItem.objects.values_list("assigned_area", flat=True)) == {""}


def test_filters_narrow_the_queue(client, province):
    a, b = _two_subdistricts()
    conflict = person_row(a, pin=first_pin(a), house_code=b.house_code)
    _post(client, [conflict, *_unmatched(2, [a, b])], title="first")
    second = _post(client, _unmatched(1, [b]), title="second")
    ReviewItem.objects.filter(list_import=second).update(status=Status.REJECTED)

    def rows(**query):
        page = client.get(reverse("imports:review"), query)
        return sorted((c.item.list_import.name, c.item.row) for c in page.context["cards"])

    assert rows() == [("first", 2), ("first", 3), ("first", 4)]
    assert rows(reason="pin_house") == [("first", 2)]
    assert rows(match="none") == [("first", 3), ("first", 4)]
    assert rows(match="candidates") == [("first", 2)]
    assert rows(area=b.subdistrict_code) == [("first", 4)]
    assert rows(status="decided") == [("second", 2)]
    assert rows(status="all", list_import=second.pk) == [("second", 2)]
    assert rows(status="nonsense") == rows()  # a value the form does not offer is ignored


def test_the_services_check_who_may_decide(province, make_user):
    a, _ = two_households()
    imp = services.list_import(
        ctx=Context.cli(province),
        upload=upload(csv_bytes(_unmatched(2, [a])), "l.csv"),
        name="",
        kind="thaiqm",
    )
    items = ReviewItem.objects.filter(list_import=imp)
    before = _state()
    for outsider in (make_user(Role.MENTOR, a.subdistrict_code), make_user(Role.AGENCY, "34")):
        with pytest.raises(Refused) as refused:
            services.review_bulk_field_visit(ctx=Context.cli(outsider), items=items)
        assert refused.value.code == "imports.may_not_review"
    # A subdistrict before anything is handed to it: its selection holds no row.
    team = make_user(Role.SUBDISTRICT, a.subdistrict_code)
    with pytest.raises(Invalid) as invalid:
        services.review_bulk_reject(ctx=Context.cli(team), items=items, note="x")
    assert invalid.value.code == "imports.nothing_selected"
    with pytest.raises(NotFound) as not_found:  # not handed to it: as if it did not exist
        services.review_field_visit(ctx=Context.cli(team), item=items.first())
    assert not_found.value.code == "access.not_found"
    with pytest.raises(Refused) as refused:
        services.review_bulk_assign(
            ctx=Context.cli(make_user(Role.DISTRICT, "3401")), items=items, level=""
        )
    assert refused.value.code == "imports.may_not_hand_back"
    assert _state() == before


def test_a_forged_way_back_is_not_echoed(client, province):
    a, _ = two_households()
    _post(client, _unmatched(1, [a]))
    response = client.post(
        reverse("imports:review_bulk"),
        {"action": "nonsense", "query": "reason=not_found&x=1\r\nSet-Cookie: a=b&status=open"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:review") + "?reason=not_found&status=open"


def test_the_review_page_in_english(client, province):
    a, b = two_households()
    _post(client, [person_row(a, pin=first_pin(a), house_code=b.house_code)])
    client.cookies["django_language"] = "en"
    html = client.get(reverse("imports:review")).content.decode()
    assert "1 list row matching the filter waits for a decision." in html
    assert "named by the national ID" in html and f"Village {a.village_no}, " in html


@pytest.mark.parametrize("verb", ["link", "field_visit", "reject"])
def test_a_row_decision_without_permission_is_refused_by_its_code(verb, province, make_user):
    """Called directly (the command line, the API), each decision asks the row's policy
    itself: a role that reviews no list is Refused (imports.may_not_review); an importer of
    another province, or a district the row was not handed to, gets access.not_found, as
    for a row that does not exist. Nothing changes: rows, entries, audit, history."""
    a, _ = two_households()
    imp = services.list_import(
        ctx=Context.cli(province),
        upload=upload(csv_bytes(_unmatched(1, [a])), "l.csv"),
        name="",
        kind="thaiqm",
    )
    item = ReviewItem.objects.get(list_import=imp)

    def decide(actor):
        if verb == "link":
            return services.review_link(ctx=Context.cli(actor), item=item, household=a)
        if verb == "field_visit":
            return services.review_field_visit(ctx=Context.cli(actor), item=item)
        return services.review_reject(ctx=Context.cli(actor), item=item, note="ไม่ใช่คนในพื้นที่")

    before = _state()
    for actor, refusal, code in (
        (make_user(Role.MENTOR, a.village_code), Refused, "imports.may_not_review"),
        (make_user(Role.AGENCY, a.district_code), Refused, "imports.may_not_review"),
        (make_user(Role.PROVINCE, "35"), NotFound, "access.not_found"),
        (make_user(Role.DISTRICT, a.district_code), NotFound, "access.not_found"),
    ):
        with pytest.raises(refusal) as refused:
            decide(actor)
        assert refused.value.code == code, actor
        assert _state() == before, actor
    decide(province)  # the importer of the row's province may
    assert ReviewItem.objects.get(pk=item.pk).status != ReviewItem.Status.OPEN
