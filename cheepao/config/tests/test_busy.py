"""The "send again" page's rules (issue 9 item 14): which errors mean a busy database, and
what the page keeps of a posted form. The page under a real lock, through gunicorn, is in
test_concurrency.py and test_browser_security.py."""

from __future__ import annotations

import re

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, OperationalError
from django.test import RequestFactory
from django.utils import translation

from cheepao.config.busy import busy_response, database_busy


def _wrapped(message: str, cause: Exception | None = None) -> OperationalError:
    """An error as Django raises it: its own class, the driver's error as the cause."""
    try:
        try:
            raise cause if cause is not None else Exception(message)
        except Exception as exc:
            raise OperationalError(message) from exc
    except OperationalError as exc:
        return exc


@pytest.mark.parametrize(
    ("exc", "busy"),
    [
        (_wrapped("database is locked"), True),
        (_wrapped("database table is locked: verification_verification"), True),
        (_wrapped("deadlock detected", psycopg.errors.DeadlockDetected()), True),
        (_wrapped("could not serialize", psycopg.errors.SerializationFailure()), True),
        (
            _wrapped("canceling statement due to lock timeout", psycopg.errors.LockNotAvailable()),
            True,
        ),
        (_wrapped("no such table: households_household"), False),
        (_wrapped("connection refused", psycopg.errors.ConnectionException()), False),
        (IntegrityError("database is locked"), False),
        (ValueError("database is locked"), False),
        (None, False),
    ],
)
def test_which_errors_mean_try_again(exc, busy):
    assert database_busy(exc) is busy


def _hidden(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)"', html)


def test_the_page_keeps_every_field_but_secrets_and_asks_for_files_again():
    request = RequestFactory().post(
        "/imports/upload/?kind=thaiqm",
        {
            "csrfmiddlewaretoken": "tok",
            "name": 'รายชื่อ "ThaiQM" <2568>',
            "added": ["I1", "H2"],
            "password": "secret-password",
            "new_password1": "another-secret",
            "code": "123456",
            "file": SimpleUploadedFile("list.csv", b"pin\n1"),
        },
    )
    with translation.override("th"):
        response = busy_response(request)
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]
    assert '<form method="post" action="/imports/upload/?kind=thaiqm"' in html
    assert 'enctype="multipart/form-data"' in html
    assert sorted(_hidden(html)) == sorted(
        [
            ("csrfmiddlewaretoken", "tok"),
            ("name", "รายชื่อ &quot;ThaiQM&quot; &lt;2568&gt;"),
            ("added", "I1"),
            ("added", "H2"),
        ]
    )
    assert "secret" not in html and "123456" not in html
    assert "ระบบไม่เก็บรหัสผ่านและรหัสยืนยันไว้ในหน้านี้" in html
    assert '<input type="file" name="file" required>' in html
    assert "ส่งอีกครั้ง" in html


def test_a_page_read_while_busy_offers_to_open_it_again_in_english_too():
    request = RequestFactory().get("/registry/household/7/?year=2568", HTTP_HX_REQUEST="true")
    with translation.override("en"):
        response = busy_response(request)
    html = response.content.decode()
    assert response.status_code == 503
    assert "<form" not in html
    assert (
        '<a class="button" href="/registry/household/7/?year=2568">Open the page again</a>' in html
    )
    # A boosted (htmx) request gets the page in place of the whole body.
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("body", "innerHTML")
