"""Issue 10's done-when: after a province approves a batch, the public and the signed-in
registers of that area agree and show the change (ADR 0020, the area read model).

A household of the tiny Ubon registry is found to be an inclusion error (every problem
marked wrong on form ศจพ.1); the team sends it, the district certifies, and the province
approves through its page. Before and after, every level above the household (village,
subdistrict, district, province, country) is read on the public register and on the
signed-in area pages, as the tables they print."""

from __future__ import annotations

import csv
import io
import re

import pytest

from cheepao.core.context import Context
from cheepao.engine import geography
from cheepao.households.models import Household, Problem
from cheepao.verification import services as verification
from cheepao.verification.tests.conftest import form_data, marks_for

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _table(html: str) -> list[list[str]]:
    """The summary register of a page (caption `register-caption`): header row, the rows,
    the total row, each cell as plain text."""
    start = html.index('id="register-caption"')
    table = html[html.rindex("<table", 0, start) : html.index("</table>", start)]
    return [
        [_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, flags=re.S)]
        for tr in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    ]


def _source(html: str) -> str:
    found = re.findall(r"<p [^>]*data-figures-source[^>]*>(.*?)</p>", html, flags=re.S)
    assert len(found) == 1, found
    return _text(found[0])


def _households(table: list[list[str]], name: str) -> int:
    """Target households (the first count) of the row of `name`, or of the total row."""
    (row,) = [r for r in table[1:] if r[1] == name]
    return int(row[2].replace(",", ""))


@pytest.fixture
def inclusion_error(registry, make_user):
    """The first household of village 34010501 verified as an inclusion error, sent by the
    subdistrict team and certified by the district: waiting for the province."""
    household = Household.objects.filter(village_code="34010501").order_by("pk").first()
    team = make_user("subdistrict", household.subdistrict_code)
    wrong = marks_for(household, set(marks_for(household)))
    verification.verification_save(
        household=household, ctx=Context.cli(team), data=form_data(household, marks=wrong)
    )
    batch = verification.batch_submit(area_code=household.village_code, ctx=Context.cli(team))
    batch = verification.batch_certify(
        batch=batch, ctx=Context.cli(make_user("district", household.district_code))
    )
    return household, batch


def _both_registers(client, signed_in, village, household) -> dict[str, tuple]:
    """Per level: (public table, signed-in table, public figures source, signed-in one) of
    the page listing that level's area; the country's figures are the total row of the
    province table."""
    v, s, d, p = (
        household.village_code,
        household.subdistrict_code,
        household.district_code,
        household.province_code,
    )
    pages = {  # level listed: (public page, signed-in page)
        "province": ("/", "/registry/"),
        "district": (f"/areas/{p}/", f"/registry/area/{p}/"),
        "subdistrict": (f"/areas/{d}/", f"/registry/area/{d}/"),
        "village": (f"/areas/{s}/", f"/registry/area/{s}/"),
    }
    out = {}
    for level, (public_url, own_url) in pages.items():
        public = client.get(public_url, HTTP_ACCEPT_LANGUAGE="th").content.decode()
        own = signed_in.get(own_url).content.decode()
        out[level] = (_table(public), _table(own), _source(public), _source(own))
    # A village's own figures: the start page of an account of the village.
    out["village page"] = village.get("/registry/").content.decode()
    assert f'href="/registry/village/{v}/"' in out["village page"]
    return out


def test_after_approval_the_public_and_signed_in_registers_agree_and_show_it(
    client, make_user, sign_in, inclusion_error, django_capture_on_commit_callbacks
):
    from django.test import Client

    household, batch = inclusion_error
    signed_in = sign_in(Client(), make_user("national", ""))
    province = sign_in(Client(), make_user("province", household.province_code))
    village = sign_in(Client(), make_user("mentor", household.village_code))
    before = _both_registers(client, signed_in, village, household)
    for level in ("province", "district", "subdistrict", "village"):
        public, own, public_source, own_source = before[level]
        assert public == own, level  # one table, from one source
        assert "ยังไม่มีผลการตรวจสอบที่ ศจพ.จ. เห็นชอบในพื้นที่นี้" in own_source
    # The row of each of the household's areas, by the name the tables print.
    names = {
        level: geography.name_of(getattr(household, f"{level}_code"))[0]
        for level in ("province", "district", "subdistrict", "village")
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = province.post(
            f"/verification/batches/{batch.pk}/", {"action": "approve", "comment": ""}
        )
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.status == Household.Status.REMOVED
    assert not household.problems.filter(status=Problem.Status.OPEN).exists()

    after = _both_registers(client, signed_in, village, household)
    for level in ("province", "district", "subdistrict", "village"):
        public, own, public_source, own_source = after[level]
        assert public == own, level
        # One target household fewer in the household's area at this level …
        assert _households(public, names[level]) == _households(before[level][0], names[level]) - 1
        # … and in the total row: the area above (the country for the province table).
        assert _households(public, "รวม") == _households(before[level][0], "รวม") - 1
        assert "รวมผลการตรวจสอบที่ ศจพ.จ. เห็นชอบแล้ว 1 ชุด ล่าสุดเมื่อ" in own_source
        assert public_source == own_source
    # The village itself: its own page counts one fewer too.
    assert _dd(after["village page"], "ครัวเรือนเป้าหมาย") == (
        _dd(before["village page"], "ครัวเรือนเป้าหมาย") - 1
    )

    # The public download of the registry's register says the same.
    response = client.get(f"/register/{household.registry.survey_year}/register_province.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == after["province"][0]


def _dd(html: str, label: str) -> int:
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd>([\d,]+)</dd>", html)
    assert match, label
    return int(match.group(1).replace(",", ""))
