"""Batches stay consistent (issue 9 item 6).

A new household (ศจพ.2) enters a batch as a new household with its own status and is
locked while the batch is with the district; no record changes after submission unless the
batch is returned; the folder's "edit" button never opens a read-only form; the district
sees the team's notes; the demo's deadlines are dated from the day it is set up.
"""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation

from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.core.errors import Invalid, Refused
from cheepao.households.models import Household
from cheepao.verification import selectors, services
from cheepao.verification.models import BatchItem, RoundDeadline, Verification
from cheepao.verification.tests.conftest import form_data, snapshot
from cheepao.verification.tests.test_services import make_pending

SENT = "ส่งให้รับรองแล้ว"
EDIT = "แก้ไขผลการตรวจสอบ (ศจพ.1)"
SEE = "ดูผลการตรวจสอบ (ศจพ.1)"
VERIFY_FORM = '<form method="post" class="verify-form"'


@pytest.fixture
def pending(registry, household):
    """A household found in the field (ศจพ.2) in the village of `household`."""
    return make_pending(registry, household.village_code)


def state_on_area_page(client, household) -> str:
    html = client.get(reverse("verification:area", args=[household.village_code])).content
    html = html.decode()
    card = html[html.index(f'href="/verification/households/{household.pk}/"') :]
    card = card[: card.index("</li>")]
    return card[card.index('data-state="') + len('data-state="') :].split('"', 1)[0]


# ---------------------------------------------------------------- a new household's own status


def test_a_new_household_has_its_own_status_through_certification(
    client, sign_in, household, pending, team, district, province
):
    sign_in(client, team)
    # Recorded with form ศจพ.2, not yet sent: its form is its record, not "not verified".
    progress = selectors.area_progress(team, household.village_code)
    assert progress.counts["draft"] == 1 and progress.counts["not_verified"] == 1
    assert progress.waiting == 1
    assert state_on_area_page(client, pending) == "draft"
    services.verification_save(
        household=household, ctx=Context.cli(team), data=form_data(household)
    )
    done = {d.step: d.done for d in selectors.area_progress(team, household.village_code).deadlines}
    others = Household.objects.filter(village_code=household.village_code).count() - 2
    assert done["verify"] is (others == 0)

    batch = services.batch_submit(area_code=household.village_code, ctx=Context.cli(team))
    item = BatchItem.objects.get(batch=batch, household=pending)
    assert item.kind == "new" and item.verification is None
    assert state_on_area_page(client, pending) == "submitted"
    html = client.get(reverse("newhouseholds:index")).content.decode()
    assert 'data-state="submitted">รอการรับรอง (ครัวเรือนใหม่) · ส่ง ศจพ.อ. แล้ว<' in html

    services.batch_certify(batch=batch, ctx=Context.cli(district))
    assert state_on_area_page(client, pending) == "certified"
    services.batch_approve(batch=batch, ctx=Context.cli(province))
    pending.refresh_from_db()
    assert pending.status == "active"
    # Approved: it stays "approved", not "not verified yet" to be sent again.
    assert state_on_area_page(client, pending) == "approved"
    assert selectors.area_progress(team, household.village_code).waiting == 0


def test_the_batch_page_shows_the_new_household_as_new_with_its_record(
    client, sign_in, household, pending, team, district
):
    services.verification_save(
        household=household, ctx=Context.cli(team), data=form_data(household)
    )
    batch = services.batch_submit(area_code=household.village_code, ctx=Context.cli(team))
    sign_in(client, district)
    html = client.get(reverse("verification:batch", args=[batch.pk])).content.decode()
    card = html[html.index(f'id="household-{pending.pk}"') :]
    card = card[: card.index("</li>\n")]
    assert f'href="{reverse("newhouseholds:detail", args=[pending.pk])}"' in card
    assert 'data-kind="new">ครัวเรือนใหม่ (คนตกหล่น) · ' in card
    assert "สถานะในทะเบียน: รอการรับรอง (ครัวเรือนใหม่)" in card


