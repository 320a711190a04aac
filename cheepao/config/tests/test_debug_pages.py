"""Demo and production never show Django's debug pages (issue 9 item 9).

`make demo` serves through scripts/demo-serve, which runs the site with DEBUG off; the
test starts that very script on an empty database, so the start page fails, and checks
that visitors get the platform's own 500 and 404 pages, with its styles, and no
traceback. Settings refuse DEBUG whenever the site answers to names beyond this machine.
"""

from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from cheepao.config.settings import REPO_DIR
from cheepao.config.tests.livesite import free_port
from cheepao.config.tests.test_config import _import_settings

DEBUG_PAGE = ("DEBUG = True", "Traceback", "django.db.utils", "Request Method:")


def _get(url: str) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), dict(e.headers)


@pytest.mark.slow
def test_the_demo_server_shows_its_own_error_pages_never_a_debug_page(tmp_path):
    port = free_port()
    key = tmp_path / "secret" / "demo-key"
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "CHEEPAO_HTTPS", "ALLOWED_HOSTS"}
    }
    env.update(
        PYTHON=sys.executable,
        # An empty database: the start page cannot read its tables and fails.
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        CHEEPAO_STATIC_ROOT=str(tmp_path / "static"),
        CHEEPAO_DEMO_SECRET=str(key),
    )
    server = subprocess.Popen(
        [str(REPO_DIR / "scripts" / "demo-serve"), f"127.0.0.1:{port}"],
        cwd=REPO_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, html, _ = _get(base + "/no-such-page/")
                break
            except OSError:
                assert server.poll() is None, "scripts/demo-serve stopped"
                assert time.monotonic() < deadline, "scripts/demo-serve did not start"
                time.sleep(0.5)

        assert status == 404
        assert not [s for s in DEBUG_PAGE if s in html]
        assert 'lang="th"' in html

        status, html, headers = _get(base + "/")
        assert status == 500
        assert "ระบบขัดข้องชั่วคราว" in html
        assert not [s for s in DEBUG_PAGE if s in html]
        assert headers["Content-Security-Policy"].startswith("default-src 'self'")

        # Its stylesheet is the collected, hashed file, served by WhiteNoise.
        css = re.search(r'href="(/static/css/cheepao\.[0-9a-f]{12}\.css)"', html)
        assert css, html
        status, body, _ = _get(base + css.group(1))
        assert status == 200 and "--accent" in body
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    # The generated key is the owner's alone, and reused on the next start.
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_text().strip()) >= 50


def test_make_demo_serves_through_the_script_with_debug_off():
    recipe = (REPO_DIR / "Makefile").read_text().split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    serving = [line for line in recipe.splitlines() if "runserver" in line or "demo-serve" in line]
    assert serving == ["\tPYTHON=$(BIN)/python scripts/demo-serve 127.0.0.1:8000"]


def test_debug_is_refused_when_the_site_answers_beyond_this_machine():
    result = _import_settings(
        DEBUG="1", ALLOWED_HOSTS="cheepao.example.go.th", DATABASE_URL="sqlite:///:memory:"
    )
    assert result.returncode != 0
    assert "Django's debug pages would reach other people" in result.stderr
    result = _import_settings(
        DEBUG="1", ALLOWED_HOSTS="localhost,127.0.0.1", DATABASE_URL="sqlite:///:memory:"
    )
    assert result.returncode == 0, result.stderr
