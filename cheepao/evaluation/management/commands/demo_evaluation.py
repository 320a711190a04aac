"""The evaluation for the demo (`make demo`, after demo_helpstats): the earlier survey year
(2567) loaded as a registry year too, known help recorded on some of its households in
its campaign year, and the evaluation 2567 → 2568 computed (ADR 0036).

`registry_latest` orders by survey year, so loading 2567 after 2568 leaves 2568 the
working registry. The Logbook's mentor verb (`care`) reaches only households assigned to
a mentor, and mentoring assigns households of the latest registry only; the way the
verbs allow for a household of an earlier registry is the agency's: the district centre
opens a case on the household's registry problem and refers it to the demo agency
office, which accepts it and records its help (`serve`), all through routing's and the
Logbook's own services with the demo accounts as actors.

Known help: the first HOUSEHOLDS households (by village, then id) of 2567 in the demo
district with an open problem; every other one of them (1st, 3rd, ...) gets one act of
help of 5,000 baht on 15 June 2024 (2567 BE) for its first open problem, under the
programme "(สาธิต) ช่วยเหลือครัวเรือนเป้าหมาย 2567".

Idempotent: the registry is loaded once, cases and referrals are found before they are
made, help entries carry uids made from the household (uuid5), and the evaluation is
computed again whole.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from cheepao.core.context import Context
from cheepao.evaluation import services
from cheepao.households.models import Household, Problem, RegistryYear
from cheepao.households.services import registry_load
from cheepao.logbook import services as logbook
from cheepao.logbook.models import Programme
from cheepao.routing import services as routing
from cheepao.routing.models import Case, Referral

NAMESPACE = uuid.UUID("2f0b7c0e-7d55-4d0f-a3a1-4f2b1a6e9c13")
HOUSEHOLDS = 12
DAY = date(2024, 6, 15)  # 15 มิถุนายน 2567
BAHT = "5000"
PROGRAMME = "(สาธิต) ช่วยเหลือครัวเรือนเป้าหมาย 2567"


class Command(BaseCommand):
    help = "Two survey years evaluated: 2567 loaded, known help on it, 2567 → 2568 (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--province", default="34")
        parser.add_argument("--before", type=int, default=2567)
        parser.add_argument("--after", type=int, default=2568)
        parser.add_argument("--runs", default=None, help="runs directory (CHEEPAO_RUNS_DIR)")

    def handle(self, *args, province: str, before: int, after: int, runs: str | None, **options):
        runs_dir = Path(runs or settings.CHEEPAO_RUNS_DIR)
        before_run, after_run = runs_dir / str(before), runs_dir / str(after)
        if (
            not (before_run / "manifest.json").exists()
            or not (after_run / "manifest.json").exists()
        ):
            self.stdout.write(f"demo_evaluation: runs {before} and {after} not in {runs_dir}.")
            return
        users = get_user_model()
        named = {
            u.username: u
            for u in users.objects.filter(
                username__in=["demo-district", "demo-agency"], is_active=True
            )
        }
        if len(named) < 2 or named["demo-agency"].body is None:
            self.stdout.write("demo_evaluation: no demo accounts; run demo_accounts first.")
            return
        district, agency = named["demo-district"], named["demo-agency"]
        registry = RegistryYear.objects.filter(survey_year=before).order_by("-version").first()
        if registry is None:
            registry_load(ctx=Context.cli(), run=str(before_run))
            registry = RegistryYear.objects.get(survey_year=before)
        helped = self._help(registry, province, district, agency)
        ev = services.evaluation_compute(
            ctx=Context.cli(), registry=registry, after_run_path=str(after_run)
        )
        self.stdout.write(
            f"demo_evaluation: help on {len(helped)} households of {before} "
            f"({', '.join(helped)}); evaluation {ev.before_year}→{ev.after_year}: "
            f"{ev.households} households followed, {ev.found} found."
        )

    def _help(self, registry, province, district, agency) -> list[str]:
        office = agency.body
        programme = Programme.objects.filter(
            agency=office, name=PROGRAMME, budget_year=registry.survey_year
        ).first() or logbook.programme_register(
            ctx=Context.cli(agency), name=PROGRAMME, budget_year=registry.survey_year,
            budget="1000000",
        )  # fmt: skip
        chosen = list(
            Household.objects.filter(
                registry=registry,
                province_code=province,
                district_code__startswith=district.area_code,
                status=Household.Status.ACTIVE,
                problems__status=Problem.Status.OPEN,
            )
            .distinct()
            .order_by("village_code", "pk")[:HOUSEHOLDS]
        )
        helped = []
        for household in chosen[::2]:
            problem = (
                Problem.objects.filter(household=household)
                .exclude(indicator="")
                .order_by("indicator")
            ).first()
            if problem is None:
                continue
            case = Case.objects.filter(household=household, indicator=problem.indicator).first()
            if case is None:
                case = routing.case_open(
                    ctx=Context.cli(district),
                    household_id=household.pk,
                    dimension=problem.dimension,
                    indicator=problem.indicator,
                    problem_id=problem.pk,
                )
            referral = Referral.objects.filter(case=case, agency=office).first()
            if referral is None:
                referral = routing.referral_send(
                    ctx=Context.cli(district), case_id=case.pk, agency_id=office.pk
                )
            if referral.state == Referral.State.PENDING:
                routing.referral_accept(ctx=Context.cli(agency), referral_id=referral.pk)
            logbook.help_record(
                ctx=Context.cli(agency),
                household_id=household.pk,
                occurred_on=DAY,
                dimension=problem.dimension,
                indicator=problem.indicator,
                help_kind="money",
                programme=programme.pk,
                value=BAHT,
                note="ความช่วยเหลือสาธิตสำหรับการประเมินผล",
                uid=uuid.uuid5(NAMESPACE, f"{household.uid}:1"),
            )
            helped.append(household.hh_id)
        return helped
