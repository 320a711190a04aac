"""Writes to the registry. Each function is one transaction with its audit row."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from cheepao.audit.models import AuditEvent
from cheepao.audit.services import audit_record
from cheepao.audit.summaries import area, label, pair, say
from cheepao.core.context import Context, context_of
from cheepao.engine import api as engine
from cheepao.households import areas, selectors
from cheepao.households.models import AreaSummary, Household, Member, Problem, RegistryYear
from cheepao.households.pii import mask_pin

# Member columns copied as model fields; the rest of the person-level answers go to `answers`.
MEMBER_FIELDS = (
    "pin",
    "title",
    "first_name",
    "last_name",
    "sex",
    "birth_date",
    "age",
    "relation",
    "education",
    "occupation",
    "income_year",
    "disabled",
    "self_care",
    "chronic_illness",
    "welfare_card",
)
HOUSEHOLD_FIELDS = (
    "house_code",
    "province_code",
    "district_code",
    "subdistrict_code",
    "village_no",
    "village_code",
    "house_no",
    "lat",
    "lon",
    "income_total",
    "income_per_person",
    "debt_formal",
    "debt_informal",
    "savings",
    "land_tenure",
    "n_members",
    "n_dims",
    "is_critical",
    "needs_correction",
)
BLANK_IF_NULL = {"house_code", "house_no", "land_tenure", "title", "education", "occupation", "pin"}


@dataclass
class RegistryLoad:
    survey_year: int
    households_created: int = 0
    households_present: int = 0
    members_created: int = 0
    problems_created: int = 0


def _clean(value: Any) -> Any:
    """Arrow/pandas nulls (None, NaN, NaT) as None, numpy scalars as Python values."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes | date):
        value = value.item()
    return value


def _answer(value: Any) -> Any:
    """An answer for a JSON field: an amount (a Decimal) as its exact text, "37999.99"."""
    value = _clean(value)
    return str(value) if isinstance(value, Decimal) else value


def _rows(table: Any, columns: list[str]) -> Iterator[dict[str, Any]]:
    # Materialised once (a national target list is a few hundred MB of Arrow), then walked
    # in slices so Python objects exist for one slice at a time.
    arrow = table.select(*dict.fromkeys(columns)).to_pyarrow()
    for batch in arrow.to_batches(max_chunksize=50_000):
        yield from batch.to_pylist()


def _field(row: dict[str, Any], name: str) -> Any:
    value = _clean(row.get(name))
    if value is None and name in BLANK_IF_NULL:
        return ""
    return value


class _BulkWriter:
    """Buffers new rows of one model and writes them in batches: PostgreSQL's COPY where
    available (the national target list is ~650 k households and ~2 M members, and COPY is
    an order of magnitude faster than INSERT), bulk_create elsewhere. Rows are dicts of
    field attnames; fields not given take their model default, timestamps are now."""

    def __init__(self, model: type[models.Model], batch: int = 20_000) -> None:
        self.model = model
        self.batch = batch
        self.rows: list[dict[str, Any]] = []
        self.count = 0
        self._flushed = False
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.copy = connection.vendor == "postgresql"

    def add(self, **row: Any) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch:
            self.flush()

    def flushed_now(self) -> bool:
        """True once after each batch written (for progress reports)."""
        flushed, self._flushed = self._flushed, False
        return flushed

    def _value(self, field: models.Field, row: dict[str, Any], now: datetime) -> Any:
        if field.attname in row:
            value = row[field.attname]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        if self.copy and isinstance(field, models.JSONField):
            return json.dumps(value, ensure_ascii=False)
        return value

    def flush(self) -> None:
        if not self.rows:
            return
        if self.copy:
            now = timezone.now()
            columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
            table = connection.ops.quote_name(self.model._meta.db_table)
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in self.rows:
                    copy.write_row([self._value(f, row, now) for f in self.fields])
        else:
            self.model.objects.bulk_create(
                [self.model(**row) for row in self.rows], batch_size=2_000
            )
        self.count += len(self.rows)
        self.rows.clear()
        self._flushed = True