# ---------------------------------------------------------------- locked while with the district


@pytest.mark.parametrize("step", ["submitted", "certified", "approved"])
def test_a_new_household_sent_cannot_be_changed(step, household, pending, team, district, province):
    batch = services.batch_submit(area_code=household.village_code, ctx=Context.cli(team))
    if step in ("certified", "approved"):
        services.batch_certify(batch=batch, ctx=Context.cli(district))
    if step == "approved":
        services.batch_approve(batch=batch, ctx=Context.cli(province))
    pending.refresh_from_db()
    before = snapshot()
    with pytest.raises(Refused, match=SENT) as refused:
        services.verification_save(
            household=pending, ctx=Context.cli(team), data=form_data(pending)
        )
    assert refused.value.code == "verification.sent"
    assert snapshot() == before


def test_returned_the_new_household_can_be_verified_and_goes_back_with_its_form(
    household, pending, team, district
):
    batch = services.batch_submit(area_code=household.village_code, ctx=Context.cli(team))
    services.batch_return(batch=batch, ctx=Context.cli(district), comment="ตรวจครัวเรือนใหม่ด้วย ศจพ.1")
    v = services.verification_save(
        household=pending, ctx=Context.cli(team), data=form_data(pending)
    )
    assert v.state == "draft"
    again = services.batch_submit(area_code=household.village_code, ctx=Context.cli(team))
    assert again.pk == batch.pk
    item = BatchItem.objects.get(batch=batch, household=pending)
    assert item.verification_id == v.pk
    assert Verification.objects.get(pk=v.pk).state == "submitted"
    with pytest.raises(Refused, match=SENT) as refused:
        services.verification_save(
            household=pending, ctx=Context.cli(team), data=form_data(pending)
        )
    assert refused.value.code == "verification.sent"


@pytest.mark.parametrize("step", ["submitted", "certified", "approved"])
def test_no_verification_changes_after_submission(step, household, team, district, province):
    services.verification_save(
        household=household, ctx=Context.cli(team), data=form_data(household)
    )
    batch = services.batch_submit(area_code=household.village_code, ctx=Context.cli(team))
    if step in ("certified", "approved"):
        services.batch_certify(batch=batch, ctx=Context.cli(district))
    if step == "approved":
        services.batch_approve(batch=batch, ctx=Context.cli(province))
    household.refresh_from_db()
    before = snapshot()
    with pytest.raises(Refused, match=SENT):
        services.verification_save(
            household=household, ctx=Context.cli(team), data=form_data(household, note="แก้ภายหลัง")
        )
    assert snapshot() == before


def test_the_form_of_a_sent_new_household_is_read_only_and_says_why(
    client, sign_in, household, pending, team
):
    services.batch_submit(area_code=household.village_code, ctx=Context.cli(team))
    sign_in(client, team)
    url = reverse("verification:form", args=[pending.pk])
    html = client.get(url).content.decode()
    assert VERIFY_FORM not in html
    assert "data-locked" in html and "ยังไม่ตรวจสอบ" not in html.split("data-locked")[1][:400]
    assert reverse("newhouseholds:detail", args=[pending.pk]) in html
    before = snapshot()
    response = client.post(url, {"household_status": "lives_here"})
    assert SENT in response.content.decode()
    assert snapshot() == before


# ---------------------------------------------------------------- the folder's edit button


def folder(client, household) -> str:
    return client.get(reverse("households:folder", args=[household.pk])).content.decode()


