"""Issue 12's path end to end, through the real pages only, in headless Chromium at 390 px.

The mentor records a visit and two acts of help on the household's Logbook page, routes
the household's problems from its cases page and refers the health problem to the
district's health office; the office's account accepts it in its inbox, records the help
it gave and marks its part done (reading the household's Logbook while it serves it:
from its acceptance to its part done); the mentor confirms the problem solved on that help.
The other problem goes overdue: the clock's job (`escalations_run`, run here as the hourly
job would, at a moment past the district's 30 days) escalates it to the province with the
catalogue's Thai reason; the province assigns it to a provincial office and returns it with
a note. Then the district has the months computed from the statistics page and the
district's and the health office's pages show exactly these entries.

Every page of the path: no sideways scroll at 390 px, Thai, and no English words left
(test_thai_ui's checker). The agency's pages once more in English.

Accounts, the mentor team's assignment and the registry are made in Python; everything
after is clicks and form posts. The refusals of the issue follow, over HTTP, each with
the service's code and nothing changed (table snapshots).
"""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.db.models import Count, Q
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from cheepao.accounts.models import Body
from cheepao.config.tests.test_household_development_path import _thai_only_leftovers
from cheepao.config.tests.test_thai_ui import problems as thai_problems
from cheepao.conftest import PHONE, go
from cheepao.core.context import Context
from cheepao.core.errors import Refused
from cheepao.escalation.models import Clock, Escalation
from cheepao.escalation.services import escalations_run
from cheepao.helpstats import months
from cheepao.households.models import Household, Problem
from cheepao.logbook import services as logbook
from cheepao.logbook.models import Entry
from cheepao.logbook.tests.helpers import put_in_care
from cheepao.notifications.models import Notification
from cheepao.routing import services as routing
from cheepao.routing.models import Case, Consent, Referral

HEALTH_MINISTRY = "กระทรวงสาธารณสุข"
PSD_MINISTRY = "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์"
#: The need the mentor finds in the field (no registry problem): income, indicator I1.
FIELD_NEED = ("income", "I1")
OVERDUE_REASON = "เกินระยะเวลาที่อำเภอต้องแก้ไขหรือส่งต่อปัญหาแล้ว"
NO_CONSENT_TH = (
    "หน่วยนี้อยู่นอกภาครัฐ โปรดบันทึกความยินยอมของครัวเรือนในการเปิดเผยข้อมูลให้หน่วยนี้ก่อน (PDPA) ระบบยังไม่ได้ส่งเรื่อง"
)
IN_PLACE_TH = (
    "รายการใน Logbook จะไม่ถูกแก้ทับ การแก้ไขคือการบันทึกรายการใหม่ที่มีรหัสของตนเอง ยังไม่มีการเปลี่ยนแปลงใด"
)


# ---------------------------------------------------------------- the world


def _household(registry) -> Household:
    """A target household whose one open problem is in the health dimension (its other
    problem is a need the mentor finds in the field)."""
    found = (
        Household.objects.filter(registry=registry, status=Household.Status.ACTIVE)
        .annotate(
            n=Count("problems", filter=Q(problems__status=Problem.Status.OPEN)),
            health=Count(
                "problems",
                filter=Q(problems__status=Problem.Status.OPEN, problems__dimension="health")
                & ~Q(problems__indicator=""),
            ),
        )
        .filter(n=1, health=1)
        .order_by("village_code", "pk")
        .first()
    )
    assert found is not None, "no household whose one open problem is in health"
    return found


@pytest.fixture
def path_world(registry, make_user):
    h = _household(registry)
    mentor = make_user("mentor", h.village_code, first_name="สมใจ", last_name="ใจดี")
    put_in_care(h, mentor)
    health = Body.objects.create(
        name="สำนักงานสาธารณสุขอำเภอทดสอบ",
        kind=Body.Kind.AGENCY,
        area_code=h.district_code,
        sector="government",
        ministry=HEALTH_MINISTRY,
    )
    psd = Body.objects.create(
        name="สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดทดสอบ",
        kind=Body.Kind.AGENCY,
        area_code=h.province_code,
        sector="government",
        ministry=PSD_MINISTRY,
    )
    foundation = Body.objects.create(
        name="มูลนิธิช่วยเหลือทดสอบ",
        kind=Body.Kind.AGENCY,
        area_code=h.district_code,
        sector="foundation",
    )
    health_problem = Problem.objects.get(
        household=h, status=Problem.Status.OPEN, dimension="health"
    )
    return {
        "household": h,
        "health_problem": health_problem,
        "mentor": mentor,
        "district": make_user("district", h.district_code),
        "province": make_user("province", h.province_code),
        "health": health,
        "psd": psd,
        "foundation": foundation,
        "health_user": make_user("agency", h.district_code, body=health),
        "psd_user": make_user("agency", h.province_code, body=psd),
    }


