"""The platform-wide access sweep (issue 4): for every role and every page or endpoint that
takes a household, area, batch, list, review item, duplicate check or account id, an object
outside the account's area is a 404 (or, for a POST to a read-only page, a 405) and nothing
changes, not even an audit row.

A national ID typed in the registry search or on form ศจพ.2 is swept too (issue 9): for every
role, a PIN registered outside the account's area gives exactly the page a PIN registered in
another province would, so the answer says nothing of where, or whether, the person is.

The sweep reads the URL configuration itself: an endpoint with a parameter that is not
listed in SWEEP below fails `test_every_endpoint_with_an_id_is_swept`, so a new page
cannot skip the sweep by being forgotten. Each app keeps its own finer sweep as well.

It reads the access policies too (core.access, ADR 0017): every (model, action) of
`access.table()` must have its row in POLICY_SWEEP (`test_every_policy_action_is_swept`),
so a new action cannot ship unswept. For every role of accounts.roles, an account inside
the object's area and one outside it ask the policy (scope, one, actors) for each action;
the object is reached exactly by the roles the row names, the endpoints the row maps to
the action answer those roles, and an account outside the area never reaches it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cheepao.accounts.models import Body, User
from cheepao.accounts.roles import Role
from cheepao.audit.jobs import AUDIT_EXPORT
from cheepao.audit.models import AuditEvent
from cheepao.core import access, errors
from cheepao.core.context import Context
from cheepao.escalation.models import Clock, Escalation
from cheepao.evaluation.models import Evaluation, Outcome
from cheepao.folders.models import FamilyFolder, FolderPhoto
from cheepao.helpstats.models import MonthFigures
from cheepao.households.models import Household, Member, Problem
from cheepao.households.pii import format_pin, mask_pin
from cheepao.imports.models import ListEntry, ListImport, ReviewItem
from cheepao.jobs.models import Job
from cheepao.jobs.services import job_result_save
from cheepao.logbook.models import Entry
from cheepao.logbook.photos import thumb_name
from cheepao.mentoring.models import Assignment, MentorTeam, TeamMember
from cheepao.newhouseholds.models import DuplicateCase
from cheepao.newhouseholds.tests.helpers import member, new_pin, post_data
from cheepao.notifications.models import Notification
from cheepao.plans.models import Plan, PlanItem, StageConfirmation
from cheepao.reports.selectors import MONTHLY
from cheepao.routing.models import Case, Consent, Referral
from cheepao.snapshots.models import AreaMonth
from cheepao.verification import services as verification
from cheepao.verification.models import Batch, BatchEvent, Verification
from cheepao.verification.tests.conftest import form_data

PLATFORM = {
    "accounts",
    "households",
    "verification",
    "imports",
    "newhouseholds",
    "audit",
    "jobs",
    "folders",
    "plans",
    "mentoring",
    "notifications",
    "routing",
    "escalation",
    "logbook",
    "helpstats",
    "dashboards",
    "evaluation",
    "reports",
    "maps",
    "snapshots",
}
# The public pages of a platform app (aggregates for anyone, no sign-in): nothing to sweep.
PUBLIC = {"dashboards:area", "dashboards:register_download", "dashboards:summary_download"}
ROLES = ["subdistrict", "mentor", "district", "province", "agency"]


def sweep(world: dict) -> dict[str, list[tuple[str, str, dict | None]]]:
    """(method, url, data) per endpoint, each aimed at an object in `world`'s area."""
    h, batch = world["household"], world["batch"]
    imp, item, account = world["import"], world["review_item"], world["account"]
    return {
        "accounts:detail": [("get", reverse("accounts:detail", args=[account.pk]), None)],
        "accounts:deactivate": [
            ("get", reverse("accounts:deactivate", args=[account.pk]), None),
            ("post", reverse("accounts:deactivate", args=[account.pk]), {}),
        ],
        "accounts:reactivate": [("post", reverse("accounts:reactivate", args=[account.pk]), {})],
        "accounts:reset_password": [
            ("get", reverse("accounts:reset_password", args=[account.pk]), None),
            ("post", reverse("accounts:reset_password", args=[account.pk]), {}),
        ],
        "accounts:unlock": [("post", reverse("accounts:unlock", args=[account.pk]), {})],
        "households:area": [
            ("get", reverse("households:area", args=[code]), None)
            for code in (h.district_code, h.subdistrict_code)
        ],
        "households:subdistrict": [
            ("get", reverse("households:subdistrict", args=[h.subdistrict_code]), None)
        ],
        "households:village": [("get", reverse("households:village", args=[h.village_code]), None)],
        "households:village_export": [
            ("get", reverse("households:village_export", args=[h.village_code]), None)
        ],
        "households:folder": [
            ("get", reverse("households:folder", args=[h.pk]), None),
            ("post", reverse("households:folder", args=[h.pk]), {}),
        ],
        "verification:form": [
            ("get", reverse("verification:form", args=[h.pk]), None),
            ("post", reverse("verification:form", args=[h.pk]), {"household_status": "moved"}),
        ],
        "verification:area": [
            ("get", reverse("verification:area", args=[h.village_code]), None),
            ("post", reverse("verification:area", args=[h.village_code]), {}),
        ],
        "verification:batch": [("get", reverse("verification:batch", args=[batch.pk]), None)]
        + [
            ("post", reverse("verification:batch", args=[batch.pk]), {"action": a, "comment": "x"})
            for a in ("certify", "return", "approve")
        ],
        "imports:detail": [("get", reverse("imports:detail", args=[imp.pk]), None)],
        "imports:rejects_csv": [("get", reverse("imports:rejects_csv", args=[imp.pk]), None)],
        "imports:decide": [
            (
                "post",
                reverse("imports:decide", args=[item.pk]),
                {"decision": "reject", "note": "ไม่ใช่คนในพื้นที่"},
            )
        ],
        "newhouseholds:detail": [
            ("get", reverse("newhouseholds:detail", args=[world["field_household"].pk]), None)
        ],
        # A job is its maker's alone (jobs.policies): anyone else, whatever the area.
        "jobs:detail": [("get", reverse("jobs:detail", args=[world["job"].pk]), None)],
        "jobs:download": [("get", reverse("jobs:download", args=[world["job"].pk]), None)],
        # A monthly report is its maker's alone, and its area's viewer's (reports, ADR 0034).
        "reports:download": [
            ("get", reverse("reports:download", args=[world["report_job"].pk]), None)
        ],
        # A notification is its own account's alone (notifications.policies).
        "notifications:open": [
            ("post", reverse("notifications:open", args=[world["notification"].pk]), {})
        ],
        "folders:folder": [("get", reverse("folders:folder", args=[h.pk]), None)],
        "folders:photo": [
            ("get", reverse("folders:photo", args=[h.pk, world["folder_photo"].pk, size]), None)
            for size in ("full", "thumb")
        ],
        "folders:pdf": [("get", reverse("folders:pdf", args=[h.pk]), None)],
        "folders:edit": [
            ("get", reverse("folders:edit", args=[h.pk]), None),
            ("post", reverse("folders:edit", args=[h.pk]), {"base_version": "1", "skills": "x"}),
        ],
        "folders:photos": [
            ("get", reverse("folders:photos", args=[h.pk]), None),
            ("post", reverse("folders:photos", args=[h.pk]), {"kind": "house"}),
        ],
        "folders:photo_remove": [
            (
                "post",
                reverse("folders:photo_remove", args=[h.pk, world["folder_photo"].pk]),
                {},
            )
        ],
        "folders:location": [
            ("get", reverse("folders:location", args=[h.pk]), None),
            ("post", reverse("folders:location", args=[h.pk]), {"lat": "15.2", "lng": "104.8"}),
        ],
        "logbook:household": [("get", reverse("logbook:household", args=[h.pk]), None)],
        "logbook:record": [
            ("get", reverse("logbook:record", args=[h.pk, "visit"]), None),
            ("post", reverse("logbook:record", args=[h.pk, "visit"]), {"note": "x"}),
            ("post", reverse("logbook:record", args=[h.pk, "help"]), {"step": "2"}),
        ],
        "logbook:correct": [
            ("get", reverse("logbook:correct", args=[world["entry"].pk]), None),
            ("post", reverse("logbook:correct", args=[world["entry"].pk]), {"action": "withdraw"}),
        ],
        "logbook:photo": [
            ("get", reverse("logbook:photo", args=[world["entry"].pk, size]), None)
            for size in ("thumb", "full")
        ],
        "plans:household": [
            ("get", reverse("plans:household", args=[h.pk]), None),
            ("post", reverse("plans:household", args=[h.pk]), {"action": "start"}),
        ],
        "plans:plan": [("get", reverse("plans:plan", args=[world["plan"].pk]), None)]
        + [
            (
                "post",
                reverse("plans:plan", args=[world["plan"].pk]),
                {"action": a, "comment": "x", "version": world["plan"].version},
            )
            for a in ("return", "approve", "confirm_stage")
        ],
        "plans:area": [
            ("get", reverse("plans:area", args=[code]), None)
            for code in (h.village_code, h.subdistrict_code)
        ],
        "plans:area_xlsx": [("get", reverse("plans:area_xlsx", args=[h.village_code]), None)],
        "plans:area_pdf": [("get", reverse("plans:area_pdf", args=[h.subdistrict_code]), None)],
        **_mentoring_sweep(world),
        **_routing_sweep(world),
        **_escalation_sweep(world),
        # The monthly statistics of an area (helpstats): read, exported, computed again.
        "helpstats:area": [
            ("get", reverse("helpstats:area", args=[code]), None)
            for code in (h.village_code, h.district_code)
        ]
        + [
            ("get", reverse("helpstats:area", args=[h.district_code]) + "?format=xlsx", None),
            ("post", reverse("helpstats:area", args=[h.district_code]), {"action": "compute"}),
        ],
        # The signed-in dashboard of an area (dashboards, ADR 0032): its monthly snapshot
        # (a village's, which every viewer inside reaches; the levels above have rows too).
        "dashboards:overview_area": [
            ("get", reverse("dashboards:overview_area", args=[h.village_code]), None),
            (
                "get",
                reverse("dashboards:overview_area", args=[h.village_code]) + "?month=2568-11",
                None,
            ),
        ],
        # The evaluation of help of an area (evaluation): read, exported, computed again.
        "evaluation:area": [
            ("get", reverse("evaluation:area", args=[code]), None)
            for code in (h.village_code, h.district_code)
        ]
        + [
            ("get", reverse("evaluation:area", args=[h.district_code]) + "?format=xlsx", None),
            ("post", reverse("evaluation:area", args=[h.district_code]), {"action": "compute"}),
        ],
        # The maps (ADR 0033): an area's choropleth or pins, and the boundaries it draws.
        "maps:area": [
            ("get", reverse("maps:area", args=[code]), None)
            for code in (h.district_code, h.subdistrict_code, h.village_code)
        ],
        "maps:area_areas": [
            ("get", reverse("maps:area_areas", args=[code]), None)
            for code in (h.district_code, h.subdistrict_code)
        ],
        "newhouseholds:duplicate": [
            ("get", reverse("newhouseholds:duplicate", args=[world["duplicate_case"].pk]), None),
            (
                "post",
                reverse("newhouseholds:duplicate", args=[world["duplicate_case"].pk]),
                {"decision": "may_add"},
            ),
        ],
    }


