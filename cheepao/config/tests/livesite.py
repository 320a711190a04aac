"""A real multi-process site for the tests that need one: a database of its own (an SQLite
file, or a fresh database on the PostgreSQL server of DATABASE_URL), gunicorn with several
worker processes in front of it, and phones that open form ศจพ.1 and submit it at once.

The test database of pytest-django cannot serve here: on SQLite it lives in the memory of
the test process, which other processes cannot open. So the site is prepared the way an
installation is (migrate, load_geography, load_registry) in a child process, and the tests
and `bench/concurrent_saves.py` talk to it over HTTP only.

    python -m cheepao.config.tests.livesite setup --run RUN_DIR --households N
    python -m cheepao.config.tests.livesite setup-new --run RUN_DIR --phones N [--same-pin]
    python -m cheepao.config.tests.livesite count

run with DATABASE_URL set; each prints one JSON document.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[3]
SETTINGS = "cheepao.config.settings_test"
GUNICORN = Path(sys.executable).parent / "gunicorn"


# ---------------------------------------------------------------- databases


@contextlib.contextmanager
def site_database(tmp_path: Path) -> Iterator[str]:
    """DATABASE_URL of an empty database for the site: a new database on the PostgreSQL
    server the tests run against (dropped afterwards), else an SQLite file in tmp_path."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'site.sqlite3'}"
        return
    import psycopg

    name = f"cheepao_site_{uuid.uuid4().hex[:12]}"
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(database_url: str, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE=SETTINGS,
        # The sessions made by `setup` are signed with it: the same in every process.
        SECRET_KEY=os.environ.get("SECRET_KEY") or "cheepao-tests-only-not-secret",
        ALLOWED_HOSTS="127.0.0.1",
        PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    )
    env.update(extra)
    return env


def _django(database_url: str, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "cheepao.config.tests.livesite", *args],
        env=_env(database_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"livesite {' '.join(args)} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


@dataclass
class Phone:
    """One field phone: its own signed-in session, the form it sends (form ศจพ.1 of a
    household, or form ศจพ.2 of a new one: `url`) and the answers."""

    household_id: int | None
    cookie: str
    answers: dict[str, str | list[str]]
    url: str = ""

    def __post_init__(self) -> None:
        if not self.url:
            self.url = f"/verification/households/{self.household_id}/"


def prepare(database_url: str, run_dir: Path, households: int) -> list[Phone]:
    """Migrate, load the geography and the run's registry, and sign in one phone per
    household (subdistrict team accounts)."""
    out = _django(database_url, "setup", "--run", str(run_dir), "--households", str(households))
    return [Phone(**p) for p in out["phones"]]


def prepare_new_households(
    database_url: str, run_dir: Path, phones: int, *, same_pin: bool = False
) -> list[Phone]:
    """Migrate, load the geography and the run's registry, and sign in `phones` phones,
    each its own subdistrict team account, each with a form ศจพ.2 of a poor household not
    in the survey (`same_pin`: every form names the same person, as two teams who met
    the same family would)."""
    args = ["setup-new", "--run", str(run_dir), "--phones", str(phones)]
    out = _django(database_url, *args, *(["--same-pin"] if same_pin else []))
    return [Phone(**p) for p in out["phones"]]


@contextlib.contextmanager
def write_lock(database_url: str) -> Iterator[None]:
    """Hold the lock a writer needs, from outside the site, as a long save would: on SQLite
    the database's write lock, on PostgreSQL the verification table."""
    if database_url.startswith("sqlite:///"):
        import sqlite3

        conn = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield
            conn.execute("ROLLBACK")
        finally:
            conn.close()
        return
    import psycopg

    with psycopg.connect(database_url) as conn:
        conn.execute("LOCK TABLE verification_verification IN ACCESS EXCLUSIVE MODE")
        yield
        conn.rollback()


def verifications(database_url: str) -> dict[int, str]:
    """household id → result of each saved ศจพ.1, read by another process."""
    return {int(k): v for k, v in _django(database_url, "count")["verifications"].items()}


def new_households(database_url: str) -> dict[str, str]:
    """hh_id → house number of each household saved from form ศจพ.2, read by another process."""
    return _django(database_url, "count")["new_households"]


# ---------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(
    database_url: str, *, workers: int = 3, static_root: Path | None = None, **env: str
) -> Iterator[int]:
    """gunicorn with `workers` sync worker processes (as the field report used) on a free
    port; yields the port, stops the server afterwards. With `static_root`, the production
    settings serve collected static files (for a browser); without, pages come without them."""
    if static_root is not None:
        env = {
            "DJANGO_SETTINGS_MODULE": "cheepao.config.settings",
            "CHEEPAO_STATIC_ROOT": str(static_root),
            "CHEEPAO_HTTPS": "0",
            **env,
        }
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
            env=_env(database_url, **env),
            cwd=ROOT,
            check=True,
        )
    port = free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        [
            str(GUNICORN),
            "cheepao.config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--timeout",
            "120",
            # Django is imported once, then the workers are forked: a quicker start.
            "--preload",
        ],
        cwd=ROOT,
        env=_env(database_url, **env),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError("gunicorn did not start:\n" + log.read().decode()) from None
                time.sleep(0.2)
        # Every worker has imported Django before the phones start (a first request each).
        for _ in range(workers * 2):
            request(port, "GET", "/", cookie="")
        yield port
    finally:
        proc.send_signal(signal.SIGINT)  # quick shutdown: every request has its answer
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float = 0.0  # from the release (submit_at_once) to this answer


