"""The monthly statistics' one write: a month's rows computed again (ADR 0030).

`month_compute` counts in the database, one grouped query per figure (never a loop over
households), from the Logbook's entries that count, the routing tables (cases, referrals)
and the escalation table, by village and by (village, agency office); the areas above are
sums of their villages. The rows of the month inside the area asked for are replaced whole
in one transaction, and the areas above it are summed again from their children's rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum
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
from cheepao.helpstats import errors, months, policies
from cheepao.helpstats.models import COUNTS, LEVELS, MonthFigures
from cheepao.helpstats.targets import catalogue
from cheepao.households.models import Household, Problem
from cheepao.households.selectors.register import registry_latest
from cheepao.logbook.models import Entry
from cheepao.routing.models import Case, Referral

LENGTH = {"country": 0, "province": 2, "district": 4, "subdistrict": 6, "village": 8}
LEVEL_OF = {n: level for level, n in LENGTH.items()}
FIGURES = (*COUNTS, "baht")
Key = tuple[str, int | None]  # (area code, body id or None for the area's line)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


def _in_area(qs: QuerySet, area: str, field: str = "village_code") -> QuerySet:
    return qs.filter(**{f"{field}__startswith": area}) if area else qs


class _Lines:
    """The figures of each (village, body) as the grouped queries give them."""

    def __init__(self) -> None:
        self.rows: dict[Key, dict[str, Any]] = {}

    def add(self, rows: Iterable[dict[str, Any]], body: str | None, **names: str) -> None:
        """`rows` of a grouped query (village_code, the body column when `body`, and the
        query's columns); `names` = {figure: column}."""
        for r in rows:
            key = (r["village_code"], r[body] if body else None)
            if body and key[1] is None:
                continue
            line = self.rows.setdefault(key, {})
            for figure, column in names.items():
                line[figure] = line.get(figure, 0) + (r[column] or 0)


def _grouped(qs: QuerySet, body: str | None, **aggregates: Any) -> QuerySet:
    cols = ["village_code", body] if body else ["village_code"]
    return qs.order_by().values(*cols).annotate(**aggregates)


def _distinct_households(parts: list[QuerySet], body: str | None) -> list[dict[str, Any]]:
    """Households per village (and body) over the union of `parts`, each a queryset of
    (village_code, household_id[, body id]) rows: one query, counted in the database."""
    sqls, params = [], []
    for qs in parts:
        sql, p = qs.order_by().query.sql_with_params()
        sqls.append(sql)
        params.extend(p)
    group = "village_code, agency_id" if body else "village_code"
    sql = f"SELECT {group}, COUNT(*) FROM ({' UNION '.join(sqls)}) AS recorded GROUP BY {group}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    if body:
        return [{"village_code": v, body: b, "n": n} for v, b, n in found]
    return [{"village_code": v, "n": n} for v, n in found]


def _fully_helped(helps: QuerySet, body: str | None) -> list[dict[str, Any]]:
    """Households per village (and office) helped in every dimension they fail: they have
    a registry problem (open or solved), and the dimensions of their help of the year that
    match one of those problems are as many as the problems' dimensions. Joins and
    grouped counts in the database (hash joins), no correlated subquery per entry."""
    extra = ["agency_id"] if body else []
    help_sql, help_params = (
        helps.filter(**({"agency__isnull": False} if body else {}))
        .order_by()
        .values_list("village_code", "household_id", "dimension", *extra)
        .query.sql_with_params()
    )
    problems = Problem._meta.db_table
    office = ", h.agency_id" if body else ""
    group = ", c.agency_id" if body else ""
    # Subqueries, not CTEs: each is read once and planned with its table's statistics.
    sql = f"""
        SELECT c.village_code{group}, COUNT(*)
        FROM (
            SELECT h.village_code, h.household_id{office}, COUNT(DISTINCT h.dimension) AS n
            FROM ({help_sql}) AS h
            JOIN {problems} AS p
              ON p.household_id = h.household_id AND p.dimension = h.dimension
             AND p.status IN (%s, %s)
            GROUP BY h.village_code, h.household_id{office}
        ) AS c
        JOIN (
            SELECT household_id, COUNT(DISTINCT dimension) AS n
            FROM {problems} WHERE status IN (%s, %s) GROUP BY household_id
        ) AS f ON f.household_id = c.household_id AND f.n = c.n
        GROUP BY c.village_code{group}
    """
    statuses = [Problem.Status.OPEN, Problem.Status.SOLVED]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*help_params, *statuses, *statuses])
        found = cursor.fetchall()
    if body:
        return [{"village_code": v, body: b, "hh": n} for v, b, n in found]
    return [{"village_code": v, "hh": n} for v, n in found]


