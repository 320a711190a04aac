"""Writing survey tables: one file per table and year, or one file per province.

Tables arrive one unit (a province, or at the national scale a district) at a time and
are streamed into the open file, so memory stays at one unit (plus a row group being
filled) whatever the scale. Every file is written under a temporary name and renamed when
complete: an interrupted run never leaves a file that looks finished.

Layout under OUT/<year>/:
    households.parquet, members.parquet           (or .csv)
    households/<province>.parquet, members/...    (partitioned scales: zstd, row groups
                                                   of ~1 M rows, dictionary-coded codes)
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

FORMATS = ("parquet", "csv")
TABLES = ("households", "members")
# Partitioned (national) files: a row group holds about this many rows, so a reader can
# skip or parallelise within a big province; district tables are buffered up to it.
# DuckDB scans one row group on one thread: at 1 M rows a province's members were one
# group and a one-province recompute ran on one core (3.4 s → 2.95 s at 250 k).
ROW_GROUP_ROWS = 250_000
COMPRESSION = "zstd"


class Writers:
    def __init__(self, out: Path, fmt: str, partitioned: bool):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
        if partitioned and fmt != "parquet":
            raise ValueError("a partitioned scale is written as Parquet only")
        self.out = Path(out)
        self.fmt = fmt
        self.partitioned = partitioned
        self._open: dict[tuple, _File] = {}
        self.files: list[Path] = []

    def _path(self, year: int, table: str, province: str) -> Path:
        base = self.out / str(year)
        if self.partitioned:
            return base / table / f"{province}.parquet"
        return base / f"{table}.{self.fmt}"

    def write(self, year: int, province: str, households: pa.Table, members: pa.Table) -> None:
        for name, t in zip(TABLES, (households, members), strict=True):
            key = (year, name, province) if self.partitioned else (year, name)
            f = self._open.get(key)
            if f is None:
                f = self._open[key] = _File(
                    self._path(year, name, province), self.fmt, self.partitioned
                )
            f.write(t)

    def finish(self, province: str) -> list[Path]:
        """Complete a province's files (partitioned); returns them."""
        if not self.partitioned:
            return []
        done = []
        for key in [k for k in self._open if k[2] == province]:
            done.append(self._open.pop(key).close())
        self.files.extend(done)
        return done

    def close(self) -> list[Path]:
        done = [f.close() for f in self._open.values()]
        self._open.clear()
        self.files.extend(done)
        return done

    def abort(self) -> None:
        """Close and delete whatever is half-written."""
        for f in self._open.values():
            f.abort()
        self._open.clear()


class _File:
    """One output file under a temporary name until complete.

    Partitioned Parquet buffers tables into row groups of about ROW_GROUP_ROWS and writes
    zstd with dictionary pages for the code columns; single files (small scales) keep
    Arrow's defaults and one row group per province.
    """

    def __init__(self, path: Path, fmt: str, partitioned: bool):
        self.path = path
        self.tmp = path.with_name(path.name + ".part")
        self.fmt = fmt
        self.partitioned = partitioned
        self.writer = None
        self.buffer: list[pa.Table] = []
        self.buffered = 0

    def _open(self, schema: pa.Schema) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.fmt == "csv":
            self.writer = pacsv.CSVWriter(self.tmp, plain_schema(schema))
        elif self.partitioned:
            # dictionary columns are written as they come; without the Arrow schema in
            # the file, readers see the contract's plain string columns
            self.writer = pq.ParquetWriter(
                self.tmp,
                schema,
                compression=COMPRESSION,
                store_schema=False,
                **parquet_options(schema),
            )
        else:
            self.writer = pq.ParquetWriter(self.tmp, plain_schema(schema))

    def write(self, t: pa.Table) -> None:
        if self.writer is None:
            self._open(t.schema)
        if not self.partitioned:
            self.writer.write_table(plain(t))
            return
        self.buffer.append(t)
        self.buffered += t.num_rows
        if self.buffered >= ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self.buffer:
            t = pa.concat_tables(self.buffer)
            self.buffer, self.buffered = [], 0
            self.writer.write_table(t, row_group_size=t.num_rows)

    def close(self) -> Path:
        self._flush()
        self.writer.close()
        os.replace(self.tmp, self.path)
        return self.path

    def abort(self) -> None:
        try:
            if self.writer is not None:
                self.writer.close()
        finally:
            self.tmp.unlink(missing_ok=True)


def parquet_options(schema: pa.Schema) -> dict:
    """Dictionary pages for strings from a short list (codes, names, titles), plain for
    the rest (ids, numbers), where a dictionary would only cost time; min/max statistics
    only for the columns a reader filters on (they cost a fifth of the writing)."""
    return {
        "use_dictionary": [f.name for f in schema if f.name in DICTIONARY_COLUMNS],
        "write_statistics": [f.name for f in schema if f.name in STATISTICS_COLUMNS],
    }


STATISTICS_COLUMNS = frozenset(
    {"survey_year", "hh_id", "subdistrict_code", "village_no", "member_no", "age"}
)
DICTIONARY_COLUMNS = frozenset(
    {
        "subdistrict_code",
        "land_tenure",
        "title",
        "first_name",
        "last_name",
        "sex",
        "relation",
        "education",
        "student_status",
        "occupation",
    }
)


def plain(t: pa.Table) -> pa.Table:
    """The table with dictionary columns decoded to their value type (contract types)."""
    if not any(pa.types.is_dictionary(f.type) for f in t.schema):
        return t
    cols = [c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in t.columns]
    return pa.table(cols, names=t.column_names)


def plain_schema(schema: pa.Schema) -> pa.Schema:
    return pa.schema(
        [
            pa.field(f.name, f.type.value_type) if pa.types.is_dictionary(f.type) else f
            for f in schema
        ]
    )
