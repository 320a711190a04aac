"""Locks on names, held until the transaction ends (ADR 0021).

A write that must see every other write about the same thing (two teams recording the same
person on form ศจพ.2 at once) locks that thing by name, not a whole table or registry year:
saves about other people go on meanwhile. Call `hold` inside `transaction.atomic()`, then
read what must be checked, then write; the lock is released when the transaction ends.

- PostgreSQL: one transaction-level advisory lock per name (`pg_advisory_xact_lock` on a
  64-bit hash), taken in a fixed order so two writers never wait for each other.
- SQLite: a transaction takes the database's write lock when it begins (settings:
  `transaction_mode: IMMEDIATE`, ADR 0014), so writers already run one at a time; the names
  need no lock of their own.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import ImproperlyConfigured
from django.db import connection


def key_of(name: str) -> int:
    """A signed 64-bit number for a lock name (PostgreSQL's advisory lock key)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def hold(*names: str) -> None:
    """Wait for, and hold until the transaction ends, a lock on each name."""
    if not connection.in_atomic_block:
        raise RuntimeError("locks.hold() is called inside transaction.atomic()")
    if connection.vendor == "sqlite":
        return
    if connection.vendor != "postgresql":
        # Cheepao runs on SQLite or PostgreSQL (ADR 0001); another database is a setup error.
        raise ImproperlyConfigured(
            f"named locks need SQLite or PostgreSQL, not {connection.vendor}"
        )
    with connection.cursor() as cursor:
        for key in sorted({key_of(n) for n in names}):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
