"""Workflow steps are data end to end (ADR 0022): a version of the workflow catalogue names
each step's rules and its words (button, question, messages, event, history sentence); a
batch follows the version it started under. A new step is an edit of a YAML file (and its
translations): here a version with an escalation step, loaded from a test folder, shows its
button, takes its move, records its event and tells it in each household's history with no
change to the code."""

from __future__ import annotations

import hashlib
import re

import pytest
import yaml
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from cheepao.core.context import Context
from cheepao.core.errors import Refused
from cheepao.households.models import HouseholdEvent
from cheepao.verification import services
from cheepao.verification import workflow as wf
from cheepao.verification.models import Batch, BatchEvent, Verification
from cheepao.verification.tests.conftest import form_data, marks_for, snapshot

ESCALATION = {
    "from": ["certified"],
    "to": "returned",
    "permission": "approve",
    "comment": "required",
    "verification_state": "returned",
    "verb": "send back",
    "button": "Send back to the subdistrict",
    "button_style": "secondary",
    "confirm": "Send this batch back to the subdistrict team?",
    "comment_hint": "required when sending back",
    "refused": "Only the province centre can send a batch back.",
    "done": "Batch sent back to the subdistrict team.",
    "event": "sent_back_by_province",
    "event_label": "sent back by the province",
    "history": "sent back to the subdistrict by the province centre (batch %(batch)s): %(comment)s",
}


