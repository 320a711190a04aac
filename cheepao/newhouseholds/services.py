"""Recording a household the survey missed (form ศจพ.2, exclusion error).

The household enters the registry as `pending`, source `field`, with its problems (origin
`form2`) as the engine computed them; certification of the batch it falls in makes it
active. Nothing here touches batches.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import pandas as pd
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from cheepao.accounts.roles import VERIFY
from cheepao.audit.services import audit_record
from cheepao.households.models import Household, Member, Problem, RegistryYear, Source
from cheepao.households.services import MEMBER_FIELDS
from cheepao.newhouseholds import assessment, selectors
from cheepao.newhouseholds.models import FieldReport

MEMBER_EXTRA_ANSWERS = ("has_occupation", "student_status", "pregnant", "newborn")


class Refused(Exception):
    """The household was not recorded; `messages` say why, in the user's language."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


def _clean(value: Any) -> Any:
    """Engine output cells (numpy scalars, NaN, NaT, Timestamps) as plain Python values."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, datetime):
        return value.date()
    if hasattr(value, "item") and not isinstance(value, str | bytes | date):
        value = value.item()
    return value


def next_hh_id(registry: RegistryYear) -> str:
    """F2568-00001, F2568-00002, …: unique in the registry year, readable on paper."""
    spec = assessment.rules()["hh_id"]
    stem = f"{spec['prefix']}{registry.survey_year}-"
    taken = Household.objects.filter(registry=registry, hh_id__startswith=stem).values_list(
        "hh_id", flat=True
    )
    numbers = [int(h[len(stem) :]) for h in taken if re.fullmatch(r"\d+", h[len(stem) :])]
    return f"{stem}{max(numbers, default=0) + 1:0{spec['digits']}d}"


def newhousehold_create(
    *, actor: Any, data: dict[str, Any], request: Any | None = None
) -> Household:
    """Record one household from form ศจพ.2, or raise `Refused` and change nothing."""
    village = selectors.village_code(data["subdistrict_code"], data["village_no"])
    if not getattr(actor, "is_authenticated", False) or not actor.can(VERIFY):
        raise PermissionDenied("may not record new households")
    if not actor.area_code or not actor.covers(village):
        raise PermissionDenied("village outside the user's area")

    with transaction.atomic():
        registry = selectors.registry_for_new()
        if registry is None:
            raise Refused([_("No registry year is loaded yet, so no household can be added.")])
        # One writer per registry year at a time: the id sequence and the duplicate checks
        # below must see each other's households.
        RegistryYear.objects.select_for_update().filter(pk=registry.pk).first()
        review = selectors.newhousehold_review(actor, data)
        if not review.assessment.ok:
            raise Refused([e.message for e in review.assessment.errors])
        if review.refusals:
            raise Refused(review.refusals)
        result = review.assessment
        cat = registry.catalogue
        hh_id = next_hh_id(registry)
        row = result.household
        household = Household.objects.create(
            registry=registry,
            hh_id=hh_id,
            source=Source.FIELD,
            status=Household.Status.PENDING,
            house_code=data.get("house_code") or "",
            province_code=village[:2],
            district_code=village[:4],
            subdistrict_code=village[:6],
            village_no=int(data["village_no"]),
            village_code=village,
            house_no=data.get("house_no") or "",
            income_total=_clean(row.get("income_total")),
            income_per_person=_clean(row.get("income_per_person")),
            debt_formal=_clean(row.get("debt_formal")),
            debt_informal=_clean(row.get("debt_informal")),
            savings=_clean(row.get("savings")),
            land_tenure=data.get("land_tenure") or "",
            answers={c: _clean(row.get(c)) for c in assessment.household_answer_columns(cat)},
            n_members=len(result.persons),
            n_dims=result.n_dims,
            is_critical=result.is_critical,
            family_types=[c[3:] for c in row if c.startswith("ft_") and row[c]],
        )
        person_cols = [q.column for q in assessment.person_questions(cat)]
        p_cols = [f"p_{i.code}" for i in cat.indicators if i.unit == "person"]
        members = []
        for person, given in zip(result.persons, data["members"], strict=True):
            fields = {f: _clean(person.get(f)) for f in MEMBER_FIELDS}
            for f in ("pin", "title", "education", "occupation"):
                fields[f] = fields[f] or ""
            answers = {c: _clean(person.get(c)) for c in (*person_cols, *MEMBER_EXTRA_ANSWERS)}
            # amounts as their exact text in the JSON ("1234.50"), never a binary float
            answers.update(
                {
                    c: None if given.get(c) is None else str(given[c])
                    for c in assessment.MEMBER_MONEY
                }
            )
            members.append(
                Member(
                    household=household,
                    member_no=int(person["member_no"]),
                    answers=answers,
                    failing=[c[2:] for c in p_cols if person.get(c)],
                    life_stages=[c[3:] for c in person if c.startswith("ls_") and person[c]],
                    vulnerable=[c[3:] for c in person if c.startswith("vg_") and person[c]],
                    is_target_person=bool(person.get("is_target_person")),
                    **fields,
                )
            )
        Member.objects.bulk_create(members)
        Problem.objects.bulk_create(
            [
                Problem(
                    household=household,
                    indicator=code,
                    dimension=cat.indicator(code).dimension,
                    origin=Problem.Origin.FORM2,
                )
                for code in result.failing
            ]
        )
        FieldReport.objects.create(
            household=household,
            recorded_by=actor,
            religion=data.get("religion") or "",
            phone=data.get("phone") or "",
            near_house_no=data.get("near_house_no") or "",
            vulnerable_tags=list(data.get("vulnerable_tags") or []),
            other_problem=data.get("other_problem") or "",
            surveyed_matches=[
                {"pin": s.pin, "hh_id": s.hh_id, "place": s.place} for s in review.surveyed
            ],
        )
        audit_record(
            actor=actor,
            action="create",
            obj=household,
            summary=f"new household {hh_id} (form ศจพ.2): {len(members)} members, "
            f"failing {', '.join(result.failing) or 'none'}",
            changes={
                "hh_id": hh_id,
                "status": household.status,
                "source": household.source,
                "members": len(members),
                "problems": result.failing,
                "dimensions": result.dimensions,
                "vulnerable_tags": list(data.get("vulnerable_tags") or []),
                "surveyed_matches": [s.pin for s in review.surveyed],
            },
            request=request,
        )
    return household


def newhousehold_viewed(*, actor: Any, household: Household, request: Any | None = None) -> None:
    """Every look at a household's personal data is on record (SPEC §9)."""
    audit_record(
        actor=actor,
        action="view",
        obj=household,
        summary=f"viewed new household {household.hh_id} (form ศจพ.2)",
        request=request,
    )
