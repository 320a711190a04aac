"""The evaluation's one write: an evaluation computed again whole (ADR 0036).

`evaluation_compute` follows the households of a registry year (the year the help was
given) into a later engine run by `hh_id` (the engine's `outcomes`: per indicator, per
dimension and for the target status, escaped / still / newly / never / left, and the
later year's stage word), joins each with the help the Logbook counted for it in that
registry's campaign year (acts, baht), and replaces the evaluation's Outcome rows in one
transaction. Rows are kept where there is something to say: deprived in either year (or,
for a household not in the later survey, a problem of the registry), or helped.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_noop

from cheepao.audit.services import audit_record
from cheepao.audit.summaries import say
from cheepao.core.context import Context
from cheepao.core.errors import Invalid, Refused
from cheepao.core.thai import gregorian_year
from cheepao.engine import api as engine
from cheepao.evaluation import errors, policies
from cheepao.evaluation.models import TARGET, Evaluation, Outcome
from cheepao.helpstats.targets import catalogue as targets_catalogue
from cheepao.households.models import Household, Problem, RegistryYear
from cheepao.logbook.models import Entry

BATCH = 5_000
DEPRIVED = {"escaped", "still", "newly"}
STAGE = {
    "survives": Outcome.Stage.SURVIVES,
    "sufficient": Outcome.Stage.SUFFICIENT,
    "sustainable": Outcome.Stage.SUSTAINABLE,
    "": Outcome.Stage.NONE,
}


def campaign_year(survey_year: int) -> tuple[date, date]:
    """[first day, first day of the next) of the campaign year of a registry of BE
    `survey_year`: the year of the letters' targets (helpstats/targets, `year_starts_month`)
    that the survey year names."""
    start_month = targets_catalogue().year_starts_month
    year = gregorian_year(survey_year)
    return date(year, start_month, 1), date(year + 1, start_month, 1)


def help_of(registry: RegistryYear) -> dict[tuple[int, str], tuple[int, Decimal]]:
    """(household pk, subject) → (acts, baht) of the Logbook's counting help entries of the
    registry's campaign year: per indicator, per dimension, and TARGET (all help)."""
    start, end = campaign_year(registry.survey_year)
    rows = (
        Entry.objects.counting()
        .filter(
            part=Entry.Part.HELP,
            household__registry=registry,
            occurred_on__gte=start,
            occurred_on__lt=end,
        )
        .order_by()
        .values("household_id", "indicator", "dimension")
        .annotate(n=Count("pk"), baht=Sum("value"))
    )
    out: dict[tuple[int, str], list[Any]] = defaultdict(lambda: [0, Decimal(0)])
    for r in rows:
        subjects = {TARGET, r["dimension"]} | ({r["indicator"]} if r["indicator"] else set())
        for subject in subjects - {""}:
            line = out[(r["household_id"], subject)]
            line[0] += r["n"]
            line[1] += r["baht"] or Decimal(0)
    return {k: (v[0], v[1]) for k, v in out.items()}


def _registry(registry: Any) -> RegistryYear:
    if isinstance(registry, RegistryYear):
        return registry
    found = RegistryYear.objects.filter(pk=registry).first()
    if found is None:
        raise Invalid(errors.NO_REGISTRY, year=str(registry))
    return found


def _open(path: str, code: str, **args: Any) -> Any:
    from cheepao.households.services import run_checked  # the registry's own check

    try:
        return run_checked(str(path))
    except engine.RunNotFound:
        raise Invalid(code, run=str(path), **args) from None


def evaluation_compute(*, ctx: Context, registry: Any, after_run_path: str | Path) -> Evaluation:
    """Compute the evaluation of `registry` (a RegistryYear or its pk) against the later
    engine run at `after_run_path` again, whole. Refused, writing nothing: an account that
    is not national or province (`evaluation.not_permitted`), no run there, the registry's
    own run gone, a run read with another catalogue than its own, an after year not later
    than the registry's, or runs of different indicator sets."""
    if ctx.user is not None and not policies.may_compute(ctx.user):
        raise Refused(errors.NOT_PERMITTED)
    registry = _registry(registry)
    after = _open(str(after_run_path), errors.RUN_NOT_FOUND)
    if after.survey_year <= registry.survey_year:
        raise Invalid(
            errors.NOT_LATER, before=str(registry.survey_year), after=str(after.survey_year)
        )
    if registry.indicator_set_id != after.catalogue.id:
        raise Invalid(
            errors.OTHER_INDICATORS,
            before=f"{registry.indicator_set_id}@v{registry.indicator_set_version}",
            after=after.catalogue.name,
        )
    before = _open(registry.run_path, errors.BEFORE_RUN_NOT_FOUND, year=str(registry.survey_year))
    try:
        table = engine.outcomes(before, after)
    except engine.EngineError:
        raise Invalid(
            errors.OTHER_INDICATORS, before=before.catalogue.name, after=after.catalogue.name
        ) from None
    subjects = engine.outcome_subjects(after.catalogue)
    households = dict(
        Household.objects.filter(registry=registry)
        .exclude(status=Household.Status.REMOVED)
        .values_list("hh_id", "pk")
    )
    problems: dict[int, set[str]] = defaultdict(set)
    for hh, indicator, dimension in Problem.objects.filter(
        household__registry=registry
    ).values_list("household_id", "indicator", "dimension"):
        problems[hh] |= {indicator, dimension, TARGET}
    helped = help_of(registry)
    now = timezone.now()
    rows: list[Outcome] = []
    followed = found = 0
    with transaction.atomic():
        evaluation, _created = Evaluation.objects.update_or_create(
            registry=registry,
            after_year=after.survey_year,
            defaults={
                "before_year": registry.survey_year,
                "after_run_path": str(after.path),
                "after_run_created_at": str(after.manifest.get("created_at", ""))[:40],
                "catalogue": after.catalogue.name,
                "computed_at": now,
                "computed_by": ctx.user,
            },
        )
        evaluation.outcomes.all().delete()
        for r in table.itertuples(index=False):
            pk = households.get(r.hh_id)
            if pk is None:
                continue
            followed += 1
            found += r.s_target != "left"
            for subject in subjects:
                status = getattr(r, f"s_{subject}")
                acts, baht = helped.get((pk, subject), (0, Decimal(0)))
                keep = (
                    status in DEPRIVED
                    or acts > 0
                    or subject == TARGET
                    or (status == "left" and subject in problems[pk])
                )
                if not keep:
                    continue
                rows.append(
                    Outcome(
                        evaluation=evaluation,
                        household_id=pk,
                        village_code=r.village_code,
                        subject=subject,
                        status=status,
                        helped=acts > 0,
                        acts=acts,
                        baht=baht,
                        stage=STAGE[r.stage] if subject == TARGET else "",
                    )
                )
        Outcome.objects.bulk_create(rows, batch_size=BATCH)
        evaluation.households = followed
        evaluation.found = found
        evaluation.save(update_fields=["households", "found"])
        audit_record(
            ctx=ctx,
            action="update",
            obj=evaluation,
            summary=say(
                gettext_noop(
                    "evaluation of the registry %(before)s against the survey %(after)s "
                    "computed: %(households)s households followed, %(found)s found"
                ),
                before=str(registry.survey_year),
                after=str(after.survey_year),
                households=followed,
                found=found,
            ),
            changes={
                "registry": registry.pk,
                "after_run": str(after.path),
                "households": followed,
                "found": found,
                "outcomes": len(rows),
            },
        )
    return evaluation
