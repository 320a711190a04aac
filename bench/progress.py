"""Monthly snapshots, dashboards and maps at national scale on PostgreSQL (issue 13, "Done
when"): the whole country's monthly snapshot built in <= 60 s; dashboard and map pages at
p95 <= 100 ms with 50 concurrent users.

  PATH=$PWD/.venv/bin:$PATH scripts/with-postgres python bench/progress.py
  PATH=$PWD/.venv/bin:$PATH scripts/with-postgres python bench/progress.py --scale 0.02 \
      --seconds 15   # a small trial

1. Set-up: the national registry, teams, agency offices, 2,000,000 Logbook entries and
   300,000 cases of bench/logbook.py (its `setup`, generated in SQL; see its docstring).
2. The snapshot: `manage.py snapshots_build --month <this month>` timed for the whole
   country, twice (the first also computes the month's statistics of help from the
   Logbook; the second is the same work again, on warm caches), then `--months` earlier
   months built the same way so dashboards have trends (their time is reported too).
3. Pages over HTTP (gunicorn, production settings, DEBUG off, `--workers` x 4 threads):
   `--users` signed-in people (default 50) for `--seconds` after `--warmup`, with `--think`
   seconds on a page: a national account on the country's dashboard and map, province
   accounts on their province's, district accounts on their district's, each opening in
   turn its dashboard (`/dashboard/<code>/`), its map (`/maps/<code>/`) and the boundaries
   that map's script fetches (`/maps/<code>/areas.geojson`). A page that does not answer
   200 before the run is skipped with a message.

Writes bench/results/progress-<stamp>.json. Figures in docs/benchmarks.md ("Dashboards,
maps and snapshots at national size").
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import random
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import logbook as logbook_bench  # noqa: E402
from bench._common import (  # noqa: E402
    Browser,
    drive,
    load_average,
    prepare_serving,
    require_postgres,
    serve,
    session_cookie,
    setup_django,
)


def be_month(month: date) -> str:
    return f"{month.year + 543}-{month.month:02d}"


def months_back(n: int) -> list[date]:
    """This month and the `n` before it, newest first."""
    today = date.today()
    y, m = today.year, today.month
    out = []
    for _ in range(n + 1):
        out.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out


def build(month: date) -> float:
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("snapshots_build", "--month", be_month(month), verbosity=0)
    seconds = round(time.perf_counter() - t0, 1)
    print(f"  snapshots_build --month {be_month(month)}: {seconds} s (load {load_average()})")
    return seconds


def run_snapshots(args: argparse.Namespace) -> dict:
    from django.core.management import get_commands

    if "snapshots_build" not in get_commands():
        message = "manage.py snapshots_build does not exist (snapshots not merged yet): skipped"
        print(f"  SKIPPED snapshots: {message}", flush=True)
        return {"skipped": message}
    from cheepao.snapshots.models import AreaMonth

    months = months_back(args.months)
    out: dict[str, Any] = {"this_month": be_month(months[0])}
    out["first_seconds"] = build(months[0])
    out["again_seconds"] = build(months[0])
    out["rows_per_month"] = AreaMonth.objects.filter(month=months[0]).count()
    out["earlier_months_seconds"] = {be_month(m): build(m) for m in months[1:]}
    return out


def _user(role: str, area_code: str, n: int) -> Any:
    from django_otp.plugins.otp_static.models import StaticDevice

    from cheepao.accounts.models import User

    user, _ = User.objects.get_or_create(
        username=f"bench-{role}-{area_code or 'th'}-{n}",
        defaults={"role": role, "area_code": area_code, "must_change_password": False},
    )
    if user.needs_two_factor:
        StaticDevice.objects.get_or_create(user=user, name="backup", defaults={"confirmed": True})
    return user


def _cookie(user: Any) -> str:
    """A signed-in session, the second factor passed where the role needs one."""
    from importlib import import_module

    from django.conf import settings
    from django_otp.plugins.otp_static.models import StaticDevice

    cookie = session_cookie(user)
    if user.needs_two_factor:
        key = cookie.split("=", 1)[1]
        store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
        store["otp_device_id"] = StaticDevice.objects.get(user=user).persistent_id
        store.save()
    return cookie


def make_users(n: int) -> list[dict]:
    """A tenth national, the rest province and district accounts of the largest areas,
    each on its area's dashboard and map in turn."""
    from django.db.models import Count

    from cheepao.households.models import Household

    provinces = [
        r["province_code"]
        for r in Household.objects.values("province_code")
        .annotate(n=Count("id"))
        .order_by("-n")[:10]
    ]
    districts = [
        r["district_code"]
        for r in Household.objects.values("district_code")
        .annotate(n=Count("id"))
        .order_by("-n")[:20]
    ]
    users = []
    for i in range(n):
        if i % 10 == 0:
            role, code = "national", ""
        elif i % 2:
            role, code = "province", provinces[i % len(provinces)]
        else:
            role, code = "district", districts[i % len(districts)]
        person = _user(role, code, i)
        dash = f"/dashboard/{code}/" if code else "/dashboard/"
        maps = f"/maps/{code}/" if code else "/maps/"
        # The boundaries of the areas that map draws (its children), fetched by its script.
        shapes = f"{maps}areas.geojson"
        users.append(
            {
                "n": i,
                "cookie": _cookie(person),
                "role": role,
                "pages": [
                    (f"dashboard ({role})", dash),
                    (f"map ({role})", maps),
                    (f"map boundaries ({role})", shapes),
                ],
            }
        )
    return users