def _escalation_sweep(world: dict) -> dict[str, list[tuple[str, str, dict | None]]]:
    """An escalated case (escalation): read by the case's area viewers, assigned and
    returned by its province, escalated (and its clock paused) by its district."""
    escalation, case = world["escalation"], world["escalation"].case_id
    office = world["province_office"].pk
    return {
        "escalation:detail": [
            ("get", reverse("escalation:detail", args=[escalation.pk]), None),
            (
                "post",
                reverse("escalation:detail", args=[escalation.pk]),
                {"action": "assign", "agency": office},
            ),
            (
                "post",
                reverse("escalation:detail", args=[escalation.pk]),
                {"action": "return", "note": "x"},
            ),
        ],
        "escalation:case": [
            ("get", reverse("escalation:case", args=[case]), None),
            (
                "post",
                reverse("escalation:case", args=[case]),
                {"action": "escalate", "reason": "x"},
            ),
            (
                "post",
                reverse("escalation:case", args=[case]),
                {"action": "pause", "reason": "household"},
            ),
        ],
    }


def _mentoring_sweep(world: dict) -> dict[str, list[tuple[str, str, dict | None]]]:
    """The mentor team's pages (mentoring): read by the subdistrict's viewers, changed by
    its district."""
    team, member = world["mentor_team"].pk, world["mentor_member"].pk
    h = world["household"]

    def url(name: str, *args: int) -> str:
        return reverse(f"mentoring:{name}", args=[team, *args])

    return {
        "mentoring:team": [("get", url("team"), None)],
        "mentoring:order": [("get", url("order"), None)],
        "mentoring:order_pdf": [("get", url("order_pdf"), None)],
        "mentoring:assign": [
            ("get", url("assign"), None),
            ("post", url("assign"), {"village_code": h.village_code, "cap": 10}),
        ],
        "mentoring:handover": [
            ("get", url("handover"), None),
            ("post", url("handover"), {"note": "x"}),
        ],
        "mentoring:member_add": [
            ("get", url("member_add"), None),
            ("post", url("member_add"), {"name": "x", "kind": "other"}),
        ],
        "mentoring:member_leave": [("post", url("member_leave", member), {})],
        "mentoring:end": [("post", url("end"), {})],
    }


