"""Reads of the reports app: the monthly report of an area (from the monthly snapshots
only, `snapshots.selectors`, never household rows), the account's requested reports, and
the other exports of the account's area that the reports page links to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cheepao.accounts import roles
from cheepao.geo.selectors import area_label
from cheepao.helpstats import months
from cheepao.jobs.models import Job
from cheepao.snapshots import selectors as snapshots
from cheepao.snapshots.models import AreaMonth

MONTHLY = "reports.monthly"

#: The report's columns in the letters' order (seed 002's targets: problems recorded,
#: helped, helped in every failing dimension; then acts, baht, cases), each a field of
#: `AreaMonth` or a rate of `snapshots.selectors.RATES`, with its Thai header. The report
#: is always written in Thai, as the letters are.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("targets", "ครัวเรือนเป้าหมาย (ครัวเรือน)"),
    ("verified", "ตรวจสอบแล้ว (ครัวเรือน)"),
    ("certified", "รับรองแล้ว (ครัวเรือน)"),
    ("with_plan", "มีแผนพัฒนาครัวเรือน (ครัวเรือน)"),
    ("recorded", "บันทึกสภาพปัญหาแล้ว (ครัวเรือน)"),
    ("recorded_pct", "ร้อยละที่บันทึกสภาพปัญหา"),
    ("helped", "ได้รับความช่วยเหลือ (ครัวเรือน)"),
    ("helped_pct", "ร้อยละที่ได้รับความช่วยเหลือ"),
    ("helped_fully", "ได้รับความช่วยเหลือครบทุกมิติที่ตกเกณฑ์ (ครัวเรือน)"),
    ("helped_fully_pct", "ร้อยละที่ได้รับความช่วยเหลือครบทุกมิติ"),
    ("acts", "การช่วยเหลือตั้งแต่ต้นปี (ครั้ง)"),
    ("acts_month", "การช่วยเหลือในเดือนนี้ (ครั้ง)"),
    ("helped_month", "ครัวเรือนที่ได้รับความช่วยเหลือครั้งแรกในเดือนนี้"),
    ("baht", "มูลค่า (บาท)"),
    ("problems", "ปัญหา (รายการ)"),
    ("problems_solved", "ปัญหาที่แก้ไขแล้ว (รายการ)"),
    ("referrals_overdue", "ส่งต่อเกินกำหนด"),
    ("escalated", "ส่งต่อจังหวัด"),
    ("evaluated", "ครัวเรือนปีก่อนที่สำรวจพบ"),
    ("escaped", "พ้นความยากจน (ครัวเรือน)"),
)
RATE_COLUMNS = {name for name, _ in COLUMNS if name in snapshots.RATE}
NO_DATA = "ไม่มีข้อมูล"
LEVEL_WORDS = {
    "country": "ประเทศ",
    "province": "จังหวัด",
    "district": "อำเภอ",
    "subdistrict": "ตำบล",
    "village": "หมู่บ้าน",
}
CLOSED = "ปิดยอดแล้ว"
PROVISIONAL = "ข้อมูลเบื้องต้น (ยังไม่ปิดยอด)"


def figure(row: AreaMonth, name: str) -> Any:
    """One cell of the report: a count as the snapshot holds it (baht as a number), a rate
    rounded to two places, or "no data" when its denominator is 0."""
    if name in RATE_COLUMNS:
        value = snapshots.rate(row, name)
        return NO_DATA if value is None else round(value, 2)
    value = getattr(row, name)
    return float(value) if name == "baht" else value


def status(row: AreaMonth) -> str:
    return CLOSED if row.closed else PROVISIONAL


@dataclass(frozen=True)
class Line:
    number: int | None  # the ranking number ("ที่"); None on the totals line
    code: str
    name: str
    row: AreaMonth
    figures: list[Any] = field(default_factory=list)

    @property
    def status(self) -> str:
        return status(self.row)

    @property
    def shown(self) -> list[str]:
        """The figures as the PDF prints them: counts grouped by thousands, baht with its
        satang, rates with two decimals."""
        from cheepao.config.thai import number

        out = []
        for (name, _header), value in zip(COLUMNS, self.figures, strict=True):
            if isinstance(value, str):
                out.append(value)
            elif name in RATE_COLUMNS:
                out.append(f"{value:.2f}")
            elif name == "baht":
                out.append(f"{value:,.2f}")
            else:
                out.append(number(value))
        return out


@dataclass(frozen=True)
class Monthly:
    code: str
    level: str
    month: date
    name: str
    row: AreaMonth
    lines: list[Line]
    total: Line
    child_level: str | None

    @property
    def title(self) -> str:
        return (
            f"รายงานผลการขจัดความยากจนและพัฒนาคนทุกช่วงวัย ประจำเดือน {months.label(self.month)}"
            f" ระดับ{LEVEL_WORDS[self.level]} {self.name}"
        )

    @property
    def child_word(self) -> str:
        return LEVEL_WORDS[self.child_level] if self.child_level else ""

    @property
    def status_line(self) -> str:
        from cheepao.core.thai import be_datetime

        if self.row.closed:
            who = self.row.closed_by_name or "-"
            return f"สถานะ: {CLOSED} โดย {who} เมื่อ {be_datetime(self.row.closed_at)}"
        return f"สถานะ: {PROVISIONAL} · ข้อมูล ณ {be_datetime(self.row.built_at)}"

    @property
    def headers(self) -> list[str]:
        return ["ที่", self.child_word or LEVEL_WORDS[self.level], *(h for _, h in COLUMNS), "สถานะ"]


def monthly(user: Any, code: str, month: date) -> Monthly | None:
    """The monthly report of area `code` for `month` as `user` may read it: the area's row
    (the totals), one line per area one level under it by code, all from `AreaMonth`;
    None when the account may not read the area or the month has no snapshot."""
    row = snapshots.area_row(user, code, month)
    if row is None:
        return None
    level = snapshots.level_of(code)
    with translation.override("th"):
        name = area_label(code)
        lines = [
            Line(n, r.area_code, area_label(r.area_code), r, [figure(r, f) for f, _ in COLUMNS])
            for n, r in enumerate(snapshots.children(user, code, month), start=1)
        ]
    total = Line(None, code, "รวม", row, [figure(row, f) for f, _ in COLUMNS])
    return Monthly(
        code=code,
        level=level,
        month=month,
        name=name,
        row=row,
        lines=lines,
        total=total,
        child_level=snapshots.CHILD_LEVEL.get(level),
    )


def made_line(user: Any, when: datetime) -> str:
    """The footer every report carries: who made it and when (BE, local time)."""
    from cheepao.core.thai import be_datetime

    with translation.override("th"):
        return f"จัดทำโดย {full_name(user)} เมื่อ {be_datetime(when)}"


def full_name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else "-"


def reports_of(user: Any) -> QuerySet[Job]:
    """The reports the account requested, newest first (its own jobs of the report kinds)."""
    return Job.objects.filter(started_by=user, kind=MONTHLY).order_by("-created_at")


def month_choices(user: Any) -> list[tuple[str, str]]:
    return [(months.code(m), months.label(m)) for m in snapshots.months(user)]


def area_choices(user: Any, month: date | None) -> list[tuple[str, str]]:
    """The account's own area and the areas one level under it that have a row in `month`."""
    if month is None:
        return []
    own = user.area_code or ""
    if snapshots.area_row(user, own, month) is None:
        return []
    out = [(own, area_label(own))]
    out += [(r.area_code, area_label(r.area_code)) for r in snapshots.children(user, own, month)]
    return out


