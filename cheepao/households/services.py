"""Writes to the registry: the only writers of RegistryYear, Household, Member, Problem and
the household history (HouseholdEvent).

Feature apps (verification, new households, list imports, and later plans, the Logbook,
routing) never write these tables themselves: they call the verbs below inside their own
transaction (`transaction.atomic()` nests), and each verb writes the household's history
event for what it changed and returns what changed. A verb checks the data it is given and
refuses, before writing anything, with a code (`households/errors.py`); whether the actor
may take the step that leads to it (approve a batch, record a new household) is checked by
the feature service that calls it, which knows the step.

- `registry_load`: an engine run's target households, members and problems (and their
  `loaded` events);
- `household_create_pending`: a household found in the field (form ศจพ.2), from the rows
  the engine computed for it;
- `problems_apply`: problems added, taken away (not found when certified) or solved;
- `household_status_set`: moved, deceased, removed as an inclusion error, made active;
- `household_refresh_counts`: failing dimensions and "critical" from the open problems;
- `history_record` / `history_record_many`: an event a feature service tells (ศจพ.1
  recorded, a batch step, put on a list, a duplicate check).

`EngineRows` is the one mapping of an engine row (households.parquet / persons.parquet, or
the one household form ศจพ.2 computes) to registry fields, used by both the load and ศจพ.2.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop

from cheepao.accounts import roles
from cheepao.audit.models import AuditEvent
from cheepao.audit.services import audit_read, audit_record
from cheepao.audit.summaries import area, label, pair, say
from cheepao.core.context import Context
from cheepao.core.errors import DENIED, Conflict, Invalid, Limited, Refused
from cheepao.engine import api as engine
from cheepao.households import areas, errors, history, selectors
from cheepao.households.models import (
    AreaSummary,
    Household,
    HouseholdEvent,
    Member,
    Problem,
    RegistryYear,
    Source,
)
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
# Person answers kept for the folder besides those the indicators read.
MEMBER_EXTRA_ANSWERS = ("has_occupation", "student_status", "pregnant", "newborn")


#: Households written per batch of a registry load; each batch is a progress report.
LOAD_BATCH = 20_000


@dataclass
class RegistryLoad:
    survey_year: int
    version: int = 1
    households_created: int = 0
    households_present: int = 0
    members_created: int = 0
    problems_created: int = 0


_PLAIN = frozenset({bool, int, str, Decimal, date})


def _clean(value: Any) -> Any:
    """An engine cell as a plain Python value: Arrow/pandas nulls (None, NaN, NaT, NA) as
    None, pandas Timestamps as dates, numpy scalars as Python values. Plain values (what
    Arrow gives a national load) take the first return: this runs for every cell."""
    if value is None or type(value) in _PLAIN:
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):  # a list or an array: not a null
        pass
    if isinstance(value, datetime):
        return value.date()
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


class EngineRows:
    """How the engine's rows become registry rows: one household row (households.parquet,
    or the household form ศจพ.2 computed) → Household fields and its failing indicators,
    one person row → Member fields. Built once per indicator set; both `registry_load` and
    `household_create_pending` go through it, so a household loaded from the survey and
    one found in the field keep the same answers the same way."""

    def __init__(self, cat: Any) -> None:
        self.cat = cat
        self.household_answers = sorted(
            {c for i in cat.indicators if i.unit == "household" for c in i.answers}
        )
        self.person_answers = sorted(
            {c for i in cat.indicators if i.unit == "person" for c in i.answers}
            | {i.applies.where for i in cat.indicators if i.applies.where}
            | set(MEMBER_EXTRA_ANSWERS)
        )
        self.d_columns = [i.column for i in cat.indicators]
        self.p_columns = [f"p_{i.code}" for i in cat.indicators if i.unit == "person"]
        self.dimension_of = {i.code: i.dimension for i in cat.indicators}

    def household_columns(self, available: Iterable[str]) -> list[str]:
        """The columns of a households table to read, of those it has."""
        available = list(available)
        wanted = [
            "hh_id",
            *HOUSEHOLD_FIELDS,
            *self.household_answers,
            *self.d_columns,
            *(c for c in available if c.startswith("ft_")),
        ]
        return [c for c in dict.fromkeys(wanted) if c in available]

    def member_columns(self, available: Iterable[str]) -> list[str]:
        """The columns of a persons table to read, of those it has."""
        available = list(available)
        wanted = [
            "hh_id",
            "member_no",
            "data_problems",
            *MEMBER_FIELDS,
            *self.person_answers,
            *self.p_columns,
            *(c for c in available if c.startswith(("ls_", "vg_"))),
            "is_target_person",
        ]
        return [c for c in dict.fromkeys(wanted) if c in available]

    def household(self, row: dict[str, Any]) -> dict[str, Any]:
        """Household fields (attnames) of one engine household row."""
        return {
            "answers": {c: _answer(row.get(c)) for c in self.household_answers},
            "family_types": [c[3:] for c in row if c.startswith("ft_") and row[c]],
            **{f: _field(row, f) for f in HOUSEHOLD_FIELDS if f in row},
        }

    def failing(self, row: dict[str, Any]) -> list[str]:
        """The indicator codes the household row fails, in the catalogue's order."""
        return [c[2:] for c in self.d_columns if _clean(row.get(c))]

    def member(self, row: dict[str, Any]) -> dict[str, Any]:
        """Member fields (attnames) of one engine person row."""
        return {
            "member_no": int(row["member_no"]),
            "answers": {c: _answer(row.get(c)) for c in self.person_answers},
            "failing": [c[2:] for c in self.p_columns if _clean(row.get(c))],
            "life_stages": [c[3:] for c in row if c.startswith("ls_") and _clean(row[c])],
            "vulnerable": [c[3:] for c in row if c.startswith("vg_") and _clean(row[c])],
            "is_target_person": bool(_clean(row.get("is_target_person"))),
            "data_problems": sorted(
                filter(None, (_clean(row.get("data_problems")) or "").split(","))
            ),
            **{f: _field(row, f) for f in MEMBER_FIELDS if f in row},
        }


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


