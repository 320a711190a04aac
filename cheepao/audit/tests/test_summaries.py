"""Audit summaries are messages: kept in English with codes, read in the reader's language
with labels and area names (folder history, audit search, its CSV export)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from cheepao.accounts.roles import Role
from cheepao.audit.models import AuditEvent
from cheepao.audit.services import audit_record
from cheepao.audit.summaries import area, label, pair, say
from cheepao.core.context import Context
from cheepao.jobs.models import Job
from cheepao.verification import services as verification
from cheepao.verification.models import Result
from cheepao.verification.tests.conftest import form_data

pytestmark = pytest.mark.django_db


def test_a_message_is_stored_in_english_with_codes_and_read_in_either_language(
    make_user, geography
):
    actor = make_user(Role.SUBDISTRICT, "340107")
    event = audit_record(
        ctx=Context.cli(actor),
        action="update",
        object_type="households.household",
        object_id="1",
        summary=say(
            gettext_noop("batch %(event)s for %(area)s (batch %(batch)s)"),
            event=label(gettext_noop("sent to the district"), code="submitted"),
            area=area("34010711"),
            batch=1234,
        ),
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.summary == "batch submitted for 34010711 (batch 1,234)"
    assert event.message == {
        "text": "batch %(event)s for %(area)s (batch %(batch)s)",
        "args": {
            "event": {"t": "sent to the district", "raw": "submitted"},
            "area": {"area": "34010711"},
            "batch": 1234,
        },
    }
    with translation.override("th"):
        assert event.summary_text == "ชุดตรวจสอบที่ 1,234 ของหมู่ที่ 11 ตำบลปทุม: ส่ง ศจพ.อ. แล้ว"
        assert event.object_label == "ครัวเรือน"
    with translation.override("en"):
        assert event.summary_text == (
            "batch sent to the district for Village 11, Pathum Subdistrict (batch 1,234)"
        )


def test_fields_lists_and_plain_strings():
    event = AuditEvent(
        summary="search: pin=1-xxxx-xxxxx-54-9, village=34010711",
        message=say(
            gettext_noop("search: %(terms)s"),
            terms=[
                pair(
                    label(gettext_noop("National ID (13 digits)"), code="pin"), "1-xxxx-xxxxx-54-9"
                ),
                pair(label(gettext_noop("First name"), code="first_name"), "สมชาย"),
            ],
        ).message(),
    )
    with translation.override("th"):
        assert event.summary_text == (
            "ค้นหา เลขประจำตัวประชาชน (13 หลัก): 1-xxxx-xxxxx-54-9, ชื่อ: สมชาย"
        )
    # A row written as a plain string (before messages, or by a caller not converted) is
    # shown as it was written.
    assert AuditEvent(summary="status: moved away").summary_text == "status: moved away"
    # A translation that does not fit its arguments falls back to the English template.
    broken = AuditEvent(message={"text": "%(a)s and %(b)s", "args": {"a": "x"}})
    assert broken.summary_text == "%(a)s and %(b)s"


@pytest.fixture
def household(registry):
    from cheepao.households.models import Household, Problem

    return next(
        h
        for h in Household.objects.filter(registry=registry).order_by("village_code", "pk")
        if h.problems.filter(status=Problem.Status.OPEN).count() >= 2
    )


def test_the_folder_history_reads_in_thai_with_labels_and_names(
    client, make_user, sign_in, household
):
    # The folder's history is the household's own (households.history), not the audit log,
    # but it reads the same way: Thai, labels and names, never codes or usernames.
    team = make_user(
        Role.SUBDISTRICT, household.subdistrict_code, first_name="สมศรี", last_name="ใจดี"
    )
    verification.verification_save(
        household=household, ctx=Context.cli(team), data=form_data(household)
    )
    batch = verification.batch_submit(area_code=household.village_code, ctx=Context.cli(team))
    sign_in(client, make_user(Role.DISTRICT, household.district_code))
    html = client.get(reverse("households:folder", args=[household.pk])).content.decode()
    history = html.split('id="history-heading"')[1]
    with translation.override("th"):
        result = str(Result.ALL_CORRECT.label)
    assert f"สมศรี ใจดี · บันทึกแบบ ศจพ.1 ผลการตรวจสอบ: {result}" in history
    assert f"สมศรี ใจดี · ส่ง ศจพ.อ. แล้ว ในชุดตรวจสอบที่ {batch.pk}" in history
    for english in ("recorded", "all_correct", "batch", household.village_code, team.username):
        assert english not in history, english


def test_the_audit_search_and_its_csv_read_in_thai(
    client, make_user, sign_in, household, geography
):
    team = make_user(Role.SUBDISTRICT, household.subdistrict_code)
    verification.verification_save(
        household=household, ctx=Context.cli(team), data=form_data(household)
    )
    national = make_user(Role.NATIONAL, "")
    sign_in(client, national)
    html = client.get(reverse("audit:search"), {"username": team.username}).content.decode()
    table = html.split("<tbody>")[1].split("</tbody>")[0]
    assert "บันทึกแบบ ศจพ.1 ผลการตรวจสอบ: ถูกต้องทั้งหมด" in table
    assert "ครัวเรือน" in table and "households.household" not in table
    assert f"หมู่ที่ {household.village_no} ตำบล" in table
    assert "all_correct" not in table and household.village_code not in table
    # The filter offers the kinds of object by name.
    assert '<option value="households.household">ครัวเรือน</option>' in html
    assert 'list="object-types"' not in html
    client.post(reverse("audit:export"), {"username": team.username})
    response = client.get(reverse("jobs:download", args=[Job.objects.get().pk]))
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1][6] == "บันทึกแบบ ศจพ.1 ผลการตรวจสอบ: ถูกต้องทั้งหมด"
    # the stored sentence keeps the code, for searching and for scripts
    assert AuditEvent.objects.filter(summary="ศจพ.1 recorded: all_correct").count() == 1


def test_the_ip_address_and_the_home_address_are_different_words(
    client, make_user, sign_in, registry
):
    """'Address' is the IP address in the audit log and the home address on form ศจพ.2:
    one English word, two Thai ones, told apart by context."""
    sign_in(client, make_user(Role.SUBDISTRICT, "340101"))
    form = client.get(reverse("newhouseholds:new")).content.decode()
    assert "<legend>ที่อยู่</legend>" in form and "ที่อยู่ IP" not in form
    sign_in(client, make_user(Role.NATIONAL, ""))
    audit = client.get(reverse("audit:search")).content.decode()
    assert '<th scope="col">ที่อยู่ IP</th>' in audit


# ------------------------------------------------------------ every writer says its summary

#: Helpers that build audit items with `say` from the `gettext_noop` template they are given
#: as their second argument.
_ITEM_HELPERS = {"_row_events"}


def _is_message(node, assigned) -> bool:
    """`node` is a `say(...)` message: directly, either branch of a conditional, or a name
    every assignment of which in the function is one."""
    import ast

    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in _ITEM_HELPERS:  # (rows, template, ...): the template is marked
            text = node.args[1] if len(node.args) > 1 else None
            return isinstance(text, ast.Call) and getattr(text.func, "id", "") == "gettext_noop"
        return name == "say"
    if isinstance(node, ast.IfExp):
        return _is_message(node.body, assigned) and _is_message(node.orelse, assigned)
    if isinstance(node, ast.Name) and assigned.get(node.id):
        return all(_is_message(v, {}) for v in assigned[node.id])
    return False


def _plain_summaries(path) -> list[str]:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    for function in functions:
        assigned: dict[str, list] = {}
        for n in ast.walk(function):
            if isinstance(n, ast.Assign):
                for target in n.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(n.value)
        for call in ast.walk(function):
            if not isinstance(call, ast.Call):
                continue
            name = getattr(call.func, "id", getattr(call.func, "attr", ""))
            for kw in call.keywords:
                if name in ("audit_record", "audit_read") and kw.arg == "summary":
                    summaries = [kw.value]
                elif name == "audit_record_many" and kw.arg == "items":
                    items = kw.value
                    if isinstance(items, ast.ListComp) and isinstance(items.elt, ast.Tuple):
                        summaries = [items.elt.elts[1]]
                    else:
                        summaries = [items]
                else:
                    continue
                found += [
                    f"{path.name}:{call.lineno}: {ast.unparse(s)[:80]}"
                    for s in summaries
                    if not _is_message(s, assigned)
                ]
    return found


def test_every_audit_summary_is_a_message():
    """Every service and view writes its audit summary with `say(gettext_noop(...), ...)`
    (ADR 0012), never an f-string or plain text, so the history and the audit search read
    it in Thai: the branches merged after the Thai one wrote English f-strings."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    plain = [
        line
        for path in sorted(root.glob("*/**/*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
        for line in _plain_summaries(path)
    ]
    assert plain == []
