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
"""

from __future__ import annotations

import csv
import os
import re
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cheepao.engine import contract, filecheck, money
from cheepao.engine.contract import BOOL, CODE, DATE, FLOAT, INT, MONEY, STR, Column

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

TRUE_WORDS = ("true", "1", "yes", "y", "t", "ใช่", "มี")
FALSE_WORDS = ("false", "0", "no", "n", "f", "ไม่ใช่", "ไม่มี")

PARQUET_SUFFIXES = {".parquet", ".pq"}

BLOCK_BYTES = 8 << 20  # CSV bytes per parse task: amortises per-block costs, bounds memory
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
        return _whole(_read_arrow_tables([(name, source)], spec), on_block)
    if type(source).__module__.split(".")[0] == "pandas":
        table = pa.Table.from_pandas(source, preserve_index=False)
        return _whole(_read_arrow_tables([(name, table)], spec), on_block)
    path = Path(source)
    if not path.exists():
        raise FileError(path, FILE_NOT_FOUND, "no such file or directory", "ไม่พบไฟล์หรือโฟลเดอร์นี้")
    kind = detect_format(path)
    if kind == "csv":
        return _read_csv(path, spec, on_block, max_rows)
    if kind == "xlsx":
        return _whole(_read_xlsx(path, spec, max_rows, max_unpacked), on_block)
    return _whole(_read_parquet(path, spec), on_block)


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


def empty_problems() -> pa.Table:
    return PROBLEM_SCHEMA.empty_table()


# -------------------------------------------------------------------- text to contract types


def _np_bool(mask: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


def _no_bad(n: int) -> np.ndarray:
    return np.zeros(n, dtype=bool)


def _blank_to_null(arr: pa.Array) -> pa.Array:
    if arr.null_count == len(arr) or pc.min(pc.binary_length(arr)).as_py() > 0:
        return arr
    return pc.if_else(pc.equal(pc.binary_length(arr), 0), pa.scalar(None, arr.type), arr)


def _trim(arr: pa.Array) -> pa.Array:
    return _blank_to_null(pc.utf8_trim_whitespace(arr))


def digits_length(col: Column) -> int | None:
    """N when the column's pattern is exactly N digits (PIN, house code, subdistrict code)."""
    m = re.fullmatch(r"\\d\{(\d+)\}", col.pattern or "")
    return int(m.group(1)) if m else None


def compact_digits(arr: pa.Array) -> pa.Array:
    """Digit codes as people write them (1-2345-67890-12-3) reduced to the digits.

    Spaces and hyphens go, as in python-stdnum's `compact()`. A value that is still not all
    ASCII digits goes through stdnum's own `clean()` (Unicode dashes and spaces, full-width
    digits), so a PIN is judged exactly as `stdnum.th.pin` judges it; such values are rare,
    so that runs in Python on them alone.
    """
    if pc.all(pc.ascii_is_decimal(arr)).as_py() is not False:
        return _blank_to_null(arr)
    out = pc.replace_substring(pc.replace_substring(arr, " ", ""), "-", "")
    out = pc.utf8_trim_whitespace(out)
    odd = _np_bool(pc.and_(pc.is_valid(out), pc.invert(pc.ascii_is_decimal(out))))
    if odd.any():
        from stdnum.util import clean

        idx = np.flatnonzero(odd)
        fixed = [clean(v, " -").strip() for v in arr.take(idx).to_pylist()]
        out = pc.replace_with_mask(out, pa.array(odd), pa.array(fixed, pa.string()))
    return _blank_to_null(out)


_INT_RE = r"^\d{1,18}(?:\.0*)?$"
_FLOAT_RE = r"^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$"
_FLOAT_THOUSANDS_RE = r"^\d{1,3}(?:,\d{3})+(?:\.\d*)?$"
_DATE_RE = r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$"

_BOOL_TOKENS: dict[str, bool] = {}
for _words, _value in ((TRUE_WORDS, True), (FALSE_WORDS, False)):
    for _w in _words:
        for _v in (_w, _w.upper(), _w.title()):
            _BOOL_TOKENS[_v] = _value
_BOOL_TOKEN_ARRAY = pa.array(list(_BOOL_TOKENS), pa.string())
_BOOL_VALUE_ARRAY = pa.array(list(_BOOL_TOKENS.values()), pa.bool_())