def registry_load(
    run_path: str, *, actor: Any | None = None, on_progress: Callable[[int], None] | None = None
) -> RegistryLoad:
    """Load the target households of an engine run, with their members and problems.

    Re-runnable: a household already in the registry for that survey year (same `hh_id`) is
    left as it is, with whatever field work has been done on it, and counted as present;
    only the households not there yet are added. Everything happens in one transaction, so
    a load that fails leaves the registry as it was.
    """
    run = engine.open_run(run_path)
    cat = run.catalogue
    year = run.survey_year
    hh_table = run.households()
    hh_table = hh_table.filter(hh_table.is_target)
    p_table = run.persons()
    p_table = p_table.filter(p_table.is_target)

    hh_answer_cols = sorted({c for i in cat.indicators if i.unit == "household" for c in i.answers})
    person_answer_cols = sorted(
        {c for i in cat.indicators if i.unit == "person" for c in i.answers}
        | {i.applies.where for i in cat.indicators if i.applies.where}
        | {"has_occupation", "student_status", "pregnant", "newborn"}
    )
    d_cols = [i.column for i in cat.indicators]
    p_cols = [f"p_{i.code}" for i in cat.indicators if i.unit == "person"]
    ft_cols = [c for c in hh_table.columns if c.startswith("ft_")]
    ls_cols = [c for c in p_table.columns if c.startswith("ls_")]
    vg_cols = [c for c in p_table.columns if c.startswith("vg_")]
    dimension_of = {i.code: i.dimension for i in cat.indicators}

    result = RegistryLoad(year)
    m = run.manifest
    with transaction.atomic():
        registry, _ = RegistryYear.objects.update_or_create(
            survey_year=year,
            defaults={
                "run_path": str(run.path),
                "run_created_at": m.get("created_at", ""),
                "indicator_set_id": m.get("indicator_set_id", cat.id),
                "indicator_set_version": str(m.get("indicator_set_version", cat.version)),
                "indicator_set_sha256": m.get("catalogue_sha256", cat.sha256),
                "profile": m.get("target_profile", "default"),
                "thresholds": m.get("thresholds", {}),
                "manifest": m,
            },
        )
        present = set(Household.objects.filter(registry=registry).values_list("hh_id", flat=True))
        problems: list[tuple[str, str]] = []
        households = _BulkWriter(Household)

        hh_columns = ["hh_id", *HOUSEHOLD_FIELDS, *hh_answer_cols, *d_cols, *ft_cols]
        for row in _rows(hh_table, [c for c in hh_columns if c in hh_table.columns]):
            hh_id = row["hh_id"]
            if hh_id in present:
                result.households_present += 1
                continue
            households.add(
                registry_id=registry.pk,
                hh_id=hh_id,
                answers={c: _answer(row.get(c)) for c in hh_answer_cols},
                family_types=[c[3:] for c in ft_cols if row.get(c)],
                **{f: _field(row, f) for f in HOUSEHOLD_FIELDS if f in row},
            )
            problems.extend((hh_id, c[2:]) for c in d_cols if row.get(c))
            if households.flushed_now() and on_progress:
                on_progress(households.count)
        households.flush()
        result.households_created = households.count

        # One read of the new keys serves every problem and member row below.
        ids = dict(
            Household.objects.filter(registry=registry)
            .exclude(hh_id__in=present)
            .values_list("hh_id", "pk")
        )
        problem_rows = _BulkWriter(Problem)
        for hh_id, code in problems:
            problem_rows.add(household_id=ids[hh_id], indicator=code, dimension=dimension_of[code])
        problem_rows.flush()
        result.problems_created = problem_rows.count

        member_rows = _BulkWriter(Member)
        m_columns = [
            "hh_id",
            "member_no",
            "data_problems",
            *MEMBER_FIELDS,
            *person_answer_cols,
            *p_cols,
            *ls_cols,
            *vg_cols,
            "is_target_person",
        ]
        for row in _rows(p_table, [c for c in dict.fromkeys(m_columns) if c in p_table.columns]):
            household_id = ids.get(row["hh_id"])
            if household_id is None:  # already present from an earlier load
                continue
            member_rows.add(
                household_id=household_id,
                member_no=row["member_no"],
                answers={c: _answer(row.get(c)) for c in person_answer_cols},
                failing=[c[2:] for c in p_cols if row.get(c)],
                life_stages=[c[3:] for c in ls_cols if row.get(c)],
                vulnerable=[c[3:] for c in vg_cols if row.get(c)],
                is_target_person=bool(row.get("is_target_person")),
                data_problems=sorted(filter(None, (row.get("data_problems") or "").split(","))),
                **{f: _field(row, f) for f in MEMBER_FIELDS if f in row},
            )
        member_rows.flush()
        result.members_created = member_rows.count

        if connection.vendor == "postgresql":
            # Fresh planner statistics: without them PostgreSQL plans the first hours of
            # page queries over a table it believes empty (seconds instead of milliseconds).
            with connection.cursor() as cursor:
                cursor.execute(
                    "ANALYZE households_household, households_member, households_problem"
                )
        registry.households = Household.objects.filter(registry=registry).count()
        registry.members = Member.objects.filter(household__registry=registry).count()
        registry.save(update_fields=["households", "members", "loaded_at"])
        # The area read model of the registry as loaded: every village of the run, with or
        # without targets, as the run's own register lists them.
        area_summary_build(
            ctx=context_of(actor=actor),
            registry=registry,
            surveyed=run.register("village")["area_code"].astype(str).tolist(),
        )
        audit_record(
            actor=actor,
            action="load",
            obj=registry,
            summary=say(
                gettext_noop(
                    "registry %(year)s: %(added)s households added, %(present)s already present"
                ),
                year=str(year),
                added=result.households_created,
                present=result.households_present,
            ),
            changes={
                "run": str(run.path),
                "households_created": result.households_created,
                "members_created": result.members_created,
            },
        )
    return result


