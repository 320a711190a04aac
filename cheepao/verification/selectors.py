"""Reads for verification and certification.

Households are reached only through `cheepao.households.selectors` (the account's area
scope); batches through their policy (verification.policies: `access.scope(user, Batch,
"view")`, `access.one(...)`), which gives the same 404 for a batch that does not exist and
one outside the account's area.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db.models import Case, CharField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cheepao.accounts import roles
from cheepao.core import access
from cheepao.core.errors import describe
from cheepao.core.thai import english
from cheepao.geo import selectors as geo
from cheepao.households.models import Household, Member, Problem, RegistryYear
from cheepao.households.selectors import (
    household_head,
    households_visible_to,
    registry_latest,
    scope_filter,
)
from cheepao.verification import errors as v_errors
from cheepao.verification import results
from cheepao.verification.models import (
    Batch,
    BatchItem,
    Mark,
    Result,
    RoundDeadline,
    Verification,
)
from cheepao.verification.workflow import DeadlineStatus, Step, deadline_statuses

OPEN_BATCH_STATES = (Batch.State.SUBMITTED, Batch.State.CERTIFIED, Batch.State.RETURNED)
# A household in a batch in one of these states is with the district or the province, or
# settled: nothing of it (its ศจพ.1, or a ศจพ.2 household's record) changes until the
# district returns the batch.
LOCKED_BATCH_STATES = (Batch.State.SUBMITTED, Batch.State.CERTIFIED, Batch.State.APPROVED)


def household_locked(household: Household) -> bool:
    """Whether the household is in a batch that has not been returned to the team."""
    return BatchItem.objects.filter(
        household=household, batch__state__in=LOCKED_BATCH_STATES
    ).exists()


def batch_states_of(household_ids: list[int]) -> dict[int, str]:
    """The state of the batch holding each household (the latest, should there be more)."""
    rows = (
        BatchItem.objects.filter(household_id__in=household_ids)
        .order_by("batch_id")
        .values_list("household_id", "batch__state")
    )
    return dict(rows)


def certification_state(household: Household, batch_state: str | None) -> str:
    """Where the household stands in certification, as a verification state (or
    "not_verified"): its ศจพ.1's state; for a new household from form ศจพ.2 without one,
    the state of the batch that holds it, or "draft" (recorded, not yet sent) when no batch
    does: the ศจพ.2 form is its record, so it is not "not verified"."""
    verification = getattr(household, "verification", None)
    if verification is not None:
        return verification.state
    if batch_state is not None:
        return batch_state
    if household.status == Household.Status.PENDING:
        return Verification.State.DRAFT
    return "not_verified"


def certification_states(households: list[Household]) -> dict[int, str]:
    """`certification_state` of each household, in two queries."""
    batch_state = batch_states_of([h.pk for h in households])
    return {h.pk: certification_state(h, batch_state.get(h.pk)) for h in households}


CERTIFICATION_STATE_LABELS = {
    "not_verified": gettext_lazy("not verified yet"),
    **dict(Verification.State.choices),
}


# ---------------------------------------------------------------- the household and its problems


def open_problem_codes(household: Household) -> set[str]:
    return set(
        household.problems.filter(status=Problem.Status.OPEN).values_list("indicator", flat=True)
    )


def catalogue_codes(household: Household) -> list[str]:
    return [i.code for i in household.registry.catalogue.indicators]


def head_of(household: Household) -> Member | None:
    return household_head(list(household.members.order_by("member_no")))


@dataclass
class ProblemRow:
    code: str
    text: str
    short: str
    dimension: str
    dimension_text: str
    mark: str = ""


def form_problems(household: Household, verification: Verification | None) -> list[ProblemRow]:
    """The household's open problems in catalogue order, with the indicator's text and the
    mark already recorded, for the form's ✓/✗ questions."""
    cat = household.registry.catalogue
    dims = {d.code: d for d in cat.dimensions}
    open_codes = open_problem_codes(household)
    marks = verification.marks if verification else {}
    return [
        ProblemRow(
            i.code,
            _text(i, "th", "en"),
            _text(i, "short_th", "en"),
            i.dimension,
            _text(dims[i.dimension], "th", "en"),
            marks.get(i.code, ""),
        )
        for i in cat.indicators
        if i.code in open_codes
    ]


