"""Pages that list names record one audit read row listing what they showed (issue 9
item 9): the village and subdistrict registers, per page, filtered or not, whole page or
the table alone (HTMX)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from cheepao.audit.models import AuditEvent
from cheepao.households import selectors
from cheepao.households.models import Household

pytestmark = pytest.mark.django_db

# In the tiny registry: the subdistrict with the most target households (five, so that pages
# of two have a full second page) and one of its villages (households.parquet).
SUBDISTRICT, VILLAGE = "340120", "34012002"


def _shown(html: str) -> list[int]:
    """The household ids the page lists (the register table's folder links), in order."""
    return [
        int(pk) for pk in re.findall(r'<th scope="row"><a href="/registry/household/(\d+)/"', html)
    ]


def _hh_ids(pks: list[int]) -> list[str]:
    hh = dict(Household.objects.filter(pk__in=pks).values_list("pk", "hh_id"))
    return [hh[pk] for pk in pks]


def _reads_after(mark: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=mark, action="view").order_by("pk"))


def _mark() -> int:
    last = AuditEvent.objects.order_by("-pk").first()
    return last.pk if last else 0


@pytest.mark.parametrize(
    ("url", "object_type", "code"),
    [
        (f"/registry/village/{VILLAGE}/", "households.village", VILLAGE),
        (f"/registry/subdistrict/{SUBDISTRICT}/", "households.subdistrict", SUBDISTRICT),
    ],
)
def test_a_register_page_records_one_read_listing_its_households(
    client, make_user, sign_in, registry, url, object_type, code
):
    user = make_user("subdistrict", SUBDISTRICT)
    sign_in(client, user)
    mark = _mark()
    html = client.get(url).content.decode()
    shown = _shown(html)
    assert shown
    (row,) = _reads_after(mark)
    assert (row.actor, row.object_type, row.object_id, row.area_code) == (
        user,
        object_type,
        code,
        code,
    )
    assert row.changes == {
        "households": shown,
        "hh_ids": _hh_ids(shown),
        "page": 1,
        "filters": {},
    }
    assert row.summary == f"target register of {code} read: {len(shown)} households (page 1)"
    with translation.override("th"):
        text = row.summary_text
    assert text.startswith("ดูทะเบียนครัวเรือนเป้าหมาย ")
    assert f"{len(shown)} ครัวเรือน (หน้า 1)" in text


def test_each_page_and_each_filtered_table_records_what_it_showed(
    client, make_user, sign_in, registry, monkeypatch
):
    monkeypatch.setattr(selectors.register, "PER_PAGE", 2)
    sign_in(client, make_user("subdistrict", SUBDISTRICT))
    url = f"/registry/subdistrict/{SUBDISTRICT}/"

    mark = _mark()
    html = client.get(url, {"page": 2}).content.decode()
    (row,) = _reads_after(mark)
    assert len(_shown(html)) == 2
    assert row.changes["households"] == _shown(html) and row.changes["page"] == 2

    # The filter form asks for the table alone (HTMX): one row for it too.
    mark = _mark()
    html = client.get(
        url,
        {"dimension": "education"},
        headers={"HX-Request": "true", "HX-Target": "register-results"},
    ).content.decode()
    assert "<html" not in html
    (row,) = _reads_after(mark)
    assert row.changes["households"] == _shown(html)
    assert row.changes["filters"] == {"dimension": "education"}
    education = Household.objects.filter(
        subdistrict_code=SUBDISTRICT, problems__dimension="education", problems__status="open"
    ).distinct()
    assert set(row.changes["households"]) <= set(education.values_list("pk", flat=True))


def test_a_page_that_lists_nobody_records_nothing(client, make_user, sign_in, registry):
    sign_in(client, make_user("subdistrict", SUBDISTRICT))
    mark = _mark()
    # No household of the fresh registry has been classified by a team yet.
    html = client.get(
        f"/registry/village/{VILLAGE}/", {"household_type": "welfare"}
    ).content.decode()
    assert _shown(html) == []
    assert _reads_after(mark) == []
