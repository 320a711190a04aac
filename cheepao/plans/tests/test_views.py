"""The plan's pages over HTTP: the mentor's page (200 in care, 404 otherwise, nothing
changed), the subdistrict team's review, the folder section, the roll-up and its files."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cheepao.audit.models import AuditEvent
from cheepao.households.models import HouseholdEvent
from cheepao.plans.models import Plan, PlanItem, StageConfirmation
from cheepao.plans.tests.helpers import item

pytestmark = pytest.mark.django_db


def state():
    return (
        list(Plan.objects.order_by("pk").values()),
        PlanItem.objects.count(),
        StageConfirmation.objects.count(),
        HouseholdEvent.objects.count(),
    )


def _post(client, url, **data):
    return client.post(url, data)


def test_the_mentor_drafts_and_sends_a_plan(cared, client, sign_in):
    h = cared["household"]
    sign_in(client, cared["mentor"])
    url = reverse("plans:household", args=[h.pk])
    page = client.get(url)
    assert page.status_code == 200 and "เริ่มทำแผน" in page.content.decode()
    assert AuditEvent.objects.filter(action="view", object_id=str(h.pk)).exists()
    client.post(url, {"action": "start"})
    plan = Plan.objects.get(household=h)
    client.post(
        url + "?step=goal",
        {
            "action": "save",
            "page_step": "goal",
            "version": plan.version,
            "goal": "ปลดหนี้นอกระบบ",
            "target_stage": "survive",
        },
    )
    plan.refresh_from_db()
    assert (plan.goal, plan.target_stage) == ("ปลดหนี้นอกระบบ", "survive")
    # An item without what the household does is shown again with its message.
    bad = client.post(
        url + "?step=items",
        {
            **item("income", "I3", own_action=""),
            "action": "item_add",
            "page_step": "items",
            "version": plan.version,
            "agency": "default",
        },
    )
    assert bad.status_code == 200 and "โปรดกรอกข้อมูลช่องนี้" in bad.content.decode()
    client.post(
        url + "?step=items",
        {
            **item("income", "I3"),
            "action": "item_add",
            "page_step": "items",
            "version": plan.version,
            "agency": "default",
        },
    )
    plan.refresh_from_db()
    assert plan.items.get().agency == "กระทรวงมหาดไทย (พช.)"
    client.post(url + "?step=send", {"action": "submit", "version": plan.version})
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_others_get_404_and_change_nothing(cared, client, sign_in):
    h = cared["household"]
    url = reverse("plans:household", args=[h.pk])
    for who in ("other_mentor", "team", "district"):
        sign_in(client, cared[who])
        before = state()
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "start"}).status_code == 404
        assert state() == before


def _submitted(cared, client, sign_in):
    from cheepao.core.context import Context
    from cheepao.plans import services

    ctx = Context.cli(cared["mentor"])
    plan = services.plan_start(ctx=ctx, household_id=cared["household"].pk)
    plan = services.plan_save(ctx=ctx, plan_id=plan.pk, version=plan.version, data={"goal": "ก"})
    services.item_add(ctx=ctx, plan_id=plan.pk, version=plan.version, data=item("income", "I3"))
    plan.refresh_from_db()
    services.item_add(
        ctx=ctx,
        plan_id=plan.pk,
        version=plan.version,
        data=item("health", "H4", help_kind="training", agency=""),
    )
    plan.refresh_from_db()
    return services.plan_step(ctx=ctx, plan_id=plan.pk, step="submit", version=plan.version)


def test_the_subdistrict_team_returns_and_approves(cared, client, sign_in):
    plan = _submitted(cared, client, sign_in)
    url = reverse("plans:plan", args=[plan.pk])
    # A mentor sees the plan but cannot decide on it: refused, nothing changed.
    sign_in(client, cared["mentor"])
    before = state()
    client.post(url, {"action": "approve", "version": plan.version})
    assert state() == before
    sign_in(client, cared["team"])
    page = client.get(url)
    assert page.status_code == 200 and "อนุมัติแผน" in page.content.decode()
    before = state()
    client.post(url, {"action": "return", "version": plan.version, "comment": ""})
    assert state() == before
    client.post(url, {"action": "return", "version": plan.version, "comment": "เพิ่มรายละเอียด"})
    plan.refresh_from_db()
    assert plan.status == "returned"
    events = HouseholdEvent.objects.filter(household=cared["household"], kind="plans.returned")
    assert events.count() == 1
    # The folder tells it in Thai.
    folder = client.get(reverse("households:folder", args=[cared["household"].pk]))
    html = folder.content.decode()
    assert "ส่งคืนแผนครัวเรือนฉบับที่ 1" in html and "เพิ่มรายละเอียด" in html
    assert 'id="plan-section"' in html


def test_the_team_confirms_the_proposed_stage(cared, client, sign_in):
    plan = _submitted(cared, client, sign_in)
    sign_in(client, cared["team"])
    url = reverse("plans:plan", args=[plan.pk])
    html = client.get(url).content.decode()
    assert 'id="proposed-stage"' in html
    # The household fails two dimensions: not yet survival unless those are health,
    # education or access only; whatever is proposed is what gets stored.
    from cheepao.plans import services

    proposal = services.stage_propose(plan)
    before = state()
    client.post(url, {"action": "confirm_stage", "stage": "sustainable"})
    assert state() == before  # not what the catalogue proposes: refused
    client.post(url, {"action": "confirm_stage", "stage": proposal.code})
    found = StageConfirmation.objects.get()
    assert found.stage == proposal.code and found.evidence == proposal.evidence_data()


def test_rollup_page_and_files(cared, client, sign_in, make_user):
    plan = _submitted(cared, client, sign_in)
    h = cared["household"]
    sign_in(client, make_user("district", h.district_code))
    for code in (h.village_code, h.subdistrict_code):
        page = client.get(reverse("plans:area", args=[code]))
        assert page.status_code == 200
        assert page.context["roll"].items == 2
    sign_in(client, cared["team"])
    page = client.get(reverse("plans:area", args=[h.subdistrict_code]))
    assert [p.pk for p in page.context["waiting"]] == [plan.pk]
    read = AuditEvent.objects.filter(object_type="plans.area").latest("pk")
    assert read.changes["households"] == [h.pk]
    xlsx = client.get(reverse("plans:area_xlsx", args=[h.village_code]))
    assert xlsx.status_code == 200
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as z:
        assert not any("<f>" in z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    wb = load_workbook(io.BytesIO(xlsx.content))
    texts = [c.value for row in wb.active.iter_rows() for c in row if c.value is not None]
    assert {"กระทรวงมหาดไทย (พช.)", "ฝึกอบรม", "ด้านรายได้", "ด้านสุขภาพ"} <= set(texts)
    pdf = client.get(reverse("plans:area_pdf", args=[h.village_code]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # The same file uncompressed: its text is set in a Thai font of fonts-thai-tlwg.
    from cheepao.plans import exports, selectors

    raw = exports.rollup_pdf(
        selectors.rollup(h.village_code), name="หมู่ที่ 1", user=cared["team"], uncompressed=True
    )
    assert re.search(rb"/BaseFont /[A-Z]{6}\+(Garuda|Loma)", raw)
    exports = AuditEvent.objects.filter(action="export", object_type="plans.area")
    assert exports.count() == 2


def test_an_area_outside_is_404(cared, client, sign_in, make_user):
    h = cared["household"]
    sign_in(client, make_user("district", "3402"))
    for name in ("plans:area", "plans:area_xlsx", "plans:area_pdf"):
        assert client.get(reverse(name, args=[h.village_code])).status_code == 404
    assert client.get(reverse("plans:area", args=["34"])).status_code == 404


def test_the_review_page_reads_the_plans_items_once(cared, client, sign_in):
    """The plan's items are read once for the review page (its progress, the stage's facts
    and the groups), plus once for the list of versions (bench/mentoring.py)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = _submitted(cared, client, sign_in)
    sign_in(client, cared["team"])
    with CaptureQueriesContext(connection) as found:
        page = client.get(reverse("plans:plan", args=[plan.pk]))
    assert page.status_code == 200 and page.context["total"] == 2
    assert [g[0].code for g in page.context["groups"]] == ["health", "income"]
    items = [q for q in found.captured_queries if 'FROM "plans_planitem"' in q["sql"]]
    assert len(items) == 2