def household_refresh_counts(household: Household) -> None:
    """Recount failing dimensions from the open problems (after certification changes them)."""
    dims = set(
        household.problems.filter(status=Problem.Status.OPEN).values_list("dimension", flat=True)
    )
    household.n_dims = len(dims)
    household.is_critical = household.registry.catalogue.critical.holds(dims)
    household.save(update_fields=["n_dims", "is_critical", "updated_at"])


# ---------------------------------------------------------------- the area read model
#
# `AreaSummary` holds the summary register of every area as the registry stands (ADR 0018;
# `areas.py` counts and reads). A load builds it whole; a certified change refreshes the
# areas it touched, after its transaction commits.

logger = logging.getLogger(__name__)


def area_summary_build(
    *,
    ctx: Context | None = None,
    registry: RegistryYear,
    surveyed: Collection[str] = (),
) -> int:
    """Compute the area summary of `registry` from its rows, every area at every level,
    in one transaction; returns the number of areas. `surveyed`: village codes of the run
    to list even without a target household (the engine's register lists them with
    zeros); the villages of the summary being replaced are kept listed too. What earlier
    certified changes each area reflects is kept."""
    now = timezone.now()
    with transaction.atomic():
        counts = areas.village_counts(registry)
        earlier = {
            (r["level"], r["area_code"]): r
            for r in AreaSummary.objects.filter(registry=registry).values(
                "level", "area_code", "certified_changes", "last_change", "last_change_at"
            )
        }
        for code in [*surveyed, *(c for lv, c in earlier if lv == "village")]:
            counts.setdefault(str(code), areas.Counts())
        dimensions = [d.code for d in registry.catalogue.dimensions]
        AreaSummary.objects.filter(registry=registry).delete()
        rows = _BulkWriter(AreaSummary)
        for (level, code), c in sorted(areas.rollup(counts).items()):
            before = earlier.get((level, code), {})
            rows.add(
                registry_id=registry.pk,
                level=level,
                area_code=code,
                run_created_at=registry.run_created_at,
                certified_changes=before.get("certified_changes", 0),
                last_change=before.get("last_change") or {},
                last_change_at=before.get("last_change_at"),
                built_at=now,
                **c.fields(dimensions),
            )
        rows.flush()
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            obj=registry,
            summary=say(
                gettext_noop("area summary of registry %(year)s computed: %(n)s areas"),
                year=str(registry.survey_year),
                n=rows.count,
            ),
            changes={"areas": rows.count},
        )
    return rows.count