def run_checked(run_path: str) -> Any:
    """The engine run at `run_path`, refused (`registry.catalogue_differs`) unless this
    installation's catalogue file for the set and version it records has the SHA-256 it
    records (ADR 0019). `RunNotFound` when there is no run there."""
    try:
        run = engine.open_run(run_path)
        run.catalogue  # noqa: B018  (checked even when the manifest names no set)
    except engine.CatalogueError as e:
        m = _manifest_of(run_path)
        raise Invalid(
            errors.CATALOGUE_DIFFERS,
            run=str(run_path),
            set=m.get("indicator_set_id") or "?",
            version=m.get("indicator_set_version") or "?",
            detail=str(e),
        ) from e
    return run


def _manifest_of(run_path: str) -> dict[str, Any]:
    try:
        return json.loads((Path(run_path) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _refuse_other_run(run: Any, loaded: list[RegistryYear], *, new_version: bool) -> None:
    """`Conflict` (`registry.year_loaded`) when the run's survey year already holds another
    run (the versions `loaded`, newest first) and `new_version` does not allow a new one."""
    if new_version or not loaded or any(r.manifest == run.manifest for r in loaded):
        return
    newest = loaded[0]
    raise Conflict(
        errors.YEAR_LOADED,
        year=str(run.survey_year),
        version=newest.version,
        loaded=newest.run_path,
    )


def _registry_for(run: Any, *, new_version: bool) -> RegistryYear:
    """The registry version of the run's survey year that this load fills: the one already
    holding this very run (loading again adds what is missing, `new_version` or not), the
    year's next version when `new_version` allows one, or version 1 of a year not loaded
    yet. Another run of a loaded year without `new_version` is refused
    (`registry.year_loaded`): two runs are never merged into one registry."""
    m = run.manifest
    year = run.survey_year
    # one load of a year at a time: the versions are read under a lock
    loaded = list(
        RegistryYear.objects.select_for_update().filter(survey_year=year).order_by("-version")
    )
    same = next((r for r in loaded if r.manifest == m), None)
    if same is not None:
        if same.run_path != str(run.path):  # the same run, moved: follow it
            same.run_path = str(run.path)
            same.save(update_fields=["run_path"])
        return same
    _refuse_other_run(run, loaded, new_version=new_version)
    return RegistryYear.objects.create(
        survey_year=year,
        version=loaded[0].version + 1 if loaded else 1,
        run_path=str(run.path),
        run_created_at=m.get("created_at", ""),
        indicator_set_id=m["indicator_set_id"],
        indicator_set_version=str(m["indicator_set_version"]),
        indicator_set_sha256=m["catalogue_sha256"],
        profile=m.get("target_profile", "default"),
        thresholds=m.get("thresholds", {}),
        manifest=m,
    )


def registry_load(
    *,
    ctx: Context,
    run: str,
    new_version: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> RegistryLoad:
    """Load the target households of an engine run, with their members and problems, and
    a `loaded` history event for each household added. `run` is the run's directory.

    The run must be read with the very catalogue it was computed with (else
    `registry.catalogue_differs`). A survey year holds one run: another run of a year
    already loaded is refused (`registry.year_loaded`) unless `new_version` allows it to
    become the year's next registry version, beside the others (ADR 0019).

    Re-runnable: loading the same run again fills its own registry version; a household
    already there (same `hh_id`) is left as it is, with whatever field work has been done
    on it, and counted as present; only the households not there yet are added. Everything
    happens in one transaction, so a load that fails or is refused leaves the registry as
    it was.
    """
    run_path = run
    run = run_checked(run_path)
    cat = run.catalogue
    year = run.survey_year
    hh_table = run.households()
    hh_table = hh_table.filter(hh_table.is_target)
    p_table = run.persons()
    p_table = p_table.filter(p_table.is_target)
    rows = EngineRows(cat)

    result = RegistryLoad(year)
    with transaction.atomic():
        registry = _registry_for(run, new_version=new_version)
        result.version = registry.version
        present = set(Household.objects.filter(registry=registry).values_list("hh_id", flat=True))
        problems: dict[str, list[str]] = {}
        households = _BulkWriter(Household, batch=LOAD_BATCH)

        for row in _rows(hh_table, rows.household_columns(hh_table.columns)):
            hh_id = row["hh_id"]
            if hh_id in present:
                result.households_present += 1
                continue
            households.add(registry_id=registry.pk, hh_id=hh_id, **rows.household(row))
            problems[hh_id] = rows.failing(row)
            if households.flushed_now() and on_progress:
                on_progress(households.count)
        households.flush()
        result.households_created = households.count

        # One read of the new keys serves every problem, event and member row below.
        ids = dict(
            Household.objects.filter(registry=registry)
            .exclude(hh_id__in=present)
            .values_list("hh_id", "pk")
        )
        problem_rows = _BulkWriter(Problem)
        events = _BulkWriter(HouseholdEvent)
        event = _event_fields(ctx)
        for hh_id, codes in problems.items():
            for code in codes:
                problem_rows.add(
                    household_id=ids[hh_id], indicator=code, dimension=rows.dimension_of[code]
                )
            events.add(
                household_id=ids[hh_id],
                kind=history.LOADED,
                data={"year": year, "indicators": codes},
                **event,
            )
        problem_rows.flush()
        events.flush()
        result.problems_created = problem_rows.count

        member_rows = _BulkWriter(Member)
        for row in _rows(p_table, rows.member_columns(p_table.columns)):
            household_id = ids.get(row["hh_id"])
            if household_id is None:  # already present from an earlier load
                continue
            member_rows.add(household_id=household_id, **rows.member(row))
        member_rows.flush()
        result.members_created = member_rows.count

        if connection.vendor == "postgresql":
            # Fresh planner statistics: without them PostgreSQL plans the first hours of
            # page queries over a table it believes empty (seconds instead of milliseconds).
            with connection.cursor() as cursor:
                cursor.execute(
                    "ANALYZE households_household, households_member, households_problem, "
                    "households_householdevent"
                )
        registry.households = Household.objects.filter(registry=registry).count()
        registry.members = Member.objects.filter(household__registry=registry).count()
        registry.save(update_fields=["households", "members", "loaded_at"])
        # The area read model of the registry as loaded: every village of the run, with or
        # without targets, as the run's own register lists them.
        area_summary_build(
            ctx=ctx,
            registry=registry,
            surveyed=run.register("village")["area_code"].astype(str).tolist(),
        )
        audit_record(
            ctx=ctx,
            action="load",
            obj=registry,
            summary=say(
                gettext_noop(
                    "registry %(year)s version %(version)s: %(added)s households added, "
                    "%(present)s already present"
                ),
                year=str(year),
                version=registry.version,
                added=result.households_created,
                present=result.households_present,
            ),
            changes={
                "run": str(run.path),
                "version": registry.version,
                "indicator_set": f"{registry.indicator_set_id}@v{registry.indicator_set_version}",
                "households_created": result.households_created,
                "members_created": result.members_created,
            },
        )
    return result


def registry_load_start(*, ctx: Context, run: str, new_version: bool = False) -> Any:
    """Start loading the engine run called `run` (a directory directly under
    CHEEPAO_RUNS_DIR) as the actor's background job (ADR 0021); the worker runs
    `registry_load`, with `new_version` (the run becomes the next registry version of a
    year already loaded). Refused, starting nothing, for an account that may not load the
    registry, a run that is not there, a run read with another catalogue than its own
    (`registry.catalogue_differs`), or, without `new_version`, another run of a survey
    year already loaded (`registry.year_loaded`): checked here, before anything is queued,
    and again by the load itself."""
    from cheepao.households.jobs import REGISTRY_LOAD, RUN_NOT_FOUND
    from cheepao.jobs.services import job_start, message

    actor = ctx.user
    if actor is None or not actor.can(roles.LOAD_REGISTRY):
        raise Refused(DENIED)
    path = selectors.run_directory(run)
    if path is None:
        raise Invalid(RUN_NOT_FOUND, fields={"run": (RUN_NOT_FOUND, {"run": run})}, run=run)
    try:
        checked = run_checked(str(path))
    except engine.RunNotFound:
        raise Invalid(
            RUN_NOT_FOUND, fields={"run": (RUN_NOT_FOUND, {"run": run})}, run=run
        ) from None
    loaded = list(RegistryYear.objects.filter(survey_year=checked.survey_year).order_by("-version"))
    _refuse_other_run(checked, loaded, new_version=new_version)
    return job_start(
        ctx=ctx,
        kind=REGISTRY_LOAD,
        params={"run": run, "new_version": bool(new_version)},
        message=message(gettext_noop("waiting for the background worker")),
    )


# ---------------------------------------------------------------- the household history


def _event_fields(ctx: Context) -> dict[str, Any]:
    """Who and how, for a history row: the account (its name as it reads now) and the
    channel of the context."""
    user = ctx.user
    name = (user.get_full_name() or user.username) if user is not None else ""
    return {"actor_id": user.pk if user else None, "actor_name": name, "channel": str(ctx.channel)}


def _plain(value: Any) -> Any:
    """A history argument as JSON: amounts as exact text, sets and tuples as lists."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value


def _history_kind(kind: str) -> None:
    if kind not in history.KINDS:
        raise Invalid(errors.HISTORY_KIND_UNKNOWN, kind=kind)


def history_record(*, ctx: Context, household: Household, kind: str, **data: Any) -> HouseholdEvent:
    """Append one event to the household's history: `kind` is a code defined in
    `history.py` (or a feature app's history module), `data` its arguments as stored values
    (codes, ids). Call it inside the transaction of the change it tells."""
    _history_kind(kind)
    event = HouseholdEvent(household=household, kind=kind, data=_plain(data), **_event_fields(ctx))
    event.save()
    return event


def history_record_many(
    *,
    ctx: Context,
    kind: str,
    events: Iterable[tuple[Household | int, dict[str, Any]]],
    **data: Any,
) -> int:
    """Events of one kind for many households at once (a batch step, a list import), in
    batched INSERTs: `events` gives each household (or its id) with its own arguments,
    `data` the arguments they share. Returns how many were written."""
    _history_kind(kind)
    who = _event_fields(ctx)
    now = timezone.now()
    rows = [
        HouseholdEvent(
            household_id=h if isinstance(h, int) else h.pk,
            kind=kind,
            at=now,
            data=_plain({**data, **(own or {})}),
            **who,
        )
        for h, own in events
    ]
    HouseholdEvent.objects.bulk_create(rows, batch_size=2_000)
    return len(rows)


# ---------------------------------------------------------------- problems and status


def _counts(household: Household) -> tuple[int, bool]:
    dims = set(
        Problem.objects.filter(household=household, status=Problem.Status.OPEN).values_list(
            "dimension", flat=True
        )
    )
    return len(dims), household.registry.catalogue.critical.holds(dims)


def household_refresh_counts(*, ctx: Context, household: Household) -> dict[str, list[Any]]:
    """Recount failing dimensions and "critical" from the open problems (the register
    filters and sorts on them). Returns what changed ({field: [before, after]})."""
    n_dims, critical = _counts(household)
    changed = {
        name: [getattr(household, name), value]
        for name, value in (("n_dims", n_dims), ("is_critical", critical))
        if getattr(household, name) != value
    }
    if changed:
        household.n_dims, household.is_critical = n_dims, critical
        household.save(update_fields=["n_dims", "is_critical", "updated_at"])
    return changed


def household_changed(household: Household) -> None:
    """Count one more version of the household after a change to it (problems, status) by
    the verbs here: an offline copy read before the change is out of date and its save is
    refused (ADR 0021). Call it inside the transaction of the change."""
    Household.objects.filter(pk=household.pk).update(version=F("version") + 1)


@dataclass
class ProblemsApplied:
    """What `problems_apply` changed: indicator codes newly open, taken away, solved."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    solved: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.solved)


def problems_apply(
    *,
    ctx: Context,
    household: Household,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
    solve: Iterable[str] = (),
    origin: str = Problem.Origin.FIELD,
) -> ProblemsApplied:
    """Change the household's problems: `add` opens them (with `origin`; a problem taken
    away earlier opens again), `remove` marks open ones not found (certified), `solve`
    marks open ones solved. Codes already in the state asked for are left as they are.
    Then the counts follow and the history tells each change. Refused, changing nothing,
    for a code that is not an indicator of the registry's set, a code both added and taken
    away, or an unknown origin."""
    add, remove, solve = (
        list(dict.fromkeys(add)),
        list(dict.fromkeys(remove)),
        list(dict.fromkeys(solve)),
    )
    if origin not in Problem.Origin.values:
        raise Invalid(errors.ORIGIN_UNKNOWN, origin=origin)
    cat = household.registry.catalogue
    dimension_of = {i.code: i.dimension for i in cat.indicators}
    unknown = [c for c in (*add, *remove, *solve) if c not in dimension_of]
    if unknown:
        raise Invalid(errors.INDICATOR_UNKNOWN, codes=", ".join(dict.fromkeys(unknown)))
    twice = sorted(set(add) & (set(remove) | set(solve)) | (set(remove) & set(solve)))
    if twice:
        raise Invalid(errors.PROBLEM_TWICE, codes=", ".join(twice))

    done = ProblemsApplied()
    with transaction.atomic():
        existing = {
            p.indicator: p
            for p in Problem.objects.select_for_update().filter(
                household=household, indicator__in=[*add, *remove, *solve]
            )
        }
        now = timezone.now()
        for codes, status, into in (
            (remove, Problem.Status.REMOVED, done.removed),
            (solve, Problem.Status.SOLVED, done.solved),
        ):
            open_ = [
                c for c in codes if c in existing and existing[c].status == Problem.Status.OPEN
            ]
            if open_:
                Problem.objects.filter(household=household, indicator__in=open_).update(
                    status=status, updated_at=now
                )
                into.extend(open_)
        for code in add:
            problem = existing.get(code)
            if problem is None:
                Problem.objects.create(
                    household=household, indicator=code, dimension=dimension_of[code], origin=origin
                )
            elif problem.status != Problem.Status.OPEN:
                problem.status, problem.origin = Problem.Status.OPEN, origin
                problem.save(update_fields=["status", "origin", "updated_at"])
            else:
                continue
            done.added.append(code)
        if done.changed:
            household_refresh_counts(ctx=ctx, household=household)
        if done.removed:
            history_record(
                ctx=ctx, household=household, kind=history.PROBLEMS_REMOVED, indicators=done.removed
            )
        if done.solved:
            history_record(
                ctx=ctx, household=household, kind=history.PROBLEMS_SOLVED, indicators=done.solved
            )
        if done.added:
            history_record(
                ctx=ctx,
                household=household,
                kind=history.PROBLEMS_ADDED,
                origin=origin,
                indicators=done.added,
            )
    return done


def household_status_set(
    *, ctx: Context, household: Household, status: str
) -> tuple[str, str] | None:
    """Set the household's status (moved, deceased, removed as an inclusion error, made
    active) and tell it in its history. Returns (before, after), or None when it already
    had that status (nothing written). Refused, changing nothing, for an unknown status or
    for "awaiting certification", which only a new household starts in."""
    if status not in Household.Status.values:
        raise Invalid(errors.STATUS_UNKNOWN, status=status)
    if status == Household.Status.PENDING:
        raise Invalid(errors.STATUS_PENDING)
    with transaction.atomic():
        before = (
            Household.objects.select_for_update()
            .filter(pk=household.pk)
            .values_list("status", flat=True)
            .get()
        )
        if before == status:
            household.status = status
            return None
        household.status = status
        household.save(update_fields=["status", "updated_at"])
        history_record(
            ctx=ctx,
            household=household,
            kind=history.STATUS_CHANGED,
            before=before,
            after=status,
        )
    return before, status


VILLAGE_CODE = re.compile(r"\d{8}")


def household_create_pending(
    *,
    ctx: Context,
    registry: RegistryYear,
    hh_id: str,
    village_code: str,
    household: dict[str, Any],
    members: list[dict[str, Any]],
    member_answers: list[dict[str, Any]] | None = None,
    source: str = Source.FIELD,
    origin: str = Problem.Origin.FORM2,
    uid: Any = None,
) -> Household:
    """A household found in the field enters the registry awaiting certification, from
    the rows the engine computed for it (`household`: its household row, `members`: its
    person rows, in the survey contract's columns and the engine's flags), through the same
    mapping as the survey's households (`EngineRows`); its problems are the indicators the
    row fails, with `origin`. `member_answers` adds answers per member that the engine rows
    do not carry (amounts as typed). `uid` is the record's own id, made by the client that
    recorded it (a phone offline) or by the caller; a new one when not given. Tells it in
    the history (`recorded_new`).

    Refused, changing nothing, without an id or with one the registry year already has
    (`Conflict`), with a malformed village code, without members or with two members of
    one number. The caller holds whatever lock makes `hh_id` its own."""
    if not hh_id:
        raise Invalid(errors.HH_ID_MISSING)
    if not VILLAGE_CODE.fullmatch(village_code or ""):
        raise Invalid(errors.VILLAGE_MALFORMED, code=village_code)
    if not members:
        raise Invalid(errors.NO_MEMBERS)
    rows = EngineRows(registry.catalogue)
    people = [rows.member(m) for m in members]
    numbers = [p["member_no"] for p in people]
    twice = sorted({n for n in numbers if numbers.count(n) > 1})
    if twice:
        raise Invalid(errors.MEMBER_NO_TWICE, numbers=", ".join(map(str, twice)))
    failing = rows.failing(household)
    with transaction.atomic():
        if Household.objects.filter(registry=registry, hh_id=hh_id).exists():
            raise Conflict(errors.HH_ID_TAKEN, year=str(registry.survey_year), hh_id=hh_id)
        values = rows.household(household)
        values.update(
            province_code=village_code[:2],
            district_code=village_code[:4],
            subdistrict_code=village_code[:6],
            village_code=village_code,
            village_no=int(village_code[6:]),
            n_members=len(people),
        )
        if uid is not None:
            values["uid"] = uid
        created = Household.objects.create(
            registry=registry,
            hh_id=hh_id,
            source=source,
            status=Household.Status.PENDING,
            **values,
        )
        for person, extra in zip(people, member_answers or [{}] * len(people), strict=True):
            person["answers"].update(_plain(extra or {}))
        Member.objects.bulk_create([Member(household=created, **p) for p in people])
        Problem.objects.bulk_create(
            [
                Problem(
                    household=created,
                    indicator=code,
                    dimension=rows.dimension_of[code],
                    origin=origin,
                )
                for code in failing
            ]
        )
        history_record(
            ctx=ctx,
            household=created,
            kind=history.RECORDED_NEW,
            source=source,
            members=len(people),
            indicators=failing,
        )
    return created


# ---------------------------------------------------------------- the area read model
#
# `AreaSummary` holds the summary register of every area as the registry stands (ADR 0020;
# `areas.py` counts and reads). A load builds it whole; a certified change refreshes the
# areas it touched, after its transaction commits.

logger = logging.getLogger(__name__)


def area_summary_build(
    *,
    ctx: Context,
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


class PinLookupLimit(Limited):
    """The account has used its allowance of national-ID lookups: nothing was looked up
    (`households.pin_limit`, with `limit`, `window` and `wait` in minutes)."""

    def __init__(self, *, limit: int, window: int, wait: int):
        self.limit, self.window, self.wait = limit, window, wait
        super().__init__(errors.PIN_LIMIT, limit=limit, window=window, wait=wait)


def _pin_lookup_allow(actor: Any, count: int) -> None:
    """Raise `PinLookupLimit` when `count` more lookups would pass the account's limit
    (`Refused`, `households.pin_signed_out`, for a caller that is not signed in).

    Call it inside the transaction that records the lookups: the account's row is locked
    first, so two requests of one account are counted one after the other."""
    if not getattr(actor, "is_authenticated", False):
        raise Refused(errors.PIN_SIGNED_OUT)
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


def pin_lookups_record(*, ctx: Context, pins: list[str], purpose: str, area_code: str = "") -> None:
    """Record that `actor` is about to look these national IDs up, one audit row each with
    the masked PIN, or raise `PinLookupLimit` and record nothing. Its own transaction, so
    the record stays when the write that follows is refused and rolled back. `purpose` is
    an English phrase marked with `gettext_noop` (its Thai in the caller's catalogue)."""
    with transaction.atomic():
        _pin_lookup_allow(ctx.user, len(pins))
        for pin in pins:
            masked = mask_pin(pin)
            audit_read(
                ctx=ctx,
                what="search",
                object_type=PIN_LOOKUP,
                object_id=masked,
                area_code=area_code,
                summary=say(
                    gettext_noop("national ID lookup (%(purpose)s): %(pin)s"),
                    purpose=label(purpose),
                    pin=masked,
                ),
                changes={"purpose": purpose, "pin": masked},
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
    *, ctx: Context, registry: RegistryYear | None, query: Any
) -> tuple[list[Any], bool]:
    """The registry search (`selectors.household_search`) with its audit row; a search by
    national ID counts as a lookup and raises `PinLookupLimit`, searching nothing, when the
    account has used its allowance."""
    actor = ctx.user
    with transaction.atomic():
        if query.pin:
            _pin_lookup_allow(actor, 1)
        hits, more = selectors.household_search(actor, registry, query)
        shown = {k: v for k, v in vars(query).items() if v}
        if "pin" in shown:
            shown["pin"] = mask_pin(shown["pin"])
        audit_read(
            ctx=ctx,
            what="search",
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
        )
    return hits, more
