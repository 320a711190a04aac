"""The monthly snapshots' writes (ADR 0031): a month built, a month closed.

`month_build` computes the village rows of a month inside an area with grouped queries by
village code (never a loop over households) and then sums every level above from the
stored rows under it. The Logbook's year-to-date figures come from the monthly statistics
of help (`helpstats.services.month_compute`, computed for the same month and area first),
so the two never disagree; the registry's figures (targets, verification, plans, problems),
the year's baht and escalations and the evaluation are counted here. A closed row is never
touched: villages of a closed area are skipped, and an area above a closed one is the sum
of its children's stored rows, closed or fresh.

`month_close` is the bottom-up data approval: a subdistrict closes its month (built fresh
first; its row and its villages' rows are frozen), then its district once every
subdistrict under it is closed (summed again from them), then the province, then the
country.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_noop

from cheepao.audit.models import AuditEvent
from cheepao.audit.services import audit_record
from cheepao.audit.summaries import area as area_name
from cheepao.audit.summaries import say
from cheepao.core import errors as core_errors
from cheepao.core.bulk import insert_rows
from cheepao.core.context import Context
from cheepao.escalation.models import Escalation
from cheepao.evaluation.models import TARGET, Evaluation, Outcome
from cheepao.helpstats import months
from cheepao.helpstats import services as helpstats
from cheepao.helpstats.models import MonthFigures
from cheepao.helpstats.targets import catalogue
from cheepao.households.models import Household, Problem
from cheepao.households.selectors.register import registry_latest
from cheepao.logbook.models import Entry
from cheepao.plans.models import Plan
from cheepao.snapshots import errors, policies
from cheepao.snapshots.models import COUNTS, LEVELS, AreaMonth
from cheepao.verification.models import Verification

LENGTH = {"country": 0, "province": 2, "district": 4, "subdistrict": 6, "village": 8}
LEVEL_OF = {n: level for level, n in LENGTH.items()}
CLOSING = ("country", "province", "district", "subdistrict")
SENT = (
    Verification.State.SUBMITTED,
    Verification.State.CERTIFIED,
    Verification.State.APPROVED,
)
CERTIFIED = (Verification.State.CERTIFIED, Verification.State.APPROVED)
# From the monthly statistics' village lines: {snapshot figure: statistics figure}.
FROM_HELPSTATS = {
    "recorded": "recorded_to_date",
    "helped": "helped_to_date",
    "helped_fully": "helped_fully_to_date",
    "acts": "acts_to_date",
    "referrals_overdue": "referrals_overdue",
}


def _month(month: date | str) -> date:
    if isinstance(month, str):
        parsed = months.parse(month)
        if parsed is None:
            raise core_errors.Invalid(errors.BAD_MONTH)
        month = parsed
    return months.first_of(month)


def _area(area: str) -> str:
    area = (area or "").strip()
    if area and (not area.isdigit() or len(area) not in LEVEL_OF):
        raise core_errors.Invalid(errors.BAD_AREA)
    return area


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


def previous_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def _by_village(qs: QuerySet, field: str = "village_code", **aggregates: Any) -> dict:
    """{village code: {name: value}} of one grouped query."""
    rows = qs.order_by().values(v=F(field)).annotate(**aggregates)
    return {r["v"]: r for r in rows}


def _village_figures(month: date, area: str, registry: Any) -> dict[str, dict[str, Any]]:
    """{village code: figures} of every village with target households inside `area`."""
    start, end = catalogue().year_start(month), months.next_month(month)
    households = Household.objects.filter(registry=registry, status=Household.Status.ACTIVE)
    if area:
        households = households.filter(village_code__startswith=area)
    targets = _by_village(households, n=Count("pk"))
    if not targets:
        return {}
    hh = {
        "household__registry": registry,
        "household__status": Household.Status.ACTIVE,
        "household__village_code__startswith": area,
    }
    checked = _by_village(
        Verification.objects.filter(**hh),
        "household__village_code",
        verified=Count("pk", filter=Q(state__in=SENT)),
        certified=Count("pk", filter=Q(state__in=CERTIFIED)),
    )
    planned = _by_village(
        Plan.objects.filter(status=Plan.Status.APPROVED, **hh),
        "household__village_code",
        n=Count("household", distinct=True),
    )
    problems = _by_village(
        Problem.objects.filter(status__in=[Problem.Status.OPEN, Problem.Status.SOLVED], **hh),
        "household__village_code",
        n=Count("pk"),
        solved=Count("pk", filter=Q(status=Problem.Status.SOLVED)),
    )
    helps = Entry.objects.counting().filter(
        part=Entry.Part.HELP, village_code__startswith=area, occurred_on__lt=end
    )
    baht = _by_village(helps.filter(occurred_on__gte=start), baht=Sum("value"))
    before = _by_village(
        helps.filter(occurred_on__gte=start, occurred_on__lt=month),
        n=Count("pk"),
        hh=Count("household", distinct=True),
    )
    escalated = _by_village(
        Escalation.objects.filter(
            village_code__startswith=area,
            escalated_at__gte=_aware(start),
            escalated_at__lt=_aware(end),
        ),
        n=Count("pk"),
    )
    evaluation = (
        Evaluation.objects.filter(after_year=registry.survey_year)
        .order_by("-before_year", "-computed_at")
        .first()
    )
    outcomes = {}
    if evaluation is not None:
        outcomes = _by_village(
            Outcome.objects.filter(
                evaluation=evaluation, subject=TARGET, village_code__startswith=area
            ),
            found=Count("pk", filter=~Q(status=Outcome.Status.LEFT)),
            escaped=Count("pk", filter=Q(status=Outcome.Status.ESCAPED)),
        )
    lines = {
        r["area_code"]: r
        for r in MonthFigures.objects.filter(
            month=month, level="village", body__isnull=True, area_code__startswith=area
        ).values("area_code", *FROM_HELPSTATS.values())
    }
    # The month before, as stored (a late entry of a closed month lands in this one); a
    # village without a stored row is counted from the Logbook to this month's start.
    same_year = catalogue().year_start(previous_month(month)) == start
    stored = {}
    if same_year:
        stored = {
            r["area_code"]: r
            for r in AreaMonth.objects.filter(
                month=previous_month(month), level="village", area_code__startswith=area
            ).values("area_code", "acts", "helped")
        }
    out = {}
    for village, t in targets.items():
        line = lines.get(village, {})
        f = {name: line.get(source) or 0 for name, source in FROM_HELPSTATS.items()}
        f["targets"] = t["n"]
        f["verified"] = checked.get(village, {}).get("verified", 0)
        f["certified"] = checked.get(village, {}).get("certified", 0)
        f["with_plan"] = planned.get(village, {}).get("n", 0)
        f["problems"] = problems.get(village, {}).get("n", 0)
        f["problems_solved"] = problems.get(village, {}).get("solved", 0)
        f["baht"] = Decimal(baht.get(village, {}).get("baht") or 0)
        f["escalated"] = escalated.get(village, {}).get("n", 0)
        f["evaluated"] = outcomes.get(village, {}).get("found", 0)
        f["escaped"] = outcomes.get(village, {}).get("escaped", 0)
        if not same_year:
            prev_acts = prev_helped = 0
        elif village in stored:
            prev_acts, prev_helped = stored[village]["acts"], stored[village]["helped"]
        else:
            prev_acts = before.get(village, {}).get("n", 0)
            prev_helped = before.get(village, {}).get("hh", 0)
        f["acts_month"] = f["acts"] - prev_acts
        f["helped_month"] = f["helped"] - prev_helped
        out[village] = f
    return out


def _closed(month: date) -> set[str]:
    return set(
        AreaMonth.objects.filter(month=month, closed_at__isnull=False).values_list(
            "area_code", flat=True
        )
    )


def _inside_closed(code: str, closed: set[str]) -> bool:
    return any(code[:n] in closed for n in (0, 2, 4, 6, 8) if n <= len(code))


SUMS = {name: Sum(name) for name in (*COUNTS, "baht")}


def _sum_rows(month: date, code_length: int, within: str, now: datetime) -> list[dict]:
    """The rows of the areas of `code_length` starting with `within`, each the sum of its
    children's stored rows (one grouped query)."""
    child = LEVELS[LEVELS.index(LEVEL_OF[code_length]) + 1]
    qs = AreaMonth.objects.filter(month=month, level=child, area_code__startswith=within)
    if code_length:
        grouped = (
            qs.order_by()
            .annotate(parent=Substr("area_code", 1, code_length))
            .values("parent")
            .annotate(year=Max("survey_year"), **SUMS)
        )
    else:
        found = qs.aggregate(year=Max("survey_year"), **SUMS)
        grouped = [{"parent": "", **found}] if found["targets"] is not None else []
    return [
        {
            "level": LEVEL_OF[code_length],
            "area_code": r["parent"],
            "survey_year": r["year"],
            **{name: r[name] or 0 for name in (*COUNTS, "baht")},
        }
        for r in grouped
    ]


