"""Writing many derived rows at once, as plain tuples.

Summary tables (the monthly statistics, the monthly snapshots) write hundreds of thousands
of rows in one build. Django's `bulk_create` prepares a model instance and every field value
of every row in Python (on PostgreSQL it then dumps them as arrays for UNNEST), which cost
more than the counting itself at national size. `insert_rows` takes the values as tuples
in the order of `columns` (attribute names, e.g. ``body_id``) and writes them with COPY on
PostgreSQL (psycopg adapts dates, datetimes, decimals, None), or one `executemany` with the
backend's own adaptation elsewhere (SQLite: the test suite and small installations).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model


def insert_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert `rows` (tuples of values in the order of `columns`) into `model`'s table in
    the caller's transaction; returns how many. No model's save(), no signals."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_attname[c] for c in columns]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    n = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
            return n
        adapted = [
            tuple(f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True))
            for row in rows
        ]
        if adapted:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", adapted)
        return len(adapted)