def test_the_edit_button_never_leads_to_a_read_only_form(
    client, sign_in, household, team, district, province
):
    sign_in(client, team)
    form_url = reverse("verification:form", args=[household.pk])

    def check(expect_edit: bool) -> None:
        html = folder(client, household)
        assert (EDIT in html) is expect_edit
        assert (SEE in html) is not expect_edit
        assert (VERIFY_FORM in client.get(form_url).content.decode()) is expect_edit

    services.verification_save(
        household=household, ctx=Context.cli(team), data=form_data(household)
    )
    check(expect_edit=True)
    batch = services.batch_submit(area_code=household.village_code, ctx=Context.cli(team))
    check(expect_edit=False)
    services.batch_return(batch=batch, ctx=Context.cli(district), comment="แก้รายได้")
    check(expect_edit=True)
    services.batch_submit(area_code=household.village_code, ctx=Context.cli(team))
    check(expect_edit=False)
    services.batch_certify(batch=batch, ctx=Context.cli(district))
    check(expect_edit=False)
    services.batch_approve(batch=batch, ctx=Context.cli(province))
    household.refresh_from_db()
    check(expect_edit=False)


def test_an_account_that_cannot_verify_gets_no_edit_button(
    client, sign_in, make_user, household, team
):
    services.verification_save(
        household=household, ctx=Context.cli(team), data=form_data(household)
    )
    sign_in(client, make_user("mentor", household.village_code))
    html = folder(client, household)
    assert EDIT not in html and SEE in html


# ---------------------------------------------------------------- the district sees the notes


def test_the_district_sees_the_teams_notes(client, sign_in, household, team, district):
    services.verification_save(
        household=household,
        ctx=Context.cli(team),
        data=form_data(household, note="หัวหน้าครัวเรือนทำงานต่างจังหวัด สัมภาษณ์ภรรยา"),
    )
    batch = services.batch_submit(
        area_code=household.village_code, ctx=Context.cli(team), comment="ส่งครบทุกครัวเรือนของหมู่บ้าน"
    )
    assert batch.events.get().comment == "ส่งครบทุกครัวเรือนของหมู่บ้าน"
    sign_in(client, district)
    html = client.get(reverse("verification:batch", args=[batch.pk])).content.decode()
    assert "บันทึกของทีมปฏิบัติการฯ:</strong> หัวหน้าครัวเรือนทำงานต่างจังหวัด สัมภาษณ์ภรรยา" in html
    assert "ส่งครบทุกครัวเรือนของหมู่บ้าน" in html

    # Returned and sent again with a note on what was corrected.
    services.batch_return(batch=batch, ctx=Context.cli(district), comment="ตรวจรายได้อีกครั้ง")
    client.logout()
    sign_in(client, team)
    url = reverse("verification:batch", args=[batch.pk])
    assert 'name="comment"' in client.get(url).content.decode()
    client.post(url, {"action": "resubmit", "comment": "แก้รายได้ตามที่ ศจพ.อ. แจ้งแล้ว"})
    client.logout()
    sign_in(client, district)
    html = client.get(url).content.decode()
    assert "แก้รายได้ตามที่ ศจพ.อ. แจ้งแล้ว" in html


def test_the_area_page_sends_the_teams_note(client, sign_in, household, team):
    services.verification_save(
        household=household, ctx=Context.cli(team), data=form_data(household)
    )
    sign_in(client, team)
    url = reverse("verification:area", args=[household.village_code])
    assert 'name="comment"' in client.get(url).content.decode()
    client.post(url, {"comment": "  ครบแล้ว  "})
    event = AuditEvent.objects.filter(object_type="verification.batch").get()
    assert event.action == "create"
    from cheepao.verification.models import Batch

    batch = Batch.objects.get()
    assert batch.comment == "ครบแล้ว" and batch.events.get().comment == "ครบแล้ว"


def test_a_note_too_long_is_refused_and_sends_nothing(household, team):
    services.verification_save(
        household=household, ctx=Context.cli(team), data=form_data(household)
    )
    before = snapshot()
    with pytest.raises(Invalid, match="ยาวเกินไป") as refused:
        services.batch_submit(
            area_code=household.village_code, ctx=Context.cli(team), comment="ก" * 2001
        )
    assert refused.value.code == "verification.note_too_long"
    assert refused.value.fields == {"comment": "verification.note_too_long"}
    assert snapshot() == before


# ---------------------------------------------------------------- the round's dates