def snapshot() -> dict[str, list[dict]]:
    """Every row of the tables a refusal must not touch."""
    tables = {
        "case": Case,
        "referral": Referral,
        "consent": Consent,
        "entry": Entry,
        "problem": Problem,
        "escalation": Escalation,
        "clock": Clock,
        "notification": Notification,
    }
    return {name: list(m.objects.order_by("pk").values()) for name, m in tables.items()}


# ---------------------------------------------------------------- the browser path


def wider(page) -> list[str]:
    """The elements that reach past the phone's width (what to fix)."""
    return page.evaluate(
        """(w) => Array.from(document.querySelectorAll('body *'))
            .filter(el => el.getBoundingClientRect().right > w)
            .map(el => el.tagName + '#' + el.id + '.' + el.className + ' '
                 + Math.round(el.getBoundingClientRect().right))
            .slice(0, 12)""",
        PHONE["width"],
    )


class Pages:
    """Checks of every page of the path: phone width, Thai, no English words left."""

    def __init__(self, page, shots, data_words: set[str]) -> None:
        self.page, self.shots, self.words, self.n = page, shots, data_words, 0

    def check(self, name: str) -> None:
        page = self.page
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"], (f"{name}: {width} px wide", wider(page))
        assert page.evaluate("document.documentElement.lang") == "th", name
        found = thai_problems(page.content(), self.words)
        assert not found, (name, found)
        self.n += 1
        page.screenshot(path=str(self.shots / f"{self.n:02d}-{name}.png"), full_page=True)


def enter(page, live_server, user, sign_in) -> None:
    """`user` signed in on the browser (the province's second factor passed, as the
    escalation test does: a session that went through it)."""
    page.context.clear_cookies()
    client = sign_in(Client(), user)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
                "httpOnly": True,
            }
        ]
    )


def record_help(page, seen, target: str, kind: str, value: str, note: str) -> None:
    go(page, page.get_by_role("link", name="บันทึกการช่วยเหลือ", exact=True))
    page.get_by_label("มิติและตัวชี้วัด").select_option(target)
    page.get_by_label("ประเภทความช่วยเหลือ").select_option(kind)
    seen.check("logbook-help-step-1")
    go(page, page.get_by_role("button", name="ถัดไป"))
    seen.check("logbook-help-step-2")
    page.locator("#id_giver").fill("สมใจ ใจดี")
    page.get_by_label("มูลค่า (บาท)").fill(value)
    page.get_by_label("หมายเหตุ", exact=True).fill(note)
    go(page, page.get_by_role("button", name="บันทึกลง Logbook"))
    page.locator("#lb-helps").wait_for()


def compute_month(page, seen, live_server, month_code: str) -> None:
    """The district has the month computed again from its statistics page: a job (run at
    once in the tests), whose page leads back to the month."""
    page.goto(f"{live_server.url}/stats/?month={month_code}")
    go(page, page.get_by_role("button", name="คำนวณสถิติเดือนนี้ใหม่"))
    page.wait_for_url(re.compile(r"/jobs/"))
    seen.check(f"stats-job-{month_code}")
    page.goto(f"{live_server.url}/stats/?month={month_code}")


