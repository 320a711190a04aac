"""Form ศจพ.2 answers → the survey contract's two tables → the engine, for one household.

A household found in the field must be judged by exactly the rules that judged the survey,
or two poor households in one village would be treated differently for the way they were
found. So nothing here decides who fails what: the answers are laid out as one household
row and its member rows of `cheepao.engine.contract`, checked by the engine's validator
(whose Thai reasons become form errors) and computed by `engine.compute` with the
registry's own indicator set, profile and thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from cheepao.core.thai import english, gregorian_year
from cheepao.engine import api as engine
from cheepao.engine.api import Catalogue, contract, money, validate_survey

RULES_FILE = Path(__file__).with_name("form2.yaml")
INCOME_SOURCES = ("income_main", "income_secondary", "income_other", "income_own_production")
MEMBER_MONEY = ("debt_formal", "debt_informal", "savings")
# The engine's derived flags are computed from other answers, never asked.
DERIVED = {
    "has_income",
    "has_work_income",
    "full_time_student",
    "dependent_disabled",
    "born_in_survey_year",
    "income_per_person",
}
# A "who" flag a catalogue reading derives (ADR 0013) is asked as the form flag it comes
# from: the cared-for question of every member marked disabled, the birth weight of every
# baby; the engine then counts only those the reading names.
ASK_AS = {"dependent_disabled": "disabled", "born_in_survey_year": "newborn"}


@cache
def rules() -> dict[str, Any]:
    with RULES_FILE.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def reference_date(survey_year: int) -> date:
    """Ages are counted on 1 March of the survey's Gregorian year, as the validator does."""
    return date(gregorian_year(survey_year), 3, 1)


def age_on(birth: date, on: date) -> int:
    years = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    return max(0, years)


def household_answer_columns(cat: Catalogue) -> list[str]:
    """The yes/no sub-items of the household questions, in the catalogue's (the form's) order."""
    cols: list[str] = []
    for ind in cat.indicators:
        if ind.unit == "household":
            cols.extend(c for c in ind.answers if c not in DERIVED and c not in cols)
    return [c for c in cols if contract.HOUSEHOLDS[c].type == contract.BOOL]


@dataclass(frozen=True)
class Asked:
    """When the form asks a member answer: an age band, and a "who" flag that must be set."""

    column: str
    age_min: int | None
    age_max: int | None
    where: str | None = None

    def applies(self, age: int | None, member: dict[str, Any]) -> bool:
        if age is None:
            return True  # age not known yet: ask, the validator will want the age anyway
        if self.age_min is not None and age < self.age_min:
            return False
        if self.age_max is not None and age > self.age_max:
            return False
        return not self.where or self.where == "newborn" or bool(member.get(self.where))


def person_questions(cat: Catalogue) -> list[Asked]:
    """Every member answer an indicator reads, with the ages it is asked at.

    Age-banded indicators are asked at the catalogue's ages; those that apply by a "who"
    flag at the ages of `form2.yaml` (the flag itself is asked there too).
    """
    who_ages = rules()["who_flag_ages"]
    out: dict[str, Asked] = {}
    for ind in cat.indicators:
        if ind.unit != "person":
            continue
        a = ind.applies
        cols = [c for c in ind.answers if c not in DERIVED and c not in ("has_occupation",)]
        where = ASK_AS.get(a.where, a.where) if a.where else None
        if where:
            lo, hi = who_ages[where]
            if where not in ("newborn", "disabled"):
                out.setdefault(where, Asked(where, lo, hi))
            for c in cols:
                out.setdefault(c, Asked(c, lo, hi, where))
        else:
            for c in cols:
                out.setdefault(c, Asked(c, a.age_min, a.age_max))
    return list(out.values())


@dataclass
class FormError:
    """One problem the validator found, pointed back at the form: member index (None for
    the household) and contract column."""

    member: int | None
    column: str
    th: str
    en: str

    @property
    def message(self) -> str:
        return self.en if english() else self.th


