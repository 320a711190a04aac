"""Mentoring at scale: a 150-household village assigned in one call, and "my households".

  PATH=$PWD/.venv/bin:$PATH scripts/with-postgres python bench/mentoring.py
  python bench/mentoring.py --households 50000          (SQLite in a temporary file)

1. Migrates an empty database (PostgreSQL when DATABASE_URL is set, as `scripts/with-postgres`
   does; else a temporary SQLite file), loads the geography, and bulk-inserts a synthetic
   registry of `--households` active target households (default 300,000) in villages of
   150 across the country's subdistricts. No engine run: the registry rows are what the
   assignment and the lists read (households and their history), so they are inserted
   directly, which takes seconds instead of a national compute.
2. Appoints `--villages` teams (default 60), each of two civil servants with accounts and
   a student, and times `households_assign` of one 150-household village per team with a
   cap of 100 (all 150 assigned: bulk inserts of assignments, history events and audit
   rows). Reports p50/p95/max.
3. Each team member records one history event on a third of their households (their
   "contact"), then signs in and opens `/mentoring/mine/` `--requests` times in-process
   (Django test client: the view, its queries and the template, without a web server),
   reporting p50/p95.

Writes bench/results/mentoring-<stamp>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VILLAGE_SIZE = 150


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def setup(tmp: Path) -> str:
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cheepao.config.settings_test")
    os.environ.setdefault("SECRET_KEY", "cheepao-bench-only")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from cheepao.geo import services

    services.geography_load()
    return connection.vendor


def load_registry(n: int) -> list[str]:
    """`n` households in villages of 150; returns the village codes, biggest area first."""
    from cheepao.geo.models import Subdistrict
    from cheepao.households.models import Household, RegistryYear

    registry = RegistryYear.objects.create(
        survey_year=2568,
        run_path="bench",
        indicator_set_id="bench",
        indicator_set_version="1",
        indicator_set_sha256="0" * 64,
        profile="bench",
    )
    subdistricts = list(Subdistrict.objects.order_by("code").values_list("code", flat=True))
    villages = []
    rows = []
    for i in range(n):
        v = i // VILLAGE_SIZE
        sub = subdistricts[v % len(subdistricts)]
        code = f"{sub}{(v // len(subdistricts)) % 99 + 1:02d}"
        if not villages or villages[-1] != code:
            villages.append(code)
        rows.append(
            Household(
                registry=registry,
                hh_id=f"B{i:08d}",
                province_code=code[:2],
                district_code=code[:4],
                subdistrict_code=code[:6],
                village_no=int(code[6:]),
                village_code=code,
                house_no=str(i % VILLAGE_SIZE + 1),
            )
        )
        if len(rows) == 20_000:
            Household.objects.bulk_create(rows)
            rows = []
    Household.objects.bulk_create(rows)
    analyze()
    return villages


def analyze() -> None:
    """Statistics for the rows just inserted (as `registry_load` does), on PostgreSQL."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (
                "households_household",
                "households_householdevent",
                "mentoring_assignment",
            ):
                cursor.execute(f"ANALYZE {table}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=300_000)
    parser.add_argument("--villages", type=int, default=60)
    parser.add_argument("--requests", type=int, default=10, help="per mentor")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        vendor = setup(Path(tmp))
        from django.test import Client
        from django.test.utils import setup_test_environment

        from cheepao.accounts.models import User
        from cheepao.core.context import Context
        from cheepao.households.services import history_record_many
        from cheepao.mentoring import services
        from cheepao.mentoring.models import Assignment

        setup_test_environment()
        t0 = time.perf_counter()
        villages = load_registry(args.households)
        load_s = time.perf_counter() - t0
        print(
            f"{vendor}: {args.households:,} households in {len(villages):,} villages, {load_s:.1f} s"
        )

        chosen = villages[:: max(1, len(villages) // args.villages)][: args.villages]
        assign_ms, mentors = [], []
        for n, village in enumerate(chosen):
            district = User.objects.create(
                username=f"d{n}", role="district", area_code=village[:4], must_change_password=False
            )
            people = [
                User.objects.create(
                    username=f"m{n}-{k}",
                    role="mentor",
                    area_code=village,
                    must_change_password=False,
                )
                for k in range(2)
            ]
            ctx = Context.cli(district)
            team = services.team_appoint(
                ctx=ctx,
                subdistrict_code=village[:6],
                name=f"ทีม {n}",
                members=[
                    {"user": people[0], "kind": "civil_servant", "is_lead": True},
                    {"user": people[1], "kind": "civil_servant"},
                    {"name": "นักศึกษา", "kind": "student"},
                ],
            )
            start = time.perf_counter()
            result = services.households_assign(ctx=ctx, team=team, village_code=village, cap=100)
            assign_ms.append((time.perf_counter() - start) * 1000)
            assert result.assigned == VILLAGE_SIZE, result
            for person in people:
                mine = list(
                    Assignment.objects.filter(mentor__user=person).values_list(
                        "household_id", flat=True
                    )
                )
                history_record_many(
                    ctx=Context.cli(person),
                    kind="mentoring.assigned",
                    events=[(h, {}) for h in mine[::3]],
                    team=team.name,
                    mentor=person.username,
                )
            mentors.extend(people)

        analyze()
        page_ms = []
        for person in mentors:
            client = Client()
            client.force_login(person)
            client.get("/mentoring/mine/")  # warm
            for _ in range(args.requests):
                start = time.perf_counter()
                response = client.get("/mentoring/mine/")
                page_ms.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200

        result = {
            "database": vendor,
            "households": args.households,
            "villages": len(villages),
            "load_seconds": round(load_s, 1),
            "assign_150_ms": {
                "n": len(assign_ms),
                "p50": round(percentile(assign_ms, 50), 1),
                "p95": round(percentile(assign_ms, 95), 1),
                "max": round(max(assign_ms), 1),
            },
            "my_households_ms": {
                "n": len(page_ms),
                "p50": round(percentile(page_ms, 50), 1),
                "p95": round(percentile(page_ms, 95), 1),
                "max": round(max(page_ms), 1),
            },
            "machine": f"{platform.machine()} {os.cpu_count()} cpus, {platform.python_version()}",
        }
        print(json.dumps(result, indent=2))
        out = ROOT / "bench" / "results"
        out.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        (out / f"mentoring-{stamp}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