def _text(obj: Any, th: str, en: str) -> str:
    """The catalogue's Thai text, or its English one on English pages."""
    return getattr(obj, en) if english() else getattr(obj, th)


def addable_by_dimension(household: Household) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The catalogue's indicators that are not open problems, grouped by dimension:
    [(dimension code, dimension text, [(indicator code, text), ...]), ...]."""
    cat = household.registry.catalogue
    open_codes = open_problem_codes(household)
    groups = []
    for d in cat.dimensions:
        items = [
            (i.code, _text(i, "th", "en"))
            for i in cat.indicators
            if i.dimension == d.code and i.code not in open_codes
        ]
        if items:
            groups.append((d.code, _text(d, "th", "en"), items))
    return groups


def indicator_texts(registry: RegistryYear) -> dict[str, str]:
    return {i.code: _text(i, "th", "en") for i in registry.catalogue.indicators}


def mark_lines(verification: Verification) -> list[tuple[str, str, str]]:
    """(code, text, "confirmed" | "wrong" | "added") for a recorded verification."""
    texts = indicator_texts(verification.household.registry)
    lines = [(c, texts.get(c, c), m) for c, m in verification.marks.items()]
    return lines + [(c, texts.get(c, c), "added") for c in verification.added]


# ---------------------------------------------------------------- income per person decides


@dataclass(frozen=True)
class IncomeRule:
    """An indicator of the set that income per person decides (I3: "at least 38,000 baht
    per person per year"), with the threshold of the registry's survey year."""

    code: str
    name: str  # the indicator's short name, for messages
    text: str
    threshold: Decimal


def income_rules(registry: RegistryYear) -> list[IncomeRule]:
    """The household indicators of the catalogue whose rule is `at_least: [income_per_person,
    <threshold>]`, each with the threshold the registry was computed with (the run's
    thresholds, else the catalogue's for the survey year). Read from the catalogue, so
    another set or another year's threshold needs no code."""
    cat = registry.catalogue
    rules = []
    for i in cat.indicators:
        if not (
            i.unit == "household"
            and i.passes.kind == "at_least"
            and i.passes.args[0] == "income_per_person"
        ):
            continue
        name = i.passes.args[1]
        value = (registry.thresholds or {}).get(name)
        if value is None:
            value = cat.threshold(name, registry.survey_year)
        rules.append(
            IncomeRule(i.code, _text(i, "short_th", "en"), _text(i, "th", "en"), _decimal(value))
        )
    return rules


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def income_decisions(
    registry: RegistryYear, income_year: Decimal | None, members_now: int | None
) -> dict[str, bool]:
    """Indicator code → fails, for the income-decided indicators; empty when the income or
    the number of people is not known (or no one lives in the household)."""
    if income_year is None or members_now is None:
        return {}
    out = {}
    for rule in income_rules(registry):
        fails = results.income_fails(income_year, members_now, rule.threshold)
        if fails is not None:
            out[rule.code] = fails
    return out


def baht(amount: Decimal) -> str:
    """40000 → '40,000'; 37999.5 → '37,999.50' (as the pages print money)."""
    amount = Decimal(amount)
    if amount == amount.to_integral_value():
        return f"{amount:,.0f}"
    return f"{amount.quantize(Decimal('0.01'), rounding=ROUND_DOWN):,.2f}"


def income_error(
    rule: IncomeRule, *, fails: bool, shown: bool, amount: str
) -> tuple[str, dict[str, str]]:
    """What the income rule asks of the form, as a code of `verification.errors` and its
    parameters. `amount` is the income per person as printed (or a placeholder the page's
    script fills in)."""
    values = {"amount": amount, "threshold": baht(rule.threshold), "name": rule.name}
    if fails:
        return (v_errors.INCOME_STANDS if shown else v_errors.INCOME_FAILS), values
    return (v_errors.INCOME_NOT_CONFIRMED if shown else v_errors.INCOME_NOT_ADDED), values


def income_message(rule: IncomeRule, *, fails: bool, shown: bool, amount: str) -> str:
    """`income_error` in the person's language."""
    code, values = income_error(rule, fails=fails, shown=shown, amount=amount)
    return describe(code, values)


def income_rule_hint(rule: IncomeRule) -> str:
    """The rule as the form states it before anything is typed."""
    return _(
        "“%(name)s” is decided by the income per person: below %(threshold)s baht a year the "
        "household fails it (confirmed, or ticked as new); at %(threshold)s baht or more it "
        "does not (not found, and not added)."
    ) % {"name": rule.name, "threshold": baht(rule.threshold)}


@dataclass
class IncomeRuleRow:
    """One income-decided indicator as the form shows it: the rule, the messages for both
    sides of the threshold (with `{amount}` for the script to fill in as people type), and
    the message for the figures the form holds now."""

    rule: IncomeRule
    shown: bool
    hint: str
    below: str
    passes: str
    now: str = ""

    @property
    def threshold_satang(self) -> int:
        return int(self.rule.threshold * 100)


AMOUNT_SLOT = "{amount}"


def income_rule_rows(
    household: Household, income_year: Decimal | None, members_now: int | None
) -> list[IncomeRuleRow]:
    open_codes = open_problem_codes(household)
    decided = income_decisions(household.registry, income_year, members_now)
    rows = []
    for rule in income_rules(household.registry):
        shown = rule.code in open_codes
        row = IncomeRuleRow(
            rule=rule,
            shown=shown,
            hint=income_rule_hint(rule),
            below=income_message(rule, fails=True, shown=shown, amount=AMOUNT_SLOT),
            passes=income_message(rule, fails=False, shown=shown, amount=AMOUNT_SLOT),
        )
        if rule.code in decided:
            row.now = income_message(
                rule,
                fails=decided[rule.code],
                shown=shown,
                amount=baht(income_year / members_now),
            )
        rows.append(row)
    return rows


# ---------------------------------------------------------------- what approval would change


@dataclass
class HouseholdChange:
    household: Household
    verification: Verification | None
    kind: str
    result: str
    open_now: list[str]
    remove: list[str]
    add: list[str]
    status_from: str
    status_to: str
    dimension_of: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def changes_anything(self) -> bool:
        return bool(self.remove or self.add or self.status_from != self.status_to)

    @property
    def remove_items(self) -> list[tuple[str, str]]:
        return [(c, self.texts.get(c, c)) for c in self.remove]

    @property
    def add_items(self) -> list[tuple[str, str]]:
        return [(c, self.texts.get(c, c)) for c in self.add]

    @property
    def status_from_label(self) -> str:
        return str(Household.Status(self.status_from).label)

    @property
    def status_to_label(self) -> str:
        return str(Household.Status(self.status_to).label)

    @property
    def result_label(self) -> str:
        return str(Result(self.result).label) if self.result else ""


# The household's registry status after approval: the first rule that holds, in order.
# A moved household leaves whatever its problems; a household whose head died and where
# no one is left is closed; one with no problem left is an inclusion error (คนรั่วไหล);
# any other (including a new household from form ศจพ.2) is, or becomes, active.
STATUS_RULES: tuple[tuple[str, Any, str], ...] = (
    ("moved", lambda v, left: v is not None and v.household_status == "moved", "moved"),
    (
        "no one left",
        lambda v, left: (
            v is not None and v.household_status == "head_deceased" and v.members_now == 0
        ),
        "deceased",
    ),
    ("no problem left", lambda v, left: not left, "removed"),
    ("otherwise", lambda v, left: True, "active"),
)


def household_change(
    household: Household,
    verification: Verification | None,
    kind: str,
    dimension_of: dict[str, str],
    rules: list[IncomeRule] | tuple = (),
) -> HouseholdChange:
    """What approval does to one household: its marks after the income rule (`rules`; the
    service already refuses marks that disagree with it, this keeps any older record to the
    same rule), then the problems removed and added and the status that follows."""
    open_now = sorted(
        p.indicator for p in household.problems.all() if p.status == Problem.Status.OPEN
    )
    marks = verification.marks if verification else {}
    added = verification.added if verification else []
    result = ""
    if verification is not None:
        decided = {}
        for rule in rules:
            fails = results.income_fails(
                verification.income_year, verification.members_now, rule.threshold
            )
            if fails is not None:
                decided[rule.code] = fails
        marks, added = results.income_marks(marks, added, open_now, decided)
        result = results.result_category(marks, added)
    remove = [c for c in open_now if marks.get(c) == Mark.WRONG]
    add = [c for c in added if c not in open_now]
    left = (set(open_now) - set(remove)) | set(add)
    status_to = next(status for _, holds, status in STATUS_RULES if holds(verification, left))
    return HouseholdChange(
        household=household,
        verification=verification,
        kind=kind,
        result=result,
        open_now=open_now,
        remove=remove,
        add=add,
        status_from=household.status,
        status_to=status_to,
        dimension_of=dimension_of,
    )


def batch_changes(batch: Batch) -> list[HouseholdChange]:
    """For each household of the batch, what approval will do to the registry, or, once
    approved, what it did. The batch page shows exactly this list and
    `services.batch_approve` applies exactly it."""
    dimension_of = {i.code: i.dimension for i in batch.registry.catalogue.indicators}
    texts = indicator_texts(batch.registry)
    items = batch.items.select_related("household__registry", "verification").prefetch_related(
        Prefetch("household__problems", queryset=Problem.objects.order_by("indicator")),
        Prefetch(
            "household__members", queryset=Member.objects.filter(relation="head"), to_attr="heads"
        ),
    )
    rules = income_rules(batch.registry)
    changes = [
        household_change(item.household, item.verification, item.kind, dimension_of, rules)
        for item in items
    ]
    applied = batch_applied(batch)
    for change in changes:
        change.texts = texts
        done = applied.get(str(change.household.pk))
        if done is not None:
            change.remove = done["problems_removed"]
            change.add = done["problems_added"]
            change.status_from, change.status_to = done["status"]
    return changes


def batch_applied(batch: Batch) -> dict[str, dict]:
    """What approval wrote, per household id (as text), as recorded in its event."""
    if batch.state != Batch.State.APPROVED:
        return {}
    applied = batch.workflow.applying_events
    event = batch.events.filter(action__in=applied).order_by("-at", "-id").first()
    return (event.changes.get("per_household") or {}) if event else {}


# ---------------------------------------------------------------- batches


def batches_visible_to(user: Any) -> QuerySet[Batch]:
    """The batches inside the account's area (verification.policies.BatchPolicy `view`)."""
    return access.scope(user, Batch, "view")


def batch_steps(user: Any, batch: Batch) -> list[Step]:
    """The steps of the batch's workflow version this account may take on it now, in the
    order of the catalogue (its buttons), as the batch's policy answers for each."""
    policy = access.policy(Batch)
    return [
        step
        for step in batch.workflow.steps.values()
        if batch.state in step.from_states and policy.allows(user, step.name, batch)
    ]


def batch_actions(user: Any, batch: Batch) -> list[str]:
    """The names of the steps this account may take on this batch now."""
    return [step.name for step in batch_steps(user, batch)]


def user_may_resubmit(user: Any, batch: Batch) -> bool:
    return batch.state == Batch.State.RETURNED and access.allows(user, "resubmit", batch)


@dataclass
class BatchRow:
    batch: Batch
    area: str
    households: int
    actions: list[str]
    may_resubmit: bool


def batch_list(user: Any) -> list[tuple[str, str, list[BatchRow]]]:
    """The user's batches grouped by state, the states this user acts on first."""
    batches = list(batches_visible_to(user).select_related("registry"))
    counts = Counter(
        BatchItem.objects.filter(batch__in=[b.pk for b in batches]).values_list("batch", flat=True)
    )
    rows = [
        BatchRow(
            b,
            area_label(b.area_code),
            counts[b.pk],
            batch_actions(user, b),
            user_may_resubmit(user, b),
        )
        for b in batches
    ]
    mine = {r.batch.state for r in rows if r.actions or r.may_resubmit}
    order = sorted(Batch.State.values, key=lambda s: (s not in mine, Batch.State.values.index(s)))
    labels = dict(Batch.State.choices)
    return [
        (state, str(labels[state]), [r for r in rows if r.batch.state == state])
        for state in order
        if any(r.batch.state == state for r in rows)
    ]


def verification_areas(user: Any) -> list[tuple[str, str]]:
    """The verification areas to offer from the batch list: the account's own village or
    subdistrict, or the subdistricts of a district account's district."""
    if not getattr(user, "is_authenticated", False) or not user.can(roles.VIEW_HOUSEHOLDS):
        return []
    code = user.area_code
    if len(code) in (6, 8):
        return [(code, area_label(code))]
    if len(code) == 4:
        return [(a.code, a.full_name) for a in geo.area_children(code)]
    return []


def batch_events(batch: Batch) -> list:
    """The batch's history; each event's `label` is its batch's workflow version's."""
    events = list(batch.events.select_related("actor").order_by("at", "id"))
    for event in events:
        event.batch = batch
    return events


# ---------------------------------------------------------------- areas and progress


def area_label(code: str) -> str:
    """'หมู่ที่ 3 ตำบลเมืองศรีไค' / 'Village 3, Mueang Si Khai Subdistrict', or the code."""
    sub = code[:6]
    crumbs = geo.area_breadcrumb(sub) if len(sub) == 6 else []
    place = crumbs[-1].full_name if crumbs else sub
    if len(code) == 8:
        return geo.village_label(code[6:], place)
    return place


def area_for(user: Any, code: str) -> str:
    """A village or subdistrict code the account covers, or 404 (also for nonsense)."""
    if not (
        getattr(user, "is_authenticated", False)
        and user.can(roles.VIEW_HOUSEHOLDS)
        and code.isdigit()
        and len(code) in (6, 8)
        and user.covers(code)
        and geo.area_get(code[:6]) is not None
    ):
        raise Http404("no such area")
    return code


@dataclass
class AreaProgress:
    code: str
    label: str
    registry: RegistryYear | None
    households: list[Household]
    counts: dict[str, int]
    waiting: int  # verified or new households that the next submit would send
    batches: list[Batch]
    deadlines: list[DeadlineStatus]
    villages: list[tuple[str, str, int, int]]  # code, label, households, verified


def area_progress(user: Any, code: str, today: date | None = None) -> AreaProgress:
    registry = registry_latest()
    households: list[Household] = []
    if registry is not None:
        households = list(
            households_visible_to(user)
            .filter(scope_filter(code), registry=registry)
            .filter(status__in=(Household.Status.ACTIVE, Household.Status.PENDING))
            .select_related("verification")
            .prefetch_related(
                Prefetch(
                    "members", queryset=Member.objects.filter(relation="head"), to_attr="heads"
                )
            )
            .order_by("village_code", "house_no", "hh_id")
        )
    # Households of the area that approval has already settled (removed, moved…) count as done.
    settled = (
        households_visible_to(user)
        .filter(scope_filter(code), registry=registry, verification__state="approved")
        .exclude(status__in=(Household.Status.ACTIVE, Household.Status.PENDING))
        .count()
        if registry
        else 0
    )
    taken = set(
        BatchItem.objects.filter(batch__state__in=OPEN_BATCH_STATES).values_list(
            "household_id", flat=True
        )
    )
    states = certification_states(households)
    counts = Counter()
    waiting = 0
    villages: dict[str, list[int]] = {}
    for h in households:
        state = states[h.pk]
        h.certification_state = state
        h.certification_state_label = CERTIFICATION_STATE_LABELS[state]
        counts[state] += 1
        row = villages.setdefault(h.village_code, [0, 0])
        row[0] += 1
        if state != "not_verified":
            row[1] += 1
        if h.pk not in taken and state == Verification.State.DRAFT:
            waiting += 1
    counts["approved"] += settled
    total = len(households) + settled
    counts["total"] = total
    counts["verified"] = total - counts["not_verified"]
    done = {
        "verify": total > 0 and counts["not_verified"] == 0,
        "certify": total > 0 and counts["certified"] + counts["approved"] == total,
        "approve": total > 0 and counts["approved"] == total,
    }
    batches = (
        list(
            batches_visible_to(user).filter(
                Q(area_code__startswith=code) | Q(area_code=code[:6]), registry=registry
            )
        )
        if registry
        else []
    )
    return AreaProgress(
        code=code,
        label=area_label(code),
        registry=registry,
        households=households,
        counts=dict(counts),
        waiting=waiting,
        batches=batches,
        deadlines=deadline_statuses(
            registry.survey_year, done, today or timezone.localdate(), round_dates(registry)
        )
        if registry
        else [],
        villages=[
            (vc, area_label(vc), n, verified) for vc, (n, verified) in sorted(villages.items())
        ]
        if len(code) == 6
        else [],
    )


def round_dates(registry: RegistryYear) -> dict[str, date]:
    """The deadlines the round of `registry` has been given (step → date); the other steps
    keep the manual's dates (the workflow catalogue, `workflows/<version>.yaml`)."""
    return dict(RoundDeadline.objects.filter(registry=registry).values_list("step", "due"))


def batch_deadlines(batch: Batch, today: date | None = None) -> list[DeadlineStatus]:
    """The certification and approval deadlines of the batch's round."""
    state = batch.state
    done = {
        "verify": True,
        "certify": state in (Batch.State.CERTIFIED, Batch.State.APPROVED),
        "approve": state == Batch.State.APPROVED,
    }
    return [
        d
        for d in deadline_statuses(
            batch.registry.survey_year,
            done,
            today or timezone.localdate(),
            round_dates(batch.registry),
        )
        if d.step != "verify"
    ]


# ---------------------------------------------------------------- for the registry pages

# Verification status of a household, as the village register filters on it.
VERIFICATION_STATUSES = (
    ("not_verified", gettext_lazy("not verified yet")),
    *Verification.State.choices,
)


def verification_status_q(status: str) -> Q:
    """A filter over Household for one verification status (see VERIFICATION_STATUSES);
    an unknown status matches nothing rather than everything."""
    if status == "not_verified":
        return Q(verification__isnull=True)
    if status in Verification.State.values:
        return Q(verification__state=status)
    return Q(pk__in=[])


# Household type (column 6 of ศจพ.1) as recorded by the team, for the register's filter.
HOUSEHOLD_TYPES = (
    ("unclassified", gettext_lazy("not classified yet")),
    *Verification.HouseholdType.choices,
)


def household_type_q(household_type: str) -> Q:
    """A filter over Household for the type the team recorded (see HOUSEHOLD_TYPES)."""
    if household_type == "unclassified":
        return Q(verification__isnull=True)
    if household_type in Verification.HouseholdType.values:
        return Q(verification__household_type=household_type)
    return Q(pk__in=[])


def with_verification_status(queryset: QuerySet[Household]) -> QuerySet[Household]:
    """Adds `verification_status` (one of VERIFICATION_STATUSES) and `verification_result`
    to each household, in the same query."""
    return queryset.annotate(
        verification_status=Case(
            When(verification__isnull=True, then=Value("not_verified")),
            default="verification__state",
            output_field=CharField(),
        ),
        verification_result=Case(
            When(verification__isnull=True, then=Value("")),
            default="verification__result",
            output_field=CharField(),
        ),
    )
