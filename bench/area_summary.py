"""The area read model at national scale on PostgreSQL (ADR 0020).

  scripts/with-postgres .venv/bin/python bench/area_summary.py [--run DIR]

1. Migrates an empty PostgreSQL database, loads the geography and loads the national
   target list of a run (default var/bench/runs/national, made by `make bench`) with
   `registry_load`, which builds the area summary at its end.
2. Times `area_summary_build` alone (`--builds` times: the median), counting its queries.
   Checks first that the summary of the fresh load is the run's register, cell for cell.
3. Times `area_summary_refresh` of the villages of one subdistrict, as one approved batch
   refreshes them (`--refreshes` times: the median), and checks that the figures it leaves
   equal those of a full build.
4. Prints and stores bench/results/area-summary-<stamp>.json.

Needs DATABASE_URL pointing at PostgreSQL; refuses SQLite (the target is production's).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cheepao.config.settings")
    os.environ.setdefault("SECRET_KEY", "cheepao-bench-only")
    os.environ.setdefault("CHEEPAO_HTTPS", "0")
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--run", type=Path, default=ROOT / "var" / "bench" / "runs" / "national")
    parser.add_argument("--builds", type=int, default=3)
    parser.add_argument("--refreshes", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("DATABASE_URL must point at PostgreSQL (run under scripts/with-postgres)")
    setup_django()

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from cheepao.core.context import Context
    from cheepao.geo import services as geo
    from cheepao.households import services
    from cheepao.households.models import AreaSummary, Household, RegistryYear

    call_command("migrate", verbosity=0)
    geo.geography_load()
    start = time.perf_counter()
    loaded = services.registry_load(ctx=Context.cli(), run=str(args.run))
    load_s = time.perf_counter() - start
    registry = RegistryYear.objects.get(survey_year=loaded.survey_year)
    areas = AreaSummary.objects.filter(registry=registry).count()
    print(
        f"registry load (with the summary): {loaded.households_created:,} households, "
        f"{loaded.members_created:,} members in {load_s:.1f} s; {areas:,} areas",
        flush=True,
    )

    # The summary of a fresh load is the run's register, cell for cell, at every level.
    import pandas as pd

    from cheepao.engine import api
    from cheepao.households import areas as read_model

    run = api.open_run(args.run)
    for level in api.REGISTER_LEVELS:
        pd.testing.assert_frame_equal(
            read_model.register_counts(registry, level).reset_index(drop=True),
            run.register(level).reset_index(drop=True),
            check_dtype=False,
        )
    print("the summary equals the run's register at every level", flush=True)

    builds, queries = [], 0
    for _ in range(args.builds):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            services.area_summary_build(ctx=Context.cli(), registry=registry)
            builds.append(time.perf_counter() - start)
        queries = len(captured)
    print(f"full build: {[round(b, 2) for b in builds]} s, {queries} queries", flush=True)

    busiest = (
        Household.objects.filter(registry=registry)
        .values("subdistrict_code")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["subdistrict_code"]
    )
    villages = sorted(
        set(
            Household.objects.filter(subdistrict_code=busiest).values_list(
                "village_code", flat=True
            )
        )
    )
    refreshes = []
    for _ in range(args.refreshes):
        start = time.perf_counter()
        services.area_summary_refresh(registry=registry, village_codes=villages)
        refreshes.append(time.perf_counter() - start)
    fields = ["level", "area_code", "target_households", "target_persons", "dimensions"]
    refreshed = list(AreaSummary.objects.filter(registry=registry).order_by("pk").values(*fields))
    services.area_summary_build(ctx=Context.cli(), registry=registry)
    rebuilt = list(AreaSummary.objects.filter(registry=registry).order_by("pk").values(*fields))
    key = lambda rows: sorted(rows, key=lambda r: (r["level"], r["area_code"]))  # noqa: E731
    assert key(refreshed) == key(rebuilt), "a refresh left figures a full build does not"
    print(
        f"refresh of subdistrict {busiest} ({len(villages)} villages): "
        f"{[round(r * 1000) for r in refreshes]} ms",
        flush=True,
    )

    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "run": str(args.run),
        "households": loaded.households_created,
        "members": loaded.members_created,
        "areas": areas,
        "load_with_summary_s": round(load_s, 1),
        "build_s": [round(b, 2) for b in builds],
        "build_median_s": round(statistics.median(builds), 2),
        "build_queries": queries,
        "refresh_villages": len(villages),
        "refresh_ms": [round(r * 1000) for r in refreshes],
        "refresh_median_ms": round(statistics.median(refreshes) * 1000),
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    (out / f"area-summary-{stamp}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
