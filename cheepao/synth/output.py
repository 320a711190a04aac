"""Writing survey tables: one file per table and year, or one file per province.

Tables arrive one province at a time and are streamed into the open file, so memory stays
at one province whatever the scale. Every file is written under a temporary name and
renamed when complete: an interrupted run never leaves a file that looks finished.

Layout under OUT/<year>/:
    households.parquet, members.parquet           (or .csv)
    households/<province>.parquet, members/...    (partitioned scales)
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

FORMATS = ("parquet", "csv")
TABLES = ("households", "members")


class Writers:
    def __init__(self, out: Path, fmt: str, partitioned: bool):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
        if partitioned and fmt != "parquet":
            raise ValueError("a partitioned scale is written as Parquet only")
        self.out = Path(out)
        self.fmt = fmt
        self.partitioned = partitioned
        self._open: dict[tuple[int, str], tuple[object, Path, Path]] = {}
        self.files: list[Path] = []

    def _path(self, year: int, table: str, province: str) -> Path:
        base = self.out / str(year)
        if self.partitioned:
            return base / table / f"{province}.parquet"
        return base / f"{table}.{self.fmt}"

    def write(self, year: int, province: str, households: pa.Table, members: pa.Table) -> None:
        for name, t in zip(TABLES, (households, members), strict=True):
            path = self._path(year, name, province)
            if self.partitioned:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(path.name + ".part")
                pq.write_table(t, tmp)
                os.replace(tmp, path)
                self.files.append(path)
                continue
            key = (year, name)
            if key not in self._open:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(path.name + ".part")
                if self.fmt == "parquet":
                    writer = pq.ParquetWriter(tmp, t.schema)
                else:
                    writer = pacsv.CSVWriter(tmp, t.schema)
                self._open[key] = (writer, tmp, path)
            self._open[key][0].write_table(t)

    def close(self) -> None:
        for writer, tmp, path in self._open.values():
            writer.close()
            os.replace(tmp, path)
            self.files.append(path)
        self._open.clear()

    def abort(self) -> None:
        """Close and delete whatever is half-written."""
        for writer, tmp, _ in self._open.values():
            try:
                writer.close()
            finally:
                tmp.unlink(missing_ok=True)
        self._open.clear()
