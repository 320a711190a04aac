"""Read a survey table (CSV, XLSX or Parquet) into Arrow, typed by the data contract.

Survey files come from many offices and tools, so a bad cell or a broken line is normal and
must never cost the good rows around it, nor vanish: every cell that cannot be read becomes
a problem record pointing at the file and at the row a person sees in it (header = row 1,
first record = row 2, in every format), and its row is kept, with that cell null, for the
validator to reject. Only a file that cannot be read at all, or lacks a required column,
stops with `FileError`, so that nothing half-read is ever loaded.

The national member table has tens of millions of rows, so nothing here loops over rows or
cells on the happy path: CSV is cut into blocks that pyarrow parses in parallel threads (all
columns as text), then each column of a block is cast with one vectorised kernel. Only when
that cast fails is the column re-read with vectorised patterns to find the bad cells. Python
touches only broken lines and the rare digit code that needs Unicode clean-up.

One module per part: `values` (text cells to contract types), `common` (problem records,
`FileError`, `ReadResult`, assembling blocks), and one per format: `csv`, `xlsx`,
`parquet` (also tables in memory). This module is the door: `read` and the names callers use.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow as pa

from cheepao.engine import contract, filecheck
from cheepao.engine.readers.common import (
    EMPTY_FILE,
    FILE_NOT_FOUND,
    MALFORMED_LINE,
    MAX_VALUE_CHARS,
    MISSING_COLUMN,
    NOT_BOOLEAN,
    NOT_DATE,
    NOT_INTEGER,
    NOT_NUMBER,
    PROBLEM_SCHEMA,
    TOO_MANY_ROWS,
    TYPE_ERROR_CODE,
    UNREADABLE_FILE,
    BlockCheck,
    FileError,
    ReadResult,
    Source,
    concat_problems,
    empty_problems,
)
from cheepao.engine.readers.csv import BLOCK_BYTES, read_csv
from cheepao.engine.readers.parquet import PARQUET_SUFFIXES, read_arrow_tables, read_parquet
from cheepao.engine.readers.values import (
    FALSE_WORDS,
    TRUE_WORDS,
    as_text,
    compact_digits,
    digits_length,
    parse_column,
)
from cheepao.engine.readers.xlsx import read_xlsx

__all__ = [
    "BLOCK_BYTES",
    "EMPTY_FILE",
    "FALSE_WORDS",
    "FILE_NOT_FOUND",
    "MALFORMED_LINE",
    "MAX_VALUE_CHARS",
    "MISSING_COLUMN",
    "NOT_BOOLEAN",
    "NOT_DATE",
    "NOT_INTEGER",
    "NOT_NUMBER",
    "PARQUET_SUFFIXES",
    "PROBLEM_SCHEMA",
    "TOO_MANY_ROWS",
    "TRUE_WORDS",
    "TYPE_ERROR_CODE",
    "UNREADABLE_FILE",
    "BlockCheck",
    "FileError",
    "ReadResult",
    "Source",
    "as_text",
    "compact_digits",
    "concat_problems",
    "detect_format",
    "digits_length",
    "empty_problems",
    "parse_column",
    "read",
]


def read(
    source: Any,
    spec: contract.Table | str,
    *,
    label: str | None = None,
    on_block: BlockCheck | None = None,
    max_rows: int | None = None,
    max_unpacked: int | None = None,
) -> ReadResult:
    """Read a CSV/XLSX/Parquet file, a directory of Parquet files, or an in-memory table.

    An in-memory table (Arrow or pandas) is read like a Parquet file named `label`; its
    columns may already have contract types or be text.

    `on_block` checks rows while they are read and says what of them to keep (see
    `BlockCheck`): a CSV file is read a block at a time, so a caller that keeps only a
    few columns (the validator's keys) never holds the whole file; any other source is
    read whole and given to `on_block` once. Its records end up in `checked`.

    A file is read as what its bytes are, whatever its name (`filecheck.kind_of`). With
    `max_rows`, a CSV or XLSX file of more rows is refused (`too_many_rows`) as soon as the
    reader passes that many; `max_unpacked` lowers the size a workbook may unpack to.
    """
    if isinstance(spec, str):
        spec = contract.TABLES[spec]
    if isinstance(source, ReadResult):
        return _whole(source, on_block)
    name = label or f"<{spec.name}>"
    if isinstance(source, pa.Table):
        return _whole(read_arrow_tables([(name, source)], spec), on_block)
    if type(source).__module__.split(".")[0] == "pandas":
        table = pa.Table.from_pandas(source, preserve_index=False)
        return _whole(read_arrow_tables([(name, table)], spec), on_block)
    path = Path(source)
    if not path.exists():
        raise FileError(path, FILE_NOT_FOUND, "no such file or directory", "ไม่พบไฟล์หรือโฟลเดอร์นี้")
    kind = detect_format(path)
    if kind == "csv":
        return read_csv(path, spec, on_block, max_rows)
    if kind == "xlsx":
        return _whole(read_xlsx(path, spec, max_rows, max_unpacked), on_block)
    return _whole(read_parquet(path, spec), on_block)


def _whole(result: ReadResult, on_block: BlockCheck | None) -> ReadResult:
    if on_block is None:
        return result
    kept, checked = on_block(result)
    return replace(result, table=kept, checked=checked)


def detect_format(path: Path) -> str:
    """csv, xlsx or parquet, as the file's first bytes say (never its name): see
    `filecheck.kind_of`. A directory is a Parquet dataset."""
    if path.is_dir():
        return "parquet"
    kind = filecheck.kind_of(path)
    if isinstance(kind, filecheck.Refusal):
        raise FileError.refused(path, kind)
    return kind
