"""What every reader shares: the problem records, `FileError`, `ReadResult`, and blocks of
typed rows assembled into one table with every problem pointing at its row.

Row numbers are the ones a person sees in the file (header = row 1, first record = row 2,
in every format); `_i` is a row's index in `ReadResult.table`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cheepao.engine import contract, filecheck
from cheepao.engine.contract import BOOL, DATE, FLOAT, INT, MONEY, Column
from cheepao.engine.readers.values import as_text, np_bool

#: One record per problem. `_i` is the row's index in `ReadResult.table` (null for a CSV
#: line that could not be split into a row); `row` is the row number a person sees.
PROBLEM_SCHEMA = pa.schema(
    [
        ("_i", pa.int64()),
        ("file", pa.string()),
        ("row", pa.int64()),
        ("column", pa.string()),
        ("value", pa.string()),
        ("code", pa.string()),
        ("detail_en", pa.string()),
        ("detail_th", pa.string()),
    ]
)

# Reason codes found while reading (the validator adds its own).
MALFORMED_LINE = "malformed_line"
NOT_INTEGER = "not_integer"
NOT_NUMBER = "not_number"
NOT_BOOLEAN = "not_boolean"
NOT_DATE = "not_date"
TYPE_ERROR_CODE = {
    INT: NOT_INTEGER,
    FLOAT: NOT_NUMBER,
    MONEY: NOT_NUMBER,
    BOOL: NOT_BOOLEAN,
    DATE: NOT_DATE,
}

# File-level codes, carried by FileError.
FILE_NOT_FOUND = "file_not_found"
UNREADABLE_FILE = "unreadable_file"
EMPTY_FILE = "empty_file"
MISSING_COLUMN = "missing_column"
TOO_MANY_ROWS = "too_many_rows"

MAX_VALUE_CHARS = 500  # a broken line is quoted into the rejects up to this length


class FileError(Exception):
    """The whole file is unusable: nothing from it may be loaded."""

    def __init__(
        self, file: str | Path, code: str, en: str, th: str, columns: tuple[str, ...] = ()
    ):
        self.file = str(file)
        self.code = code
        self.en = en
        self.th = th
        self.columns = columns  # the missing columns of a `missing_column` error
        super().__init__(f"{self.file}: {en}")

    @classmethod
    def refused(cls, file: str | Path, why: filecheck.Refusal) -> FileError:
        return cls(file, why.code, why.en, why.th)


@dataclass
class ReadResult:
    """Every row read from one source, typed, and the problems found while reading.

    `table` holds the contract's columns in contract order (a column the file does not
    have is all null; a cell that could not be read is null and has a problem record),
    then `_file` and `_row`. Blank lines and empty spreadsheet rows are not rows.
    `rows_read` counts the rows of `table` plus CSV lines that could not be split.
    """

    spec: contract.Table
    table: pa.Table
    problems: pa.Table
    rows_read: int
    files: list[str]
    warnings: list[str] = field(default_factory=list)
    #: problem records made by `read`'s `on_block`, indices into `table` like `problems`
    checked: pa.Table | None = None


Source = str | Path | pa.Table | ReadResult

#: `on_block(rows)`: given one block's rows and read problems (row numbers and `_i`
#: counted from the block's start), the block's table to keep and any problem records
#: of its own; the reader then counts both in the whole file. See `read`.
BlockCheck = Callable[[ReadResult], tuple[pa.Table, pa.Table]]


def empty_problems() -> pa.Table:
    return PROBLEM_SCHEMA.empty_table()


@dataclass
class Chunk:
    """One block's typed rows. CSV row numbers are block-relative until assembled."""

    columns: dict[str, pa.Array]
    rows: np.ndarray
    cell_problems: list[tuple[np.ndarray, str, pa.Array, str]]  # local idx, column, raw, code
    lines: int = 0  # physical lines the block covered (CSV)
    malformed: list[tuple[int, str, str, str]] = field(default_factory=list)  # line, text, en, th


def convert(
    raw: dict[str, pa.Array],
    rows: np.ndarray,
    spec: contract.Table,
    parse: Callable[[pa.Array, Column], tuple[pa.Array, np.ndarray]],
) -> Chunk:
    """Type a block's columns, drop blank rows, and note every cell that could not be read."""
    n = len(rows)
    typed: dict[str, pa.Array] = {}
    bad: dict[str, np.ndarray] = {}
    for name, arr in raw.items():
        typed[name], bad[name] = parse(arr, spec[name])
    blank = np.ones(n, dtype=bool)
    for name in typed:
        if typed[name].null_count < n or bad[name].any():
            blank &= ~np_bool(pc.is_valid(typed[name])) & ~bad[name]
            if not blank.any():
                break
    if n and blank.any():
        keep = ~blank
        mask = pa.array(keep)
        typed = {k: v.filter(mask) for k, v in typed.items()}
        raw = {k: v.filter(mask) for k, v in raw.items()}
        bad = {k: v[keep] for k, v in bad.items()}
        rows = rows[keep]
        n = len(rows)
    columns = {c.name: typed.get(c.name, pa.nulls(n, c.arrow)) for c in spec.columns}
    problems = []
    for name, b in bad.items():
        if b.any():
            idx = np.flatnonzero(b)
            problems.append((idx, name, raw[name].take(idx), TYPE_ERROR_CODE[spec[name].type]))
    return Chunk(columns, rows, problems)