def _routing_sweep(world: dict) -> dict[str, list[tuple[str, str, dict | None]]]:
    """A case and its household's routing page (routing): read by the area's viewers,
    changed by the household's team and its district."""
    case, h = world["case"], world["household"]
    url = reverse("routing:case", args=[case.pk])
    return {
        "routing:case": [("get", url, None)]
        + [
            ("post", url, data)
            for data in (
                {"action": "close", "reason": "x"},
                {"action": "refer", "agency": world["office"].pk},
                {"action": "accept", "referral": world["referral"].pk},
            )
        ],
        "routing:household": [
            ("get", reverse("routing:household", args=[h.pk]), None),
            ("post", reverse("routing:household", args=[h.pk]), {"action": "route_problems"}),
        ],
    }


def state() -> dict:
    """Everything the swept endpoints could write, as comparable values."""
    return {
        "households": list(Household.objects.order_by("pk").values()),
        "members": Member.objects.count(),
        "problems": list(Problem.objects.order_by("pk").values("pk", "status", "origin")),
        "verifications": list(Verification.objects.order_by("pk").values()),
        "batches": list(Batch.objects.order_by("pk").values()),
        "batch_events": BatchEvent.objects.count(),
        "imports": list(ListImport.objects.order_by("pk").values()),
        "review": list(ReviewItem.objects.order_by("pk").values()),
        "entries": ListEntry.objects.count(),
        "users": list(User.objects.order_by("pk").values("pk", "is_active", "password")),
        "duplicate_cases": list(DuplicateCase.objects.order_by("pk").values()),
        "family_folders": list(FamilyFolder.objects.order_by("pk").values()),
        "folder_photos": list(FolderPhoto.objects.order_by("pk").values()),
        "plans": list(Plan.objects.order_by("pk").values()),
        "plan_items": PlanItem.objects.count(),
        "stages": StageConfirmation.objects.count(),
        "audit": AuditEvent.objects.count(),
        "jobs": Job.objects.count(),
        "mentor_teams": list(MentorTeam.objects.order_by("pk").values()),
        "mentor_members": list(TeamMember.objects.order_by("pk").values()),
        "assignments": Assignment.objects.count(),
        "notifications": list(Notification.objects.order_by("pk").values("pk", "read_at")),
        "cases": list(Case.objects.order_by("pk").values()),
        "referrals": list(Referral.objects.order_by("pk").values()),
        "consents": Consent.objects.count(),
        "escalations": list(Escalation.objects.order_by("pk").values()),
        "clocks": list(Clock.objects.order_by("pk").values()),
        "logbook_entries": list(Entry.objects.order_by("pk").values()),
        "month_figures": list(MonthFigures.objects.order_by("pk").values()),
        "area_months": list(AreaMonth.objects.order_by("pk").values()),
        "evaluations": list(Evaluation.objects.order_by("pk").values()),
        "outcomes": list(Outcome.objects.order_by("pk").values()),
    }


