"""Shared pytest fixtures: geography, a real engine run, and a headless browser.

Every test that touches the database is marked `database` automatically, so the
PostgreSQL pass of `make test` (`pytest -m database`) selects exactly those tests without
anyone having to remember a marker.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DB_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}
CHROMIUM = Path(os.environ.get("CHEEPAO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
# A small synthetic province, the same one the demo uses, at the smallest scale.
RUN_PROVINCE = "34"
RUN_YEAR = 2568


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("django_db") or DB_FIXTURES & set(
            getattr(item, "fixturenames", ())
        ):
            item.add_marker(pytest.mark.database)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the geography once into the test database, so most tests find it there."""
    from cheepao.geo import services

    with django_db_blocker.unblock():
        services.geography_load()


@pytest.fixture(autouse=True)
def _areas_forgotten():
    """Each test finds areas in its own database, not in what an earlier test saw (the
    engine's tests never load Django: only a geography already imported is told)."""
    import sys

    def forget() -> None:
        geo = sys.modules.get("cheepao.geo.selectors")
        if geo is not None:
            geo.areas_forget()

    forget()
    yield
    forget()


@pytest.fixture
def geography(db):
    """All provinces, districts and subdistricts. Loaded once per session, but reloaded
    here when a transactional test (the browser tests) has flushed the tables since."""
    from cheepao.geo import selectors, services

    if not selectors.geography_loaded():
        services.geography_load()


@pytest.fixture(scope="session")
def engine_runs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A runs directory holding one real run, made once per session with the real CLI:
    `cheepao generate` a tiny survey of one province, then `cheepao compute` it."""
    from click.testing import CliRunner

    from cheepao.cli import main

    base = tmp_path_factory.mktemp("engine")
    survey, runs = base / "survey", base / "runs"
    runner = CliRunner()
    for args in (
        [
            "generate",
            "--province",
            RUN_PROVINCE,
            "--scale",
            "tiny",
            "--years",
            str(RUN_YEAR),
            "--out",
            str(survey),
        ],
        ["compute", "--input", str(survey / str(RUN_YEAR)), "--out", str(runs / str(RUN_YEAR))],
    ):
        result = runner.invoke(main, args, catch_exceptions=False)
        assert result.exit_code == 0, f"cheepao {' '.join(args)} failed:\n{result.output}"
    return runs


@pytest.fixture
def runs_dir(settings, engine_runs_dir: Path) -> Path:
    settings.CHEEPAO_RUNS_DIR = engine_runs_dir
    return engine_runs_dir


@pytest.fixture
def empty_runs_dir(settings, tmp_path: Path) -> Path:
    settings.CHEEPAO_RUNS_DIR = tmp_path / "runs"
    return settings.CHEEPAO_RUNS_DIR


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (never a downloaded browser build)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: run scripts/system-deps")
        pytest.skip(f"{CHROMIUM} is missing: run scripts/system-deps to install it")
    # Playwright's sync API runs an event loop in this thread; Django then refuses database
    # calls made from it (live_server's flush) unless told they are safe here.
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield b
            b.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def page(request, browser):
    context = browser.new_context(viewport=request.param, locale="th-TH")
    p = context.new_page()
    p.set_default_timeout(15_000)
    yield p
    context.close()


@pytest.fixture
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where browser tests put screenshots; CHEEPAO_SCREENSHOTS keeps them after the run."""
    keep = os.environ.get("CHEEPAO_SCREENSHOTS")
    if keep:
        path = Path(keep)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("screenshots")


def sign_in_browser(page, live_server, user) -> None:
    """Sign `user` in on the browser page: its cookies cleared, then the session of a test
    client that logged the account in (no sign-in form to click through)."""
    from django.conf import settings
    from django.test import Client

    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
    )


def go(page, locator) -> None:
    """Click a link or a button and wait for the page it leads to."""
    with page.expect_navigation():
        locator.click()
    page.wait_for_load_state("networkidle")


# ---------------------------------------------------------------- platform accounts and data

TEST_PASSWORD = "ทดสอบ-cheepao-2568!"


@pytest.fixture
def make_user(db):
    """make_user(role, area_code, **fields) → an active account, ready to sign in.

    Made the way the account services make them, except that the first-login password
    change is already done (tests of that step pass must_change_password=True).
    """
    from cheepao.accounts.models import User

    counter = iter(range(1, 10_000))

    def make(role: str, area_code: str = "", **fields):
        fields.setdefault("username", f"{role}{area_code or 'th'}-{next(counter)}")
        fields.setdefault("must_change_password", False)
        user = User(role=role, area_code=area_code, **fields)
        user.set_password(TEST_PASSWORD)
        user.save()
        return user

    return make


@pytest.fixture
def sign_in():
    """sign_in(client, user): a signed-in session, second factor passed where the role
    needs one (a confirmed static device, as if the person had typed a backup code)."""

    def do(client, user):
        client.force_login(user)
        if user.needs_two_factor:
            from django_otp.plugins.otp_static.models import StaticDevice

            device, _ = StaticDevice.objects.get_or_create(
                user=user, name="backup", defaults={"confirmed": True}
            )
            session = client.session
            session["otp_device_id"] = device.persistent_id
            session.save()
        return client

    return do


@pytest.fixture
def registry(runs_dir, geography):
    """The tiny Ubon (34) run of 2568 loaded into the registry, as `load_registry` does."""
    from django.core.management import call_command

    from cheepao.households.models import RegistryYear

    call_command("load_registry", "--run", str(runs_dir / str(RUN_YEAR)))
    return RegistryYear.objects.get(survey_year=RUN_YEAR)