def area_summary_refresh(
    *,
    registry: RegistryYear,
    village_codes: Collection[str],
    change: areas.Change | None = None,
) -> list[tuple[str, str]]:
    """Recompute the summary rows of the villages `village_codes` from the registry's rows,
    then of the areas above them from their children's rows, up to the country; `change`
    is the certified change the new figures reflect. Returns the (level, code) refreshed.

    Derived figures, not a decision: the change itself has its audit row, and the rows say
    which change they reflect. Refreshes of one registry run one after the other (the
    country row is locked first), so each sums children that are committed. A registry
    whose summary was never built is left to `area_summary_build`."""
    villages = sorted({c for c in village_codes if areas.level_of(c) == "village"})
    if not villages:
        return []
    now = timezone.now()
    dimensions = [d.code for d in registry.catalogue.dimensions]
    done: list[tuple[str, str]] = []
    with transaction.atomic():
        built = list(
            AreaSummary.objects.select_for_update()
            .filter(registry=registry, level="country")
            .values_list("pk")
        )
        if not built:  # never built (a registry loaded before the read model): nothing to keep
            return []
        counts = areas.village_counts(registry, villages)
        fresh = {v: counts.get(v) or areas.Counts() for v in villages}
        for level in ("village", "subdistrict", "district", "province", "country"):
            if level != "village":
                codes = sorted({v[: areas.CODE_LENGTH[level]] for v in villages})
                fresh = areas.children_sums(registry, level, codes)
            for code, c in fresh.items():
                values = {"built_at": now, **c.fields(dimensions)}
                row, _ = AreaSummary.objects.get_or_create(
                    registry=registry,
                    level=level,
                    area_code=code,
                    defaults={"run_created_at": registry.run_created_at, **values},
                )
                if change is not None:
                    values.update(
                        certified_changes=row.certified_changes + 1,
                        last_change=change.as_data(),
                        last_change_at=change.at,
                    )
                for name, value in values.items():
                    setattr(row, name, value)
                row.save(update_fields=list(values))
                done.append((level, code))
    return done


def area_summary_refresh_on_commit(
    *,
    registry: RegistryYear,
    village_codes: Collection[str],
    change: areas.Change | None = None,
) -> None:
    """`area_summary_refresh` once the caller's transaction commits (nothing if it rolls
    back). A failure there is logged and leaves the figures as they were, saying when they
    were computed; the change itself stays committed (`manage.py build_area_summary`
    recomputes them)."""
    codes = sorted(set(village_codes))

    def refresh() -> None:
        try:
            area_summary_refresh(registry=registry, village_codes=codes, change=change)
        except Exception:
            logger.exception("area summary of registry %s not refreshed", registry.pk)

    transaction.on_commit(refresh)


# ---------------------------------------------------------------- national-ID lookups
#
# Looking a national ID up tells the account something about a person, so every lookup
# (registry search by PIN, form ศจพ.2 preview and save) is an audit row of this object type
# carrying the masked PIN only, and an account may make at most
# CHEEPAO_PIN_LOOKUP_LIMIT of them in any CHEEPAO_PIN_LOOKUP_WINDOW_MINUTES (ADR 0009).
# The audit rows are the counter: they are in the database, so the limit holds across
# worker processes, and they cannot be deleted to reset it.

PIN_LOOKUP = "households.pin"


class PinLookupLimit(Exception):
    """The account has used its allowance of national-ID lookups: nothing was looked up."""

    def __init__(self, *, limit: int, window: int, wait: int):
        self.limit, self.window, self.wait = limit, window, wait
        super().__init__(f"{limit} national-ID lookups per {window} minutes reached")

    @property
    def message(self) -> str:
        return gettext(
            "You have looked up %(limit)s national IDs in the last %(window)s minutes, the "
            "most one account may. To protect personal data, lookups are paused: please try "
            "again in %(wait)s minutes."
        ) % {"limit": self.limit, "window": self.window, "wait": self.wait}


