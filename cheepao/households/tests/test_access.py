"""Access sweep: every registry URL that takes a household id or an area code, for every
role, answers 404 for anything outside the account's area (the same 404 as for something
that does not exist) and records nothing; inside the area it answers 200."""

from __future__ import annotations

import pytest

from cheepao.audit.models import AuditEvent
from cheepao.households.models import Household

pytestmark = pytest.mark.django_db

# Every URL of the app that takes an id or a code; {code} is filled to the right length.
AREA_URLS = {
    2: ["/registry/area/{code}/"],
    4: ["/registry/area/{code}/"],
    6: ["/registry/area/{code}/", "/registry/subdistrict/{code}/"],
    8: ["/registry/village/{code}/", "/registry/village/{code}/register.xlsx"],
}
FOLDER_URL = "/registry/household/{id}/"

# (role, account area, a household of the run inside it or None, area codes outside it).
# The run's 36 target households are all in district 3401 (subdistricts 340101..340120).
ROLES = [
    ("national", "", "340105", ["99", "9901", "990101", "99010101"]),
    ("province", "34", "340105", ["35", "3501", "350101", "35010101"]),
    ("province", "35", None, ["34", "3401", "340105", "34010501"]),
    ("district", "3401", "340105", ["34", "3402", "340201", "34020101"]),
    ("district", "3402", None, ["34", "3401", "340105", "34010501"]),
    ("subdistrict", "340105", "340105", ["3401", "340101", "34010101", "34010701"]),
    ("subdistrict", "340101", "340101", ["34", "3401", "340105", "34010501"]),
    ("mentor", "340113", "340113", ["3401", "340105", "34010501"]),
    ("mentor", "34010501", "34010501", ["340105", "34010508", "34010101"]),
    ("agency", "34", None, ["34", "3401", "340105", "34010501"]),
    ("agency", "", None, ["34", "3401", "340105", "34010501"]),
]


def _urls_for(code: str) -> list[str]:
    return [u.format(code=code) for u in AREA_URLS[len(code)]]


@pytest.mark.parametrize(
    ("role", "area", "inside", "outside_codes"),
    ROLES,
    ids=[f"{r}-{a or 'th'}" for r, a, _, _ in ROLES],
)
def test_access_sweep(client, make_user, sign_in, registry, role, area, inside, outside_codes):
    user = make_user(role, area)
    sign_in(client, user)
    everyone = Household.objects.all()
    seen = [h for h in everyone if inside and h.village_code.startswith(inside)]
    hidden = [h for h in everyone if not (inside and h.village_code.startswith(area))]
    missing_id = max(h.pk for h in everyone) + 1000

    before = AuditEvent.objects.count()
    refused = [FOLDER_URL.format(id=h.pk) for h in hidden]
    refused += [FOLDER_URL.format(id=missing_id), "/registry/household/0/"]
    for code in outside_codes:
        refused += _urls_for(code)
    for url in refused:
        assert client.get(url).status_code == 404, url
    # Nothing was recorded for any of them: no view, no export.
    assert AuditEvent.objects.count() == before

    # Inside the area everything answers, and each folder open is one view row.
    for h in seen:
        assert client.get(FOLDER_URL.format(id=h.pk)).status_code == 200
        for code in {h.village_code, h.subdistrict_code, h.district_code, h.province_code}:
            if len(code) >= len(area):
                for url in _urls_for(code):
                    assert client.get(url).status_code == 200, url
    views = AuditEvent.objects.filter(action="view")
    assert views.filter(object_type="households.household").count() == len(seen)
    # Each register page read lists households of its own area only.
    for read in views.exclude(object_type="households.household"):
        assert read.object_type in {"households.village", "households.subdistrict"}
        listed = Household.objects.filter(pk__in=read.changes["households"])
        assert listed.count() == len(read.changes["households"]) > 0
        assert all(h.village_code.startswith(read.object_id) for h in listed)
    if role == "agency":
        assert not seen and client.get("/registry/").status_code == 200


def test_malformed_codes_are_not_routes(client, make_user, sign_in, registry):
    sign_in(client, make_user("national"))
    before = AuditEvent.objects.count()
    for url in (
        "/registry/area/3/",
        "/registry/area/34010501/",
        "/registry/village/3401050/",
        "/registry/village/34a10501/",
        "/registry/subdistrict/3401/",
        "/registry/household/abc/",
        "/registry/household/-1/",
    ):
        assert client.get(url).status_code == 404, url
    assert AuditEvent.objects.count() == before
