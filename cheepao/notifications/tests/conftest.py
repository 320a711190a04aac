from __future__ import annotations

import urllib.request

import pytest
from django.utils.translation import gettext_noop

from cheepao.notifications import channels, kinds

#: A kind of the tests' own (an English sentence; the Thai kinds come from the apps).
TEST_KIND = kinds.define("notifications.test", gettext_noop("Test notice %(n)s."))


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """No test here ever reaches the network: any attempt fails the test."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError("a test tried to open a network connection")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    yield attempts
    assert attempts == []


@pytest.fixture
def line_sent(monkeypatch):
    """Replace the LINE sender: the messages it would push, as (token, to, text, key)."""
    sent = []

    def fake(*, token, to, text, retry_key):
        sent.append((token, to, text, retry_key))

    monkeypatch.setattr(channels, "line_post", fake)
    return sent