def _pin_lookup_allow(actor: Any, count: int) -> None:
    """Raise `PinLookupLimit` when `count` more lookups would pass the account's limit.

    Call it inside the transaction that records the lookups: the account's row is locked
    first, so two requests of one account are counted one after the other."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("national IDs are looked up by signed-in accounts only")
    limit = int(settings.CHEEPAO_PIN_LOOKUP_LIMIT)
    window = int(settings.CHEEPAO_PIN_LOOKUP_WINDOW_MINUTES)
    users = get_user_model()
    list(users.objects.select_for_update().filter(pk=actor.pk).values_list("pk"))
    now = timezone.now()
    since = now - timedelta(minutes=window)
    times = list(
        AuditEvent.objects.filter(actor=actor, object_type=PIN_LOOKUP, at__gt=since)
        .order_by("at")
        .values_list("at", flat=True)
    )
    excess = len(times) + count - limit
    if excess <= 0:
        return
    # The lookups free up as the oldest ones leave the window.
    free_at = times[excess - 1] + timedelta(minutes=window) if excess <= len(times) else None
    seconds = (free_at - now).total_seconds() if free_at else window * 60
    raise PinLookupLimit(limit=limit, window=window, wait=max(1, math.ceil(seconds / 60)))


def pin_lookups_record(
    *,
    actor: Any,
    pins: list[str],
    purpose: str,
    area_code: str = "",
    request: Any | None = None,
) -> None:
    """Record that `actor` is about to look these national IDs up, one audit row each with
    the masked PIN, or raise `PinLookupLimit` and record nothing. Its own transaction, so
    the record stays when the write that follows is refused and rolled back. `purpose` is
    an English phrase marked with `gettext_noop` (its Thai in the caller's catalogue)."""
    with transaction.atomic():
        _pin_lookup_allow(actor, len(pins))
        for pin in pins:
            masked = mask_pin(pin)
            audit_record(
                actor=actor,
                action="search",
                object_type=PIN_LOOKUP,
                object_id=masked,
                area_code=area_code,
                summary=say(
                    gettext_noop("national ID lookup (%(purpose)s): %(pin)s"),
                    purpose=label(purpose),
                    pin=masked,
                ),
                changes={"purpose": purpose, "pin": masked},
                request=request,
            )


#: The search form's fields by the words its page uses, for the audit row of a search.
SEARCH_TERMS = {
    "pin": gettext_noop("National ID (13 digits)"),
    "first_name": gettext_noop("First name"),
    "last_name": gettext_noop("Last name"),
    "house_no": gettext_noop("House number"),
    "village": gettext_noop("Village"),
}


def search_households(
    *, actor: Any, registry: RegistryYear | None, query: Any, request: Any | None = None
) -> tuple[list[Any], bool]:
    """The registry search (`selectors.household_search`) with its audit row; a search by
    national ID counts as a lookup and raises `PinLookupLimit`, searching nothing, when the
    account has used its allowance."""
    with transaction.atomic():
        if query.pin:
            _pin_lookup_allow(actor, 1)
        hits, more = selectors.household_search(actor, registry, query)
        shown = {k: v for k, v in vars(query).items() if v}
        if "pin" in shown:
            shown["pin"] = mask_pin(shown["pin"])
        audit_record(
            actor=actor,
            action="search",
            object_type=PIN_LOOKUP if query.pin else "",
            object_id=shown.get("pin", ""),
            area_code=actor.area_code,
            summary=say(
                gettext_noop("search: %(terms)s"),
                terms=[
                    pair(label(SEARCH_TERMS[k], code=k), area(v) if k == "village" else v)
                    for k, v in shown.items()
                ],
            ),
            changes={"query": shown, "results": len(hits), "more": more},
            request=request,
        )
    return hits, more
