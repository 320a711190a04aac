"""A real worker process (`manage.py db_worker`, as `make demo` runs it) takes a job queued
by the web side through the database and runs it to its end: a survey year loaded from the
national page's service, on SQLite and on PostgreSQL.

The other tests run tasks inline (settings_test: the immediate backend); this one keeps the
database backend (CHEEPAO_TASKS=database) in every process it starts, which share one site
database (`livesite.site_database`) as the web server and the worker of an installation do.

    python -m cheepao.jobs.tests.test_worker start|status  (run with DATABASE_URL set)
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from cheepao.config.tests import livesite
from cheepao.conftest import RUN_YEAR

pytestmark = pytest.mark.slow


@pytest.mark.database
def _run(env: dict, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "cheepao.jobs.tests.test_worker", *args],
        env=env,
        cwd=livesite.ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_worker_process_runs_a_queued_registry_load(engine_runs_dir, tmp_path):
    with livesite.site_database(tmp_path) as url:
        env = livesite._env(url, CHEEPAO_TASKS="database", CHEEPAO_RUNS_DIR=str(engine_runs_dir))
        queued = _run(env, "start")
        assert queued["state"] == "queued" and queued["registries"] == 0
        assert queued["task_status"] == "READY"

        worker = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--no-startup-delay",
                "--interval",
                "0",
                "--no-reload",
            ],
            env=env,
            cwd=livesite.ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert worker.returncode == 0, worker.stderr[-3000:]

        done = _run(env, "status", queued["job"])
    assert done["state"] == "done", done
    assert done["task_status"] == "SUCCESSFUL"
    assert done["registries"] == 1 and done["result"]["survey_year"] == RUN_YEAR
    assert done["result"]["households_created"] == done["households"] > 0
    assert done["done"] == done["total"] == done["households"]
    assert done["progress_left"] is None  # the running report is gone once the row holds it
    assert done["audit"] == [["load", "task", queued["user"]]]


def test_the_demo_server_runs_a_worker_and_ctrl_c_stops_both(engine_runs_dir, tmp_path):
    """`make demo` serves through scripts/demo-serve: the worker beside the web server takes
    a queued job, and Ctrl-C (SIGINT to the terminal's process group) stops every process
    the script started."""
    database = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    env = livesite._env(database, CHEEPAO_TASKS="database", CHEEPAO_RUNS_DIR=str(engine_runs_dir))
    queued = _run(env, "start")
    assert queued["state"] == "queued"
    serve_env = {
        k: v
        for k, v in env.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS", "CHEEPAO_HTTPS"}
    }
    serve_env.update(
        PYTHON=sys.executable,
        CHEEPAO_STATIC_ROOT=str(tmp_path / "static"),
        CHEEPAO_DEMO_SECRET=str(tmp_path / "demo-key"),
    )
    port = livesite.free_port()
    server = subprocess.Popen(
        [str(livesite.ROOT / "scripts" / "demo-serve"), f"127.0.0.1:{port}"],
        cwd=livesite.ROOT,
        env=serve_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        while (status := _run(env, "status", queued["job"]))["state"] != "done":
            assert server.poll() is None, "scripts/demo-serve stopped"
            assert status["state"] in ("queued", "running"), status
            assert time.monotonic() < deadline, f"the demo's worker did not run the job: {status}"
            time.sleep(1)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/", timeout=30) as r:
            raise AssertionError(f"a page that does not exist answered {r.status}")
    except urllib.error.HTTPError as e:
        assert e.code == 404  # the web server answers beside the worker
    finally:
        os.killpg(server.pid, signal.SIGINT)  # Ctrl-C
        try:
            server.wait(timeout=60)
        finally:
            gone = _group_gone(server.pid)
            if not gone:
                os.killpg(server.pid, signal.SIGKILL)
    assert gone, "a process of scripts/demo-serve outlived Ctrl-C"
    assert status["result"]["survey_year"] == RUN_YEAR


def _group_gone(pgid: int) -> bool:
    """True once no process of the group is left (a few seconds for a graceful exit)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


# ---------------------------------------------------------------- in the child processes


def _start() -> dict:
    from django.core.management import call_command

    from cheepao.accounts.models import User
    from cheepao.core.context import Channel, Context
    from cheepao.geo import services as geo
    from cheepao.households import services
    from cheepao.households.models import RegistryYear

    call_command("migrate", verbosity=0)
    geo.geography_load()
    user = User.objects.create(
        username="national-worker", role="national", area_code="", must_change_password=False
    )
    job = services.registry_load_start(
        ctx=Context(actor=user, channel=Channel.WEB), run=str(RUN_YEAR)
    )
    return {
        "job": str(job.pk),
        "user": user.pk,
        "state": job.state,
        "task_status": _task_status(job),
        "registries": RegistryYear.objects.count(),
    }


def _task_status(job) -> str:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.get(id=job.task_id).status


def _status(job_id: str) -> dict:
    from cheepao.audit.models import AuditEvent
    from cheepao.households.models import Household, RegistryYear
    from cheepao.jobs.models import Job
    from cheepao.jobs.services import progress_of

    job = Job.objects.get(pk=job_id)
    return {
        "state": job.state,
        "task_status": _task_status(job),
        "done": job.done,
        "total": job.total,
        "result": job.result,
        "error": job.error_code,
        "registries": RegistryYear.objects.count(),
        "households": Household.objects.count(),
        "progress_left": progress_of(job),
        "audit": [
            [e.action, e.channel, e.actor_id] for e in AuditEvent.objects.filter(action="load")
        ],
    }


def main() -> None:
    import django

    django.setup()
    out = _start() if sys.argv[1] == "start" else _status(sys.argv[2])
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