def request(
    port: int,
    method: str,
    path: str,
    *,
    cookie: str,
    form: dict[str, str | list[str]] | list[tuple[str, str]] | None = None,
) -> Answer:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        headers = {"Cookie": cookie, "Accept-Language": "th", "Host": "127.0.0.1"}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return Answer(
            resp.status,
            {k.lower(): v for k, v in resp.getheaders()},
            resp.read().decode("utf-8", "replace"),
        )
    finally:
        conn.close()


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def hidden_fields(page: str) -> list[tuple[str, str]]:
    """(name, value) of every hidden input of a page, in order (for the retry form)."""
    return [
        (html.unescape(name), html.unescape(value))
        for name, value in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)"', page)
    ]


def open_form(port: int, phone: Phone) -> dict[str, str | list[str]]:
    """GET the form as the phone does (keeping its CSRF cookie); the answers with the
    page's CSRF token."""
    page = request(port, "GET", phone.url, cookie=phone.cookie)
    assert page.status == 200, page.status
    cookie = re.search(r"csrftoken=([^;]+)", page.headers.get("set-cookie", ""))
    if cookie and "csrftoken=" not in phone.cookie:
        phone.cookie += f"; csrftoken={cookie.group(1)}"
    return {**phone.answers, "csrfmiddlewaretoken": csrf_token(page.body)}


def submit_at_once(port: int, phones: list[Phone]) -> tuple[list[Answer], float]:
    """Every phone opens its form, then all submit in the same instant (a barrier).
    Returns the answers in the phones' order and the seconds from release to last answer."""
    forms = [open_form(port, p) for p in phones]
    barrier = threading.Barrier(len(phones) + 1)
    answers: list[Answer | None] = [None] * len(phones)

    def submit(i: int) -> None:
        barrier.wait()
        start = time.perf_counter()
        try:
            answers[i] = request(
                port, "POST", phones[i].url, cookie=phones[i].cookie, form=forms[i]
            )
        except (OSError, http.client.HTTPException) as exc:
            answers[i] = Answer(0, {}, repr(exc))
        answers[i].seconds = time.perf_counter() - start

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(len(phones))]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    return [a for a in answers if a is not None], time.perf_counter() - start


# ---------------------------------------------------------------- in the child process


