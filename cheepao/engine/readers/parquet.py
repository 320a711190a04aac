"""Parquet files, directories of them, and tables already in memory (Arrow, pandas).

A column that already has the contract's type is kept as it is; any other is read as the
text a person would have typed and parsed like a CSV column. Row numbers count as if the
table were a CSV file with a header.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cheepao.engine import contract
from cheepao.engine.contract import BOOL, DATE, FLOAT, INT, MONEY, Column
from cheepao.engine.readers.common import (
    EMPTY_FILE,
    UNREADABLE_FILE,
    Chunk,
    FileError,
    ReadResult,
    assemble,
    convert,
    match_header,
    no_rows,
    unknown_warning,
)
from cheepao.engine.readers.values import as_text, fit_money, none_bad, parse_column

PARQUET_SUFFIXES = {".parquet", ".pq"}


def _typed_column(arr: pa.Array, col: Column, file: str) -> tuple[pa.Array, np.ndarray]:
    """Keep a Parquet column that already has the contract's type; read others as text."""
    t = arr.type
    if pa.types.is_dictionary(t):
        arr = arr.cast(t.value_type)
        t = arr.type
    if pa.types.is_large_string(t):
        arr = arr.cast(pa.string())
        t = arr.type
    no_bad = none_bad(len(arr))
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
            out = fit_money(arr.cast(pa.decimal128(38, scale)))
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


def _arrow_chunk(file: str, table: pa.Table, spec: contract.Table) -> tuple[Chunk, list[str]]:
    """A typed table as a chunk; row numbers count as if it were a CSV with a header."""
    include, unknown = match_header(table.column_names, spec, file)
    raw = {name: table.column(i).combine_chunks() for i, name in include.items()}
    rows = np.arange(2, table.num_rows + 2, dtype=np.int64)
    chunk = convert(raw, rows, spec, lambda arr, col: _typed_column(arr, col, file))
    return chunk, unknown_warning(file, unknown)


def read_arrow_tables(tables: list[tuple[str, pa.Table]], spec: contract.Table) -> ReadResult:
    chunks, warnings = [], []
    for file, table in tables:
        chunk, warn = _arrow_chunk(file, table, spec)
        chunks.append((file, chunk))
        warnings += warn
    return assemble(chunks, spec, [f for f, _ in tables], warnings)


def _hive_values(path: Path, root: Path) -> dict[str, str]:
    """survey_year=2568/part-0.parquet: partition values written into directory names."""
    out = {}
    for part in path.relative_to(root).parent.parts:
        key, sep, value = part.partition("=")
        if sep:
            out[key] = value
    return out


def read_parquet(path: Path, spec: contract.Table) -> ReadResult:
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
    result = read_arrow_tables(tables, spec)
    if result.rows_read == 0:
        raise no_rows(path)
    return result