def run_pages(args: argparse.Namespace) -> dict:
    users = make_users(args.users)
    prepare_serving()
    out: dict[str, Any] = {"users": len(users)}
    with serve(args.workers) as port:
        skipped: dict[str, str] = {}
        for role in dict.fromkeys(u["role"] for u in users):
            first = next(u for u in users if u["role"] == role)
            browser = Browser(port, first["cookie"])
            for kind, url in first["pages"]:
                status, _body, _, _ = browser.request("GET", url)
                if status != 200:
                    skipped[kind] = f"{url} answered {status}: skipped"
                    print(f"  SKIPPED {kind}: {skipped[kind]}", flush=True)
            browser.close()
        for u in users:
            u["pages"] = [(k, url) for k, url in u["pages"] if k not in skipped]
            u["visit"] = lambda rnd, pages=u["pages"]: [rnd.choice(pages)] if pages else []
        users = [u for u in users if u["pages"]]
        out["skipped"] = skipped
        if users:
            out["think"] = drive(users, port, args.warmup, args.seconds, args.think)
            print(json.dumps(out["think"], indent=2, ensure_ascii=False), flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="x national size (0.02: a trial)")
    ap.add_argument("--months", type=int, default=3, help="earlier months built for trends")
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--warmup", type=float, default=10)
    ap.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    ap.add_argument("--think", type=float, default=2.0, help="mean seconds on a page (0: none)")
    ap.add_argument("--skip", default="", help="comma list of snapshots,pages to leave out")
    ap.add_argument(
        "--no-setup",
        action="store_true",
        help="reuse the database DATABASE_URL points at (set up by an earlier run kept alive)",
    )
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    require_postgres("run under scripts/with-postgres")
    setup_django()
    logging.getLogger("axes").setLevel(logging.WARNING)
    # bench/logbook.py's national set-up, with its defaults.
    setup_args = argparse.Namespace(
        scale=args.scale,
        assigned=0.6,
        ministries=len(logbook_bench.MINISTRIES),
        entries=round(2_000_000 * args.scale),
        cases=round(300_000 * args.scale),
        inbox=2_000,
        big_household=400,
        small_household=40,
    )
    results: dict[str, Any] = {
        "machine": f"{platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}",
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "load_average_at_start": load_average(),
        "args": vars(args),
    }
    results["setup"] = "reused" if args.no_setup else logbook_bench.setup(setup_args)
    if "snapshots" not in skip:
        results["snapshots"] = run_snapshots(args)
    if "pages" not in skip:
        results["pages"] = run_pages(args)
    results["load_average_at_end"] = load_average()
    out = ROOT / "bench" / "results" / f"progress-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    print(f"results: {out}")


if __name__ == "__main__":
    random.seed(0)
    main()