def _unsigned(text: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Split an optional sign off, so one pattern and one cast serve both signs."""
    negative = pc.starts_with(text, "-")
    signed = pc.or_(negative, pc.starts_with(text, "+"))
    body = pc.if_else(signed, pc.utf8_slice_codeunits(text, 1), text)
    return body, negative


def _parse_int(raw: pa.Array) -> tuple[pa.Array, np.ndarray]:
    try:
        out = pc.cast(raw, pa.int64())
        lo, hi = pc.min_max(out).values()
        if lo.as_py() is None or (lo.as_py() > -(10**18) and hi.as_py() < 10**18):
            return out, _no_bad(len(raw))
    except pa.ArrowInvalid:
        pass
    text = _trim(raw)
    body, negative = _unsigned(text)
    ok = pc.match_substring_regex(body, _INT_RE)
    body = pc.replace_substring_regex(
        pc.if_else(ok, body, pa.scalar(None, pa.string())), r"\.0*$", ""
    )
    value = pc.cast(body, pa.int64())
    value = pc.if_else(negative, pc.negate(value), value)
    return value, _np_bool(pc.invert(ok))


def _parse_float(raw: pa.Array) -> tuple[pa.Array, np.ndarray]:
    try:
        out = pc.cast(raw, pa.float64())
        if pc.all(pc.is_finite(out)).as_py() is not False:
            return out, _no_bad(len(raw))
    except pa.ArrowInvalid:
        pass
    text = _trim(raw)
    body, negative = _unsigned(text)
    ok = pc.or_(
        pc.match_substring_regex(body, _FLOAT_RE),
        pc.match_substring_regex(body, _FLOAT_THOUSANDS_RE),
    )
    body = pc.if_else(ok, pc.replace_substring(body, ",", ""), pa.scalar(None, pa.string()))
    value = pc.cast(body, pa.float64())
    ok = pc.and_(ok, pc.is_finite(value))  # 1e999
    value = pc.if_else(
        ok, pc.if_else(negative, pc.negate(value), value), pa.scalar(None, pa.float64())
    )
    return value, _np_bool(pc.and_(pc.is_valid(text), pc.invert(pc.fill_null(ok, False))))


_MONEY_WIDE = pa.decimal128(38, 10)  # text as written, before rounding to the satang
_MONEY_LIMIT = pa.scalar(money.LIMIT, pa.decimal128(38, 2))


def _fit_money(wide: pa.Array) -> pa.Array:
    """A decimal array rounded to the satang as DECIMAL(18, 2); null where it cannot fit."""
    if wide.type.scale > money.SCALE:
        wide = pc.round(wide, money.SCALE, round_mode="half_up")
    wide = pc.cast(wide, pa.decimal128(38, money.SCALE))
    fits = pc.less(pc.abs(wide), _MONEY_LIMIT)
    return pc.cast(pc.if_else(fits, wide, pa.scalar(None, wide.type)), money.ARROW)


def _money_values(body: pa.Array) -> pa.Array:
    """Unsigned decimal text (null where not a number) as exact amounts, rounded half up to
    the satang; null where too large. Text with more than ten decimals or a far exponent
    (0.30000000000000004, 1e-20) goes through Python's `decimal`, one value at a time."""
    try:
        return _fit_money(pc.cast(body, _MONEY_WIDE))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    out = []
    for v in body.to_pylist():
        try:
            out.append(None if v is None else money.amount(v))
        except money.AmountError:
            out.append(None)
    return pa.array(out, money.ARROW)


def _parse_money(raw: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Baht as written ("37,999.70", "1e6", "1234.5678") to exact decimals with two places.

    Numbers are written as for FLOAT columns; the value is the decimal number written,
    never a binary fraction near it, rounded half up to the satang. A number too large for
    DECIMAL(18, 2) cannot be read (the validator's range check refuses far smaller ones).
    """
    try:  # whole baht and satang, the common case: one cast, exact
        return pc.cast(raw, money.ARROW), _no_bad(len(raw))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    text = _trim(raw)
    body, negative = _unsigned(text)
    ok = pc.or_(
        pc.match_substring_regex(body, _FLOAT_RE),
        pc.match_substring_regex(body, _FLOAT_THOUSANDS_RE),
    )
    body = pc.if_else(ok, pc.replace_substring(body, ",", ""), pa.scalar(None, pa.string()))
    value = _money_values(body)
    ok = pc.and_(ok, pc.is_valid(value))
    value = pc.if_else(
        ok, pc.if_else(negative, pc.negate(value), value), pa.scalar(None, money.ARROW)
    )
    return value, _np_bool(pc.and_(pc.is_valid(text), pc.invert(pc.fill_null(ok, False))))


def _parse_bool(raw: pa.Array) -> tuple[pa.Array, np.ndarray]:
    try:  # true/false/1/0 in any case: the kernel alone, no lookup
        return pc.cast(raw, pa.bool_()), _no_bad(len(raw))
    except pa.ArrowInvalid:
        pass
    idx = pc.index_in(raw, value_set=_BOOL_TOKEN_ARRAY)
    miss = _np_bool(pc.and_(pc.is_null(idx), pc.is_valid(raw)))
    bad = _no_bad(len(raw))
    if miss.any():
        # Cells that are not a common spelling: trim, fold case, look again.
        where = np.flatnonzero(miss)
        text = _trim(pc.utf8_lower(raw.take(where)))
        retry = pc.index_in(text, value_set=_BOOL_TOKEN_ARRAY)
        idx = pc.replace_with_mask(idx, pa.array(miss), retry)
        bad[where] = _np_bool(pc.and_(pc.is_null(retry), pc.is_valid(text)))
    return pc.take(_BOOL_VALUE_ARRAY, idx), bad


_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _parse_date(raw: pa.Array) -> tuple[pa.Array, np.ndarray]:
    try:
        return pc.cast(raw, pa.date32()), _no_bad(len(raw))
    except pa.ArrowInvalid:
        pass
    # strptime would roll 2020-02-30 over to 1 March: check the calendar ourselves.
    text = _trim(raw)
    parts = pc.extract_regex(text, _DATE_RE)
    matched = _np_bool(pc.is_valid(parts))
    where = np.flatnonzero(matched)
    found = parts.filter(pa.array(matched))
    y, m, d = (pc.cast(found.field(k), pa.int64()).to_numpy() for k in ("y", "m", "d"))
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    month = np.clip(m, 1, 12)
    ok = (m >= 1) & (m <= 12) & (d >= 1) & (d <= _DAYS[month - 1] + ((month == 2) & leap))
    first_of_month = ((y - 1970) * 12 + month - 1).astype("datetime64[M]").astype("datetime64[D]")
    days = (first_of_month + (d - 1).astype("timedelta64[D]")).astype(np.int64)
    values = np.zeros(len(raw), dtype=np.int32)
    valid = np.zeros(len(raw), dtype=bool)
    values[where] = days
    valid[where] = ok
    out = pa.array(values, pa.int32(), mask=~valid).cast(pa.date32())
    return out, _np_bool(pc.is_valid(text)) & ~valid


def parse_column(raw: pa.Array, col: Column) -> tuple[pa.Array, np.ndarray]:
    """Text cells to the column's contract type, and which cells could not be read.

    Empty and blank cells are null and never a problem here: whether the column may be
    empty is the validator's business. Text is trimmed; digit codes are compacted.
    """
    if raw.type != pa.string():
        raw = raw.cast(pa.string())
    if col.type in (STR, CODE):
        out = compact_digits(raw) if digits_length(col) else _trim(raw)
        return out, _no_bad(len(raw))
    return {
        INT: _parse_int,
        FLOAT: _parse_float,
        MONEY: _parse_money,
        BOOL: _parse_bool,
        DATE: _parse_date,
    }[col.type](raw)


def as_text(arr: pa.Array) -> pa.Array:
    """Any Arrow column as the text a person would have typed (1234.0 and 1234.00 read
    '1234')."""
    if pa.types.is_dictionary(arr.type):
        arr = arr.cast(arr.type.value_type)
    if pa.types.is_string(arr.type):
        return arr
    if pa.types.is_decimal(arr.type):
        return pc.replace_substring_regex(pc.cast(arr, pa.string()), r"\.0+$", "")
    if pa.types.is_floating(arr.type):
        whole = pc.and_(pc.is_finite(arr), pc.equal(pc.floor(arr), arr))
        whole = pc.fill_null(pc.and_(whole, pc.less(pc.abs(arr), 1e18)), False)
        as_int = pc.cast(pc.if_else(whole, arr, pa.scalar(None, arr.type)), pa.int64())
        return pc.if_else(whole, pc.cast(as_int, pa.string()), pc.cast(arr, pa.string()))
    if pa.types.is_timestamp(arr.type):
        return pc.strftime(arr, "%Y-%m-%d %H:%M:%S")
    return pc.cast(arr, pa.string())


def _typed_column(arr: pa.Array, col: Column, file: str) -> tuple[pa.Array, np.ndarray]:
    """Keep a Parquet column that already has the contract's type; read others as text."""
    t = arr.type
    if pa.types.is_dictionary(t):
        arr = arr.cast(t.value_type)
        t = arr.type
    if pa.types.is_large_string(t):
        arr = arr.cast(pa.string())
        t = arr.type
    no_bad = _no_bad(len(arr))
    if col.type == INT and pa.types.is_integer(t):
        return arr.cast(pa.int64()), no_bad
    if col.type == FLOAT and (pa.types.is_integer(t) or pa.types.is_floating(t)):
        out = arr.cast(pa.float64())
        if pc.all(pc.is_finite(out)).as_py() is not False:
            return out, no_bad
    if col.type == MONEY and (pa.types.is_integer(t) or pa.types.is_decimal(t)):
        # exact already (a double goes through its text below: the decimal it prints as)
        try:
            scale = t.scale if pa.types.is_decimal(t) else 0
            out = _fit_money(arr.cast(pa.decimal128(38, scale)))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            out = None  # too large for any decimal: the text path reports the cell
        if out is not None and out.null_count == arr.null_count:
            return out, no_bad
    if col.type == BOOL and pa.types.is_boolean(t):
        return arr, no_bad
    if col.type == DATE and pa.types.is_date(t):
        return arr.cast(pa.date32()), no_bad
    try:
        text = as_text(arr)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
        raise FileError(
            file,
            UNREADABLE_FILE,
            f"column {col.name!r} has type {t}, which cannot be read as {col.type}",
            f"คอลัมน์ {col.name!r} เป็นชนิด {t} ซึ่งอ่านเป็น {col.type} ไม่ได้",
        ) from e
    return parse_column(text, col)


# -------------------------------------------------------------------- blocks of rows


@dataclass
class _Chunk:
    """One block's typed rows. CSV row numbers are block-relative until assembled."""

    columns: dict[str, pa.Array]
    rows: np.ndarray
    cell_problems: list[tuple[np.ndarray, str, pa.Array, str]]  # local idx, column, raw, code
    lines: int = 0  # physical lines the block covered (CSV)
    malformed: list[tuple[int, str, str, str]] = field(default_factory=list)  # line, text, en, th


def _convert(
    raw: dict[str, pa.Array],
    rows: np.ndarray,
    spec: contract.Table,
    parse: Callable[[pa.Array, Column], tuple[pa.Array, np.ndarray]],
) -> _Chunk:
    """Type a block's columns, drop blank rows, and note every cell that could not be read."""
    n = len(rows)
    typed: dict[str, pa.Array] = {}
    bad: dict[str, np.ndarray] = {}
    for name, arr in raw.items():
        typed[name], bad[name] = parse(arr, spec[name])
    blank = np.ones(n, dtype=bool)
    for name in typed:
        if typed[name].null_count < n or bad[name].any():
            blank &= ~_np_bool(pc.is_valid(typed[name])) & ~bad[name]
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
    return _Chunk(columns, rows, problems)


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


def _assemble(
    chunks: list[tuple[str, _Chunk]], spec: contract.Table, files: list[str], warnings: list[str]
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


def _match_header(
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


def _unknown_warning(file: str | Path, unknown: list[str]) -> list[str]:
    if not unknown:
        return []
    s = "s" if len(unknown) > 1 else ""
    return [f"{file}: ignored unknown column{s} {', '.join(unknown)}"]


def _no_rows(file: str | Path) -> FileError:
    return FileError(file, EMPTY_FILE, "the file has no data rows", "ไฟล์ไม่มีแถวข้อมูล")


def _too_many_rows(file: str | Path, max_rows: int) -> FileError:
    return FileError(
        file,
        TOO_MANY_ROWS,
        f"the file has more than {max_rows:,} rows: split it into smaller files",
        f"ไฟล์มีข้อมูลเกิน {max_rows:,} แถว กรุณาแบ่งเป็นหลายไฟล์",
    )


# -------------------------------------------------------------------- CSV


def _encoding_error(path: Path) -> FileError:
    return FileError(
        path,
        UNREADABLE_FILE,
        "the text is neither UTF-8 nor Thai TIS-620: save the file as 'CSV UTF-8'",
        "ข้อความในไฟล์ไม่ใช่ UTF-8 หรือ TIS-620 กรุณาบันทึกเป็น 'CSV UTF-8'",
    )


def _decode(data: bytes, path: Path, warnings: list[str]) -> bytes:
    """UTF-8 (with or without BOM) as is; UTF-16 and Thai TIS-620 re-encoded to UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise _encoding_error(path) from e
        warnings.append(f"{path}: read as UTF-16")
        return text.lstrip("\ufeff").encode("utf-8")
    head = data[: 1 << 20]
    if len(data) > len(head):
        head = head[: head.rfind(b"\n") + 1] or head
    try:
        head.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp874")
    except UnicodeDecodeError as e:
        raise _encoding_error(path) from e
    warnings.append(f"{path}: not UTF-8, read as Thai TIS-620 (Windows-874)")
    return text.encode("utf-8")


def _header(data: bytes) -> tuple[list[str], str, int]:
    """Column names, the delimiter (, ; tab or |, whichever splits the header most), body start."""
    end = data.find(b"\n")
    stop = end if end >= 0 else len(data)
    line = data[:stop].rstrip(b"\r").decode("utf-8", "replace")
    best = (",", [line])
    for delim in (",", ";", "\t", "|"):
        names = next(csv.reader([line], delimiter=delim))
        if len(names) > len(best[1]):
            best = (delim, names)
    return best[1], best[0], stop + 1


def _one_chunk(col: pa.ChunkedArray) -> pa.Array:
    return col.chunk(0) if col.num_chunks == 1 else col.combine_chunks()


_CSV_TYPES = {
    INT: pa.int64(),
    FLOAT: pa.float64(),
    MONEY: money.ARROW,  # whole baht and satang; more decimals send the block to text
    BOOL: pa.bool_(),
    DATE: pa.date32(),
}


def _parse_text(
    buf: Any,
    names: list[str],
    include: dict[int, str],
    delimiter: str,
    spec: contract.Table | None = None,
) -> tuple[pa.Table, list[tuple[int, int, int, str]]]:
    """pyarrow's CSV parser; bad lines collected, not raised.

    Every kept column comes back as text, unless `spec` is given: then numbers, yes/no
    and dates are converted by the parser itself (about twice as fast as text plus a
    cast), accepting only what `parse_column` would accept with the same value (yes/no
    exactly the spellings of `_BOOL_TOKENS`); any other cell raises `ArrowInvalid` and
    the caller reads the block as text.
    """
    import pyarrow.csv as pcsv

    invalid: list[tuple[int, int, int, str]] = []

    def on_invalid(row: Any) -> str:
        invalid.append((row.number, row.expected_columns, row.actual_columns, row.text))
        return "skip"

    raw = pcsv.read_csv(
        pa.py_buffer(buf),
        read_options=pcsv.ReadOptions(
            column_names=names, use_threads=False, block_size=len(buf) + (1 << 16)
        ),
        parse_options=pcsv.ParseOptions(
            delimiter=delimiter, ignore_empty_lines=False, invalid_row_handler=on_invalid
        ),
        convert_options=pcsv.ConvertOptions(
            column_types={
                names[i]: _CSV_TYPES.get(spec[name].type, pa.string()) if spec else pa.string()
                for i, name in include.items()
            },
            include_columns=[names[i] for i in include],
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            true_values=[w for w, v in _BOOL_TOKENS.items() if v],
            false_values=[w for w, v in _BOOL_TOKENS.items() if not v],
        ),
    )
    return raw, invalid


def _typed_ok(arr: pa.Array, col: Column) -> bool:
    """A column the parser typed holds only what the text path would accept as is.

    The text path refuses whole numbers of 19 digits or more and numbers that are not
    finite (1e999, inf); a block holding one is read again as text, so that the cell is
    reported exactly as before.
    """
    if col.type == INT and arr.null_count < len(arr):
        lo, hi = pc.min_max(arr).values()
        return lo.as_py() > -(10**18) and hi.as_py() < 10**18
    if col.type == FLOAT and arr.null_count < len(arr):
        return pc.all(pc.is_finite(arr)).as_py() is not False
    return True


def _parse_typed(arr: pa.Array, col: Column) -> tuple[pa.Array, np.ndarray]:
    """`parse_column` for a block the parser typed: text columns still need it."""
    if col.type in _CSV_TYPES and arr.type == _CSV_TYPES[col.type]:
        return arr, _no_bad(len(arr))
    return parse_column(arr, col)


_UNCLOSED = ('a double quote (") is opened but never closed', 'มีเครื่องหมายคำพูด (") เปิดแต่ไม่ปิด')


def _field_count(actual: int, expected: int) -> tuple[str, str]:
    return (
        f"it has {actual} fields, the header has {expected}",
        f"มี {actual} ช่อง แต่หัวตารางมี {expected} ช่อง",
    )


def _parse_lines(buf: bytes, n_fields: int, include: dict[int, str], delimiter: str):
    """Line by line with Python's csv module: the slow, sure path for a block whose quotes
    pyarrow let run on across lines. Values may not contain line breaks, so each physical
    line is one record; a line that ends inside a quoted value is reported on its own."""
    cols: dict[str, list[str | None]] = {name: [] for name in include.values()}
    rows: list[int] = []
    malformed: list[tuple[int, str, str, str]] = []
    lines = buf.split(b"\n")
    if buf.endswith(b"\n"):
        lines.pop()
    for number, line in enumerate(lines, start=1):
        text = line.decode("utf-8").rstrip("\r")
        if not text.strip():
            continue
        try:
            fields = next(csv.reader([text], delimiter=delimiter, strict=True))
        except csv.Error as e:
            if "end of data" in str(e):
                malformed.append((number, text, *_UNCLOSED))
                continue
            fields = next(csv.reader([text], delimiter=delimiter))
        if len(fields) != n_fields:
            malformed.append((number, text, *_field_count(len(fields), n_fields)))
            continue
        rows.append(number)
        for pos, name in include.items():
            cols[name].append(fields[pos] or None)
    columns = {name: pa.array(values, pa.string()) for name, values in cols.items()}
    return columns, np.asarray(rows, dtype=np.int64), malformed, len(lines)


def _csv_block(
    data: bytes,
    span: tuple[int, int],
    n_fields: int,
    include: dict[int, str],
    delimiter: str,
    spec: contract.Table,
) -> _Chunk:
    """Parse one block of whole lines; row numbers come back relative to the block.

    pyarrow parses the block; its bad lines come back through the invalid-row handler.
    When the block has quotes, the rows plus bad lines must add up to the block's lines,
    or a quote was left open and pyarrow merged lines: then the block is re-read line by
    line. Every physical line is thus exactly one row, one bad line, or blank.
    """
    start, end = span
    buf = memoryview(data)[start:end]
    names = [f"f{i}" for i in range(n_fields)]
    raw, invalid, typed = None, [], False
    try:
        raw, invalid = _parse_text(buf, names, include, delimiter, spec)
        typed = all(
            _typed_ok(_one_chunk(raw.column(names[i])), spec[n]) for i, n in include.items()
        )
    except pa.ArrowInvalid:
        pass  # a cell the parser would not type: the text path finds and reports it
    if not typed:
        raw, invalid = None, []
        try:
            raw, invalid = _parse_text(buf, names, include, delimiter)
        except pa.ArrowInvalid as e:
            if "utf8" in str(e).lower():
                raise UnicodeError(str(e)) from e
    if raw is not None and data.find(b'"', start, end) >= 0:
        lines = data.count(b"\n", start, end) + (data[end - 1 : end] != b"\n")
        if raw.num_rows + len(invalid) != lines:
            raw = None
    if raw is None:
        try:
            columns, rows, malformed, lines = _parse_lines(bytes(buf), n_fields, include, delimiter)
        except UnicodeDecodeError as e:
            raise UnicodeError(str(e)) from e
    else:
        lines = raw.num_rows + len(invalid)
        parsed = np.ones(lines, dtype=bool)
        malformed = []
        for number, expected, actual, text in invalid:
            parsed[number - 1] = False
            if text.strip():  # a line of spaces is a blank line, not a broken row
                malformed.append((number, text, *_field_count(actual, expected)))
        rows = np.flatnonzero(parsed).astype(np.int64) + 1
        columns = {include[i]: _one_chunk(raw.column(names[i])) for i in include}
    chunk = _convert(
        columns, rows, spec, _parse_typed if typed and raw is not None else parse_column
    )
    chunk.lines = lines
    chunk.malformed = sorted(malformed)
    return chunk


def _streamable(head: bytes, whole: bool) -> int | None:
    """Where the text starts (after a UTF-8 BOM) when the file can be read block by
    block as it stands, else None: small files, and UTF-16, Thai TIS-620, classic Mac
    line ends or a blank start, which `_decode` and the checks of `_read_csv` need the
    whole file for. The UTF-8 test is `_decode`'s, on the same first megabyte."""
    if whole or head[:2] in (b"\xff\xfe", b"\xfe\xff") or not head[:4096].strip():
        return None
    start = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    if b"\n" not in head[start:]:
        return None
    if not start:
        first = head[: 1 << 20]
        first = first[: first.rfind(b"\n") + 1] or first
        try:
            first.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return start


def _line_blocks(first: bytes, more: Callable[[], bytes], size: int) -> Iterable[bytes]:
    """Blocks of whole lines, each ending at the first line end `size` bytes or more
    into it (as `_blocks` cuts a file in memory), reading more text only as needed."""
    buf = bytearray(first)
    eof = False
    while True:
        cut = buf.find(b"\n", size) if len(buf) > size else -1
        while cut < 0 and not eof:
            piece = more()
            if not piece:
                eof = True
                break
            buf += piece
            cut = buf.find(b"\n", size) if len(buf) > size else -1
        if cut < 0:
            if buf:
                yield bytes(buf)
            return
        block = bytes(memoryview(buf)[: cut + 1])
        del buf[: cut + 1]
        yield block


def _imap(fn: Callable, items: Iterable, ahead: int) -> Iterable:
    """`map(fn, items)` on every core, in order, with at most `ahead` items in flight:
    the file is read only as fast as its blocks are used, so memory stays bounded."""
    workers = os.cpu_count() or 1
    if workers == 1:
        yield from map(fn, items)
        return
    pending: deque = deque()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _read_csv(
    path: Path,
    spec: contract.Table,
    on_block: BlockCheck | None = None,
    max_rows: int | None = None,
) -> ReadResult:
    """A CSV file read block by block: at most a few blocks are in memory at once."""
    warnings: list[str] = []
    file = str(path)
    with open(path, "rb") as f:
        want = max(BLOCK_BYTES, 1 << 20)
        head = f.read(want)
        start = _streamable(head, len(head) < want)
        if start is None:
            data = _decode(head + f.read(), path, warnings)
            if not data[:4096].strip() and not data.strip():
                raise FileError(path, EMPTY_FILE, "the file is empty", "ไฟล์ว่างเปล่า")
            if b"\n" not in data and b"\r" in data:
                data = data.replace(b"\r", b"\n")  # classic Mac line ends
            head, start = data, 0
            more: Callable[[], bytes] = bytes
        else:
            more = lambda: f.read(BLOCK_BYTES)  # noqa: E731
        text = head[start:] if start else head
        del head
        names, delimiter, body = _header(text)
        include, unknown = _match_header(names, spec, path)
        warnings += _unknown_warning(path, unknown)
        first = text[body:]
        del text

        def block(buf: bytes) -> tuple[int, int, ReadResult, pa.Table]:
            ch = _csv_block(buf, (0, len(buf)), len(names), include, delimiter, spec)
            rr = _assemble([(file, ch)], spec, [file], [])
            kept, checked = on_block(rr) if on_block else (rr.table, empty_problems())
            return ch.lines, rr.rows_read, replace(rr, table=kept), checked

        tables, problems, checks = [], [], []
        line, offset, rows_read = 2, 0, 0  # the header is line 1
        try:
            for lines, n_read, rr, checked in _imap(
                block, _line_blocks(first, more, BLOCK_BYTES), ahead=2 * (os.cpu_count() or 1)
            ):
                tables.append(_shift_rows(rr.table, line - 1))
                problems.append(_shift_problems(rr.problems, offset, line - 1))
                checks.append(_shift_problems(checked, offset, line - 1))
                offset += rr.table.num_rows
                rows_read += n_read
                line += lines
                if max_rows is not None and rows_read > max_rows:
                    raise _too_many_rows(path, max_rows)
        except UnicodeError as e:
            raise _encoding_error(path) from e
    if rows_read == 0:
        raise _no_rows(path)
    table = pa.concat_tables(tables) if tables else _assemble([], spec, [file], []).table
    return ReadResult(
        spec, table, concat_problems(problems), rows_read, [file], warnings, concat_problems(checks)
    )


def _shift_rows(table: pa.Table, lines: int) -> pa.Table:
    i = table.schema.get_field_index("_row")
    if not lines or i < 0:
        return table
    return table.set_column(i, "_row", pc.add(table.column(i), lines))


def _shift_problems(problems: pa.Table, offset: int, lines: int) -> pa.Table:
    """Block-relative problem records counted in the whole file (`_i` and `row`)."""
    if not problems.num_rows or not (offset or lines):
        return problems
    problems = problems.set_column(0, "_i", pc.add(problems.column("_i"), offset))
    return problems.set_column(2, "row", pc.add(problems.column("row"), lines))


# -------------------------------------------------------------------- XLSX


def _cell_text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e18 else repr(v)
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == time(0) else v.isoformat(sep=" ")
    if isinstance(v, date | time):
        return v.isoformat()
    return str(v)


#: Data rows are read this many columns past the header's last, to notice (and warn of)
#: values outside the named columns without letting a stray cell in column XFD make every
#: row 16,384 cells wide.
XLSX_EXTRA_COLUMNS = 64


def _read_xlsx(
    path: Path,
    spec: contract.Table,
    max_rows: int | None = None,
    max_unpacked: int | None = None,
) -> ReadResult:
    """The first sheet, header in row 1. Workbooks are small, so this loops in Python.

    The archive is checked before openpyxl opens it (`filecheck.check_xlsx`), and openpyxl
    is given the open file, not the name, so a workbook named `.csv` is read like any
    other. Whatever openpyxl raises on a broken workbook is a `FileError`.
    """
    refusal = filecheck.check_xlsx(path, max_unpacked)
    if refusal is not None:
        raise FileError.refused(path, refusal)
    from openpyxl import load_workbook

    warnings: list[str] = []
    with open(path, "rb") as fh:
        try:
            wb = load_workbook(fh, read_only=True, data_only=True)
        except Exception as e:  # any failure of the parser on a bad file
            raise FileError.refused(path, filecheck.DAMAGED_XLSX) from e
        try:
            sheets = wb.worksheets
            if not sheets:
                raise FileError(path, EMPTY_FILE, "the workbook has no worksheet", "ไฟล์นี้ไม่มีแผ่นงาน")
            ws = sheets[0]
            ws.reset_dimensions()  # a stated size of A1:XFD1048576 is no reason to pad rows
            header = next(ws.iter_rows(max_row=1, values_only=True), None)
            if not header or all(h is None for h in header):
                raise FileError(path, EMPTY_FILE, "the first sheet is empty", "แผ่นงานแรกว่างเปล่า")
            names = [_cell_text(h) or "" for h in header]
            include, unknown = _match_header(names, spec, path)
            warnings += _unknown_warning(path, unknown)
            cols: dict[str, list] = {name: [] for name in include.values()}
            rows: list[int] = []
            outside = 0
            width = len(names) + XLSX_EXTRA_COLUMNS
            for number, values in enumerate(
                ws.iter_rows(min_row=2, max_col=width, values_only=True), start=2
            ):
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    continue
                if max_rows is not None and len(rows) >= max_rows:
                    raise _too_many_rows(path, max_rows)
                if any(v is not None for v in values[len(names) :]):
                    outside += 1
                rows.append(number)
                for i, name in include.items():
                    cols[name].append(_cell_text(values[i]) if i < len(values) else None)
        except FileError:
            raise
        except Exception as e:  # a sheet broken part-way through
            raise FileError.refused(path, filecheck.DAMAGED_XLSX) from e
        finally:
            wb.close()
    if not rows:
        raise _no_rows(path)
    if outside:
        warnings.append(
            f"{path}: {outside} rows have values right of the last named column; "
            "those values were ignored"
        )
    raw = {name: pa.array(values, pa.string()) for name, values in cols.items()}
    chunk = _convert(raw, np.asarray(rows, dtype=np.int64), spec, parse_column)
    return _assemble([(str(path), chunk)], spec, [str(path)], warnings)


# -------------------------------------------------------------------- Parquet and tables


def _arrow_chunk(file: str, table: pa.Table, spec: contract.Table) -> tuple[_Chunk, list[str]]:
    """A typed table as a chunk; row numbers count as if it were a CSV with a header."""
    include, unknown = _match_header(table.column_names, spec, file)
    raw = {name: table.column(i).combine_chunks() for i, name in include.items()}
    rows = np.arange(2, table.num_rows + 2, dtype=np.int64)
    chunk = _convert(raw, rows, spec, lambda arr, col: _typed_column(arr, col, file))
    return chunk, _unknown_warning(file, unknown)


def _read_arrow_tables(tables: list[tuple[str, pa.Table]], spec: contract.Table) -> ReadResult:
    chunks, warnings = [], []
    for file, table in tables:
        chunk, warn = _arrow_chunk(file, table, spec)
        chunks.append((file, chunk))
        warnings += warn
    return _assemble(chunks, spec, [f for f, _ in tables], warnings)


def _hive_values(path: Path, root: Path) -> dict[str, str]:
    """survey_year=2568/part-0.parquet: partition values written into directory names."""
    out = {}
    for part in path.relative_to(root).parent.parts:
        key, sep, value = part.partition("=")
        if sep:
            out[key] = value
    return out


def _read_parquet(path: Path, spec: contract.Table) -> ReadResult:
    import pyarrow.parquet as pq

    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*")
            if p.is_file()
            and p.suffix.lower() in PARQUET_SUFFIXES
            and not p.name.startswith((".", "_"))
        )
        if not files:
            raise FileError(
                path, EMPTY_FILE, "the directory holds no .parquet file", "ในโฟลเดอร์ไม่มีไฟล์ .parquet"
            )
    else:
        files = [path]
    tables = []
    for f in files:
        try:
            t = pq.read_table(f)
        except (pa.ArrowInvalid, OSError) as e:
            raise FileError(
                f, UNREADABLE_FILE, f"not a readable Parquet file ({e})", "อ่านไฟล์ Parquet ไม่ได้"
            ) from e
        if path.is_dir():
            for key, value in _hive_values(f, path).items():
                if key not in t.column_names:
                    t = t.append_column(key, pa.repeat(pa.scalar(value, pa.string()), t.num_rows))
        tables.append((str(f), t))
    result = _read_arrow_tables(tables, spec)
    if result.rows_read == 0:
        raise _no_rows(path)
    return result