@dataclass(frozen=True)
class Export:
    label: Any
    url: str
    note: Any = ""


def other_exports(user: Any) -> list[Export]:
    """The other exports of the account's area (each names its maker and time and is
    audited by its own app): the village register as form ศจพ.1, the family folder PDF
    (on each household's folder page), the area's development plan from the household
    plans (XLSX, PDF), and the monthly statistics of help per agency (XLSX)."""
    code = user.area_code or ""
    out: list[Export] = []
    sees = user.can(roles.VIEW_HOUSEHOLDS)
    if sees and len(code) == 8:
        out.append(
            Export(
                _("Village register (form ศจพ.1), XLSX"),
                reverse("households:village_export", args=[code]),
            )
        )
    elif sees:
        if not code:
            where = reverse("households:home")
        elif len(code) == 6:
            where = reverse("households:subdistrict", args=[code])
        else:
            where = reverse("households:area", args=[code])
        out.append(
            Export(
                _("Village register (form ศจพ.1), XLSX"),
                where,
                _("one file per village, on each village's page"),
            )
        )
    if sees:
        out.append(
            Export(
                _("Family folder, PDF"),
                reverse("households:search"),
                _("on each household's folder page"),
            )
        )
    if sees and len(code) in (6, 8):
        out.append(
            Export(_("Development plan of the area, XLSX"), reverse("plans:area_xlsx", args=[code]))
        )
        out.append(
            Export(_("Development plan of the area, PDF"), reverse("plans:area_pdf", args=[code]))
        )
    if user.can(roles.VIEW_HOUSEHOLDS) or user.can(roles.SERVE):
        out.append(
            Export(
                _("Monthly statistics of help per agency, XLSX"),
                reverse("helpstats:month") + "?format=xlsx",
            )
        )
    return out