def figures(page) -> dict[str, str]:
    names = ("acts", "baht", "households", "solved", "sent", "accepted", "done", "overdue")
    out = {n: page.locator(f"#stats-{n}").inner_text() for n in names}
    out["escalated"] = page.locator("#stats-escalated").inner_text()
    return out


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_logbook_routing_escalation_statistics_path(
    browser, live_server, path_world, sign_in, screenshot_dir
):
    w = path_world
    h = w["household"]
    context = browser.new_context(viewport=PHONE, locale="th-TH")
    page = context.new_page()
    page.set_default_timeout(15_000)
    data_words = {u for u in (w[k].username for k in w if k.endswith("user"))} | {
        w[k].username for k in ("mentor", "district", "province")
    }
    data_words |= {h.hh_id}
    seen = Pages(page, screenshot_dir, data_words)
    base = live_server.url
    today = timezone.localdate()

    # -- 1. The mentor records a visit and two acts of help on the Logbook page.
    enter(page, live_server, w["mentor"], sign_in)
    page.goto(f"{base}/registry/household/{h.pk}/")
    go(page, page.locator("#logbook-section").get_by_role("link"))
    page.wait_for_url(f"{base}/logbook/household/{h.pk}/")
    seen.check("logbook")
    go(page, page.get_by_role("link", name="บันทึกการเยี่ยมบ้าน"))
    seen.check("logbook-visit")
    page.get_by_label("สิ่งที่พบ").fill("ผู้สูงอายุในบ้านเจ็บป่วยเรื้อรัง")
    go(page, page.get_by_role("button", name="บันทึกลง Logbook"))
    hp = w["health_problem"]
    record_help(page, seen, f"{hp.dimension}|{hp.indicator}", "goods", "1,200", "ยาและเวชภัณฑ์")
    record_help(page, seen, f"{hp.dimension}|{hp.indicator}", "training", "800", "อบรมดูแลผู้ป่วย")
    expect(page.locator("#lb-helps")).to_have_text("2")
    expect(page.locator("#lb-baht")).to_have_text("2,000.00")
    seen.check("logbook-two-helps")

    # -- 2. The household's cases page: its registry problem routed, a need found in the
    # field opened as a case too, the health one referred to the health office.
    page.goto(f"{base}/registry/household/{h.pk}/")
    go(page, page.locator("#routing-section").get_by_role("link"))
    page.wait_for_url(f"{base}/routing/household/{h.pk}/")
    go(page, page.get_by_role("button", name="ส่งต่อปัญหาของครัวเรือนนี้"))
    page.locator("#open-case summary").click()
    page.locator("#open-dimension").select_option(FIELD_NEED[0])
    page.locator("#open-indicator").select_option(FIELD_NEED[1])
    page.locator("#open-note").fill("หัวหน้าครัวเรือนตกงาน ไม่มีรายได้")
    go(page, page.get_by_role("button", name="เปิดเรื่อง"))
    seen.check("routing-household")
    health_case = Case.objects.get(household=h, indicator=hp.indicator)
    other_case = Case.objects.get(household=h, indicator=FIELD_NEED[1])
    assert other_case.problem is None
    assert health_case.owner == w["health"]
    expect(page.locator(f'[data-case="{health_case.pk}"]')).to_contain_text(w["health"].name)
    go(page, page.locator(f'[data-case="{health_case.pk}"] a'))
    page.locator("#refer summary").click()
    page.locator("#refer-agency").select_option(str(w["health"].pk))
    page.locator("#refer-note").fill("โปรดติดตามการรักษาต่อเนื่อง")
    go(page, page.get_by_role("button", name="ส่งต่อเรื่อง"))
    expect(page.locator("#referrals")).to_contain_text("รอตอบรับ")
    seen.check("routing-case-referred")

    # -- 3. The health office accepts it in its inbox, records its help, marks its part
    # done, and reads the household's Logbook (it serves the household).
    enter(page, live_server, w["health_user"], sign_in)
    page.goto(f"{base}/routing/inbox/")
    expect(page.locator("#tab-pending")).to_contain_text("(1)")
    seen.check("inbox")
    go(page, page.locator("#inbox-rows a").first)
    page.wait_for_url(f"{base}/routing/case/{health_case.pk}/")
    go(page, page.get_by_role("button", name="รับเรื่อง", exact=True))
    expect(page.locator("#my-referral")).to_have_attribute("data-state", "accepted")
    seen.check("agency-case-accepted")
    # Serving the household now, the office reads its Logbook (and writes nothing there).
    page.goto(f"{base}/logbook/household/{h.pk}/")
    expect(page.locator("#lb-helps")).to_have_text("2")
    assert "อบรมดูแลผู้ป่วย" in page.locator("#lb-list-help").inner_text()
    assert page.get_by_role("link", name="บันทึกการช่วยเหลือ", exact=True).count() == 0
    seen.check("agency-logbook")
    page.goto(f"{base}/routing/case/{health_case.pk}/")
    page.locator("#id_help_kind").select_option("goods")
    page.get_by_label("มูลค่า (บาท)").fill("1500")
    page.locator("#id_note").fill("มอบรถเข็นและนัดตรวจสุขภาพ")
    go(page, page.get_by_role("button", name="บันทึกความช่วยเหลือและแจ้งว่าเสร็จแล้ว"))
    expect(page.locator("#my-referral")).to_have_attribute("data-state", "done")
    seen.check("agency-case-done")
    referral = Referral.objects.get(case=health_case)
    assert referral.state == "done" and referral.done_entry.agency == w["health"]
    # Its part done, the office no longer reaches the household's Logbook.
    assert page.goto(f"{base}/logbook/household/{h.pk}/").status == 404
    page.goto(f"{base}/routing/inbox/?tab=done")
    expect(page.locator("#tab-done")).to_contain_text("(1)")
    seen.check("inbox-done")

    # -- 4. The mentor team confirms the problem solved on the office's help entry.
    enter(page, live_server, w["mentor"], sign_in)
    page.goto(f"{base}/routing/case/{health_case.pk}/")
    page.locator("#solve summary").click()
    page.locator("#solve-entry").select_option(str(referral.done_entry_id))
    go(page, page.get_by_role("button", name="ยืนยันว่าแก้ไขแล้ว"))
    expect(page.locator("#case-state")).to_have_attribute("data-state", "solved")
    seen.check("case-solved")
    hp.refresh_from_db()
    assert hp.status == Problem.Status.SOLVED

    # -- 5. The other problem goes overdue: the clock's job escalates it by itself.
    later = timezone.now() + datetime.timedelta(days=31)
    assert escalations_run(ctx=Context.cli(), now=later)["escalated"] == 1
    escalation = Escalation.objects.get()
    assert escalation.case == other_case and escalation.automatic
    assert escalation.reason == OVERDUE_REASON

    enter(page, live_server, w["province"], sign_in)
    page.goto(f"{base}/escalation/")
    seen.check("escalation-list")
    go(page, page.locator("#waiting").get_by_role("link", name=h.hh_id))
    expect(page.locator("#escalation-reason")).to_have_text(OVERDUE_REASON)
    seen.check("escalation-waiting")
    page.get_by_label("หน่วยงาน/ส่วนราชการ").select_option(str(w["psd"].pk))
    page.get_by_label("ข้อความถึงหน่วยงาน").fill("โปรดพิจารณาเงินสงเคราะห์")
    go(page, page.get_by_role("button", name="มอบหมาย", exact=True))
    expect(page.locator("#escalation-agency")).to_contain_text(w["psd"].name)
    seen.check("escalation-assigned")
    page.get_by_label("สิ่งที่หน่วยงานได้ดำเนินการ").fill("จ่ายเงินสงเคราะห์ครอบครัวแล้ว")
    go(page, page.get_by_role("button", name="ส่งคืนอำเภอ"))
    expect(page.locator("#escalation-returned")).to_contain_text("จ่ายเงินสงเคราะห์ครอบครัวแล้ว")
    seen.check("escalation-returned")
    escalation.refresh_from_db()
    assert escalation.assigned_agency == w["psd"] and escalation.returned_at
    assert Clock.objects.get(case=other_case, stopped_at__isnull=True).step == "district"

    # -- 6. The district computes the months from its statistics page; the figures.
    this_month = months.code(today)
    next_month = months.code(timezone.localtime(later).date())
    enter(page, live_server, w["district"], sign_in)
    compute_month(page, seen, live_server, this_month)
    seen.check("stats-district")
    assert figures(page) == {
        "acts": "3",
        "baht": "3,500",
        "households": "1",
        "solved": "1",
        "sent": "2",
        "accepted": "1",
        "done": "1",
        "overdue": "0",
        "escalated": "0",
    }
    expect(page.locator("#stats-agencies")).to_contain_text(w["health"].name)
    compute_month(page, seen, live_server, next_month)
    assert figures(page) == {
        "acts": "0",
        "baht": "0",
        "households": "0",
        "solved": "0",
        "sent": "0",
        "accepted": "0",
        "done": "0",
        "overdue": "0",
        "escalated": "1",
    }
    seen.check("stats-district-escalated")

    enter(page, live_server, w["health_user"], sign_in)
    page.goto(f"{base}/stats/?month={this_month}")
    expect(page.locator("#stats-body")).to_have_text(w["health"].name)
    assert figures(page) == {
        "acts": "1",
        "baht": "1,500",
        "households": "1",
        "solved": "1",
        "sent": "1",
        "accepted": "1",
        "done": "1",
        "overdue": "0",
        "escalated": "0",
    }
    seen.check("stats-agency")

    # -- The agency's pages once more, in English.
    page.goto(f"{base}/routing/inbox/")
    go(page, page.get_by_role("button", name="English"))
    assert page.evaluate("document.documentElement.lang") == "en"
    for path in (
        "/routing/inbox/",
        "/routing/inbox/?tab=done",
        f"/routing/case/{health_case.pk}/",
        f"/logbook/household/{h.pk}/",
        f"/stats/?month={this_month}",
    ):
        page.goto(base + path)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"], path
        assert not _thai_only_leftovers(page), (path, _thai_only_leftovers(page))
        name = re.sub(r"\W+", "-", path).strip("-")
        page.screenshot(path=str(screenshot_dir / f"en-{name}.png"), full_page=True)
    context.close()