@pytest.fixture
def world(registry, make_user):
    """One household with two open problems, its verified and submitted village, a list
    import with a row waiting for review, a field-found household, a duplicate check about
    one of its members raised by a team elsewhere, and a team account, all in one
    subdistrict of district 3401."""
    h = next(
        h
        for h in Household.objects.filter(registry=registry).order_by("village_code", "pk")
        if h.problems.filter(status=Problem.Status.OPEN).count() >= 2
    )
    team = make_user("subdistrict", h.subdistrict_code)
    verification.verification_save(household=h, ctx=Context.cli(team), data=form_data(h))
    batch = verification.batch_submit(area_code=h.village_code, ctx=Context.cli(team))
    imp = ListImport.objects.create(
        kind="thaiqm",
        name="ThaiQM 2568",
        file_name="thaiqm.csv",
        file_sha256="0" * 64,
        area_code=h.subdistrict_code,
        registry=registry,
        rows_read=1,
        rows_queued=1,
    )
    item = ReviewItem.objects.create(
        list_import=imp,
        kind="thaiqm",
        row=2,
        reason=ReviewItem.Reason.values[0],
        data={"first_name": "สมศรี", "last_name": "ดีใจ"},
        village_code=h.village_code,
    )
    handed = ReviewItem.objects.create(
        list_import=imp,
        kind="thaiqm",
        row=3,
        reason=ReviewItem.Reason.values[0],
        data={"first_name": "สมหมาย", "last_name": "ดีใจ"},
        village_code=h.village_code,
        assigned_area=h.district_code,  # handed down to the district
    )
    field = Household.objects.create(
        registry=registry,
        hh_id="F2568-00001",
        source="field",
        status="pending",
        province_code=h.province_code,
        district_code=h.district_code,
        subdistrict_code=h.subdistrict_code,
        village_no=h.village_no,
        village_code=h.village_code,
    )
    other = (
        Household.objects.filter(registry=registry, district_code=h.district_code)
        .exclude(subdistrict_code=h.subdistrict_code)
        .first()
    )
    person = h.members.exclude(pin="").order_by("member_no").first()
    case = DuplicateCase.objects.create(
        registry=registry,
        kind="person",
        asked_by=make_user("subdistrict", other.subdistrict_code),
        asked_village_code=other.village_code,
        asked_name="สมชาย ใจดี",
        pin_masked=mask_pin(person.pin),
        area_code=h.village_code,
        source="registry",
        household=h,
        record_hh_id=h.hh_id,
        record_member_no=person.member_no,
        record_name=person.full_name,
    )
    maker = make_user("province", h.province_code)
    job = Job.objects.create(
        kind=AUDIT_EXPORT, started_by=maker, area_code=maker.area_code, state="done"
    )
    job_result_save(job=job, name="export.csv", content=io.BytesIO(b"at,user\n"))
    # A monthly report of the household's district, made by a district account (reports).
    AreaMonth.objects.create(
        month=date(2026, 11, 1),
        level="district",
        area_code=h.district_code,
        built_at=timezone.now(),
    )
    reporter = make_user("district", h.district_code)
    report_job = Job.objects.create(
        kind=MONTHLY,
        started_by=reporter,
        area_code=reporter.area_code,
        state="done",
        params={"area": h.district_code, "month": "2026-11-01", "fmt": "xlsx"},
    )
    job_result_save(job=report_job, name="report.xlsx", content=io.BytesIO(b"PK"))
    notification = Notification.objects.create(
        user=maker,
        kind="plans.returned",
        url=f"/plans/household/{h.pk}/",
        args={"number": "1", "household": h.hh_id},
    )
    team_of_mentors = MentorTeam.objects.create(
        name="ทีมพี่เลี้ยง 1",
        subdistrict_code=h.subdistrict_code,
        district_code=h.district_code,
    )
    # A family folder with a photo (folders), written as rows: the sweep reads them.
    FamilyFolder.objects.create(household=h, number=1, head_name="สมชาย ใจดี")
    folder_photo = FolderPhoto(household=h, kind="house", sha256="0" * 64)
    folder_photo.image.save("sweep.jpg", ContentFile(b"\xff\xd8\xff\xd9"), save=False)
    folder_photo.thumb.save("sweep-thumb.jpg", ContentFile(b"\xff\xd8\xff\xd9"), save=False)
    folder_photo.save()
    # A household plan sent for review (plans), its household in nobody's care.
    plan = Plan.objects.create(household=h, workflow_version="v1", status="submitted", goal="ก")
    # An act of help with a photo in the household's Logbook (logbook), written as a row.
    photo_name = default_storage.save("logbook/sweep.jpg", ContentFile(b"\xff\xd8\xff\xd9"))
    default_storage.save(thumb_name(photo_name), ContentFile(b"\xff\xd8\xff\xd9"))
    entry = Entry.objects.create(
        household=h,
        village_code=h.village_code,
        part="help",
        occurred_on=plan.created_at.date(),
        help_kind="goods",
        giver="อบต.",
        dimension="health",
        photo=photo_name,
    )
    # A case of one of its problems referred to an agency office (routing), written as rows.
    problem = h.problems.filter(status=Problem.Status.OPEN).order_by("indicator").first()
    office = Body.objects.create(name="สำนักงานทดสอบ", kind="agency", area_code=h.district_code)
    case_ = Case.objects.create(
        household=h,
        village_code=h.village_code,
        dimension=problem.dimension,
        indicator=problem.indicator,
        problem=problem,
        opened_at=timezone.now(),
    )
    referral = Referral.objects.create(
        case=case_,
        village_code=h.village_code,
        agency=office,
        follow_up_on=timezone.localdate(),
        sent_at=timezone.now(),
    )
    # The same case escalated to the province (escalation), as a row.
    escalation = Escalation.objects.create(
        case=case_, village_code=h.village_code, from_level="district",
        to_level="province", reason="เกินกำลังอำเภอ", escalated_at=job.created_at,
    )  # fmt: skip
    # A village's line of the monthly statistics (helpstats), as month_compute writes it.
    figures = MonthFigures.objects.create(
        month="2025-11-01",
        level="village",
        area_code=h.village_code,
        acts=2,
        computed_at="2025-12-01T00:00:00+07:00",
    )
    # The monthly snapshot of the household's village and the areas above it (snapshots).
    area_month = None
    for code in (h.village_code, h.subdistrict_code, h.district_code, h.province_code):
        row = AreaMonth.objects.create(
            month="2025-11-01",
            level={8: "village", 6: "subdistrict", 4: "district", 2: "province"}[len(code)],
            area_code=code,
            targets=10,
            helped=4,
            built_at="2025-12-01T00:00:00+07:00",
        )
        area_month = area_month or row
    # A household's outcome in an evaluation of help (evaluation), as evaluation_compute
    # writes it.
    evaluation = Evaluation.objects.create(
        registry=h.registry, before_year=h.registry.survey_year,
        after_year=h.registry.survey_year + 1, after_run_path="runs/next",
        after_run_created_at="", computed_at=job.created_at,
    )  # fmt: skip
    outcome = Outcome.objects.create(
        evaluation=evaluation, household=h, village_code=h.village_code, subject="target",
        status="escaped", stage="sufficient",
    )  # fmt: skip
    return {
        "area_month": area_month,
        "subdistrict_month": AreaMonth.objects.get(area_code=h.subdistrict_code),
        "outcome": outcome,
        "entry": entry,
        "escalation": escalation,
        "province_office": Body.objects.create(
            name="สำนักงานจังหวัด (กวาด)", kind=Body.Kind.AGENCY, area_code=h.province_code
        ),
        "case": case_,
        "referral": referral,
        "office": office,
        "household": h,
        "month_figures": figures,
        "folder_photo": folder_photo,
        "plan": plan,
        "job": job,
        "report_job": report_job,
        "notification": notification,
        "mentor_team": team_of_mentors,
        "mentor_member": TeamMember.objects.create(
            team=team_of_mentors, name="นักศึกษา", kind="student"
        ),
        "batch": batch,
        "import": imp,
        "review_item": item,
        "handed_item": handed,
        "field_household": field,
        "duplicate_case": case,
        "person": person,
        "account": make_user("mentor", h.village_code),
        "outsiders": {
            "subdistrict": make_user("subdistrict", other.subdistrict_code),
            "mentor": make_user("mentor", other.village_code),
            "district": make_user("district", "3402"),
            "province": make_user("province", "35"),
            "agency": make_user("agency", h.district_code),
        },
    }


