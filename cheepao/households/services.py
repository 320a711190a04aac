"""Writes to the registry. Each function is one transaction with its audit row."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from cheepao.audit.services import audit_record
from cheepao.engine import api as engine
from cheepao.households.models import Household, Member, Problem, RegistryYear

BATCH = 5_000

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
        ids: dict[str, int] = {}
        pending: list[Household] = []
        problems: list[tuple[str, str]] = []

        def flush_households() -> None:
            Household.objects.bulk_create(pending, batch_size=BATCH)
            created = Household.objects.filter(
                registry=registry, hh_id__in=[h.hh_id for h in pending]
            ).values_list("hh_id", "pk")
            ids.update(created)
            Problem.objects.bulk_create(
                [
                    Problem(household_id=ids[hh], indicator=code, dimension=dimension_of[code])
                    for hh, code in problems
                ],
                batch_size=BATCH,
            )
            result.households_created += len(pending)
            result.problems_created += len(problems)
            pending.clear()
            problems.clear()
            if on_progress:
                on_progress(result.households_created)

        hh_columns = ["hh_id", *HOUSEHOLD_FIELDS, *hh_answer_cols, *d_cols, *ft_cols]
        for row in _rows(hh_table, [c for c in hh_columns if c in hh_table.columns]):
            hh_id = row["hh_id"]
            if hh_id in present:
                result.households_present += 1
                continue
            pending.append(
                Household(
                    registry=registry,
                    hh_id=hh_id,
                    answers={c: _clean(row.get(c)) for c in hh_answer_cols},
                    family_types=[c[3:] for c in ft_cols if row.get(c)],
                    **{f: _field(row, f) for f in HOUSEHOLD_FIELDS if f in row},
                )
            )
            problems.extend((hh_id, c[2:]) for c in d_cols if row.get(c))
            if len(pending) >= BATCH:
                flush_households()
        if pending:
            flush_households()

        members: list[Member] = []
        m_columns = [
            "hh_id",
            "member_no",
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
            members.append(
                Member(
                    household_id=household_id,
                    member_no=row["member_no"],
                    answers={c: _clean(row.get(c)) for c in person_answer_cols},
                    failing=[c[2:] for c in p_cols if row.get(c)],
                    life_stages=[c[3:] for c in ls_cols if row.get(c)],
                    vulnerable=[c[3:] for c in vg_cols if row.get(c)],
                    is_target_person=bool(row.get("is_target_person")),
                    **{f: _field(row, f) for f in MEMBER_FIELDS if f in row},
                )
            )
            if len(members) >= BATCH:
                Member.objects.bulk_create(members, batch_size=BATCH)
                result.members_created += len(members)
                members.clear()
        if members:
            Member.objects.bulk_create(members, batch_size=BATCH)
            result.members_created += len(members)

        registry.households = Household.objects.filter(registry=registry).count()
        registry.members = Member.objects.filter(household__registry=registry).count()
        registry.save(update_fields=["households", "members", "loaded_at"])
        audit_record(
            actor=actor,
            action="load",
            obj=registry,
            summary=f"registry {year}: {result.households_created} households added, "
            f"{result.households_present} already present",
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
    household.is_critical = len(dims) >= household.registry.catalogue.critical_min_dimensions
    household.save(update_fields=["n_dims", "is_critical", "updated_at"])