def _v1() -> dict:
    return yaml.safe_load((wf.WORKFLOW_DIR / "v1.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def escalating(tmp_path):
    """A folder of versions: v1 as shipped and a v2 that adds the escalation step."""
    (tmp_path / "v1.yaml").write_bytes((wf.WORKFLOW_DIR / "v1.yaml").read_bytes())
    data = _v1()
    data["steps"]["send_back"] = ESCALATION
    (tmp_path / "v2.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with override_settings(VERIFICATION_WORKFLOW_DIR=str(tmp_path)):
        yield tmp_path


def test_every_shipped_version_is_released_and_unchanged():
    """A released version is never edited in place: a change is a new file, v2.yaml, ...
    with its line in workflows/SHA256SUMS."""
    on_disk = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(wf.WORKFLOW_DIR.glob("*.yaml"))
    }
    assert on_disk == wf.released()
    assert wf.versions() == ("v1",) and wf.current_version() == "v1"
    assert wf.workflow("v1") is wf.workflow() and wf.workflow().sha256 == on_disk["v1.yaml"]


def test_every_text_of_the_shipped_steps_has_its_thai():
    for version in wf.versions():
        flow = wf.workflow(version)
        texts = [flow.submit_done, flow.resubmit.button, flow.resubmit.done]
        texts += [e.label for e in flow.events.values()] + [e.history for e in flow.events.values()]
        for step in flow.steps.values():
            texts += [step.button, step.refused, step.done]
            texts += [t for t in (step.confirm, step.comment_hint) if t]
        with translation.override("th"):
            missing = [t for t in texts if translation.gettext(t) == t]
            missing += [
                s.verb
                for s in flow.steps.values()
                if translation.pgettext("batch step", s.verb) == s.verb
            ]
        assert not missing, f"{version}: no Thai for {missing}"


def test_the_manuals_steps_say_what_they_said():
    flow = wf.workflow("v1")
    with translation.override("th"):
        assert [s.button_text for s in flow.steps.values()] == [
            "รับรองข้อมูล",
            "ส่งกลับให้ทีมปฏิบัติการฯ แก้ไข",
            "เห็นชอบและปรับปรุงทะเบียน",
        ]
        assert flow.event_label("certified") == "ศจพ.อ. รับรองแล้ว"
    assert [s.name for s in flow.steps.values() if s.applies] == ["approve"]
    assert flow.applying_events == ("approved",)


@pytest.mark.parametrize(
    ("step", "key", "value", "message"),
    [
        ("certify", "button", "", "give its button"),
        ("certify", "button_style", "loud", "button_style"),
        ("return", "comment_hint", "", "comment_hint"),
        ("approve", "event", "certified", "an event of its own"),
        ("approve", "event", "Approved!", "letters a-z"),
        ("approve", "history", "approved %(when)s", "%(batch)s and %(comment)s"),
    ],
)
def test_a_step_without_its_words_fails_loudly(step, key, value, message):
    data = _v1()
    data["steps"][step][key] = value
    with pytest.raises(wf.WorkflowError, match=re.escape(message)):
        wf.parse(data)


def test_a_new_step_is_a_new_version_of_the_yaml(
    escalating, client, sign_in, household, team, district, province
):
    assert wf.versions() == ("v1", "v2")
    code = sorted(marks_for(household))[0]
    services.verification_save(
        household=household,
        ctx=Context.cli(team),
        data=form_data(household, marks=marks_for(household, {code})),
    )
    batch = services.batch_submit(area_code=household.village_code, ctx=Context.cli(team))
    assert batch.workflow_version == "v2"  # new batches start under the newest version
    services.batch_certify(batch=batch, ctx=Context.cli(district))
    url = reverse("verification:batch", args=[batch.pk])

    # Its button, with its question, for the province (and not for the district).
    sign_in(client, district)
    assert 'value="send_back"' not in client.get(url).content.decode()
    client.logout()
    sign_in(client, province)
    html = client.get(url).content.decode()
    assert (
        '<button type="submit" name="action" value="send_back" class="button secondary" '
        'data-confirm="Send this batch back to the subdistrict team?">'
        "Send back to the subdistrict</button>"
    ) in html
    assert 'value="approve"' in html and "js/batch.js" in html
    assert "(required when sending back)" in html

    # Its rules: the comment it requires, refused changing nothing.
    before = snapshot()
    html = client.post(url, {"action": "send_back", "comment": ""}).content.decode()
    assert "ต้องระบุความเห็น" in html
    assert snapshot() == before

    # Its move, its event, its message.
    response = client.post(url, {"action": "send_back", "comment": "ตรวจรายได้ใหม่"}, follow=True)
    html = response.content.decode()
    assert "Batch sent back to the subdistrict team." in html
    batch.refresh_from_db()
    assert batch.state == "returned" and batch.comment == "ตรวจรายได้ใหม่"
    assert Verification.objects.get(household=household).state == "returned"
    event = BatchEvent.objects.filter(batch=batch).latest("pk")
    assert event.action == "sent_back_by_province" and event.changes["state"] == [
        "certified",
        "returned",
    ]
    assert "<strong>sent back by the province</strong>: ตรวจรายได้ใหม่" in html

    # Its sentence in each household's history, and the team may correct and send again.
    told = HouseholdEvent.objects.get(
        household=household, kind="verification.sent_back_by_province"
    )
    assert told.data == {"batch": batch.pk, "comment": "ตรวจรายได้ใหม่"}
    folder = client.get(reverse("households:folder", args=[household.pk])).content.decode()
    assert (
        f"sent back to the subdistrict by the province centre (batch {batch.pk}): ตรวจรายได้ใหม่"
        in folder
    )
    again = services.batch_submit(area_code=household.village_code, ctx=Context.cli(team))
    assert again.pk == batch.pk and again.state == "submitted"


def test_a_batch_keeps_the_version_it_started_under(
    tmp_path, client, sign_in, household, team, district, province
):
    services.verification_save(
        household=household, ctx=Context.cli(team), data=form_data(household)
    )
    batch = services.batch_submit(area_code=household.village_code, ctx=Context.cli(team))
    services.batch_certify(batch=batch, ctx=Context.cli(district))
    assert batch.workflow_version == "v1"
    (tmp_path / "v1.yaml").write_bytes((wf.WORKFLOW_DIR / "v1.yaml").read_bytes())
    data = _v1()
    data["steps"]["send_back"] = ESCALATION
    (tmp_path / "v2.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with override_settings(VERIFICATION_WORKFLOW_DIR=str(tmp_path)):
        sign_in(client, province)
        html = client.get(reverse("verification:batch", args=[batch.pk])).content.decode()
        assert 'value="approve"' in html and 'value="send_back"' not in html
        before = snapshot()
        with pytest.raises(Refused) as refused:
            services.batch_step(
                batch=Batch.objects.get(pk=batch.pk),
                step="send_back",
                ctx=Context.cli(province),
                comment="x",
            )
        assert refused.value.code == "verification.unknown_step"
        assert snapshot() == before
        services.batch_step(
            batch=Batch.objects.get(pk=batch.pk), step="approve", ctx=Context.cli(province)
        )
    assert Batch.objects.get(pk=batch.pk).state == "approved"
