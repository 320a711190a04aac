"""Escalation's pages over HTTP: the right account 200, any other 404 and nothing changed;
the forms write through the verbs; reads are audited."""

from __future__ import annotations

import pytest

from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.escalation import services
from cheepao.escalation.models import Clock, Escalation
from cheepao.escalation.tests.test_services import snapshot
from cheepao.notifications.models import Notification

pytestmark = pytest.mark.database


def escalated(world):
    return services.case_escalate(
        ctx=Context.cli(world["district"]), case_id=world["case"].pk, reason="เกินกำลังอำเภอ"
    )


def test_the_province_sees_its_lists_and_assigns_then_returns(world, client, sign_in):
    escalation = escalated(world)
    h = world["household"]
    sign_in(client, world["province"])
    page = client.get("/escalation/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "รอมอบหมาย" in html and h.hh_id in html
    assert AuditEvent.objects.filter(object_type="escalation.list", action="search").exists()

    detail = client.get(f"/escalation/{escalation.pk}/")
    assert detail.status_code == 200
    assert "มอบหมายให้หน่วยงานระดับจังหวัด" in detail.content.decode()
    assert world["foundation"].name not in detail.content.decode()  # needs consent: not offered

    bad = client.post(f"/escalation/{escalation.pk}/", {"action": "assign", "agency": ""})
    assert bad.status_code == 200 and "โปรดเลือกหน่วยงานของจังหวัดจากรายการ" in bad.content.decode()
    ok = client.post(
        f"/escalation/{escalation.pk}/",
        {"action": "assign", "agency": world["office"].pk, "note": "ด่วน"},
    )
    assert ok.status_code == 302
    escalation.refresh_from_db()
    assert escalation.assigned_agency == world["office"]

    ok = client.post(f"/escalation/{escalation.pk}/", {"action": "return", "note": "เสร็จแล้ว"})
    assert ok.status_code == 302
    escalation.refresh_from_db()
    assert escalation.returned_at is not None


def test_the_district_sees_its_escalations_but_not_the_forms(world, client, sign_in):
    escalation = escalated(world)
    sign_in(client, world["district"])
    html = client.get("/escalation/").content.decode()
    assert world["household"].hh_id in html and "ส่งต่อแล้ว ยังไม่ได้ส่งคืน" in html
    detail = client.get(f"/escalation/{escalation.pk}/").content.decode()
    assert "มอบหมายให้หน่วยงานระดับจังหวัด" not in detail
    before = snapshot()
    refused = client.post(
        f"/escalation/{escalation.pk}/", {"action": "assign", "agency": world["office"].pk}
    )
    assert refused.status_code == 200
    assert snapshot()["escalations"] == before["escalations"]


@pytest.mark.parametrize("who", ["other_district", "other_province", "mentor", "agency_user"])
def test_others_get_404_and_nothing_changes(world, client, sign_in, who):
    escalation = escalated(world)
    sign_in(client, world[who])
    before = snapshot()
    case = world["case"].pk
    assert client.get(f"/escalation/{escalation.pk}/").status_code == 404
    assert client.get(f"/escalation/case/{case}/").status_code == 404
    posts = [
        (f"/escalation/{escalation.pk}/", {"action": "assign", "agency": world["office"].pk}),
        (f"/escalation/{escalation.pk}/", {"action": "return", "note": "x"}),
        (f"/escalation/case/{case}/", {"action": "escalate", "reason": "x"}),
        (f"/escalation/case/{case}/", {"action": "pause", "reason": "household"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404
    assert world["household"].hh_id not in client.get("/escalation/").content.decode()
    assert snapshot() == before


def test_the_district_escalates_from_the_case_clock(world, client, sign_in):
    sign_in(client, world["district"])
    url = f"/escalation/case/{world['case'].pk}/"
    page = client.get(url).content.decode()
    assert "ส่งต่อไปยังจังหวัด" in page and "เหลืออีก 30 วัน" in page
    empty = client.post(url, {"action": "escalate", "reason": ""}, follow=True)
    assert "โปรดระบุเหตุผลที่ส่งต่อปัญหาไปยังจังหวัด" in empty.content.decode()
    assert not Escalation.objects.exists()
    # An outside `next` is not followed.
    res = client.post(url, {"action": "pause", "reason": "household", "next": "https://x.test/"})
    assert res["Location"] == url
    client.post(url, {"action": "resume"})
    done = client.post(
        url, {"action": "escalate", "reason": "ต้องใช้งบจังหวัด", "next": "/routing/case/1/"}
    )
    assert done.status_code == 302 and done["Location"] == "/routing/case/1/"
    assert Escalation.objects.get().reason == "ต้องใช้งบจังหวัด"
    assert Notification.objects.filter(user=world["province"]).count() == 1
    assert "ส่งต่อไปยังจังหวัดเมื่อ" in client.get(url).content.decode()


def test_pause_and_resume_from_the_page(world, client, sign_in):
    sign_in(client, world["district"])
    url = f"/escalation/case/{world['case'].pk}/"
    client.post(url, {"action": "pause", "reason": "household"})
    clock = Clock.objects.get(case=world["case"], stopped_at__isnull=True)
    assert clock.pause_reason == "household"
    assert "หยุดพัก: รอครัวเรือน" in client.get(url).content.decode()
    client.post(url, {"action": "resume"})
    clock.refresh_from_db()
    assert clock.paused_at is None


def test_the_panel_is_registered_for_routings_case_page(world):
    from cheepao.routing.extensions import case_panels

    shown = case_panels.shown(world["case"], world["district"])
    (panel,) = [s for s in shown if s.key == "escalation.clock"]
    assert panel.template == "escalation/_panel.html"
    assert panel.context["may_escalate"] and panel.context["status"]["days_left"] == 30
    assert not [
        s for s in case_panels.shown(world["case"], world["mentor"]) if s.key == "escalation.clock"
    ]
    assert not [
        s
        for s in case_panels.shown(world["case"], world["other_district"])
        if s.key == "escalation.clock"
    ]


def test_the_pages_read_as_thai(world, client, sign_in):
    from cheepao.config.tests.test_thai_ui import problems

    escalation = services.escalation_assign(
        ctx=Context.cli(world["province"]),
        escalation_id=escalated(world).pk,
        agency_id=world["office"].pk,
    )
    data = {world["household"].hh_id, world["case"].indicator, world["case"].dimension}
    for who, url in [
        ("province", "/escalation/"),
        ("province", f"/escalation/{escalation.pk}/"),
        ("district", "/escalation/"),
        ("district", f"/escalation/case/{world['case'].pk}/"),
    ]:
        sign_in(client, world[who])
        page = client.get(url)
        assert page.status_code == 200
        assert (
            problems(
                page.content.decode(),
                data | {u.username for u in world.values() if hasattr(u, "username")},
            )
            == []
        ), (who, url)
