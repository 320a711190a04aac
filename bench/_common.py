"""What the page benchmarks share: Django set-up, signed-in session cookies, gunicorn with the
production settings (DEBUG off) and simulated users over HTTP with p50/p95/p99 per page.

Used by bench/registry_pages.py (registry pages) and bench/mentoring.py (mentoring and
plan pages); the percentile is the nearest-rank one every bench reports.
"""

from __future__ import annotations

import http.client
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile (q in 0..100) of `values`."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary(values: list[float], seconds: float | None = None) -> dict[str, Any]:
    """Count, p50/p95/p99 and max of `values` (milliseconds), and the rate if timed."""
    out: dict[str, Any] = {
        "requests": len(values),
        "p50_ms": round(percentile(values, 50), 1),
        "p95_ms": round(percentile(values, 95), 1),
        "p99_ms": round(percentile(values, 99), 1),
        "max_ms": round(max(values), 1) if values else float("nan"),
    }
    if seconds:
        out["per_s"] = round(len(values) / seconds, 1)
    return out


def setup_django() -> None:
    """Django with the production settings (what gunicorn serves), for the set-up steps."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cheepao.config.settings")
    os.environ.setdefault("SECRET_KEY", "cheepao-bench-only")
    os.environ.setdefault("CHEEPAO_HTTPS", "0")
    import django

    django.setup()


def require_postgres(hint: str) -> None:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")):
        raise SystemExit(f"DATABASE_URL must point at PostgreSQL ({hint})")


def session_cookie(user: Any) -> str:
    """A signed-in session of `user` (as after the sign-in page), as a Cookie header."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def prepare_serving() -> None:
    """Collect the hashed static files production serves and let go of the set-up's
    database connections before the server forks."""
    from django.core.management import call_command
    from django.db import connections

    call_command("collectstatic", interactive=False, verbosity=0)
    connections.close_all()


@contextmanager
def serve(workers: int, threads: int = 4) -> Iterator[int]:
    """gunicorn on a free port with the production settings, DEBUG off; yields the port."""
    port = free_port()
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
            str(threads),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(150):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not start")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


class Browser:
    """One person's keep-alive connection with their session cookie. A connection the
    server closed while the person was reading is opened again once, as a browser does."""

    def __init__(self, port: int, cookie: str) -> None:
        self.port = port
        self.headers = {"Cookie": cookie, "Accept-Language": "th"}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}  # what the server set (csrftoken)

    def request(
        self, method: str, url: str, body: str | None = None, headers: dict | None = None
    ) -> tuple[int | str, bytes, float, float]:
        """(status, body, start, end) of one request; status is the error text if none."""
        all_headers = self.headers | (headers or {})
        t0 = time.perf_counter()
        status: int | str = "no answer"
        data = b""
        for attempt in (1, 2):
            try:
                self.conn.request(method, url, body=body, headers=all_headers)
                resp = self.conn.getresponse()
                data = resp.read()
                status = resp.status
                for header in resp.msg.get_all("Set-Cookie") or []:
                    name, _, value = header.split(";", 1)[0].partition("=")
                    self.cookies[name.strip()] = value
                break
            except (OSError, http.client.HTTPException) as exc:
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                status = repr(exc)
                if attempt == 1:
                    t0 = time.perf_counter()
        return status, data, t0, time.perf_counter()

    def close(self) -> None:
        self.conn.close()


#: One simulated user: its number (the seed of its choices), its session cookie, and
#: `visit(rnd)`, the (page kind, url) it opens next, in order.
User = dict[str, Any]


def drive(
    users: list[User], port: int, warmup: float, seconds: float, think: float
) -> dict[str, Any]:
    """Every user in its own thread opens its pages over and over for `warmup + seconds`,
    pausing `think` seconds on average on each page (0: none, a stress test); the pages
    answered within the measured window are timed per kind. Every page must answer 200."""
    timings: dict[str, list[float]] = {}
    errors: list[str] = []
    lock = threading.Lock()
    start = time.perf_counter()
    measure_from = start + warmup
    stop_at = measure_from + seconds

    def user_loop(user: User) -> None:
        rnd = random.Random(user["n"])
        browser = Browser(port, user["cookie"])
        while time.perf_counter() < stop_at:
            for kind, url in user["visit"](rnd):
                status, _body, t0, t1 = browser.request("GET", url)
                with lock:
                    if status != 200:
                        errors.append(f"{url}: {status}")
                    elif t0 >= measure_from and t1 <= stop_at:
                        timings.setdefault(kind, []).append((t1 - t0) * 1000)
                if think:
                    # A person reads the page before the next tap: 0.5-1.5 x the mean.
                    time.sleep(think * rnd.uniform(0.5, 1.5))
                if time.perf_counter() >= stop_at:
                    break
        browser.close()

    threads = [threading.Thread(target=user_loop, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out: dict[str, Any] = {kind: summary(values, seconds) for kind, values in timings.items()}
    out["errors"] = len(errors)
    out["error_samples"] = errors[:5]
    return out


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


Visit = Callable[[random.Random], list[tuple[str, str]]]