COLUMNS = (
    "month", "level", "area_code", "survey_year", *COUNTS, "baht", "built_at", "closed_by_name"
)  # fmt: skip


def _insert(month: date, now: datetime, rows: list[dict]) -> int:
    """Write fresh (open) rows of `month` as plain tuples (`core.bulk.insert_rows`: COPY on
    PostgreSQL), not model instances: preparing an instance per row cost more than the
    counting itself."""
    return insert_rows(
        AreaMonth,
        COLUMNS,
        (
            (
                month,
                r["level"],
                r["area_code"],
                r["survey_year"],
                *(int(r[name]) for name in COUNTS),
                Decimal(r["baht"]).quantize(Decimal("0.01")),
                now,
                "",
            )
            for r in rows
        ),
    )


def _build(ctx: Context, month: date, area: str) -> int:
    """The work of `month_build`, inside the caller's transaction."""
    now = timezone.now()
    helpstats.month_compute(ctx=ctx, month=month, area=area)
    registry = registry_latest()
    closed = _closed(month)
    villages = {} if registry is None else _village_figures(month, area, registry)
    AreaMonth.objects.filter(
        month=month, area_code__startswith=area, closed_at__isnull=True
    ).delete()
    rows = [
        {"level": "village", "area_code": code, "survey_year": registry.survey_year, **figures}
        for code, figures in sorted(villages.items())
        if not _inside_closed(code, closed)
    ]
    written = _insert(month, now, rows)
    # Every level above, nearest first: those under `area` by one grouped query each, the
    # areas above `area` one by one; a closed area keeps its row.
    for n in (6, 4, 2, 0):
        if n >= len(area):
            fresh = [r for r in _sum_rows(month, n, area, now) if r["area_code"] not in closed]
        else:
            code = area[:n]
            if code in closed:
                continue
            AreaMonth.objects.filter(month=month, area_code=code).delete()
            fresh = _sum_rows(month, n, code, now)
            fresh = [r for r in fresh if r["area_code"] == code]
        written += _insert(month, now, fresh)
    return written


