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
import http.client
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cheepao.config.settings")
    os.environ.setdefault("SECRET_KEY", "cheepao-bench-only")
    os.environ.setdefault("CHEEPAO_HTTPS", "0")
    import django

    django.setup()


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
    """One signed-in subdistrict account per busy subdistrict, with the pages it will open."""
    from django.db.models import Count
    from django.test import Client
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
        client = Client()
        client.force_login(user)
        villages: dict[str, list[int]] = {}
        for village, pk in Household.objects.filter(subdistrict_code=code).values_list(
            "village_code", "pk"
        ):
            villages.setdefault(village, []).append(pk)
        users.append(
            {
                "n": i,
                "cookie": f"sessionid={client.cookies['sessionid'].value}",
                "pages": [
                    (
                        reverse("households:village", args=[village]),
                        [reverse("households:folder", args=[pk]) for pk in pks],
                    )
                    for village, pks in villages.items()
                ],
            }
        )
    return users


def serve(port: int, workers: int) -> subprocess.Popen:
    env = os.environ | {"DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", "CHEEPAO_HTTPS": "0"}
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "cheepao.config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def drive(users: list[dict], port: int, warmup: float, seconds: float, think: float) -> dict:
    timings: dict[str, list[float]] = {"village": [], "folder": []}
    errors: list[str] = []
    lock = threading.Lock()
    start = time.perf_counter()
    measure_from = start + warmup
    stop_at = measure_from + seconds

    def user_loop(user: dict) -> None:
        rnd = random.Random(user["n"])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": user["cookie"], "Accept-Language": "th"}
        while time.perf_counter() < stop_at:
            village_url, folders = rnd.choice(user["pages"])
            for kind, url in (("village", village_url), ("folder", rnd.choice(folders))):
                t0 = time.perf_counter()
                status: int | str = "no answer"
                # A kept-alive connection the server closed while the user was reading is
                # opened again once, as a browser does; a second failure is an error.
                for attempt in (1, 2):
                    try:
                        conn.request("GET", url, headers=headers)
                        resp = conn.getresponse()
                        resp.read()
                        status = resp.status
                        break
                    except (OSError, http.client.HTTPException) as exc:
                        conn.close()
                        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                        status = repr(exc)
                        if attempt == 1:
                            t0 = time.perf_counter()
                t1 = time.perf_counter()
                with lock:
                    if status != 200:
                        errors.append(f"{url}: {status}")
                    elif t0 >= measure_from and t1 <= stop_at:
                        timings[kind].append((t1 - t0) * 1000)
                if think:
                    # A person reads the page before the next tap: 0.5-1.5 x the mean.
                    time.sleep(think * rnd.uniform(0.5, 1.5))

    threads = [threading.Thread(target=user_loop, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out = {}
    for kind, values in timings.items():
        out[kind] = {
            "requests": len(values),
            "p50_ms": round(percentile(values, 50), 1),
            "p95_ms": round(percentile(values, 95), 1),
            "p99_ms": round(percentile(values, 99), 1),
            "per_s": round(len(values) / seconds, 1),
        }
    out["errors"] = len(errors)
    out["error_samples"] = errors[:5]
    return out


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
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")):
        raise SystemExit("DATABASE_URL must point at PostgreSQL (use make bench-registry)")
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
    from django.core.management import call_command

    # Production serves hashed static files (whitenoise's manifest), as a deployment would.
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.db import connections

    connections.close_all()
    port = free_port()
    server = serve(port, args.workers)
    try:
        results["pages"] = drive(users, port, args.warmup, args.seconds, args.think)
        if args.also_no_think:
            results["pages_no_think"] = drive(users, port, args.warmup, args.seconds, 0.0)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
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
