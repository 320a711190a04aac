"""Two survey years with known help, for exact numbers (ADR 0036).

Runs built with the engine (the real pipeline on hand-made households, as engine tests
build them); every household of 2567 below is a target, so the registry 2567 holds all
eight. Village 34010101 (district 3401) holds A1-A6, village 34020101 (district 3402)
A7 and A8. I3 is low income, L2 drinking water, E2 a child out of school.

    hh  2567 fails  2568           I3       L2       target   stage 2568
    A1  I3          passes all     escaped  -        escaped  sufficient (พอเพียง)
    A2  I3          I3             still    -        still    -
    A3  I3          passes all     escaped  -        escaped  sufficient
    A4  I3          I3             still    -        still    -
    A5  I3          (not surveyed) left     -        left     -
    A6  L2          passes all     -        escaped  escaped  sufficient
    A7  I3          I3, L2         still    newly    still    -
    A8  E2          E2             -        -        still    sustainable (ยั่งยืน)

Help in the 2567 campaign year (January-December 2024), by office P (programme PA) and
office Q (no programme):
    A1  I3  P/PA  2 acts  5,000 baht (3,000 + 2,000)
    A2  I3  P/PA  1 act   3,000 baht
    A5  I3  Q     1 act   1,000 baht (left: not in the later survey)
    A6  living (no indicator)  Q  1 act 2,000 baht
Not counted: A1 I3 by P on 1 March 2025 (9,999 baht, the next campaign year); A4 I3 by
P 700 baht, withdrawn.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from cheepao.engine import pipeline
from cheepao.engine.tests.factories import household, member, tables

LOW = 30000


def _year(year: int) -> tuple[list[dict], list[dict]]:
    later = year == 2568
    y = {"year": year}
    hh = [
        household("A1", income=1e6 if later else LOW, **y),
        household("A2", income=LOW, **y),
        household("A3", income=1e6 if later else LOW, **y),
        household("A4", income=LOW, **y),
        household("A6", drinking_water_enough=later, **y),
        household("A7", subdistrict="340201", income=LOW, drinking_water_enough=not later, **y),
        household("A8", subdistrict="340201", **y),
    ]
    if not later:
        hh.append(household("A5", income=LOW, **y))
    mm = [member(h["hh_id"], 1, 40, relation="head", **y) for h in hh]
    mm.append(member("A8", 2, 10, compulsory_schooling=False, **y))
    return hh, mm


def _run(base: Path, year: int) -> Path:
    hh, mm = _year(year)
    h, m = tables(hh, mm)
    src = base / "survey" / str(year)
    src.mkdir(parents=True)
    pq.write_table(h, src / "households.parquet")
    pq.write_table(m, src / "members.parquet")
    out = base / "runs" / str(year)
    pipeline.run_compute(src / "households.parquet", src / "members.parquet", out)
    return out


@pytest.fixture(scope="session")
def two_years(tmp_path_factory) -> dict[int, Path]:
    base = tmp_path_factory.mktemp("evaluation")
    return {year: _run(base, year) for year in (2567, 2568)}


@pytest.fixture
def known_help(db, geography, two_years, settings, make_user):
    """The registry 2567 loaded, the known help recorded; returns names → objects."""
    from cheepao.accounts.models import Body
    from cheepao.core.context import Context
    from cheepao.households.models import Household, RegistryYear
    from cheepao.households.services import registry_load
    from cheepao.logbook.models import Entry, Programme

    settings.CHEEPAO_RUNS_DIR = two_years[2567].parent
    registry_load(ctx=Context.cli(), run=str(two_years[2567]))
    hs = {h.hh_id: h for h in Household.objects.all()}
    p = Body.objects.create(name="สำนักงาน พ", kind="agency", area_code="34")
    q = Body.objects.create(name="สำนักงาน ค", kind="agency", area_code="34")
    maker = make_user("province", "34")
    pa = Programme.objects.create(
        name="โครงการ ก", agency=p, budget_year=2567, budget=100000, registered_by=maker
    )

    def give(hh_id, day, value, *, agency, programme=None, indicator="I3", dimension="income"):
        h = hs[hh_id]
        return Entry.objects.create(
            household=h,
            village_code=h.village_code,
            part="help",
            occurred_on=day,
            help_kind="money",
            agency=agency,
            programme=programme,
            dimension=dimension,
            indicator=indicator,
            value=value,
            recorded_by=maker,
        )

    give("A1", date(2024, 3, 1), 3000, agency=p, programme=pa)
    give("A1", date(2024, 7, 1), 2000, agency=p, programme=pa)
    give("A2", date(2024, 5, 1), 3000, agency=p, programme=pa)
    give("A5", date(2024, 6, 1), 1000, agency=q)
    give("A6", date(2024, 8, 1), 2000, agency=q, indicator="", dimension="living")
    give("A1", date(2025, 3, 1), 9999, agency=p, programme=pa)
    wrong = give("A4", date(2024, 9, 1), 700, agency=p, programme=pa)
    Entry.objects.create(
        household=wrong.household,
        village_code=wrong.village_code,
        part="help",
        occurred_on=wrong.occurred_on,
        corrects=wrong,
        withdraws=True,
        recorded_by=maker,
    )
    return {
        "registry": RegistryYear.objects.get(survey_year=2567),
        "households": hs,
        "p": p,
        "q": q,
        "pa": pa,
        "after": two_years[2568],
        "maker": maker,
    }