def month_build(*, ctx: Context, month: date | str, area: str = "") -> int:
    """Build the snapshot of `month` (a date or BE 'YYYY-MM') for `area` ('' = the country)
    and everything under it; the areas above are summed again from their children's rows.
    Closed rows are never touched. Returns the number of rows written. Refused for an
    account that may not build the area's snapshots (nothing is written then)."""
    month, area = _month(month), _area(area)
    actor = ctx.user
    if actor is not None and not policies.may(actor, "build", area):
        raise core_errors.NotFound(core_errors.NOT_FOUND)
    with transaction.atomic():
        written = _build(ctx, month, area)
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            object_type="snapshots.month",
            object_id=months.code(month),
            area_code=area,
            summary=say(
                gettext_noop("monthly snapshot of %(month)s built for %(area)s: %(n)s rows"),
                month=months.code(month),
                area=area_name(area),
                n=written,
            ),
            changes={"month": months.code(month), "area": area, "rows": written},
        )
    return written


def children_open(month: date, area_code: str) -> list[str]:
    """The codes of the areas one level under `area_code` whose row of `month` is open."""
    level = LEVEL_OF[len(area_code)]
    if level == "village":
        return []
    child = LEVELS[LEVELS.index(level) + 1]
    return list(
        AreaMonth.objects.filter(
            month=month, level=child, area_code__startswith=area_code, closed_at__isnull=True
        )
        .order_by("area_code")
        .values_list("area_code", flat=True)
    )


def month_close(*, ctx: Context, month: date | str, area_code: str) -> AreaMonth:
    """Close the month of `area_code` (its own office's account): a subdistrict's row is
    built fresh and frozen with its villages' rows; a district's, province's or the
    country's is summed again from its closed children and frozen. Refused, with nothing
    changed: not the area's office, the month not ended, no row built, already closed, an
    area under it still open, a village (it closes with its subdistrict)."""
    month, area_code = _month(month), _area(area_code)
    actor = ctx.user
    if actor is None or not policies.may(actor, "view", area_code):
        raise core_errors.NotFound(core_errors.NOT_FOUND)
    level = LEVEL_OF[len(area_code)]
    if level not in CLOSING:
        raise core_errors.Refused(errors.LEVEL_ORDER)
    if not policies.may(actor, "close", area_code):
        raise core_errors.Refused(errors.NOT_PERMITTED)
    if months.next_month(month) > timezone.localdate():
        raise core_errors.Refused(errors.MONTH_NOT_ENDED)
    row = AreaMonth.objects.filter(month=month, area_code=area_code).first()
    if row is None:
        raise core_errors.Refused(errors.NOT_BUILT)
    if row.closed:
        raise core_errors.Refused(errors.ALREADY_CLOSED)
    still_open = children_open(month, area_code) if level != "subdistrict" else []
    if still_open:
        from cheepao.geo.selectors import area_label

        raise core_errors.Refused(
            errors.CHILDREN_OPEN, areas=", ".join(str(area_label(c)) for c in still_open)
        )
    now = timezone.now()
    name = actor.get_full_name() or actor.username
    with transaction.atomic():
        if level == "subdistrict":
            _build(ctx, month, area_code)
            frozen = AreaMonth.objects.filter(
                month=month, area_code__startswith=area_code, closed_at__isnull=True
            )
        else:
            fresh = [
                r for r in _sum_rows(month, len(area_code), area_code, now)
                if r["area_code"] == area_code
            ]  # fmt: skip
            if fresh:
                AreaMonth.objects.filter(month=month, area_code=area_code).delete()
                _insert(month, now, fresh)
            frozen = AreaMonth.objects.filter(month=month, area_code=area_code)
        n = frozen.update(closed_at=now, closed_by=actor, closed_by_name=name)
        row = AreaMonth.objects.get(month=month, area_code=area_code)
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            object_type="snapshots.month",
            object_id=months.code(month),
            area_code=area_code,
            summary=say(
                gettext_noop("month %(month)s closed for %(area)s (%(n)s rows frozen)"),
                month=months.code(month),
                area=area_name(area_code),
                n=n,
            ),
            changes={"month": months.code(month), "area": area_code, "closed": n},
        )
    return row