def _village_lines(month: date, area: str, now: datetime) -> dict[Key, dict[str, Any]]:
    cat = catalogue()
    start, end = cat.year_start(month), months.next_month(month)
    month_from, month_to, year_from = _aware(month), _aware(end), _aware(start)
    as_of = min(now, month_to)
    lines = _Lines()
    entries = _in_area(Entry.objects.counting(), area)
    helps = entries.filter(part=Entry.Part.HELP)
    in_month = helps.filter(occurred_on__gte=month, occurred_on__lt=end)
    in_year = helps.filter(occurred_on__gte=start, occurred_on__lt=end)
    cases = _in_area(Case.objects.all(), area)
    # The year's household figures are shares of the latest registry's households: help and
    # problems of a household of an earlier registry year are not counted in them.
    registry = registry_latest()
    of_targets = {"household__registry_id": registry.pk} if registry is not None else {}
    in_year = in_year.filter(**of_targets)
    referrals = _in_area(Referral.objects.all(), area)
    escalations = _in_area(Escalation.objects.all(), area)
    for body, owner in ((None, None), ("agency", "owner")):
        lines.add(
            _grouped(
                in_month,
                body,
                n=Count("pk"),
                baht=Sum("value"),
                hh=Count("household", distinct=True),
            ),
            body,
            acts="n",
            baht="baht",
            households_helped="hh",
        )
        lines.add(
            _grouped(in_year, body, n=Count("pk"), hh=Count("household", distinct=True)),
            body,
            acts_to_date="n",
            helped_to_date="hh",
        )
        # Helped in every dimension they fail (of the same office, for an office's line).
        lines.add(_fully_helped(in_year, body), body, helped_fully_to_date="hh")
        # Households with problems recorded: a need entry or a case of the year.
        needs = entries.filter(
            part=Entry.Part.NEED, occurred_on__gte=start, occurred_on__lt=end, **of_targets
        ).values_list("village_code", "household_id", *(["agency_id"] if body else []))
        opened = cases.filter(
            opened_at__gte=year_from, opened_at__lt=month_to, **of_targets
        ).values_list("village_code", "household_id", *(["owner_id"] if body else []))
        if body:
            needs = needs.filter(agency__isnull=False)
            opened = opened.filter(owner__isnull=False)
        lines.add(_distinct_households([needs, opened], body), body, recorded_to_date="n")
        lines.add(
            _grouped(
                cases.filter(
                    state=Case.State.SOLVED, solved_at__gte=month_from, solved_at__lt=month_to
                ),
                owner,
                n=Count("pk"),
            ),
            owner,
            cases_solved="n",
        )
        lines.add(
            _grouped(
                referrals.filter(sent_at__gte=month_from, sent_at__lt=month_to), body, n=Count("pk")
            ),
            body,
            referrals_sent="n",
        )
        lines.add(
            _grouped(
                referrals.filter(
                    state__in=[Referral.State.ACCEPTED, Referral.State.DONE],
                    decided_at__gte=month_from,
                    decided_at__lt=month_to,
                ),
                body,
                n=Count("pk"),
            ),
            body,
            referrals_accepted="n",
        )
        lines.add(
            _grouped(
                referrals.filter(
                    state=Referral.State.DONE, done_at__gte=month_from, done_at__lt=month_to
                ),
                body,
                n=Count("pk"),
            ),
            body,
            referrals_done="n",
        )
        # Overdue at the month's end (now, for the running month): sent by then, its
        # follow-up date passed, and not finished by then.
        overdue = referrals.filter(
            sent_at__lt=as_of, follow_up_on__lt=timezone.localtime(as_of).date()
        ).exclude(
            Q(state=Referral.State.DONE, done_at__lt=as_of)
            | Q(
                state__in=[Referral.State.REJECTED, Referral.State.REVOKED],
                decided_at__lt=as_of,
            )
        )
        lines.add(_grouped(overdue, body, n=Count("pk")), body, referrals_overdue="n")
        case_owner = "case__owner" if body else None
        lines.add(
            _grouped(
                escalations.filter(escalated_at__gte=month_from, escalated_at__lt=month_to),
                case_owner,
                n=Count("pk"),
            ),
            case_owner,
            escalated="n",
        )
    if registry is not None:
        households = _in_area(
            Household.objects.filter(registry=registry, status=Household.Status.ACTIVE), area
        )
        lines.add(_grouped(households, None, n=Count("pk")), None, targets="n")
    return lines.rows


