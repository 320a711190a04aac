from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from cheepao.config import thai


@pytest.mark.parametrize(
    ("value", "th", "en"),
    [
        (date(2026, 11, 22), "22 พ.ย. 2569", "22 Nov 2569 BE"),
        (date(2020, 1, 1), "1 ม.ค. 2563", "1 Jan 2563 BE"),
        # 18:30 UTC on 31 Dec is already New Year's Day in Bangkok (UTC+7)
        (datetime(2024, 12, 31, 18, 30, tzinfo=UTC), "1 ม.ค. 2568", "1 Jan 2568 BE"),
        ("2026-11-22T00:57:05+00:00", "22 พ.ย. 2569", "22 Nov 2569 BE"),
    ],
)
def test_be_date(value, th, en):
    with translation.override("th"):
        assert thai.be_date(value) == th
    with translation.override("en"):
        assert thai.be_date(value) == en


def test_be_datetime_is_bangkok_time():
    value = "2026-11-22T00:57:05+00:00"
    with translation.override("th"):
        assert thai.be_datetime(value) == "22 พ.ย. 2569 เวลา 07:57 น."
    with translation.override("en"):
        assert thai.be_datetime(value) == "22 Nov 2569 BE, 07:57"
    with translation.override("th"):
        assert thai.be_datetime(date(2026, 1, 2)) == "2 ม.ค. 2569"
    assert thai.be_date(None) == "" and thai.be_datetime("") == ""


def test_number_and_percent():
    assert thai.number(15689) == "15,689"
    assert thai.number(38000.0) == "38,000"
    assert thai.number(0.12345, 2) == "0.12"
    assert thai.number(None) == ""
    # amounts of baht keep their satang: 37,999.99 per person is below 38,000, never "38,000"
    assert thai.number(Decimal("37999.99")) == "37,999.99"
    assert thai.number(Decimal("38000.00")) == "38,000"
    assert thai.number(Decimal("0.50")) == "0.50"
    assert thai.percent(0.1234) == "12.3 %"
    assert thai.percent(1) == "100.0 %"


def _import_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "CHEEPAO_HTTPS"}
    }
    clean.update(env)
    code = (
        "import cheepao.config.settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=False
    )


def test_secret_key_is_required_in_production():
    result = _import_settings(DATABASE_URL="sqlite:///:memory:")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_settings_are_secure_by_default():
    result = _import_settings(
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="cheepao.example.go.th",
        DATABASE_URL="postgres://u:p@db:5432/cheepao",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "False True ['cheepao.example.go.th'] django.db.backends.postgresql"
    )


def test_debug_gets_a_development_key_and_local_hosts():
    result = _import_settings(DEBUG="1", DATABASE_URL="sqlite:///:memory:")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "True False ['localhost', '127.0.0.1', '[::1]'] django.db.backends.sqlite3"
    )


@pytest.mark.django_db
def test_models_and_migrations_agree():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_deploy_check_is_clean_in_production():
    from cheepao.config.settings import REPO_DIR

    # DJANGO_ALLOW_ASYNC_UNSAFE is set while the browser tests run; production never has it.
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "CHEEPAO_HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        SECRET_KEY="k" * 20 + "-production-like-secret-0123456789",
        ALLOWED_HOSTS="cheepao.example.go.th",
        DATABASE_URL="sqlite:///:memory:",
    )
    result = subprocess.run(
        [
            sys.executable,
            str(REPO_DIR / "manage.py"),
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
