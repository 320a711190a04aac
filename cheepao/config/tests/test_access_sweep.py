"""The platform-wide access sweep (issue 4): for every role and every page or endpoint that
takes a household, area, batch, list, review item or account id, an object outside the
account's area is a 404 (or, for a POST to a read-only page, a 405) and nothing changes,
not even an audit row.

The sweep reads the URL configuration itself: an endpoint with a parameter that is not
listed in SWEEP below fails `test_every_endpoint_with_an_id_is_swept`, so a new page
cannot skip the sweep by being forgotten. Each app keeps its own finer sweep as well.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cheepao.accounts.models import User
from cheepao.audit.models import AuditEvent
from cheepao.households.models import Household, Member, Problem
from cheepao.imports.models import ListEntry, ListImport, ReviewItem
from cheepao.verification import services as verification
from cheepao.verification.models import Batch, BatchEvent, Verification
from cheepao.verification.tests.conftest import form_data

PLATFORM = {"accounts", "households", "verification", "imports", "newhouseholds", "audit"}
ROLES = ["subdistrict", "mentor", "district", "province", "agency"]


def sweep(world: dict) -> dict[str, list[tuple[str, str, dict | None]]]:
    """(method, url, data) per endpoint, each aimed at an object in `world`'s area."""
    h, batch = world["household"], world["batch"]
    imp, item, account = world["import"], world["review_item"], world["account"]
    return {
        "accounts:detail": [("get", reverse("accounts:detail", args=[account.pk]), None)],
        "accounts:deactivate": [
            ("get", reverse("accounts:deactivate", args=[account.pk]), None),
            ("post", reverse("accounts:deactivate", args=[account.pk]), {}),
        ],
        "accounts:reactivate": [("post", reverse("accounts:reactivate", args=[account.pk]), {})],
        "accounts:reset_password": [
            ("get", reverse("accounts:reset_password", args=[account.pk]), None),
            ("post", reverse("accounts:reset_password", args=[account.pk]), {}),
        ],
        "accounts:unlock": [("post", reverse("accounts:unlock", args=[account.pk]), {})],
        "households:area": [
            ("get", reverse("households:area", args=[code]), None)
            for code in (h.district_code, h.subdistrict_code)
        ],
        "households:subdistrict": [
            ("get", reverse("households:subdistrict", args=[h.subdistrict_code]), None)
        ],
        "households:village": [("get", reverse("households:village", args=[h.village_code]), None)],
        "households:village_export": [
            ("get", reverse("households:village_export", args=[h.village_code]), None)
        ],
        "households:folder": [
            ("get", reverse("households:folder", args=[h.pk]), None),
            ("post", reverse("households:folder", args=[h.pk]), {}),
        ],
        "verification:form": [
            ("get", reverse("verification:form", args=[h.pk]), None),
            ("post", reverse("verification:form", args=[h.pk]), {"household_status": "moved"}),
        ],
        "verification:area": [
            ("get", reverse("verification:area", args=[h.village_code]), None),
            ("post", reverse("verification:area", args=[h.village_code]), {}),
        ],
        "verification:batch": [("get", reverse("verification:batch", args=[batch.pk]), None)]
        + [
            ("post", reverse("verification:batch", args=[batch.pk]), {"action": a, "comment": "x"})
            for a in ("certify", "return", "approve")
        ],
        "imports:detail": [("get", reverse("imports:detail", args=[imp.pk]), None)],
        "imports:rejects_csv": [("get", reverse("imports:rejects_csv", args=[imp.pk]), None)],
        "imports:decide": [
            (
                "post",
                reverse("imports:decide", args=[item.pk]),
                {"decision": "reject", "note": "ไม่ใช่คนในพื้นที่"},
            )
        ],
        "newhouseholds:detail": [
            ("get", reverse("newhouseholds:detail", args=[world["field_household"].pk]), None)
        ],
    }


def state() -> dict:
    """Everything the swept endpoints could write, as comparable values."""
    return {
        "households": list(Household.objects.order_by("pk").values()),
        "members": Member.objects.count(),
        "problems": list(Problem.objects.order_by("pk").values("pk", "status", "origin")),
        "verifications": list(Verification.objects.order_by("pk").values()),
        "batches": list(Batch.objects.order_by("pk").values()),
        "batch_events": BatchEvent.objects.count(),
        "imports": list(ListImport.objects.order_by("pk").values()),
        "review": list(ReviewItem.objects.order_by("pk").values()),
        "entries": ListEntry.objects.count(),
        "users": list(User.objects.order_by("pk").values("pk", "is_active", "password")),
        "audit": AuditEvent.objects.count(),
    }