def _endpoints_with_parameters() -> set[str]:
    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, p.namespace or namespace)
            elif (
                isinstance(p, URLPattern)
                and namespace in PLATFORM
                and p.pattern.regex.groups
                and f"{namespace}:{p.name}" not in PUBLIC
            ):
                yield f"{namespace}:{p.name}"

    return set(walk(get_resolver().url_patterns))


def test_every_endpoint_with_an_id_is_swept(world):
    assert _endpoints_with_parameters() == set(sweep(world))


@pytest.mark.parametrize("role", ROLES)
def test_outside_the_area_is_404_and_nothing_changes(role, world, client, sign_in):
    sign_in(client, world["outsiders"][role])
    before = state()
    for name, requests in sweep(world).items():
        for method, url, data in requests:
            response = getattr(client, method)(url, data) if data is not None else client.get(url)
            allowed = {404} if method == "get" else {404, 405}
            assert response.status_code in allowed, (role, name, method, response.status_code)
    assert state() == before


def test_the_same_requests_are_not_all_refused_inside_the_area(world, client, sign_in, make_user):
    """The sweep's requests do reach their objects for the people whose area it is (a
    sweep of URLs that 404 for everybody would prove nothing)."""
    h = world["household"]
    sign_in(client, make_user("district", h.district_code))
    reached = {
        name
        for name, requests in sweep(world).items()
        for method, url, _data in requests
        if method == "get" and client.get(url).status_code == 200
    }
    assert {
        "accounts:detail",
        "accounts:deactivate",
        "accounts:reset_password",
        "households:area",
        "households:subdistrict",
        "households:village",
        "households:village_export",
        "households:folder",
        "verification:form",
        "verification:area",
        "verification:batch",
        "newhouseholds:detail",
        "newhouseholds:duplicate",
        "logbook:household",
        "logbook:photo",
        "plans:plan",
        "plans:area",
        "plans:area_xlsx",
        "plans:area_pdf",
        "escalation:detail",
        "escalation:case",
        "helpstats:area",
        "dashboards:overview_area",
        "evaluation:area",
        "maps:area",
        "maps:area_areas",
    } <= reached


