"""The monthly report: requested through one verb, made by a background job (the immediate
backend in tests), its XLSX cells equal to the snapshot rows, its PDF in Thai, every
refusal before anything is written, its download checked and audited."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
import pytest

from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.core.errors import Invalid, NotFound
from cheepao.geo.models import Province
from cheepao.jobs.models import Job
from cheepao.reports import exports, selectors, services
from cheepao.reports.tests.conftest import DISTRICT, MONTH, MONTH_CODE, snapshot
from cheepao.snapshots.models import AreaMonth

pytestmark = pytest.mark.django_db

FIELDS = [name for name, _ in selectors.COLUMNS]
RATES = {
    "recorded_pct": ("recorded", "targets"),
    "helped_pct": ("helped", "targets"),
    "helped_fully_pct": ("helped_fully", "targets"),
}


def expected(row: AreaMonth) -> list:
    """A row's figures as the report must show them, computed here from the row itself."""
    out = []
    for name in FIELDS:
        if name in RATES:
            num, den = (getattr(row, f) for f in RATES[name])
            out.append(round(100 * num / den, 2) if den else "ไม่มีข้อมูล")
        elif name == "baht":
            out.append(float(row.baht))
        else:
            out.append(getattr(row, name))
    return out


def workbook(job: Job):
    with job.result_file.open("rb") as f:
        return openpyxl.load_workbook(io.BytesIO(f.read())).active


def test_the_district_report_xlsx_equals_the_snapshot_rows(snapshots, make_user):
    s = snapshots
    user = make_user("district", DISTRICT, first_name="สมชาย", last_name="รายงาน")
    job = services.report_request(
        ctx=Context.cli(user), kind="monthly", area_code=DISTRICT, month=MONTH_CODE, fmt="xlsx"
    )
    job.refresh_from_db()
    assert (job.kind, job.state, job.result_name) == (
        "reports.monthly",
        "done",
        f"cheepao_report_{DISTRICT}_{MONTH_CODE}.xlsx",
    )
    assert job.result == {"area": DISTRICT, "month": MONTH_CODE, "lines": 3}
    ws = workbook(job)
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0][0].startswith("รายงานผลการขจัดความยากจนและพัฒนาคนทุกช่วงวัย ประจำเดือน พ.ย. 2569")
    assert rows[0][0].endswith("ระดับอำเภอ " + selectors.area_label(DISTRICT))
    assert rows[1][0].startswith("สถานะ: ปิดยอดแล้ว โดย สมหญิง ปิดยอด เมื่อ ")
    header = rows[exports.HEADER_ROW]
    assert header[:2] == ["ที่", "ตำบล"] and header[-1] == "สถานะ"
    assert header[2:-1] == [h for _, h in selectors.COLUMNS]
    n = len(FIELDS)
    lines = rows[exports.HEADER_ROW + 1 : exports.HEADER_ROW + 4]
    for number, (line, row) in enumerate(zip(lines, s["subdistricts"], strict=True), start=1):
        assert line[0] == number
        assert line[1] == selectors.area_label(row.area_code)
        assert line[2 : 2 + n] == expected(row)
        assert line[2 + n] == "ข้อมูลเบื้องต้น (ยังไม่ปิดยอด)"
    # The third subdistrict has no targets: its rates are "no data", never 0 %.
    assert lines[2][2 + FIELDS.index("helped_pct")] == "ไม่มีข้อมูล"
    total = rows[exports.HEADER_ROW + 4]
    assert total[1] == "รวม" and total[2 : 2 + n] == expected(s["district"])
    assert total[2 + n] == "ปิดยอดแล้ว"
    assert total[2 + FIELDS.index("baht")] == 7503.0
    footer = rows[exports.HEADER_ROW + 6][0]
    assert re.fullmatch(r"จัดทำโดย สมชาย รายงาน เมื่อ \d+ \S+ 25\d\d เวลา \d\d:\d\d น\.", footer)
    assert len(rows) == exports.HEADER_ROW + 7  # nothing of another district


def test_a_formula_in_an_area_or_a_person_name_stays_text(snapshots, make_user):
    evil = '=HYPERLINK("http://evil.example","คลิก")'
    Province.objects.filter(code="10").update(name_th=evil)
    snapshot("10", "province", 2)
    snapshot("", "country", 40)
    national = make_user("national", "", first_name=evil, last_name="")
    job = services.report_request(
        ctx=Context.cli(national), kind="monthly", area_code="", month=MONTH, fmt="xlsx"
    )
    job.refresh_from_db()
    assert job.state == "done"
    ws = workbook(job)
    bangkok = ws.cell(row=exports.HEADER_ROW + 2, column=2)
    assert (bangkok.value, bangkok.data_type) == (evil, "s")
    assert ws.cell(row=exports.HEADER_ROW + 3, column=2).value == "จังหวัดอุบลราชธานี"
    footer = ws.cell(row=exports.HEADER_ROW + 6, column=1)
    assert footer.data_type == "s" and footer.value.startswith(f"จัดทำโดย {evil} เมื่อ ")
    assert not any(c.data_type == "f" for r in ws.iter_rows() for c in r)