@dataclass
class Assessment:
    household: dict[str, Any] = field(default_factory=dict)
    persons: list[dict[str, Any]] = field(default_factory=list)
    errors: list[FormError] = field(default_factory=list)
    failing: list[str] = field(default_factory=list)  # indicator codes, catalogue order
    dimensions: list[str] = field(default_factory=list)
    n_dims: int = 0
    is_target: bool = False
    is_critical: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def frames(data: dict[str, Any], *, survey_year: int, cat: Catalogue, hh_id: str):
    """One household row and its member rows, as the contract spells them."""
    on = reference_date(survey_year)
    asked = person_questions(cat)
    newborn_max = rules()["newborn_max_age"]
    members = []
    for no, m in enumerate(data["members"], start=1):
        age = age_on(m["birth_date"], on) if m.get("birth_date") else m.get("age")
        if m.get("birth_date") and m.get("age") is not None:
            age = m["age"]  # both given: the validator compares them
        row = {c: None for c in contract.MEMBERS.names}
        row.update({k: v for k, v in m.items() if k in row})
        row.update(
            survey_year=survey_year,
            hh_id=hh_id,
            member_no=no,
            age=age,
            newborn=age is not None and age <= newborn_max,
            has_occupation=bool((m.get("occupation") or "").strip()),
            student_status=m.get("student_status") or "none",
            income_year=money.amount(m.get("income_year") or 0),
        )
        for q in asked:  # an answer the engine would not read is not kept either
            if not q.applies(age, row):
                row[q.column] = None if q.column not in ("m3_graduate",) else False
        members.append(row)

    # Amounts are exact decimals, summed exactly (ADR 0015).
    sources = {c: data.get("income", {}).get(c) for c in INCOME_SOURCES}
    if all(v is None for v in sources.values()):
        # Sources not split: the members' incomes are the household's main income.
        sources = dict.fromkeys(INCOME_SOURCES, 0)
        sources["income_main"] = money.total(m["income_year"] for m in members)
    sources = {c: money.amount(v or 0) for c, v in sources.items()}

    def total(name: str) -> Decimal | None:
        values = [m.get(name) for m in data["members"] if m.get(name) is not None]
        return money.total(values) if values else None

    hh = {c: None for c in contract.HOUSEHOLDS.names}
    hh.update(data.get("answers", {}))
    hh.update(
        sources,
        survey_year=survey_year,
        hh_id=hh_id,
        house_code=data.get("house_code") or None,
        subdistrict_code=data["subdistrict_code"],
        village_no=data["village_no"],
        house_no=data.get("house_no") or None,
        land_tenure=data.get("land_tenure") or None,
        **{name: total(name) for name in MEMBER_MONEY},
    )
    return pd.DataFrame([hh], columns=contract.HOUSEHOLDS.names), pd.DataFrame(
        members, columns=contract.MEMBERS.names
    )


def assess(registry: Any, data: dict[str, Any], *, hh_id: str = "NEW") -> Assessment:
    """Validate and compute the household under the registry's rules; never raises for bad
    answers (they come back as `errors`)."""
    cat = registry.catalogue
    hh_df, mb_df = frames(data, survey_year=registry.survey_year, cat=cat, hh_id=hh_id)
    checked = validate_survey(hh_df, mb_df, catalogue=cat)
    out = Assessment()
    if not checked.ok:
        seen = set()
        for r in checked.rejects.to_pylist():
            # Row-level echoes ("household rejected", "no members") repeat a cell problem.
            if r["code"] in ("household_rejected", "no_members"):
                continue
            member = r["row"] - 2 if r["table"] == "members" else None
            key = (member, r["column"], r["code"])
            if key in seen:
                continue
            seen.add(key)
            col = r["column"] or ""
            # The form labels the field already; the contract's column name would only puzzle.
            th, en = (r[k].replace(f" ({col})", "") for k in ("reason_th", "reason_en"))
            out.errors.append(FormError(member, col, th, en))
        if out.errors:
            return out
    result = engine.compute(
        checked.households,
        checked.members,
        survey_year=registry.survey_year,
        catalogue=cat,
        profile=registry.profile or "default",
        thresholds=registry.thresholds or None,
    )
    hh = result.households.to_pandas().iloc[0].to_dict()
    persons = result.persons.to_pandas().sort_values("member_no").to_dict("records")
    out.household = hh
    out.persons = persons
    out.failing = [i.code for i in cat.indicators if bool(hh.get(i.column))]
    out.dimensions = [d.code for d in cat.dimensions if bool(hh.get(f"dim_{d.code}"))]
    out.n_dims = int(hh["n_dims"])
    out.is_target = bool(hh["is_target"])
    out.is_critical = bool(hh["is_critical"])
    return out
