"""Form ศจพ.1 has its own id and a version (ADR 0021): a phone's id is kept, and a save made
from an older reading of the form than the one recorded is refused with a stable code,
changing nothing, through the service and through the page."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from cheepao.core import errors
from cheepao.core.context import Context
from cheepao.households.models import Household
from cheepao.verification import services
from cheepao.verification.models import Verification
from cheepao.verification.tests.conftest import form_data, snapshot

pytestmark = pytest.mark.django_db


def _save(household, team, **kwargs):
    return services.verification_save(
        household=household, ctx=Context.cli(team), data=form_data(household), **kwargs
    )


def test_a_phones_id_is_kept_and_each_save_counts(household, team):
    phone = uuid.uuid4()
    first = _save(household, team, uid=phone, version=0)
    assert (first.uid, first.version) == (phone, 1)
    again = _save(household, team, uid=phone, version=1)
    assert (again.pk, again.uid, again.version) == (first.pk, phone, 2)
    assert _save(household, team).version == 3  # a caller that gives neither is not checked


def test_the_server_makes_an_id_when_none_is_given(household, team):
    made = _save(household, team)
    assert isinstance(made.uid, uuid.UUID) and made.version == 1


@pytest.mark.parametrize(
    "uid,version",
    [
        (None, 1),  # read before the last save
        (None, 0),  # read before any save: a second form made offline
        ("other", None),  # another phone's form for the same household
    ],
)
def test_a_save_from_an_older_reading_is_refused_and_changes_nothing(household, team, uid, version):
    _save(household, team)
    _save(household, team, version=1)
    before = snapshot()
    with pytest.raises(errors.Conflict) as e:
        _save(household, team, uid=uuid.uuid4() if uid == "other" else None, version=version)
    assert e.value.code == "verification.stale" and e.value.status == 409
    assert snapshot() == before


def test_an_id_of_another_form_is_refused(household, other_household, team, make_user):
    taken = _save(other_household, make_user("subdistrict", other_household.subdistrict_code))
    before = snapshot()
    with pytest.raises(errors.Conflict) as e:
        _save(household, team, uid=taken.uid, version=0)
    assert e.value.code == "verification.uid_taken"
    assert snapshot() == before


def test_an_id_that_is_not_a_uuid_is_refused_and_changes_nothing(household, team):
    before = snapshot()
    with pytest.raises(errors.Invalid) as e:
        _save(household, team, uid="F2568-00001", version=0)
    assert e.value.code == "verification.bad_uid" and e.value.status == 400
    assert list(e.value.fields) == ["uid"]
    assert snapshot() == before


def test_sending_and_approving_make_older_readings_stale(household, team, district, province):
    form = _save(household, team)
    batch = services.batch_submit(area_code=household.village_code, ctx=Context.cli(team))
    assert Verification.objects.get(pk=form.pk).version == 2
    services.batch_certify(batch=batch, ctx=Context.cli(district))
    before = Household.objects.get(pk=household.pk).version
    services.batch_approve(batch=batch, ctx=Context.cli(province))
    assert Verification.objects.get(pk=form.pk).version == 4
    assert Household.objects.get(pk=household.pk).version == before + 1


def _hidden(html: str, name: str) -> str:
    return re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html).group(1)


def test_two_people_on_one_form_the_second_is_told_and_keeps_their_answers(
    client, sign_in, household, team, make_user
):
    url = reverse("verification:form", args=[household.pk])
    other = make_user("subdistrict", household.subdistrict_code)
    mine = sign_in(client, team).get(url).content.decode()
    uid, version = _hidden(mine, "uid"), _hidden(mine, "version")
    assert uuid.UUID(uid) and version == "0"

    # A colleague saves the same household's form first.
    _save(household, other, version=0)
    before = snapshot()
    answers = {**_post_answers(household), "uid": uid, "version": version, "note": "ของฉัน"}
    response = client.post(url, answers)
    html = response.content.decode()
    assert response.status_code == 200
    assert "มีผู้อื่นบันทึกแบบ ศจพ.1 นี้หลังจากที่ท่านเปิดแบบฟอร์ม" in html
    assert "ของฉัน" in html  # what was typed is still on the page
    assert snapshot() == before
    saved = Verification.objects.get(household=household)
    assert _hidden(html, "version") == str(saved.version)
    assert _hidden(html, "uid") == str(saved.uid)

    # Saving again, now knowingly, replaces it.
    again = client.post(url, {**answers, "version": _hidden(html, "version"), "uid": saved.uid})
    assert again.status_code == 302
    saved.refresh_from_db()
    assert (saved.note, saved.version, saved.verified_by) == ("ของฉัน", 2, team)


def _post_answers(household) -> dict[str, str]:
    data = form_data(household)
    out = {k: str(v) for k, v in data.items() if k not in ("marks", "added") and v is not None}
    out.update({f"mark_{code}": mark for code, mark in data["marks"].items()})
    return out