def _problem_table(
    idx: np.ndarray, rows: np.ndarray, file: str, column: str | None, values: pa.Array, code: str
) -> pa.Table:
    n = len(idx)
    return pa.table(
        {
            "_i": pa.array(idx, pa.int64()),
            "file": pa.repeat(pa.scalar(file, pa.string()), n),
            "row": pa.array(rows, pa.int64()),
            "column": pa.repeat(pa.scalar(column, pa.string()), n),
            "value": as_text(values),
            "code": pa.repeat(pa.scalar(code, pa.string()), n),
            "detail_en": pa.nulls(n, pa.string()),
            "detail_th": pa.nulls(n, pa.string()),
        },
        schema=PROBLEM_SCHEMA,
    )


def _malformed_table(file: str, malformed: list[tuple[int, str, str, str]]) -> pa.Table:
    n = len(malformed)
    return pa.table(
        {
            "_i": pa.nulls(n, pa.int64()),
            "file": pa.repeat(pa.scalar(file, pa.string()), n),
            "row": pa.array([m[0] for m in malformed], pa.int64()),
            "column": pa.nulls(n, pa.string()),
            "value": pa.array([m[1][:MAX_VALUE_CHARS] for m in malformed], pa.string()),
            "code": pa.repeat(pa.scalar(MALFORMED_LINE, pa.string()), n),
            "detail_en": pa.array([m[2] for m in malformed], pa.string()),
            "detail_th": pa.array([m[3] for m in malformed], pa.string()),
        },
        schema=PROBLEM_SCHEMA,
    )


def concat_problems(parts: Iterable[pa.Table | None]) -> pa.Table:
    parts = [p for p in parts if p is not None and p.num_rows]
    return pa.concat_tables(parts) if parts else empty_problems()


def assemble(
    chunks: list[tuple[str, Chunk]], spec: contract.Table, files: list[str], warnings: list[str]
) -> ReadResult:
    """Stack the chunks into one table and give every problem its row index in it."""
    arrays: dict[str, list[pa.Array]] = {c.name: [] for c in spec.columns}
    file_chunks, row_chunks, problems = [], [], []
    offset = 0
    for file, ch in chunks:
        n = len(ch.rows)
        for c in spec.columns:
            arrays[c.name].append(ch.columns[c.name])
        file_chunks.append(
            pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(n, dtype=np.int32)), pa.array([file], pa.string())
            )
        )
        row_chunks.append(pa.array(ch.rows, pa.int64()))
        for idx, column, values, code in ch.cell_problems:
            problems.append(_problem_table(idx + offset, ch.rows[idx], file, column, values, code))
        if ch.malformed:
            problems.append(_malformed_table(file, ch.malformed))
        offset += n
    cols: dict[str, pa.ChunkedArray] = {
        c.name: pa.chunked_array(arrays[c.name], c.arrow) for c in spec.columns
    }
    cols["_file"] = pa.chunked_array(file_chunks, pa.dictionary(pa.int32(), pa.string()))
    cols["_row"] = pa.chunked_array(row_chunks, pa.int64())
    table = pa.table(cols)
    malformed = sum(len(ch.malformed) for _, ch in chunks)
    return ReadResult(
        spec, table, concat_problems(problems), table.num_rows + malformed, files, warnings
    )


def match_header(
    names: list[str], spec: contract.Table, file: str | Path
) -> tuple[dict[int, str], list[str]]:
    """Position of each contract column in the header (names trimmed, any case, inner
    spaces as one; a column's `aliases` count as its name)."""
    known = {_header_key(a): c.name for c in spec.columns for a in c.aliases}
    known.update({c.name.lower(): c.name for c in spec.columns})
    found: dict[int, str] = {}
    unknown: list[str] = []
    for i, raw in enumerate(names):
        key = _header_key(raw)
        if key in known:
            if known[key] in found.values():
                raise FileError(
                    file,
                    UNREADABLE_FILE,
                    f"column {known[key]!r} appears twice in the header",
                    f"คอลัมน์ {known[key]!r} ซ้ำกันในแถวหัวตาราง",
                )
            found[i] = known[key]
        elif key:
            unknown.append(raw.strip())
    missing = [c.name for c in spec.columns if c.required and c.name not in found.values()]
    if missing:
        s = "s" if len(missing) > 1 else ""
        raise FileError(
            file,
            MISSING_COLUMN,
            f"missing required column{s} {', '.join(missing)} (the first row must be the "
            f"header with the column names of the {spec.name} table)",
            f"ไม่มีคอลัมน์ที่จำเป็น {', '.join(missing)} "
            f"(แถวแรกต้องเป็นหัวตารางที่มีชื่อคอลัมน์ของตาราง {spec.name})",
            columns=tuple(missing),
        )
    return found, unknown


def _header_key(name: str | None) -> str:
    return " ".join((name or "").replace("\ufeff", "").split()).lower()


def unknown_warning(file: str | Path, unknown: list[str]) -> list[str]:
    if not unknown:
        return []
    s = "s" if len(unknown) > 1 else ""
    return [f"{file}: ignored unknown column{s} {', '.join(unknown)}"]


def no_rows(file: str | Path) -> FileError:
    return FileError(file, EMPTY_FILE, "the file has no data rows", "ไฟล์ไม่มีแถวข้อมูล")


def too_many_rows(file: str | Path, max_rows: int) -> FileError:
    return FileError(
        file,
        TOO_MANY_ROWS,
        f"the file has more than {max_rows:,} rows: split it into smaller files",
        f"ไฟล์มีข้อมูลเกิน {max_rows:,} แถว กรุณาแบ่งเป็นหลายไฟล์",
    )