def test_list_imports_are_reached_by_their_province(world, client, sign_in, make_user):
    sign_in(client, make_user("province", world["household"].province_code))
    for name in ("imports:detail", "imports:rejects_csv"):
        (_method, url, _data) = sweep(world)[name][0]
        assert client.get(url).status_code == 200, name


def test_a_job_is_reached_by_its_maker_alone(world, client, sign_in, make_user):
    job = world["job"]
    sign_in(client, job.started_by)
    for name in ("jobs:detail", "jobs:download"):
        (_method, url, _data) = sweep(world)[name][0]
        assert client.get(url).status_code == 200, name
    sign_in(client, make_user("province", job.area_code))  # same role, same area
    for name in ("jobs:detail", "jobs:download"):
        (_method, url, _data) = sweep(world)[name][0]
        assert client.get(url).status_code == 404, name


def test_a_report_is_downloaded_by_its_maker_alone(world, client, sign_in, make_user):
    job = world["report_job"]
    (_method, url, _data) = sweep(world)["reports:download"][0]
    sign_in(client, make_user("district", job.area_code))  # same role, same area
    before = state()
    assert client.get(url).status_code == 404
    assert state() == before
    sign_in(client, job.started_by)
    assert client.get(url).status_code == 200


def test_a_notification_is_opened_by_its_own_account_alone(world, client, sign_in, make_user):
    n = world["notification"]
    (_method, url, _data) = sweep(world)["notifications:open"][0]
    sign_in(client, make_user("province", n.user.area_code))  # same role, same area
    before = state()
    assert client.post(url).status_code == 404
    assert state() == before
    sign_in(client, n.user)
    assert client.post(url).status_code == 302
    n.refresh_from_db()
    assert n.read_at is not None


# ---------------------------------------------------------------- the policy table


@dataclass(frozen=True)
class Swept:
    """One (model, action) of the policy table: the object of `world` it is swept on, the
    roles whose account inside that object's area may take the action, and the endpoints
    (of `sweep`) that take it."""

    obj: str
    reach: frozenset[str]
    endpoints: tuple[str, ...] = ()


VIEWERS = frozenset({"national", "province", "district", "subdistrict", "mentor"})
IMPORTERS = frozenset({"national", "province"})