# ---------------------------------------------------------------- the refusals


@pytest.fixture
def referred(path_world):
    """The household's problems routed by the mentor; the health one referred to the
    health office."""
    w = path_world
    ctx = Context.cli(w["mentor"])
    (health_case,) = routing.cases_open_from_registry(ctx=ctx, household_id=w["household"].pk)
    other_case = routing.case_open(
        ctx=ctx,
        household_id=w["household"].pk,
        dimension=FIELD_NEED[0],
        indicator=FIELD_NEED[1],
    )
    referral = routing.referral_send(ctx=ctx, case_id=health_case.pk, agency_id=w["health"].pk)
    return {**w, "health_case": health_case, "other_case": other_case, "referral": referral}


@pytest.mark.django_db
def test_an_agency_acting_on_a_case_not_routed_to_it_is_404(referred, client, sign_in):
    w = referred
    # The provincial office has no referral of either case; the health office none of the
    # other case.
    sign_in(client, w["psd_user"])
    before = snapshot()
    url = f"/routing/case/{w['health_case'].pk}/"
    assert client.get(url).status_code == 404
    for action in ("accept", "reject", "done", "help_done"):
        data = {"action": action, "referral": w["referral"].pk, "reason": "ไม่ใช่งานของเรา"}
        assert client.post(url, data).status_code == 404, action
    assert snapshot() == before

    sign_in(client, w["health_user"])
    url = f"/routing/case/{w['other_case'].pk}/"
    assert client.get(url).status_code == 404
    data = {
        "action": "help_done",
        "referral": w["referral"].pk,
        "occurred_on": timezone.localdate().isoformat(),
        "help_kind": "goods",
        "value": "500",
    }
    assert client.post(url, data).status_code == 404
    assert client.post(url, {"action": "refer", "agency": w["health"].pk}).status_code == 404
    assert snapshot() == before