def test_the_pdf_is_a4_landscape_in_a_thai_font_with_its_title(snapshots, make_user):
    user = make_user("district", DISTRICT, first_name="สมชาย", last_name="รายงาน")
    job = services.report_request(
        ctx=Context.cli(user), kind="monthly", area_code=DISTRICT, month=MONTH_CODE, fmt="pdf"
    )
    job.refresh_from_db()
    assert job.state == "done" and job.result_name.endswith(".pdf")
    with job.result_file.open("rb") as f:
        assert f.read(5) == b"%PDF-"
    report = selectors.monthly(user, DISTRICT, MONTH)
    from django.utils import timezone

    raw = exports.monthly_pdf(report, user=user, when=timezone.now(), uncompressed=True)
    assert re.search(rb"/BaseFont /[A-Z]{6}\+(Garuda|Loma)", raw)
    # A4 landscape: 842 x 595 points.
    assert re.search(rb"/MediaBox \[\s*0 0 841\.8\d* 595\.\d+", raw)
    # The title is the document's title (UTF-16 in the PDF's information dictionary).
    title = report.title.encode("utf-16-be").hex().upper().encode()
    assert title in raw.upper() or report.title.encode("utf-16-be") in raw


def test_refusals_write_nothing(snapshots, make_user):
    user = make_user("district", DISTRICT)
    other = make_user("district", "3402")
    mentor = make_user("agency", DISTRICT)
    jobs, events = Job.objects.count(), AuditEvent.objects.count()
    cases = [
        (user, dict(kind="annual", area_code=DISTRICT, month=MONTH_CODE, fmt="xlsx"), Invalid),
        (user, dict(kind="monthly", area_code=DISTRICT, month=MONTH_CODE, fmt="csv"), Invalid),
        (user, dict(kind="monthly", area_code=DISTRICT, month="11-2569", fmt="xlsx"), Invalid),
        # Another district's report, an area above the account's, a month without rows,
        # an account that reads no households: the same NotFound as a missing area.
        (other, dict(kind="monthly", area_code=DISTRICT, month=MONTH_CODE, fmt="xlsx"), NotFound),
        (user, dict(kind="monthly", area_code="34", month=MONTH_CODE, fmt="xlsx"), NotFound),
        (user, dict(kind="monthly", area_code=DISTRICT, month="2569-10", fmt="xlsx"), NotFound),
        (mentor, dict(kind="monthly", area_code=DISTRICT, month=MONTH_CODE, fmt="xlsx"), NotFound),
        (user, dict(kind="monthly", area_code="34x", month=MONTH_CODE, fmt="xlsx"), NotFound),
    ]
    for actor, kwargs, error in cases:
        with pytest.raises(error):
            services.report_request(ctx=Context.cli(actor), **kwargs)
    assert (Job.objects.count(), AuditEvent.objects.count()) == (jobs, events)


def test_request_and_download_are_audited_and_checked_again(snapshots, make_user):
    user = make_user("district", DISTRICT)
    job = services.report_request(
        ctx=Context.cli(user), kind="monthly", area_code=DISTRICT, month=MONTH_CODE, fmt="xlsx"
    )

    def rows():
        return AuditEvent.objects.filter(object_type="reports.monthly").order_by("id")

    assert [(e.action, e.object_id, e.area_code) for e in rows()] == [
        ("create", f"{DISTRICT}:{MONTH_CODE}", DISTRICT),
        ("export", f"{DISTRICT}:{MONTH_CODE}", DISTRICT),
    ]
    assert rows()[1].changes["job"] == str(job.pk)
    got = services.report_download(ctx=Context.cli(user), job_id=job.pk)
    assert got.pk == job.pk
    assert rows().count() == 3 and rows().last().changes == {"job": str(job.pk), "download": True}
    # Anyone else, even of the same area: the same 404, nothing recorded.
    for stranger in (make_user("district", DISTRICT), make_user("national", "")):
        with pytest.raises(NotFound):
            services.report_download(ctx=Context.cli(stranger), job_id=job.pk)
    # The maker moved to another district: the policy answers 404 for the old one.
    user.area_code = "3402"
    user.save(update_fields=["area_code"])
    with pytest.raises(NotFound):
        services.report_download(ctx=Context.cli(user), job_id=job.pk)
    assert rows().count() == 3


def test_the_province_report_lists_its_districts_by_code(snapshots, make_user):
    user = make_user("province", "34")
    AreaMonth.objects.filter(area_code="34").update(baht=Decimal("1.00"))
    job = services.report_request(
        ctx=Context.cli(user), kind="monthly", area_code="34", month=MONTH_CODE, fmt="xlsx"
    )
    job.refresh_from_db()
    assert job.state == "done"
    ws = workbook(job)
    # The province's districts in this month: 3401 and 3402 (each its own row), then the total.
    names = [ws.cell(row=exports.HEADER_ROW + 2 + i, column=2).value for i in range(3)]
    assert names == [selectors.area_label("3401"), selectors.area_label("3402"), "รวม"]
    assert ws.cell(row=exports.HEADER_ROW + 4, column=2 + 1 + FIELDS.index("baht")).value == 1.0
