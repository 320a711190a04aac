"""Form ศจพ.1 and its certification in the household's history: each step is told once, in
the transaction that takes it, and the folder reads it back in Thai, newest first, with
the account's name and the indicators' names (households.history)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cheepao.core.context import Context
from cheepao.core.errors import Refused
from cheepao.households.models import HouseholdEvent, Problem
from cheepao.verification import services
from cheepao.verification.tests.conftest import form_data, marks_for, snapshot

pytestmark = pytest.mark.django_db


def _kinds(household) -> list[str]:
    return list(household.events.order_by("-at", "-id").values_list("kind", flat=True))


def test_verification_to_approval_is_the_households_history(
    client, sign_in, household, registry, team, district, province
):
    cat = registry.catalogue
    shown = sorted(marks_for(household))
    wrong = next(c for c in shown if c != "I3")
    new = next(i.code for i in cat.indicators if i.code not in shown and i.code != "I3")
    services.verification_save(
        household=household,
        ctx=Context.cli(team),
        data=form_data(household, marks=marks_for(household, {wrong}), added=[new]),
    )
    batch = services.batch_submit(area_code=household.village_code, ctx=Context.cli(team))
    services.batch_return(batch=batch, ctx=Context.cli(district), comment="ขอแนบภาพถ่าย")
    services.verification_save(
        household=household,
        ctx=Context.cli(team),
        data=form_data(household, marks=marks_for(household, {wrong}), added=[new], note="แนบแล้ว"),
    )
    batch = services.batch_submit(area_code=household.village_code, ctx=Context.cli(team))
    services.batch_certify(batch=batch, ctx=Context.cli(district))
    services.batch_approve(batch=batch, ctx=Context.cli(province))

    assert _kinds(household) == [
        "verification.approved",
        "problems_added",
        "problems_removed",
        "verification.certified",
        "verification.resubmitted",
        "verification.corrected",
        "verification.returned",
        "verification.submitted",
        "verification.recorded",
        "loaded",
    ]
    events = {e.kind: e for e in household.events.all()}
    assert events["problems_removed"].data == {"indicators": [wrong]}
    assert events["problems_added"].data == {"origin": "field", "indicators": [new]}
    assert events["verification.approved"].data["batch"] == batch.pk
    assert events["verification.approved"].actor == province
    assert events["verification.recorded"].data == {"result": "partly_correct"}

    sign_in(client, district)
    html = client.get(reverse("households:folder", args=[household.pk])).content.decode()
    history = html.split('id="history-heading"')[1].split("</section>")[0]
    lines = [re.sub(r"\s+", " ", li) for li in re.findall(r"<li>(.*?)</li>", history, re.S)]
    assert len(lines) == 10
    short = {i.code: i.short_th for i in cat.indicators}
    assert f"ศจพ.จ. เห็นชอบแล้ว (ชุดตรวจสอบที่ {batch.pk})" in lines[0]
    assert f"เพิ่มสภาพปัญหา (พบจากการตรวจสอบข้อมูล): {new} {short[new]}" in lines[1]
    assert f"นำสภาพปัญหาออก เนื่องจากตรวจไม่พบและได้รับการรับรองแล้ว: {wrong} {short[wrong]}" in (lines[2])
    assert "ศจพ.อ. ส่งคืนให้ทีมแก้ไข" in lines[6] and "ขอแนบภาพถ่าย" in lines[6]
    assert "ทีม ตำบล · บันทึกแบบ ศจพ.1 ผลการตรวจสอบ: ถูกต้องบางส่วน" in lines[8]
    assert "ระบบ · เข้าทะเบียนครัวเรือนเป้าหมาย" in lines[9]
    # (the team has a name; an account without one is shown by its username)
    for english in ("approved", "problems_", "partly_correct", team.username):
        assert english not in history, english
    # The audit log keeps its own rows; the folder's views are not history.
    assert HouseholdEvent.objects.filter(household=household).count() == 10


def test_a_refused_step_tells_nothing(household, team, district):
    services.verification_save(
        household=household, ctx=Context.cli(team), data=form_data(household)
    )
    batch = services.batch_submit(area_code=household.village_code, ctx=Context.cli(team))
    before = snapshot()
    with pytest.raises(Refused, match=r"เฉพาะ ศจพ\.จ\."):
        services.batch_approve(
            batch=batch, ctx=Context.cli(district)
        )  # the district cannot approve
    assert snapshot() == before
    assert _kinds(household)[0] == "verification.submitted"


def test_approval_of_a_new_household_tells_it_became_active(
    registry, household, team, province, district
):
    from cheepao.core.context import Context
    from cheepao.engine import api as engine
    from cheepao.households import services as registry_services

    run = engine.open_run(registry.run_path)
    row = run.households().to_pandas().query("hh_id == @household.hh_id").iloc[0].to_dict()
    people = run.persons().to_pandas().query("hh_id == @household.hh_id").to_dict("records")
    pending = registry_services.household_create_pending(
        ctx=Context.cli(team),
        registry=registry,
        hh_id="F2568-90001",
        village_code=household.village_code,
        household=row,
        members=people,
    )
    services.verification_save(
        household=household, ctx=Context.cli(team), data=form_data(household)
    )
    batch = services.batch_submit(area_code=household.village_code, ctx=Context.cli(team))
    services.batch_certify(batch=batch, ctx=Context.cli(district))
    services.batch_approve(batch=batch, ctx=Context.cli(province))
    assert _kinds(pending) == [
        "verification.approved",
        "status_changed",
        "verification.certified",
        "verification.submitted",
        "recorded_new",
    ]
    change = pending.events.get(kind="status_changed")
    assert change.data == {"before": "pending", "after": "active"}
    assert pending.problems.filter(status=Problem.Status.OPEN).count() == len(
        pending.events.get(kind="recorded_new").data["indicators"]
    )
