"""CSV files: any of the encodings and delimiters survey offices use, read block by block.

The file is cut into blocks of whole lines that pyarrow parses in parallel threads, at most
a few blocks in memory at once (`read_csv`'s `on_block` keeps only what a caller needs of
each). Numbers, yes/no and dates are typed by the parser where every cell allows it, else
the block is read as text and typed column by column (`values`). A line pyarrow cannot
split is a `malformed_line` problem; a block whose quotes ran on across lines is re-read
line by line, so every physical line is exactly one row, one bad line, or blank.
"""

from __future__ import annotations

import csv
import os
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cheepao.engine import contract, money
from cheepao.engine.contract import BOOL, DATE, FLOAT, INT, MONEY, Column
from cheepao.engine.readers.common import (
    EMPTY_FILE,
    UNREADABLE_FILE,
    BlockCheck,
    Chunk,
    FileError,
    ReadResult,
    assemble,
    concat_problems,
    convert,
    empty_problems,
    match_header,
    no_rows,
    too_many_rows,
    unknown_warning,
)
from cheepao.engine.readers.values import BOOL_TOKENS, none_bad, parse_column

BLOCK_BYTES = 8 << 20  # CSV bytes per parse task: amortises per-block costs, bounds memory


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
    exactly the spellings of `BOOL_TOKENS`); any other cell raises `ArrowInvalid` and
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
            true_values=[w for w, v in BOOL_TOKENS.items() if v],
            false_values=[w for w, v in BOOL_TOKENS.items() if not v],
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
        return arr, none_bad(len(arr))
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
) -> Chunk:
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
    chunk = convert(
        columns, rows, spec, _parse_typed if typed and raw is not None else parse_column
    )
    chunk.lines = lines
    chunk.malformed = sorted(malformed)
    return chunk


def _streamable(head: bytes, whole: bool) -> int | None:
    """Where the text starts (after a UTF-8 BOM) when the file can be read block by
    block as it stands, else None: small files, and UTF-16, Thai TIS-620, classic Mac
    line ends or a blank start, which `_decode` and the checks of `read_csv` need the
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


def read_csv(
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
        include, unknown = match_header(names, spec, path)
        warnings += unknown_warning(path, unknown)
        first = text[body:]
        del text

        def block(buf: bytes) -> tuple[int, int, ReadResult, pa.Table]:
            ch = _csv_block(buf, (0, len(buf)), len(names), include, delimiter, spec)
            rr = assemble([(file, ch)], spec, [file], [])
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
                    raise too_many_rows(path, max_rows)
        except UnicodeError as e:
            raise _encoding_error(path) from e
    if rows_read == 0:
        raise no_rows(path)
    table = pa.concat_tables(tables) if tables else assemble([], spec, [file], []).table
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