@pytest.mark.django_db
def test_a_correction_that_edits_in_place_is_refused(path_world, client, sign_in):
    w = path_world
    h, hp = w["household"], w["health_problem"]
    entry = logbook.help_record(
        ctx=Context.cli(w["mentor"]),
        household_id=h.pk,
        occurred_on=timezone.localdate(),
        dimension=hp.dimension,
        indicator=hp.indicator,
        help_kind="goods",
        value="1200",
        giver="สมใจ ใจดี",
        note="ยาและเวชภัณฑ์",
        uid=str(uuid.uuid4()),
    )
    before = snapshot()
    with pytest.raises(Refused) as caught:
        logbook.entry_correct(
            ctx=Context.cli(w["mentor"]), entry_id=entry.pk, uid=entry.uid, value="2000"
        )
    assert caught.value.code == "logbook.in_place"
    assert snapshot() == before

    sign_in(client, w["mentor"])
    response = client.post(
        f"/logbook/entry/{entry.pk}/correct/",
        {
            "uid": str(entry.uid),
            "occurred_on": entry.occurred_on.isoformat(),
            "target": f"{hp.dimension}|{hp.indicator}",
            "help_kind": "goods",
            "agency": "",
            "programme": "",
            "giver": "สมใจ ใจดี",
            "value": "2000",
            "note": "ยาและเวชภัณฑ์",
        },
    )
    assert response.status_code == 400
    assert IN_PLACE_TH in response.content.decode()
    assert snapshot() == before


@pytest.mark.django_db
def test_sharing_with_a_foundation_without_consent_is_refused(referred, client, sign_in):
    w = referred
    case = w["health_case"]
    before = snapshot()
    with pytest.raises(Refused) as caught:
        routing.referral_send(
            ctx=Context.cli(w["mentor"]), case_id=case.pk, agency_id=w["foundation"].pk
        )
    assert caught.value.code == "routing.no_consent"
    assert snapshot() == before

    sign_in(client, w["mentor"])
    response = client.post(
        f"/routing/case/{case.pk}/",
        {"action": "refer", "agency": w["foundation"].pk, "note": "ขอรับการสนับสนุน"},
    )
    assert response.status_code in (400, 403, 409)
    assert NO_CONSENT_TH in response.content.decode()
    assert snapshot() == before