def _setup(run_dir: str, n: int) -> dict:
    from django.core.management import call_command
    from django.test import Client

    from cheepao.accounts.models import User
    from cheepao.core.context import Context
    from cheepao.geo import services as geo
    from cheepao.households import services
    from cheepao.households.models import Household, Problem

    call_command("migrate", verbosity=0)
    geo.geography_load()
    services.registry_load(ctx=Context.cli(), run=run_dir)
    chosen = list(
        Household.objects.filter(status=Household.Status.ACTIVE).order_by("village_code", "pk")[:n]
    )
    if len(chosen) < n:
        raise SystemExit(f"the run has {len(chosen)} target households, {n} asked")
    phones = []
    for h in chosen:
        user, _ = User.objects.get_or_create(
            username=f"team-{h.subdistrict_code}",
            defaults={
                "role": "subdistrict",
                "area_code": h.subdistrict_code,
                "must_change_password": False,
            },
        )
        client = Client()
        client.force_login(user)
        open_codes = list(
            h.problems.filter(status=Problem.Status.OPEN).values_list("indicator", flat=True)
        )
        # Income per person under the I3 threshold where I3 is confirmed, above it where
        # the household does not fail I3: answers the form accepts whatever else it checks.
        income = "45000" if "I3" in open_codes else "150000"
        answers: dict[str, str | list[str]] = {
            "household_status": "lives_here",
            "members_now": "3",
            "income_year": income,
            "debt_formal": "",
            "debt_informal": "2000",
            "savings": "",
            "can_repay": "yes",
            "household_type": "developable",
            "note": f"ตรวจสอบพร้อมกัน {h.hh_id}",
            **{f"mark_{code}": "confirmed" for code in open_codes},
        }
        phones.append(
            {
                "household_id": h.pk,
                "cookie": f"sessionid={client.cookies['sessionid'].value}",
                "answers": answers,
            }
        )
    return {"phones": phones}


def _setup_new(run_dir: str, n: int, same_pin: bool) -> dict:
    from django.core.management import call_command
    from django.test import Client

    from cheepao.accounts.models import User
    from cheepao.core.context import Context
    from cheepao.geo import services as geo
    from cheepao.households import services
    from cheepao.households.models import RegistryYear
    from cheepao.newhouseholds.tests.helpers import member, new_pin, post_data

    call_command("migrate", verbosity=0)
    geo.geography_load()
    services.registry_load(ctx=Context.cli(), run=run_dir)
    registry = RegistryYear.objects.get()
    pin = new_pin()
    phones = []
    for i in range(n):
        user = User.objects.create(
            username=f"team-340101-{i}",
            role="subdistrict",
            area_code="340101",
            must_change_password=False,
        )
        client = Client()
        client.force_login(user)
        # One person earning 1,000 baht a year: poor by I3, so the form may be saved.
        answers = post_data(
            registry,
            [member(pin=pin if same_pin else new_pin(), income_year="1000")],
            house_no=f"{900 + i}/{i + 1}",
        )
        answers["action"] = "save"
        phones.append(
            {
                "household_id": None,
                "cookie": f"sessionid={client.cookies['sessionid'].value}",
                "answers": answers,
                "url": "/new-households/new/",
            }
        )
    return {"phones": phones}


def _count() -> dict:
    from cheepao.households.models import Household
    from cheepao.verification.models import Verification

    return {
        "verifications": {
            str(hid): result
            for hid, result in Verification.objects.values_list("household_id", "result")
        },
        "new_households": dict(
            Household.objects.filter(source="field").values_list("hh_id", "house_no")
        ),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("setup")
    s.add_argument("--run", required=True)
    s.add_argument("--households", type=int, required=True)
    s = sub.add_parser("setup-new")
    s.add_argument("--run", required=True)
    s.add_argument("--phones", type=int, required=True)
    s.add_argument("--same-pin", action="store_true")
    sub.add_parser("count")
    args = ap.parse_args()
    import django

    django.setup()
    if args.command == "setup":
        out = _setup(args.run, args.households)
    elif args.command == "setup-new":
        out = _setup_new(args.run, args.phones, args.same_pin)
    else:
        out = _count()
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
