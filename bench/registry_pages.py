"""Registry at national scale on PostgreSQL: load time, then page latency under 20 users.

  make bench-registry     (runs this under scripts/with-postgres, a throwaway cluster)

1. Takes a national engine run (default var/bench/runs/national, made by `make bench`;
   `--run` for another), migrates an empty PostgreSQL database, loads the geography and
   times `registry_load` of the whole national target list.
2. Makes one subdistrict-team account in each of the `--users` subdistricts with the most
   target households, signs each in, and starts gunicorn (production settings, DEBUG off).
3. Each simulated user, in its own thread with its own keep-alive connection, repeatedly
   opens a random village register of its subdistrict and then a random household folder
   of that village, pausing `--think` seconds on average on each page as a person does,
   for `--seconds` after a warm-up; every request must answer 200. `--also-no-think`
   repeats it with no pause at all (20 requests always in flight: a stress test).
4. Prints and stores (bench/results/registry-<stamp>.json) p50/p95/p99 per page.

Needs DATABASE_URL pointing at PostgreSQL; refuses SQLite (the target is production's).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    ROOT,
    drive,
    prepare_serving,
    require_postgres,
    serve,
    session_cookie,
    setup_django,
)


def load(run: Path) -> dict:
    from django.core.management import call_command

    from cheepao.core.context import Context
    from cheepao.geo import services as geo
    from cheepao.households import services

    call_command("migrate", verbosity=0)
    geo.geography_load()
    start = time.perf_counter()
    result = services.registry_load(ctx=Context.cli(), run=str(run))
    seconds = time.perf_counter() - start
    print(
        f"registry load: {result.households_created:,} households, "
        f"{result.members_created:,} members, {result.problems_created:,} problems "
        f"in {seconds:.1f} s",
        flush=True,
    )
    return {
        "seconds": round(seconds, 1),
        "households": result.households_created,
        "members": result.members_created,
        "problems": result.problems_created,
    }


def make_users(n: int) -> list[dict]:
    """One signed-in subdistrict account per busy subdistrict, with the pages it will open:
    a random village register of its subdistrict, then a random household folder of it."""
    from django.db.models import Count
    from django.urls import reverse

    from cheepao.accounts.models import User
    from cheepao.households.models import Household

    busiest = (
        Household.objects.values("subdistrict_code").annotate(n=Count("id")).order_by("-n")[:n]
    )
    users = []
    for i, row in enumerate(busiest):
        code = row["subdistrict_code"]
        user, _ = User.objects.update_or_create(
            username=f"bench-{code}",
            defaults={"role": "subdistrict", "area_code": code, "must_change_password": False},
        )
        villages: dict[str, list[int]] = {}
        for village, pk in Household.objects.filter(subdistrict_code=code).values_list(
            "village_code", "pk"
        ):
            villages.setdefault(village, []).append(pk)
        pages = [
            (
                reverse("households:village", args=[village]),
                [reverse("households:folder", args=[pk]) for pk in pks],
            )
            for village, pks in villages.items()
        ]

        def visit(rnd, pages=pages):
            village_url, folders = rnd.choice(pages)
            return [("village", village_url), ("folder", rnd.choice(folders))]

        users.append({"n": i, "cookie": session_cookie(user), "visit": visit})
    return users


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", default=str(ROOT / "var" / "bench" / "runs" / "national"))
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--warmup", type=float, default=10)
    ap.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    ap.add_argument(
        "--think",
        type=float,
        default=2.0,
        help="mean seconds a user spends on a page before the next request (0: none)",
    )
    ap.add_argument("--also-no-think", action="store_true", help="then again with no pause")
    ap.add_argument("--skip-load", action="store_true", help="the database is already loaded")
    args = ap.parse_args()
    require_postgres("use make bench-registry")
    run = Path(args.run)
    if not (run / "manifest.json").exists():
        raise SystemExit(f"no engine run at {run}: run `make bench` first, or pass --run")
    setup_django()
    results: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "run": str(run),
    }
    if not args.skip_load:
        results["load"] = load(run)
    users = make_users(args.users)
    # Production serves hashed static files (whitenoise's manifest), as a deployment would.
    prepare_serving()
    with serve(args.workers) as port:
        results["pages"] = drive(users, port, args.warmup, args.seconds, args.think)
        if args.also_no_think:
            results["pages_no_think"] = drive(users, port, args.warmup, args.seconds, 0.0)
    results["users"] = len(users)
    results["gunicorn_workers"] = args.workers
    results["think_s"] = args.think
    print(json.dumps({k: v for k, v in results.items() if k.startswith("pages")}, indent=2))
    out = ROOT / "bench" / "results" / f"registry-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