POLICY_SWEEP: dict[tuple[str, str], Swept] = {
    ("accounts.user", "manage"): Swept(
        "account",  # a mentor: created by the subdistrict team and the district
        frozenset({"subdistrict", "district"}),
        (
            "accounts:detail",
            "accounts:deactivate",
            "accounts:reactivate",
            "accounts:reset_password",
            "accounts:unlock",
        ),
    ),
    ("households.household", "view"): Swept(
        "household",
        VIEWERS,
        (
            "households:folder",
            "folders:folder",
            "folders:photo",
            "routing:household",
            "logbook:household",
            "logbook:photo",
        ),
    ),
    ("households.household", "export"): Swept(
        "household", VIEWERS, ("households:village_export", "folders:pdf")
    ),
    ("households.household", "verify"): Swept(
        "household", frozenset({"subdistrict"}), ("verification:form",)
    ),
    ("households.household", "view:field"): Swept(
        "field_household", VIEWERS, ("newhouseholds:detail",)
    ),
    # The district puts a household in a mentor team's care (mentoring).
    ("households.household", "assign"): Swept("household", frozenset({"district"})),
    # Only the mentors it is assigned to (a fresh account of no role reaches it):
    # mentoring/tests/test_policies.py sweeps the assigned mentor and every other account.
    # folders/tests/test_views.py and plans/tests: the mentors fill the folder and the plan,
    # area viewers get 404 there.
    ("households.household", "care"): Swept(
        "household",
        frozenset(),
        (
            "folders:edit",
            "folders:photos",
            "folders:photo_remove",
            "folders:location",
            "plans:household",
            "logbook:record",
            "logbook:correct",
        ),
    ),
    # An agency office serves the households with a referral it accepted (routing): the
    # sweep's agency account belongs to no office, so it reaches none;
    # routing/tests/test_views.py sweeps the office's own accounts.
    ("households.household", "serve"): Swept("household", frozenset()),
    # A case (routing): read by the area's viewers (and the household's team, and the
    # offices it is referred to), changed by the team and the district, re-owned and
    # closed by the district, referred at the province level by the province.
    ("routing.case", "view"): Swept("case", VIEWERS, ("routing:case",)),
    ("routing.case", "act"): Swept("case", frozenset({"district"})),
    ("routing.case", "route"): Swept("case", frozenset({"district"})),
    ("routing.case", "assign"): Swept("case", frozenset({"province"})),
    # A referral: the inbox of its office's own accounts alone.
    ("routing.referral", "view"): Swept("referral", frozenset()),
    ("routing.referral", "serve"): Swept("referral", frozenset()),
    ("mentoring.mentorteam", "view"): Swept(
        "mentor_team", VIEWERS, ("mentoring:team", "mentoring:order", "mentoring:order_pdf")
    ),
    ("mentoring.mentorteam", "appoint"): Swept(
        "mentor_team",
        frozenset({"district"}),
        (
            "mentoring:assign",
            "mentoring:handover",
            "mentoring:member_add",
            "mentoring:member_leave",
            "mentoring:end",
        ),
    ),
    # A household plan: read by the area's viewers, reviewed by the subdistrict team
    # (plans); written only by the household's mentors (`care` above).
    ("plans.plan", "view"): Swept("plan", VIEWERS, ("plans:plan",)),
    ("plans.plan", "review"): Swept("plan", frozenset({"subdistrict"})),
    # An escalated case (escalation): its area's viewers above the village read it; the
    # province assigns and returns it; the district escalates (case page's forms).
    ("escalation.escalation", "view"): Swept(
        "escalation", VIEWERS - {"mentor"}, ("escalation:detail", "escalation:case")
    ),
    ("escalation.escalation", "assign"): Swept("escalation", frozenset({"province"})),
    ("escalation.escalation", "return"): Swept("escalation", frozenset({"province"})),
    ("escalation.escalation", "escalate"): Swept("escalation", frozenset({"district"})),
    ("imports.listimport", "view"): Swept(
        "import", IMPORTERS, ("imports:detail", "imports:rejects_csv")
    ),
    # A row not handed down: its importers only (districts once it is handed to them).
    ("imports.reviewitem", "view"): Swept("review_item", IMPORTERS),
    ("imports.reviewitem", "decide"): Swept("review_item", IMPORTERS, ("imports:decide",)),
    # Handed down to the district: the district decides it too (not the subdistrict yet).
    ("imports.reviewitem", "view:handed"): Swept("handed_item", IMPORTERS | {"district"}),
    ("imports.reviewitem", "decide:handed"): Swept("handed_item", IMPORTERS | {"district"}),
    # A job is its maker's alone: no other account of any role (test_a_job_is_reached_…).
    ("jobs.job", "view"): Swept("job", frozenset(), ("jobs:detail",)),
    # A report's file is a job's file (reports:download checks the area again as well).
    ("jobs.job", "download"): Swept("job", frozenset(), ("jobs:download", "reports:download")),
    # A notification is its own account's alone (test_a_notification_is_opened_by_…).
    ("notifications.notification", "view"): Swept(
        "notification", frozenset(), ("notifications:open",)
    ),
    ("newhouseholds.duplicatecase", "view"): Swept(
        "duplicate_case", frozenset({"district"}), ("newhouseholds:duplicate",)
    ),
    ("newhouseholds.duplicatecase", "decide"): Swept(
        "duplicate_case", frozenset({"district"}), ("newhouseholds:duplicate",)
    ),
    # The monthly statistics (helpstats): the area's viewers read a line of their area and
    # may have it computed again; an agency account reads only its own office's lines
    # (helpstats/tests/test_policies.py), never an area's line.
    ("helpstats.monthfigures", "view"): Swept("month_figures", VIEWERS),
    ("helpstats.monthfigures", "compute"): Swept("month_figures", VIEWERS),
    # The monthly snapshots (snapshots): the area's viewers read the rows of their area (on
    # the dashboards, dashboards:overview_area) and may have them built again; a month is
    # closed by the area's own office only (the subdistrict for its subdistrict's row;
    # snapshots/tests/test_services.py sweeps the levels above). /snapshots/ takes no id.
    ("snapshots.areamonth", "view"): Swept("area_month", VIEWERS, ("dashboards:overview_area",)),
    ("snapshots.areamonth", "build"): Swept("area_month", VIEWERS),
    ("snapshots.areamonth", "close"): Swept("subdistrict_month", frozenset({"subdistrict"})),
    # The evaluation of help (evaluation): the area's viewers read its households' outcomes
    # as figures (computing one is national/province work, `policies.may_compute`).
    ("evaluation.outcome", "view"): Swept("outcome", VIEWERS),
    ("verification.batch", "view"): Swept("batch", VIEWERS, ("verification:batch",)),
    ("verification.batch", "resubmit"): Swept(
        "batch", frozenset({"subdistrict"}), ("verification:batch",)
    ),
    ("verification.batch", "certify"): Swept(
        "batch", frozenset({"district"}), ("verification:batch",)
    ),
    ("verification.batch", "return"): Swept(
        "batch", frozenset({"district"}), ("verification:batch",)
    ),
    ("verification.batch", "approve"): Swept(
        "batch", frozenset({"province"}), ("verification:batch",)
    ),
}
# Pages that take an area code, not a record's id: the URL sweep above covers them.
AREA_ENDPOINTS = {
    "households:area",
    "households:subdistrict",
    "households:village",
    "verification:area",
    "plans:area",
    "plans:area_xlsx",
    "plans:area_pdf",
    "helpstats:area",
    "evaluation:area",
    "maps:area",
    "maps:area_areas",
}
#: An account of each role whose area holds the world's objects (all in one village).
INSIDE = {
    "national": lambda h: "",
    "province": lambda h: h.province_code,
    "district": lambda h: h.district_code,
    "subdistrict": lambda h: h.subdistrict_code,
    "mentor": lambda h: h.village_code,
    "agency": lambda h: h.district_code,
}


