"""Every refusal of a review decision, called through the services (the command line, the
API): each by its code (imports.errors), each changing nothing (review rows, imports'
counters, list entries, households, audit rows, household history), and the pages show
the same Thai words for it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cheepao.accounts.roles import Role
from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.core.errors import Conflict, Invalid, Refused
from cheepao.households.models import Household, HouseholdEvent
from cheepao.imports import services
from cheepao.imports.models import ListEntry, ListImport, ReviewItem

from .helpers import csv_bytes, first_pin, person_row, two_households, upload, valid_pin

pytestmark = pytest.mark.django_db

Status = ReviewItem.Status


@pytest.fixture
def province(make_user, registry):
    return make_user(Role.PROVINCE, "34")


def cli(user) -> Context:
    return Context.cli(user)


def _unmatched(n: int, h: Household) -> list[list]:
    return [
        [valid_pin(f"38{i:010d}"), "", f"ชื่อ{i}", "ทดสอบ", h.subdistrict_code, h.village_no, ""]
        for i in range(n)
    ]


def _import(user, rows) -> ListImport:
    return services.list_import(
        ctx=cli(user), upload=upload(csv_bytes(rows), "l.csv"), name="ThaiQM", kind="thaiqm"
    )


def _state() -> tuple:
    return (
        list(ReviewItem.objects.order_by("pk").values()),
        list(ListImport.objects.order_by("pk").values()),
        list(ListEntry.objects.order_by("pk").values()),
        list(Household.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
        HouseholdEvent.objects.count(),
    )


@pytest.fixture
def queue(province):
    """A list of one conflicting row (its PIN names household `a`) and three rows nobody
    in the registry has."""
    a, b = two_households()
    imp = _import(province, [person_row(a, pin=first_pin(a), house_code=b.house_code)])
    imp2 = _import(province, _unmatched(3, a))
    return a, imp, imp2


def refused(kind, code, call):
    before = _state()
    with pytest.raises(kind) as excinfo:
        call()
    assert excinfo.value.code == code
    assert _state() == before
    return excinfo.value


@pytest.mark.parametrize("verb", ["link", "field_visit", "reject"])
def test_a_row_already_decided_is_not_decided_again(verb, province, queue):
    a, imp, _ = queue
    item = ReviewItem.objects.get(list_import=imp)
    services.review_field_visit(ctx=cli(province), item=item)
    calls = {
        "link": lambda: services.review_link(ctx=cli(province), item=item, household=a),
        "field_visit": lambda: services.review_field_visit(ctx=cli(province), item=item),
        "reject": lambda: services.review_reject(ctx=cli(province), item=item, note="ซ้ำ"),
    }
    refused(Conflict, "imports.already_decided", calls[verb])


def test_a_row_is_not_rejected_without_a_reason(province, queue):
    _, _, imp2 = queue
    item = ReviewItem.objects.filter(list_import=imp2).first()
    refused(
        Invalid,
        "imports.reject_reason",
        lambda: services.review_reject(ctx=cli(province), item=item, note="  "),
    )


def test_rows_are_not_rejected_without_a_reason(province, queue):
    items = ReviewItem.objects.filter(status=Status.OPEN)
    refused(
        Invalid,
        "imports.reject_reason_many",
        lambda: services.review_bulk_reject(ctx=cli(province), items=items, note=""),
    )


@pytest.mark.parametrize("verb", ["link_pin", "field_visit", "reject", "assign"])
def test_a_selection_that_changed_since_the_page_is_refused_whole(verb, province, queue):
    items = ReviewItem.objects.filter(status=Status.OPEN)
    assert items.count() == 4
    kwargs = {"ctx": cli(province), "items": items, "expected": 5}
    calls = {
        "link_pin": lambda: services.review_bulk_link_by_pin(**kwargs),
        "field_visit": lambda: services.review_bulk_field_visit(**kwargs),
        "reject": lambda: services.review_bulk_reject(note="ย้ายออก", **kwargs),
        "assign": lambda: services.review_bulk_assign(level="district", **kwargs),
    }
    error = refused(Conflict, "imports.selection_changed", calls[verb])
    assert error.params == {"n": 4, "expected": 5}


def test_a_selection_without_an_open_row_is_refused(province, queue):
    items = ReviewItem.objects.none()
    refused(
        Invalid,
        "imports.nothing_selected",
        lambda: services.review_bulk_field_visit(ctx=cli(province), items=items),
    )


def test_linking_by_national_id_needs_one_row_that_names_a_household(province, queue):
    _, _, imp2 = queue
    items = ReviewItem.objects.filter(list_import=imp2)
    refused(
        Invalid,
        "imports.no_pin_match",
        lambda: services.review_bulk_link_by_pin(ctx=cli(province), items=items, expected=3),
    )


@pytest.mark.parametrize("level", ["district", "subdistrict", "village"])
def test_rows_are_handed_only_to_an_area_below(level, make_user, province, queue):
    a, _, _ = queue
    items = ReviewItem.objects.filter(status=Status.OPEN)
    # hand them to the subdistrict first, so the subdistrict may decide them
    services.review_bulk_assign(ctx=cli(province), items=items, level="subdistrict")
    team = make_user(Role.SUBDISTRICT, a.subdistrict_code)
    refused(
        Refused,
        "imports.only_below",
        lambda: services.review_bulk_assign(ctx=cli(team), items=items, level=level),
    )


@pytest.mark.parametrize(
    "verb", ["link", "bulk_link_pin", "bulk_field_visit", "bulk_reject", "bulk_assign"]
)
def test_a_non_reviewer_is_refused_before_anything_else(verb, make_user, province, queue):
    """Whatever else is wrong with the call (no reason, a level that is not below, a
    stale count), a role that reviews no list hears only that."""
    a, imp, _ = queue
    item = ReviewItem.objects.get(list_import=imp)
    items = ReviewItem.objects.filter(status=Status.OPEN)
    for user in (make_user(Role.MENTOR, a.village_code), make_user(Role.AGENCY, "34")):
        calls = {
            "link": lambda u=user: services.review_link(ctx=cli(u), item=item, household=a),
            "bulk_link_pin": lambda u=user: services.review_bulk_link_by_pin(
                ctx=cli(u), items=items, expected=4
            ),
            "bulk_field_visit": lambda u=user: services.review_bulk_field_visit(
                ctx=cli(u), items=items, expected=99
            ),
            "bulk_reject": lambda u=user: services.review_bulk_reject(
                ctx=cli(u), items=items, note=""
            ),
            "bulk_assign": lambda u=user: services.review_bulk_assign(
                ctx=cli(u), items=items, level="village"
            ),
        }
        refused(Refused, "imports.may_not_review", calls[verb])


def test_without_an_account_nothing_is_decided(province, queue):
    _, imp, _ = queue
    item = ReviewItem.objects.get(list_import=imp)
    refused(
        Refused,
        "imports.may_not_review",
        lambda: services.review_field_visit(ctx=Context.system(), item=item),
    )


def test_the_pages_say_each_refusal_in_thai(client, sign_in, province, queue):
    _, imp, imp2 = queue
    sign_in(client, province)
    item = ReviewItem.objects.get(list_import=imp)
    services.review_field_visit(ctx=cli(province), item=item)

    def said(response) -> list[str]:
        return [str(m) for m in response.wsgi_request._messages]

    before = _state()
    again = client.post(reverse("imports:decide", args=[item.pk]), {"decision": "field_visit"})
    assert said(again)[-1] == f"แถวที่ {item.row}: แถวนี้ได้รับการพิจารณาไปแล้ว"
    open_item = ReviewItem.objects.filter(list_import=imp2).first()
    no_reason = client.post(
        reverse("imports:decide", args=[open_item.pk]), {"decision": "reject", "note": " "}
    )
    assert said(no_reason)[-1] == f"แถวที่ {open_item.row}: กรุณาระบุเหตุผลที่ไม่รับแถวนี้"
    stale = client.post(
        reverse("imports:review_bulk"),
        {"action": "field_visit", "scope": "filter", "query": "", "expected": "7"},
    )
    assert said(stale)[-1] == (
        "แถวมีการเปลี่ยนแปลงหลังจากแสดงหน้านี้ ขณะนี้มีแถวที่รอการพิจารณาตรงกับตัวกรอง 3 แถว "
        "ไม่ใช่ 7 แถว ระบบยังไม่ได้เปลี่ยนแปลงสิ่งใด กรุณาตรวจดูอีกครั้งแล้วทำรายการใหม่"
    )
    assert _state() == before