@pytest.fixture
def world(registry, make_user):
    """One household with two open problems, its verified and submitted village, a list
    import with a row waiting for review, a field-found household and a team account, all
    in one subdistrict of district 3401."""
    h = next(
        h
        for h in Household.objects.filter(registry=registry).order_by("village_code", "pk")
        if h.problems.filter(status=Problem.Status.OPEN).count() >= 2
    )
    team = make_user("subdistrict", h.subdistrict_code)
    verification.verification_save(household=h, actor=team, data=form_data(h))
    batch = verification.batch_submit(area_code=h.village_code, actor=team)
    imp = ListImport.objects.create(
        kind="thaiqm",
        name="ThaiQM 2568",
        file_name="thaiqm.csv",
        file_sha256="0" * 64,
        area_code=h.subdistrict_code,
        registry=registry,
        rows_read=1,
        rows_queued=1,
    )
    item = ReviewItem.objects.create(
        list_import=imp,
        kind="thaiqm",
        row=2,
        reason=ReviewItem.Reason.values[0],
        data={"first_name": "สมศรี", "last_name": "ดีใจ"},
        village_code=h.village_code,
    )
    field = Household.objects.create(
        registry=registry,
        hh_id="F2568-00001",
        source="field",
        status="pending",
        province_code=h.province_code,
        district_code=h.district_code,
        subdistrict_code=h.subdistrict_code,
        village_no=h.village_no,
        village_code=h.village_code,
    )
    other = (
        Household.objects.filter(registry=registry, district_code=h.district_code)
        .exclude(subdistrict_code=h.subdistrict_code)
        .first()
    )
    return {
        "household": h,
        "batch": batch,
        "import": imp,
        "review_item": item,
        "field_household": field,
        "account": make_user("mentor", h.village_code),
        "outsiders": {
            "subdistrict": make_user("subdistrict", other.subdistrict_code),
            "mentor": make_user("mentor", other.village_code),
            "district": make_user("district", "3402"),
            "province": make_user("province", "35"),
            "agency": make_user("agency", h.district_code),
        },
    }


def _endpoints_with_parameters() -> set[str]:
    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace in PLATFORM and p.pattern.regex.groups:
                yield f"{namespace}:{p.name}"

    return set(walk(get_resolver().url_patterns))


def test_every_endpoint_with_an_id_is_swept(world):
    assert _endpoints_with_parameters() == set(sweep(world))


@pytest.mark.parametrize("role", ROLES)
def test_outside_the_area_is_404_and_nothing_changes(role, world, client, sign_in):
    sign_in(client, world["outsiders"][role])
    before = state()
    for name, requests in sweep(world).items():
        for method, url, data in requests:
            response = getattr(client, method)(url, data) if data is not None else client.get(url)
            allowed = {404} if method == "get" else {404, 405}
            assert response.status_code in allowed, (role, name, method, response.status_code)
    assert state() == before


def test_the_same_requests_are_not_all_refused_inside_the_area(world, client, sign_in, make_user):
    """The sweep's requests do reach their objects for the people whose area it is (a
    sweep of URLs that 404 for everybody would prove nothing)."""
    h = world["household"]
    sign_in(client, make_user("district", h.district_code))
    reached = {
        name
        for name, requests in sweep(world).items()
        for method, url, _data in requests
        if method == "get" and client.get(url).status_code == 200
    }
    assert {
        "accounts:detail",
        "accounts:deactivate",
        "accounts:reset_password",
        "households:area",
        "households:subdistrict",
        "households:village",
        "households:village_export",
        "households:folder",
        "verification:form",
        "verification:area",
        "verification:batch",
        "newhouseholds:detail",
    } <= reached


def test_list_imports_are_reached_by_their_province(world, client, sign_in, make_user):
    sign_in(client, make_user("province", world["household"].province_code))
    for name in ("imports:detail", "imports:rejects_csv"):
        (_method, url, _data) = sweep(world)[name][0]
        assert client.get(url).status_code == 200, name
