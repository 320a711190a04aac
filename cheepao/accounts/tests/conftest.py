"""Fixtures of the account tests."""

from __future__ import annotations

import pytest
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse


@pytest.fixture(autouse=True)
def home_url(settings) -> str:
    """Where a finished sign-in lands. The registry home page (households:home) is built in
    another part of the platform; until its URL name exists, the same path stands in."""
    try:
        reverse(settings.LOGIN_REDIRECT_URL)
    except NoReverseMatch:
        settings.LOGIN_REDIRECT_URL = "/registry/"
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@pytest.fixture
def audit_rows():
    """audit_rows(action=None) → the audit events written since the test began, oldest first."""
    from cheepao.audit.models import AuditEvent

    def rows(**filters):
        return list(AuditEvent.objects.filter(**filters).order_by("id"))

    return rows


def snapshot(model) -> list[tuple]:
    """Every row of a table as tuples, to assert a refused action changed nothing."""
    return list(model.objects.order_by("pk").values_list())
