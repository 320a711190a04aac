"""The service contract's kernel: contexts, refusals with stable codes, access policies."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cheepao.accounts.models import User
from cheepao.audit.models import AuditEvent
from cheepao.audit.services import audit_record, audit_record_many
from cheepao.core import access, errors
from cheepao.core.context import Channel, Context
from cheepao.households.models import Household

# ---------------------------------------------------------------- errors


def test_a_code_has_one_message_and_is_read_in_the_active_language():
    code = errors.define("test.too_many", _("At most %(n)s households."))
    assert errors.define("test.too_many", _("At most %(n)s households.")) == code
    with pytest.raises(ValueError, match="already defined"):
        errors.define("test.too_many", _("Another sentence"))
    e = errors.Limited(code, n=15)
    assert e.status == 429 and e.code == "test.too_many"
    with translation.override("en"):
        assert e.message == "At most 15 households." == str(e)
    assert errors.describe("test.nowhere") == "test.nowhere"


def test_the_core_codes_speak_thai_by_default():
    with translation.override("th"):
        assert errors.describe(errors.NOT_FOUND) == "ไม่พบข้อมูลนี้ หรือข้อมูลนี้อยู่นอกพื้นที่ของท่าน"
        assert errors.describe(errors.DENIED) == "บทบาทของท่านทำรายการนี้ในที่นี้ไม่ได้"


def test_invalid_carries_a_code_per_field_as_data():
    errors.define("test.amount", _("Give an amount of %(min)s baht or more."))
    e = errors.Invalid(
        errors.DENIED, fields={"income": ("test.amount", {"min": 0}), "x": "test.amount"}
    )
    with translation.override("en"):
        data = e.as_data()
    assert data == {
        "code": "access.denied",
        "message": "Your role does not allow this here.",
        "fields": {
            "income": {"code": "test.amount", "message": "Give an amount of 0 baht or more."},
            "x": {"code": "test.amount", "message": "Give an amount of %(min)s baht or more."},
        },
    }


def test_not_found_is_a_404():
    assert isinstance(errors.NotFound(errors.NOT_FOUND), Http404)
    assert [
        c.status for c in (errors.Invalid, errors.Refused, errors.Conflict, errors.TryAgain)
    ] == [
        400,
        403,
        409,
        503,
    ]


# ---------------------------------------------------------------- contexts and the audit row


@pytest.mark.django_db
def test_the_audit_row_records_who_from_where_and_through_which_channel():
    user = User.objects.create_user("ctx-user", role="subdistrict", area_code="340101")
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = user
    web = audit_record(ctx=Context.web(request), action="view", object_type="t", summary="a")
    cli = audit_record(ctx=Context.cli(user), action="load", object_type="t", summary="b")
    system = audit_record(ctx=Context.system(), action="load", object_type="t", summary="d")
    rows = {e.summary: e for e in AuditEvent.objects.filter(object_type="t")}
    assert (rows["a"].actor, rows["a"].ip, rows["a"].channel) == (user, "10.1.2.3", "web")
    assert (rows["b"].actor, rows["b"].ip, rows["b"].channel) == (user, None, "cli")
    assert (rows["d"].actor, rows["d"].channel) == (None, "system")
    assert {web.pk, cli.pk, system.pk} == {e.pk for e in rows.values()}
    n = audit_record_many(
        ctx=Context.task(user), action="update", items=[(user, "e", {}), (user, "f", {})]
    )
    assert n == 2
    assert set(
        AuditEvent.objects.filter(summary__in=["e", "f"]).values_list("channel", flat=True)
    ) == {Channel.TASK}


# ---------------------------------------------------------------- access policies


@pytest.fixture
def households(db):
    from cheepao.households.models import RegistryYear

    registry = RegistryYear.objects.create(
        survey_year=2599, run_path="x", indicator_set_id="tpmap_mpi_17", indicator_set_version="2"
    )

    def make(hh_id, village):
        return Household.objects.create(
            registry=registry,
            hh_id=hh_id,
            province_code=village[:2],
            district_code=village[:4],
            subdistrict_code=village[:6],
            village_no=int(village[6:]),
            village_code=village,
        )

    return make("A", "34010101"), make("B", "34010201"), make("C", "35010101")


@pytest.mark.django_db
def test_the_household_policy_answers_per_action(households):
    a, b, c = households
    team = User.objects.create_user("team", role="subdistrict", area_code="340101")
    district = User.objects.create_user("district", role="district", area_code="3401")
    agency = User.objects.create_user("agency", role="agency", area_code="34")
    assert set(access.scope(team, Household, "view")) == {a}
    assert set(access.scope(district, Household, "view")) == {a, b}
    assert set(access.scope(agency, Household, "view")) == set()
    assert set(access.scope(district, Household, "verify")) == set()  # certifies, never verifies
    assert access.one(team, Household, "verify", a.pk) == a
    for pk in (b.pk, c.pk, 10**9, "x", "", None, "1; drop", 2**80):
        with pytest.raises(errors.NotFound) as e:
            access.one(team, Household, "view", pk)
        assert e.value.code == "access.not_found"
    # seen but not to be acted on: refused, not hidden
    with pytest.raises(errors.Refused):
        access.check(district, "verify", a)
    with pytest.raises(errors.NotFound):
        access.check(team, "verify", b)
    assert access.permitted_actions(team, a) == {"view", "export", "verify"}
    # the district also puts households in a mentor team's care (an action mentoring brings)
    assert access.permitted_actions(district, a) == {"view", "export", "assign"}


@pytest.mark.django_db
def test_who_may_act_on_a_household(households):
    a, _b, _c = households
    team = User.objects.create_user("team", role="subdistrict", area_code="340101")
    User.objects.create_user("other-team", role="subdistrict", area_code="340102")
    gone = User.objects.create_user("gone", role="subdistrict", area_code="340101")
    gone.is_active = False
    gone.save()
    district = User.objects.create_user("district", role="district", area_code="3401")
    national = User.objects.create_user("national", role="national", area_code="")
    assert set(access.actors(a, "verify")) == {team}
    assert set(access.actors(a, "view")) == {team, district, national}


def test_every_policy_is_in_the_table():
    table = access.table()
    assert ("households.household", "verify", "verify") in table
    assert len(table) == len(set(table))
    with pytest.raises(LookupError):
        access.policy("nowhere.thing")