def _model_action(key: tuple[str, str]) -> tuple[str, str]:
    """('households.household', 'view:field') → the policy's (model, action)."""
    label, action = key
    return label, action.split(":")[0]


def test_every_policy_action_is_swept():
    """A (model, action) added to a policy without a row here fails: it cannot ship unswept."""
    table = {(label, action) for label, action, _permission in access.table()}
    assert {_model_action(k) for k in POLICY_SWEEP} == table


def test_every_endpoint_with_an_id_is_mapped_to_a_policy_action(world):
    mapped = {name for row in POLICY_SWEEP.values() for name in row.endpoints}
    assert mapped | AREA_ENDPOINTS == set(sweep(world))
    assert not mapped & AREA_ENDPOINTS


def test_every_role_is_swept():
    assert set(INSIDE) == set(Role.values)
    assert set(ROLES) | {"national"} == set(Role.values)  # national: no area is outside it


@pytest.mark.parametrize("role", Role.values)
def test_the_policy_answers_each_role_inside_and_outside_the_area(
    role, world, make_user, client, sign_in
):
    """For each (model, action): scope, one and actors agree, and they name exactly the
    roles of the row when the account is inside the object's area, and nobody outside it.
    The row's endpoints answer (200) the accounts the policy lets in."""
    h = world["household"]
    inside = make_user(role, INSIDE[role](h))
    outside = world["outsiders"].get(role)
    audit_before = AuditEvent.objects.count()
    for key, row in POLICY_SWEEP.items():
        label, action = _model_action(key)
        obj = world[row.obj]
        reached = role in row.reach
        assert access.scope(inside, label, action).filter(pk=obj.pk).exists() == reached, key
        if reached:
            assert access.one(inside, label, action, obj.pk) == obj, key
            assert access.allows(inside, action, obj), key
        else:
            with pytest.raises(errors.NotFound) as refused:
                access.one(inside, label, action, obj.pk)
            assert refused.value.code == "access.not_found", key
        assert access.actors(obj, action).filter(pk=inside.pk).exists() == reached, key
        if outside is not None:
            assert not access.scope(outside, label, action).filter(pk=obj.pk).exists(), key
            with pytest.raises(errors.NotFound):
                access.one(outside, label, action, obj.pk)
            assert not access.actors(obj, action).filter(pk=outside.pk).exists(), key
    assert AuditEvent.objects.count() == audit_before  # asking the policy reads nothing

    sign_in(client, inside)
    requests = sweep(world)
    for key, row in POLICY_SWEEP.items():
        if role not in row.reach:
            continue
        for name in row.endpoints:
            for method, url, _data in requests[name]:
                if method == "get":
                    assert client.get(url).status_code == 200, (role, key, name)


# ---------------------------------------------------------------- national-ID lookups

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _far_away_person(registry) -> Member:
    """A registered target of another province (33): no account of the sweep covers it."""
    h = Household.objects.create(
        registry=registry,
        hh_id="SSK-00001",
        source="survey",
        status="active",
        province_code="33",
        district_code="3301",
        subdistrict_code="330101",
        village_no=4,
        village_code="33010104",
        house_no="9/9",
        n_members=1,
    )
    return Member.objects.create(
        household=h,
        member_no=1,
        pin=new_pin(),
        first_name="ทองดี",
        last_name="มีสุข",
        sex="F",
        age=60,
        relation="head",
    )


def _without(response, pin: str) -> tuple[int, str]:
    html = CSRF.sub("csrf", response.content.decode())
    for shown in (pin, format_pin(pin), mask_pin(pin)):
        html = html.replace(shown, "PIN")
    return response.status_code, html


@pytest.mark.parametrize("role", ROLES)
def test_a_pin_lookup_outside_the_area_discloses_nothing(role, world, registry, client, sign_in):
    """The registry search and form ศจพ.2 (preview and save), for a member of the world's
    household and for a person of another province: the same status and page for both,
    none of the household's details on it, and no household recorded."""
    user = world["outsiders"][role]
    sign_in(client, user)
    h, near = world["household"], world["person"]
    households = Household.objects.count()
    far = _far_away_person(registry)
    area = user.area_code if len(user.area_code) >= 6 else h.subdistrict_code
    secrets = (h.hh_id, near.first_name, near.last_name, "อำเภอเมืองอุบลราชธานี")

    def answers(pin: str) -> list[tuple[int, str]]:
        form = post_data(
            registry,
            [member(pin=pin, income_year="1000")],
            subdistrict_code=area[:6],
            house_no="1/1",
        )
        return [
            _without(client.get(reverse("households:search"), {"pin": pin}), pin),
            _without(client.post(reverse("newhouseholds:new"), {**form, "action": "preview"}), pin),
            _without(client.post(reverse("newhouseholds:new"), {**form, "action": "save"}), pin),
        ]

    seen = answers(near.pin)
    assert seen == answers(far.pin)
    for status, html in seen:
        assert status in {200, 403}
        assert not any(secret in html for secret in secrets), role
    if role == "subdistrict":  # the one role that records form ศจพ.2: it is told the check moved on
        assert all("ระบบได้ส่งเรื่องให้อำเภอที่ถือข้อมูลแล้ว" in html for _, html in seen[1:])
    assert Household.objects.count() == households + 1  # the far-away one made above
    for event in AuditEvent.objects.all():
        assert near.pin not in f"{event.summary} {event.object_id} {event.changes}"