def _rolled_up(villages: dict[Key, dict[str, Any]], area: str) -> dict[Key, dict[str, Any]]:
    """Every area from `area` down to its villages: each the sum of its villages."""
    out: dict[Key, dict[str, Any]] = {}
    top = len(area)
    for (village, body), figures in villages.items():
        for n in (0, 2, 4, 6, 8):
            if n < top:
                continue
            line = out.setdefault((village[:n], body), {})
            for name, value in figures.items():
                line[name] = line.get(name, 0) + value
    # An office's line measures against the area's target households.
    for (code, body), line in out.items():
        if body is not None:
            line["targets"] = out.get((code, None), {}).get("targets", 0)
    return out


ROW_COLUMNS = ("month", "level", "area_code", "body_id", *COUNTS, "baht", "computed_at")


def _row(month: date, code: str, body: int | None, figures: dict[str, Any], now: datetime):
    """One line as the tuple `core.bulk.insert_rows` writes (ROW_COLUMNS' order)."""
    return (
        month,
        LEVEL_OF[len(code)],
        code,
        body,
        *(int(figures.get(name) or 0) for name in COUNTS),
        Decimal(figures.get("baht") or 0).quantize(Decimal("0.01")),
        now,
    )


def _sum_children(month: date, code: str, now: datetime) -> list[tuple]:
    """The lines of area `code` as the sums of its children's lines (each office's too)."""
    child = LEVELS[LEVELS.index(LEVEL_OF[len(code)]) + 1]
    rows = (
        _in_area(MonthFigures.objects.filter(month=month, level=child), code, "area_code")
        .order_by()
        .values("body_id")
        .annotate(**{name: Sum(name) for name in FIGURES})
    )
    lines = {r["body_id"]: r for r in rows}
    targets = (lines.get(None) or {}).get("targets") or 0
    out = []
    for body, r in lines.items():
        if body is not None:
            r["targets"] = targets
        out.append(_row(month, code, body, r, now))
    return out


def month_compute(*, ctx: Context, month: date | str, area: str = "") -> int:
    """Compute the statistics of `month` (a date or BE 'YYYY-MM') again for `area` ('' =
    the country) and everything under it; the areas above are summed again from their
    children. Returns the number of rows written. Refused for an account that may not
    compute the area's statistics; nothing is written then."""
    if isinstance(month, str):
        parsed = months.parse(month)
        if parsed is None:
            raise core_errors.Invalid(errors.BAD_MONTH)
        month = parsed
    month = months.first_of(month)
    area = (area or "").strip()
    if area and (not area.isdigit() or len(area) not in LEVEL_OF):
        raise core_errors.Invalid(errors.BAD_AREA)
    actor = ctx.user
    if actor is not None and not policies.may(actor, "compute", area):
        raise core_errors.NotFound(core_errors.NOT_FOUND)
    now = timezone.now()
    with transaction.atomic():
        lines = _rolled_up(_village_lines(month, area, now), area)
        _in_area(MonthFigures.objects.filter(month=month), area, "area_code").delete()
        rows = [
            _row(month, code, body, f, now)
            for (code, body), f in sorted(lines.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0))
        ]
        written = insert_rows(MonthFigures, ROW_COLUMNS, rows)
        # The areas above: summed again from their children's rows, nearest first.
        for n in (6, 4, 2, 0):
            if n >= len(area):
                continue
            code = area[:n]
            MonthFigures.objects.filter(month=month, area_code=code).delete()
            above = _sum_children(month, code, now)
            written += insert_rows(MonthFigures, ROW_COLUMNS, above)
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            object_type="helpstats.month",
            object_id=months.code(month),
            area_code=area,
            summary=say(
                gettext_noop("monthly statistics of %(month)s computed for %(area)s: %(n)s lines"),
                month=months.code(month),
                area=area_name(area),
                n=written,
            ),
            changes={"month": months.code(month), "area": area, "rows": written},
        )
    return written
