"""Reads of one household's folder: its indicators and why each fails, its answers,
members, history, address, the corrections its data needs and its tags. The household
itself comes from `access.household_folder(user, id)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from cheepao.core.thai import language, pick_language
from cheepao.engine import api as engine
from cheepao.households import history, labels
from cheepao.households.models import Household, Member, Problem
from cheepao.households.selectors.register import area_breadcrumb, village_name

# Flags the engine derives from the answers (catalogue: "Derived flags"); the survey
# columns themselves are labelled by the data contract.
DERIVED_LABELS = {
    "has_income": _("has an income"),
    "full_time_student": _("full-time student"),
    "dependent_disabled": _("disabled and cannot care for themselves"),
    "income_per_person": _("income per person per year (baht)"),
}


def answer_label(column: str) -> str:
    """The words the survey form uses for one answer column, in the page's language."""
    if column in DERIVED_LABELS:
        return str(DERIVED_LABELS[column])
    return engine.column_label(column, language())


@dataclass
class Answer:
    column: str
    label: str
    value: Any
    threshold: float | None = None

    @property
    def is_number(self) -> bool:
        return isinstance(self.value, int | float) and not isinstance(self.value, bool)


@dataclass
class MemberReason:
    member: Member
    answers: list[Answer]


@dataclass
class IndicatorLine:
    code: str
    title: str
    short: str
    unit: str
    failing: bool
    problem: Problem | None
    why: str
    members: list[MemberReason] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)


@dataclass
class DimensionGroup:
    code: str
    title: str
    failing: bool
    indicators: list[IndicatorLine]


def _failing_answers(indicator: Any, answers: dict, thresholds: dict) -> list[Answer]:
    """The answers that made the rule fail, as the engine decides it (`engine.explain`, one
    place for every kind of rule): the 'no' answers of an all/any rule, or the measured
    value against its threshold."""
    return [
        Answer(r.column, answer_label(r.column), r.value, r.limit)
        for r in engine.rules.failing(indicator.passes, answers, thresholds)
    ]


def household_indicators(household: Household) -> list[DimensionGroup]:
    """The catalogue's indicators, grouped by dimension, each with why it is failing here.

    Household indicators point at the household's own answers; person indicators at the
    members the engine flagged (`Member.failing`) and their answers. A problem added in the
    field has no survey answers behind it, and says so through its origin."""
    registry = household.registry
    cat = registry.catalogue
    thresholds = {
        name: registry.thresholds.get(name, cat.threshold(name, registry.survey_year))
        for name in cat.thresholds
    }
    answers = dict(household.answers or {})
    if household.income_per_person is not None:
        # an average is judged exactly from its total and count, as the engine judges it
        answers["income_per_person"] = household.income_per_person
        answers["income_total"] = household.income_total
        answers["n_members"] = household.n_members
    problems = {p.indicator: p for p in household.problems.all()}
    members = list(household.members.all())
    groups = []
    for d in cat.dimensions:
        lines = []
        for i in cat.indicators_of(d.code):
            problem = problems.get(i.code)
            failing = problem is not None and problem.status == Problem.Status.OPEN
            line = IndicatorLine(
                code=i.code,
                title=pick_language(i.th, i.en),
                short=i.short_th,
                unit=i.unit,
                failing=failing,
                problem=problem,
                why=i.why_th,
            )
            if failing and i.unit == "person":
                line.members = [
                    MemberReason(m, _failing_answers(i, m.answers or {}, thresholds))
                    for m in members
                    if i.code in (m.failing or [])
                ]
            elif failing:
                line.answers = _failing_answers(i, answers, thresholds)
            lines.append(line)
        groups.append(
            DimensionGroup(d.code, pick_language(d.th, d.en), any(x.failing for x in lines), lines)
        )
    return groups


@dataclass(frozen=True)
class HistoryLine:
    at: Any
    by: str  # the account's name at the time, '' for the system
    text: str
    kind: str


def household_history(household: Household, limit: int = 200) -> list[HistoryLine]:
    """What happened to the household (`HouseholdEvent`, `history.py`), newest first, each
    as a sentence in the page's language with names instead of codes. The audit log (who
    opened the folder, who changed what) is kept apart and shown on the audit pages."""
    events = household.events.order_by("-at", "-id")[:limit]
    return [
        HistoryLine(e.at, e.actor_name, history.sentence(e.kind, e.data, household), e.kind)
        for e in events
    ]


def household_address(household: Household) -> dict[str, Any]:
    """Names of the household's areas, from the geography tables."""
    crumbs = area_breadcrumb(household.subdistrict_code)
    names = {c.code: c.name for c in crumbs}
    return {
        "province": names.get(household.province_code, household.province_code),
        "district": names.get(household.district_code, household.district_code),
        "subdistrict": names.get(household.subdistrict_code, household.subdistrict_code),
        "village": village_name(household.village_code),
    }


@dataclass
class MemberRow:
    member: Member
    relation: str
    sex: str
    life_stages: list[str]
    vulnerable: list[str]
    failing: list[str]


def member_rows(household: Household) -> list[MemberRow]:
    """The members with their coded answers in words, head first as on the form."""
    cat = household.registry.catalogue
    stages = {s.code: pick_language(s.th, s.en) for s in cat.life_stages}
    members = sorted(household.members.all(), key=lambda m: (m.relation != "head", m.member_no))
    return [
        MemberRow(
            member=m,
            relation=str(labels.RELATION.get(m.relation, m.relation)),
            sex=str(labels.SEX.get(m.sex, m.sex)),
            life_stages=[stages.get(s, s) for s in m.life_stages or []],
            vulnerable=[str(labels.VULNERABLE.get(v, v)) for v in m.vulnerable or []],
            failing=list(m.failing or []),
        )
        for m in members
    ]


# What a member's survey row was kept with and the team must correct (ADR 0016); the codes
# are the engine's (validate.KEEPS_ROW).
CORRECTIONS = {
    "pin_check_digit": _(
        "Member %(no)s, %(name)s: the national ID fails its check digit; it was probably mistyped."
    ),
    "pin_first_digit": _(
        "Member %(no)s, %(name)s: the national ID starts with 0 or 9, which no national ID does."
    ),
    "bad_format": _(
        "Member %(no)s, %(name)s: the national ID in the survey is not 13 digits, so it was "
        "not recorded."
    ),
    "duplicate_pin": _(
        "Member %(no)s, %(name)s: the same national ID is given to another person in the "
        "survey of the same year."
    ),
}


def household_corrections(household: Household) -> list[str]:
    """What the team must correct in the household's data, one line per member problem.

    The household was computed with every member (a bad ID never changes who is poor);
    these lines tell the team which IDs to check against the ID cards."""
    if not household.needs_correction:
        return []
    lines = []
    for m in sorted(household.members.all(), key=lambda m: m.member_no):
        for code in m.data_problems or []:
            text = CORRECTIONS.get(code)
            if text is not None:
                lines.append(str(text) % {"no": m.member_no, "name": m.full_name})
    return lines


def household_tags(household: Household) -> dict[str, str]:
    return {
        "family_types": [str(labels.FAMILY_TYPE.get(t, t)) for t in household.family_types or []],
        "land_tenure": str(labels.LAND_TENURE.get(household.land_tenure, household.land_tenure)),
    }