def test_the_demo_round_is_dated_from_the_day_it_is_set_up(client, sign_in, household, team):
    sign_in(client, team)
    url = reverse("verification:area", args=[household.village_code])
    # The manual's dates for survey year 2568 (31 Dec 2025 …) have long passed.
    assert "เกินกำหนด" in client.get(url).content.decode()
    out = StringIO()
    call_command("set_deadlines", "--demo", stdout=out)
    today = timezone.localdate()
    due = dict(RoundDeadline.objects.values_list("step", "due"))
    assert due == {
        "verify": today + timedelta(days=30),
        "certify": today + timedelta(days=40),
        "approve": today + timedelta(days=45),
    }
    assert "deadlines set" in out.getvalue()
    html = client.get(url).content.decode()
    assert "เกินกำหนด" not in html
    assert "เหลืออีก 30 วัน" in html and "เหลืออีก 40 วัน" in html and "เหลืออีก 45 วัน" in html
    # Run again (make demo again, another day): the same rows, new dates.
    call_command("set_deadlines", "--demo", stdout=StringIO())
    assert RoundDeadline.objects.count() == 3
    row = AuditEvent.objects.filter(object_type="households.registryyear").latest("id")
    assert row.changes["after"]["verify"] == (today + timedelta(days=30)).isoformat()


def test_a_round_can_be_given_its_own_dates(household, team, registry):
    call_command(
        "set_deadlines",
        "--verify=2026-12-31",
        "--certify=2027-01-10",
        "--approve=2027-01-15",
        "--reason=หนังสือสั่งการเลื่อนกำหนด",
        stdout=StringIO(),
    )
    progress = selectors.area_progress(team, household.village_code, today=date(2026, 12, 4))
    assert [(d.step, d.due, d.days_left) for d in progress.deadlines] == [
        ("verify", date(2026, 12, 31), 27),
        ("certify", date(2027, 1, 10), 37),
        ("approve", date(2027, 1, 15), 42),
    ]
    row = AuditEvent.objects.filter(object_type="households.registryyear").latest("id")
    assert row.summary == "deadlines of the 2568 round set: หนังสือสั่งการเลื่อนกำหนด"
    with translation.override("th"):
        assert row.summary_text == "ตั้งกำหนดเวลาใหม่ของรอบปี 2568: หนังสือสั่งการเลื่อนกำหนด"
    # A step given alone moves; the others keep the round's dates.
    call_command("set_deadlines", "--approve=2027-01-20", "--reason=ขยาย", stdout=StringIO())
    assert selectors.round_dates(registry) == {
        "verify": date(2026, 12, 31),
        "certify": date(2027, 1, 10),
        "approve": date(2027, 1, 20),
    }


@pytest.mark.parametrize(
    ("dates", "reason", "message", "code"),
    [
        (
            {"verify": date(2027, 2, 1), "certify": date(2027, 1, 10)},
            "x",
            "ตามลำดับขั้นตอน",
            "verification.deadline_order",
        ),
        # after the manual's approval
        ({"verify": date(2027, 2, 1)}, "x", "ตามลำดับขั้นตอน", "verification.deadline_order"),
        ({"publish": date(2027, 2, 1)}, "x", "publish", "verification.deadline_step_unknown"),
        ({"verify": date(2025, 12, 1)}, "  ", "เหตุผล", "verification.deadline_reason"),
    ],
)
def test_dates_out_of_order_or_without_reason_are_refused(dates, reason, message, code, registry):
    before = (list(RoundDeadline.objects.values()), AuditEvent.objects.count())
    with pytest.raises(Invalid, match=message) as refused:
        services.round_deadlines_set(
            registry=registry, dates=dates, reason=reason, ctx=Context.cli()
        )
    assert refused.value.code == code
    assert (list(RoundDeadline.objects.values()), AuditEvent.objects.count()) == before


def test_the_command_refuses_a_bad_date(registry):
    with pytest.raises(CommandError, match="not a date"):
        call_command("set_deadlines", "--verify", "31/12/2569", stdout=StringIO())
    assert not RoundDeadline.objects.exists()
