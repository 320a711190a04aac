"""Check a survey year (households + members) against the data contract and the catalogue.

Targeting decides who gets help, so a wrong row is worse than a missing one: every row that
breaks a rule is kept out of the engine's input and reported, and every good row is kept.
Nothing is lost in between: rows read = rows kept + rows rejected, for each table, and each
rejected row has at least one record in `rejects` saying where it is and what is wrong, in
English and Thai, under a stable reason code (listed in `REASONS` and docs/data-contract.md).

One kind of problem is reported without setting the row aside (`KEEPS_ROW`): a member's
national ID (PIN) that is malformed, fails its check digit or is given twice. A PIN is an
identifier, not an answer: dropping the member would compute the household on fewer people
(70,000 baht for two is I3-poor, for one it is not), so the member stays in every
computation, the record names file, row and column, and the kept row says what is to be
corrected in `data_problems` (a malformed PIN, which cannot be a PIN, is emptied).

Row checks run vectorised on slices of the tables in parallel threads; the checks that need
the whole year at once (duplicates, members without a household, households without
members) run in DuckDB over the key columns only.

Which empty answers are errors: a member answer column (exercise, literacy, ...) must be
filled for a member when at least one catalogue indicator that asks it applies to that
member (age band and `where` flag) and the member is not exempt from that indicator. An
exempt member's answer is never read by that indicator, so it is not demanded; if another
indicator asking the same column applies without exemption, the answer is demanded. A
`where` flag left empty counts as false (the indicator does not apply), an exemption flag
left empty as not exempt, exactly as the engine reads them (`indicators.py`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cheepao.engine import catalogue as catalogue_mod
from cheepao.engine import contract, readers
from cheepao.engine.catalogue import Catalogue
from cheepao.engine.contract import CODE, FLOAT, INT, MONEY, Column
from cheepao.engine.readers import PROBLEM_SCHEMA, FileError, ReadResult

__all__ = [
    "REASONS",
    "REJECT_COLUMNS",
    "FileError",
    "Summary",
    "TableSummary",
    "ValidationResult",
    "pin_valid",
    "valid_subdistricts",
    "validate_survey",
    "write_rejects_csv",
]

REJECT_COLUMNS = ("file", "row", "table", "column", "value", "code", "reason_en", "reason_th")

#: (table, column) -> reason codes that are reported but keep the row in every computation
#: (issue 9 item 12): only rows that cannot be placed in a household are set aside for an
#: identifier. The kept row lists them in `data_problems` (`DATA_PROBLEMS`).
KEEPS_ROW: dict[tuple[str, str], frozenset[str]] = {
    ("members", "pin"): frozenset(
        {"bad_format", "pin_first_digit", "pin_check_digit", "duplicate_pin"}
    ),
}
#: The column added to the kept member rows: the codes of their problems to correct,
#: comma-separated ("pin_check_digit"), null when there are none.
DATA_PROBLEMS = "data_problems"
REJECTS_SCHEMA = pa.schema(
    [
        ("file", pa.string()),
        ("row", pa.int64()),
        ("table", pa.string()),
        ("column", pa.string()),
        ("value", pa.string()),
        ("code", pa.string()),
        ("reason_en", pa.string()),
        ("reason_th", pa.string()),
    ]
)

EARLIEST_BIRTH = date(1880, 1, 1)
_BE_HINT = (
    "(the year looks like a Buddhist Era year: write birth dates in the Gregorian "
    "calendar, year - 543)",
    "(ปีน่าจะเป็น พ.ศ. วันเกิดต้องเป็นปี ค.ศ. คือ พ.ศ. - 543)",
)
# Buddhist Era year - 543 = Gregorian year. The platform's one constant is
# `cheepao.core.thai.BE_OFFSET`; the engine keeps its own because it never imports Django
# or the platform (import contract in pyproject.toml).
BE_OFFSET = 543
AGE_TOLERANCE = 1  # years between the stated age and the age from the birth date
SLICE_ROWS = 1 << 18

#: code -> (English, Thai) message. {col} is the column name, {col_th} its Thai label.
#: A record may add a detail after the message (the other rows, the computed age, ...).
REASONS: dict[str, tuple[str, str]] = {
    readers.MALFORMED_LINE: (
        "This line could not be read as a row:",
        "อ่านบรรทัดนี้เป็นแถวข้อมูลไม่ได้:",
    ),
    readers.NOT_INTEGER: (
        "{col} must be a whole number.",
        "{col_th} ({col}) ต้องเป็นจำนวนเต็ม",
    ),
    readers.NOT_NUMBER: (
        "{col} must be a number (digits with an optional decimal point; 1,234.50 is fine).",
        "{col_th} ({col}) ต้องเป็นตัวเลข (มีจุดทศนิยมได้ เช่น 1,234.50)",
    ),
    readers.NOT_BOOLEAN: (
        "{col} must be yes or no: true/false, 1/0, yes/no, y/n, t/f, ใช่/ไม่ใช่ or มี/ไม่มี.",
        "{col_th} ({col}) ต้องเป็น ใช่/ไม่ใช่ (true/false, 1/0, yes/no, y/n, t/f, ใช่/ไม่ใช่, มี/ไม่มี)",
    ),
    readers.NOT_DATE: (
        "{col} must be a Gregorian date written YYYY-MM-DD, e.g. 1985-03-01.",
        "{col_th} ({col}) ต้องเป็นวันที่แบบ ค.ศ. เขียนเป็น ปปปป-ดด-วว เช่น 1985-03-01",
    ),
    "missing_value": (
        "{col} is required but empty.",
        "ต้องกรอก {col_th} ({col}) แต่ช่องนี้ว่าง",
    ),
    "unknown_code": (
        "{col} must be one of: {codes}.",
        "{col_th} ({col}) ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: {codes}",
    ),
    "bad_format": (
        "{col} must be {format}.",
        "{col_th} ({col}) ต้องเป็น{format_th}",
    ),
    "pin_first_digit": (
        "A national ID (PIN) never starts with 0 or 9.",
        "เลขประจำตัวประชาชนไม่ขึ้นต้นด้วย 0 หรือ 9",
    ),
    "pin_check_digit": (
        "The last digit of the national ID (PIN) does not match its check digit: "
        "the number was probably mistyped.",
        "หลักสุดท้ายของเลขประจำตัวประชาชนไม่ตรงกับหลักตรวจสอบ น่าจะพิมพ์เลขผิด",
    ),
    # added after the message of a problem that keeps its row (KEEPS_ROW)
    "kept": (
        "The member is kept and counted; correct the ID.",
        "ยังนับสมาชิกคนนี้ตามปกติ แต่ต้องแก้ไขเลขประจำตัวประชาชน",
    ),
    "unknown_subdistrict": (
        "No DOPA subdistrict has this code.",
        "ไม่มีตำบลที่ใช้รหัสนี้ (รหัสตำบลของกรมการปกครอง)",
    ),
    "out_of_range": (
        "{col} must be from {min} to {max}.",
        "{col_th} ({col}) ต้องอยู่ระหว่าง {min} ถึง {max}",
    ),
    "negative_amount": (
        "{col} cannot be negative.",
        "{col_th} ({col}) ติดลบไม่ได้",
    ),
    "birth_date_future": (
        "The birth date is in the future.",
        "วันเกิดอยู่ในอนาคต",
    ),
    "birth_date_too_early": (
        "The birth date is before 1880.",
        "วันเกิดก่อนปี ค.ศ. 1880",
    ),
    "age_mismatch": (
        "The age differs by more than 1 year from the age the birth date gives on "
        "1 March of the survey year:",
        "อายุต่างจากอายุที่คำนวณจากวันเกิด ณ วันที่ 1 มีนาคมของปีที่สำรวจ เกิน 1 ปี:",
    ),
    "duplicate_household": (
        "The same hh_id appears more than once in this survey year; every copy is rejected:",
        "รหัสครัวเรือนนี้ซ้ำกันในปีสำรวจเดียวกัน จึงไม่รับทุกแถวที่ซ้ำ:",
    ),
    "duplicate_member": (
        "The same member_no appears more than once in this household; every copy is rejected:",
        "ลำดับสมาชิกนี้ซ้ำกันในครัวเรือนเดียวกัน จึงไม่รับทุกแถวที่ซ้ำ:",
    ),
    "duplicate_pin": (
        "The same national ID (PIN) is given to more than one member in this survey year:",
        "เลขประจำตัวประชาชนนี้ซ้ำกับสมาชิกคนอื่นในปีสำรวจเดียวกัน:",
    ),
    "orphan_member": (
        "No household row has this member's hh_id in this survey year.",
        "ไม่มีแถวครัวเรือนที่มีรหัสครัวเรือนนี้ในปีสำรวจเดียวกัน",
    ),
    "household_rejected": (
        "This member's household row was rejected, so the member cannot be used:",
        "แถวครัวเรือนของสมาชิกคนนี้ไม่ผ่านการตรวจ จึงใช้ข้อมูลสมาชิกไม่ได้:",
    ),
    "no_members": (
        "The household has no valid member row:",
        "ครัวเรือนนี้ไม่มีแถวสมาชิกที่ใช้ได้:",
    ),
    "missing_answer": (
        "{col} must be answered for this member, because it is asked by {indicators}.",
        "ต้องตอบ {col_th} ({col}) สำหรับสมาชิกคนนี้ เพราะใช้ในตัวชี้วัด {indicators_th}",
    ),
}

_FORMATS = {  # pattern -> how to say it
    r"[A-Za-z0-9_\-]{1,40}": (
        "1 to 40 letters, digits, _ or -",
        "ตัวอักษรอังกฤษ ตัวเลข _ หรือ - ยาว 1 ถึง 40 ตัว",
    ),
}

Source = str | Path | pa.Table | ReadResult


@dataclass
class TableSummary:
    table: str
    files: list[str]
    rows_read: int
    rows_kept: int
    rows_rejected: int
    problems: dict[str, int]  # code -> records
    rows_to_correct: int = 0  # kept rows with a problem that did not set them aside

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Summary:
    tables: dict[str, TableSummary]
    problems: dict[str, int]  # code -> records, both tables, most frequent first
    top: list[dict[str, Any]]  # {table, code, column, count}, most frequent first
    warnings: list[str] = field(default_factory=list)
    catalogue: str = ""
    households_missing_members: int = 0  # kept households that lost some member rows

    @property
    def rejected(self) -> int:
        return sum(t.rows_rejected for t in self.tables.values())

    def as_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["tables"] = {k: v.as_dict() for k, v in self.tables.items()}
        return out


@dataclass
class ValidationResult:
    """Good rows (contract columns and types; members also `data_problems`), every
    problem (of rows rejected, and of rows kept with something to correct), the counts."""

    households: pa.Table | None  # None when validated with keep_rows=False
    members: pa.Table | None
    rejects: pa.Table
    summary: Summary

    @property
    def ok(self) -> bool:
        return self.rejects.num_rows == 0


# -------------------------------------------------------------------- vectorised helpers


def _np_bool(mask: Any) -> np.ndarray:
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


def _np_num(arr: Any, fill: float | int) -> np.ndarray:
    return pc.fill_null(arr, fill).to_numpy(zero_copy_only=False)


@cache
def valid_subdistricts() -> pa.Array:
    """Every DOPA subdistrict code geothai knows, built once per process."""
    import geothai

    return pa.array(
        sorted(
            s.code
            for p in geothai.provinces()
            for d in geothai.districts(p.code)
            for s in geothai.subdistricts(d.code)
        ),
        pa.string(),
    )


_PIN_WEIGHTS = np.array([*range(13, 1, -1), 0], dtype=np.uint16)
_PIN_OFFSET = 48 * int(_PIN_WEIGHTS.sum())  # the weights applied to ASCII '0'


def _pin_checks(pins: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(13 ASCII digits, first digit allowed, check digit right) for compacted PINs.

    The check digit is python-stdnum's `th.pin`: s = sum of the first 12 digits weighted
    13..2, mod 11; check = (11 - s) mod 10. Done as one small matrix product over the
    strings' bytes, read straight from the Arrow buffer.
    """
    if isinstance(pins, pa.ChunkedArray):
        pins = pins.combine_chunks()
    n = len(pins)
    fmt = _np_bool(pc.and_(pc.equal(pc.binary_length(pins), 13), pc.ascii_is_decimal(pins)))
    first_ok = np.zeros(n, dtype=bool)
    check_ok = np.zeros(n, dtype=bool)
    k = int(fmt.sum())
    if k:
        sel = pins if k == n else pins.filter(pa.array(fmt))
        offsets = np.frombuffer(
            sel.buffers()[1], dtype=np.int32, count=k + 1, offset=sel.offset * 4
        )
        raw = np.frombuffer(
            sel.buffers()[2], dtype=np.uint8, count=13 * k, offset=int(offsets[0])
        ).reshape(k, 13)
        s = (raw.astype(np.uint16) @ _PIN_WEIGHTS - _PIN_OFFSET) % 11
        first = raw[:, 0]
        first_ok[fmt] = (first != ord("0")) & (first != ord("9"))
        check_ok[fmt] = (raw[:, 12] - ord("0")) == (11 - s) % 10
    return fmt, first_ok, check_ok


def pin_valid(values: pa.Array | list[str | None]) -> np.ndarray:
    """Vectorised `stdnum.th.pin.is_valid` over raw text (compacted first, as stdnum does)."""
    arr = values if isinstance(values, pa.Array) else pa.array(values, pa.string())
    fmt, first_ok, check_ok = _pin_checks(readers.compact_digits(arr))
    return fmt & first_ok & check_ok


# Cheap tests that prove a pattern matches; values they cannot vouch for go to the regex.
_PREFILTERS: dict[str, Callable[[pa.Array], pa.Array]] = {
    r"[A-Za-z0-9_\-]{1,40}": lambda a: pc.and_(
        pc.ascii_is_alnum(a), pc.less_equal(pc.binary_length(a), 40)
    ),
}


def _regex_full(arr: pa.Array, pattern: str) -> np.ndarray:
    """Which values match `pattern` in full (RE2, so \\d is ASCII digits only)."""
    n = readers.digits_length(Column("x", "str", False, "", "", pattern=pattern))
    if n:
        return _np_bool(pc.and_(pc.equal(pc.binary_length(arr), n), pc.ascii_is_decimal(arr)))
    if pattern in _PREFILTERS:
        ok = _np_bool(_PREFILTERS[pattern](arr))
        rest = np.flatnonzero(~ok)
        if len(rest):
            ok[rest] = _np_bool(
                pc.match_substring_regex(arr.take(pa.array(rest)), f"^(?:{pattern})$")
            )
        return ok
    return _np_bool(pc.match_substring_regex(arr, f"^(?:{pattern})$"))


# -------------------------------------------------------------------- problem records


Detail = Callable[[np.ndarray], tuple[list[str | None], list[str | None]]]


class _Problems:
    """Collects problem records for one slice of a table, vectorised per check."""

    def __init__(self, batch: pa.RecordBatch, offset: int):
        self.batch = batch
        self.offset = offset
        self.parts: list[pa.Table] = []

    def add(
        self,
        mask: np.ndarray,
        column: str | None,
        code: str,
        values: Any = None,
        detail: Detail | None = None,
    ) -> None:
        """Records for the rows in `mask`; `detail(idx)` words the rows that need more."""
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        b = self.batch
        take = pa.array(idx)
        if values is None:
            values = b.column(column) if column else pa.nulls(b.num_rows, pa.string())
        n = len(idx)
        en, th = detail(idx) if detail else ([None] * n, [None] * n)
        self.parts.append(
            pa.table(
                {
                    "_i": pa.array(idx + self.offset, pa.int64()),
                    "file": pc.take(b.column("_file"), take).cast(pa.string()),
                    "row": pc.take(b.column("_row"), take),
                    "column": pa.repeat(pa.scalar(column, pa.string()), n),
                    "value": readers.as_text(pc.take(values, take)),
                    "code": pa.repeat(pa.scalar(code, pa.string()), n),
                    "detail_en": pa.array(en, pa.string()),
                    "detail_th": pa.array(th, pa.string()),
                },
                schema=PROBLEM_SCHEMA,
            )
        )


# -------------------------------------------------------------------- row checks


def _column_checks(p: _Problems, spec: contract.Table, unreadable: dict[str, np.ndarray]) -> None:
    """Required, code list, pattern and range checks that every contract column states."""
    b = p.batch
    n = b.num_rows
    sl = slice(p.offset, p.offset + n)
    for col in spec.columns:
        arr = b.column(col.name)
        if arr.null_count == n and not col.required:
            continue
        null = _np_bool(pc.is_null(arr)) if arr.null_count else np.zeros(n, dtype=bool)
        bad_cell = unreadable[col.name][sl] if col.name in unreadable else None
        if col.required and arr.null_count:
            p.add(null if bad_cell is None else null & ~bad_cell, col.name, "missing_value")
        if arr.null_count == n:
            continue
        if col.type == CODE:
            p.add(
                ~null & ~_np_bool(pc.is_in(arr, value_set=pa.array(col.codes))),
                col.name,
                "unknown_code",
            )
        if col.pattern:
            p.add(~null & ~_regex_full(arr, col.pattern), col.name, "bad_format")
        if col.type in (INT, FLOAT, MONEY) and (col.min is not None or col.max is not None):
            low = _np_bool(pc.less(arr, col.min)) if col.min is not None else np.zeros(n, bool)
            high = _np_bool(pc.greater(arr, col.max)) if col.max is not None else np.zeros(n, bool)
            if col.type == MONEY:  # an amount below 0 says so; one above the limit is a range
                p.add(low, col.name, "negative_amount")
                p.add(high, col.name, "out_of_range")
            else:
                p.add(low | high, col.name, "out_of_range")


def _household_checks(p: _Problems) -> None:
    code = p.batch.column("subdistrict_code")
    if code.null_count == len(code):
        return
    well_formed = ~_np_bool(pc.is_null(code)) & _regex_full(code, r"\d{6}")
    known = _np_bool(pc.is_in(code, value_set=valid_subdistricts()))
    p.add(well_formed & ~known, "subdistrict_code", "unknown_subdistrict")


def _epoch_days(d: date) -> int:
    return (d - date(1970, 1, 1)).days


def _civil(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Calendar year of each date, and whether it falls after 1 March in that year.

    Ages are counted on 1 March of the survey year, so someone born after 1 March has not
    had that year's birthday yet. Integer arithmetic on days since 1970 (H. Hinnant's
    civil-from-days, years starting in March), much faster than numpy datetime casts.
    """
    z = days + 719468
    era = np.floor_divide(z, 146097)
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)  # 0 = 1 March, 306.. = Jan, Feb
    year = yoe + era * 400 + (doy >= 306)
    return year, (doy >= 1) & (doy <= 305)


def _member_checks(
    p: _Problems, cat: Catalogue, today: date, unreadable: dict[str, np.ndarray]
) -> None:
    b = p.batch
    n = b.num_rows
    sl = slice(p.offset, p.offset + n)
    # National ID: format first (a column pattern), then first digit and check digit.
    pins = b.column("pin")
    if pins.null_count < n:
        fmt, first_ok, check_ok = _pin_checks(pins)
        p.add(fmt & ~first_ok, "pin", "pin_first_digit")
        p.add(fmt & first_ok & ~check_ok, "pin", "pin_check_digit")

    # Age against birth date at the survey reference date (1 March, Gregorian year).
    age_arr = b.column("age")
    age_ok = ~_np_bool(pc.is_null(age_arr))
    age = _np_num(age_arr, -1).astype(np.int64)
    age_col = contract.MEMBERS["age"]
    age_in_range = age_ok & (age >= age_col.min) & (age <= age_col.max)
    birth_arr = b.column("birth_date")
    if birth_arr.null_count < n:
        has_birth = ~_np_bool(pc.is_null(birth_arr))
        days = _np_num(birth_arr.cast(pa.int32()), 0).astype(np.int64)
        future = has_birth & (days > _epoch_days(today))
        early = has_birth & (days < _epoch_days(EARLIEST_BIRTH))
        by, after_reference_day = _civil(days)

        def era_hint(idx: np.ndarray) -> tuple[list, list]:
            be = by[idx] >= 2400  # a Buddhist Era year typed as if Gregorian
            return (
                [_BE_HINT[0] if x else None for x in be],
                [_BE_HINT[1] if x else None for x in be],
            )

        p.add(future, "birth_date", "birth_date_future", detail=era_hint)
        p.add(early, "birth_date", "birth_date_too_early")
        year_arr = b.column("survey_year")
        year = _np_num(year_arr, 0).astype(np.int64)
        year_col = contract.MEMBERS["survey_year"]
        year_ok = ~_np_bool(pc.is_null(year_arr)) & (year >= year_col.min) & (year <= year_col.max)
        ref_year = year - BE_OFFSET
        computed = ref_year - by - after_reference_day.astype(np.int64)
        mismatch = (
            has_birth
            & ~future
            & ~early
            & age_in_range
            & year_ok
            & (np.abs(age - computed) > AGE_TOLERANCE)
        )

        def age_detail(idx: np.ndarray) -> tuple[list, list]:
            births = birth_arr.take(pa.array(idx)).to_pylist()
            rows = zip(births, computed[idx].tolist(), ref_year[idx].tolist(), strict=True)
            en, th = [], []
            for birth, years, ref in rows:
                en.append(f"birth date {birth} gives age {years} on {ref}-03-01")
                th.append(f"วันเกิด {birth} คำนวณได้อายุ {years} ปี ณ วันที่ {ref}-03-01")
            return en, th

        p.add(mismatch, "age", "age_mismatch", detail=age_detail)

    # Answers the catalogue needs from this member.
    flags = _member_flags(b)
    for name, inds in catalogue_mod.applicable_members(cat).items():
        col = contract.MEMBERS[name]
        if col.required or not b.column(name).null_count:
            continue  # a required column's empty cell is already a missing_value
        missing = _np_bool(pc.is_null(b.column(name)))
        if name in unreadable:
            missing &= ~unreadable[name][sl]
        if not missing.any():
            continue
        need = np.zeros(n, dtype=bool)
        for ind in inds:
            a = ind.applies
            m = age_in_range.copy()  # an impossible age is reported, not interpreted
            if a.age_min is not None:
                m &= age >= a.age_min
            if a.age_max is not None:
                m &= age <= a.age_max
            if a.where is not None:
                m &= flags(a.where, False)
            for ex in a.exempt:
                m &= ~flags(ex, False)
            need |= m
        p.add(missing & need, name, "missing_answer")


def _member_flags(b: pa.RecordBatch) -> Callable[[str, bool], np.ndarray]:
    """A boolean member column or derived flag, nulls filled; derived as in indicators.py."""
    cache: dict[tuple[str, bool], np.ndarray] = {}

    def compute(name: str, fill: bool) -> np.ndarray:
        if name == "has_income":
            return _np_bool(pc.greater(b.column("income_year"), 0))
        if name == "full_time_student":
            return _np_bool(pc.equal(b.column("student_status"), "full_time"))
        if name == "dependent_disabled":
            disabled = _np_num(b.column("disabled"), False).astype(bool)
            return disabled & ~_np_num(b.column("self_care"), True).astype(bool)
        if name == "born_in_survey_year":
            newborn = _np_num(b.column("newborn"), False).astype(bool)
            if "birth_date" not in b.schema.names:
                return newborn
            birth = b.column("birth_date")
            year = _np_num(pc.year(birth), 0)
            in_year = year == _np_num(b.column("survey_year"), 0) - 543
            return np.where(_np_bool(pc.is_valid(birth)), in_year, newborn)
        return _np_num(b.column(name), fill).astype(bool)

    def get(name: str, fill: bool) -> np.ndarray:
        if (name, fill) not in cache:
            cache[name, fill] = compute(name, fill)
        return cache[name, fill]

    return get


def _unreadable_cells(problems: pa.Table, n: int) -> dict[str, np.ndarray]:
    """Per column, which rows hold a cell the reader could not read (not 'missing')."""
    out: dict[str, np.ndarray] = {}
    if not problems.num_rows:
        return out
    cells = problems.filter(pc.is_valid(problems["_i"]))
    for name in pc.unique(cells["column"]).to_pylist():
        idx = cells.filter(pc.equal(cells["column"], name))["_i"].to_numpy()
        mask = np.zeros(n, dtype=bool)
        mask[idx] = True
        out[name] = mask
    return out


def _row_checks(rr: ReadResult, cat: Catalogue, today: date) -> pa.Table:
    """Every row-local check, on slices of the table in parallel threads."""
    table = rr.table
    unreadable = _unreadable_cells(rr.problems, table.num_rows)
    units: list[tuple[pa.RecordBatch, int]] = []
    offset = 0
    for batch in table.to_batches():
        for start in range(0, batch.num_rows, SLICE_ROWS):
            units.append((batch.slice(start, SLICE_ROWS), offset + start))
        offset += batch.num_rows

    def work(unit: tuple[pa.RecordBatch, int]) -> list[pa.Table]:
        p = _Problems(*unit)
        _column_checks(p, rr.spec, unreadable)
        if rr.spec.name == "households":
            _household_checks(p)
        else:
            _member_checks(p, cat, today, unreadable)
        return p.parts

    if len(units) > 1:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            parts = [t for ts in pool.map(work, units) for t in ts]
    else:
        parts = [t for u in units for t in work(u)]
    return readers.concat_problems(parts)


# -------------------------------------------------------------------- whole-year checks


def _records(
    rr: ReadResult,
    idx: np.ndarray,
    column: str,
    code: str,
    values: pa.Array,
    detail_en: Any = None,
    detail_th: Any = None,
) -> pa.Table:
    """Problem records for rows `idx` of a whole table (the whole-year checks)."""
    n = len(idx)
    take = pa.array(idx, pa.int64())
    t = rr.table
    return pa.table(
        {
            "_i": take,
            "file": pc.take(t.column("_file"), take).cast(pa.string()),
            "row": pc.take(t.column("_row"), take),
            "column": pa.repeat(pa.scalar(column, pa.string()), n),
            "value": readers.as_text(values),
            "code": pa.repeat(pa.scalar(code, pa.string()), n),
            "detail_en": pa.nulls(n, pa.string()) if detail_en is None else detail_en,
            "detail_th": pa.nulls(n, pa.string()) if detail_th is None else detail_th,
        },
        schema=PROBLEM_SCHEMA,
    )


def _keeps_row(problems: pa.Table, table: str) -> pa.Array:
    """Which problem records leave their row in the computation (`KEEPS_ROW`)."""
    keep = pa.array(np.zeros(problems.num_rows, dtype=bool))
    for (name, column), codes in KEEPS_ROW.items():
        if name == table and problems.num_rows:
            here = pc.and_(
                pc.equal(problems["column"], column),
                pc.is_in(problems["code"], value_set=pa.array(sorted(codes))),
            )
            keep = pc.or_(keep, pc.fill_null(here, False))
    return keep


def _bad_mask(n: int, *problem_tables: pa.Table, table: str = "") -> np.ndarray:
    """Rows set aside: those with a problem record, except problems that keep the row."""
    bad = np.zeros(n, dtype=bool)
    for t in problem_tables:
        if t.num_rows:
            if table:
                t = t.filter(pc.invert(_keeps_row(t, table)))
            bad[pc.drop_null(t["_i"]).to_numpy()] = True
    return bad


@dataclass
class _ToCorrect:
    """Rows kept with problems to correct: their indices (ascending) and "code,code"."""

    rows: np.ndarray
    codes: list[str]

    def column(self, n: int) -> pa.Array:
        """`data_problems` for a table of n rows (null where there is nothing to correct).

        Built by one `take`, so a national member table costs an index array, not a
        Python object per member."""
        if not len(self.rows):
            return pa.nulls(n, pa.string())
        at = np.full(n, -1, dtype=np.int64)
        at[self.rows] = np.arange(len(self.rows))
        return pa.array(self.codes, pa.string()).take(pa.array(at, mask=at < 0))


def _to_correct(problems: pa.Table, bad: np.ndarray, table: str) -> _ToCorrect:
    """The rows kept (not `bad`) that have problems which keep the row (`KEEPS_ROW`)."""
    kept = problems.filter(_keeps_row(problems, table)) if problems.num_rows else problems
    found: dict[int, set[str]] = {}
    if kept.num_rows:  # a few records at most: one per bad PIN
        for i, code in zip(kept["_i"].to_pylist(), kept["code"].to_pylist(), strict=True):
            if i is not None and not bad[i]:
                found.setdefault(i, set()).add(code)
    rows = sorted(found)
    return _ToCorrect(np.asarray(rows, dtype=np.int64), [",".join(sorted(found[i])) for i in rows])


class _KeyIndex:
    """Key hashes of both tables and each member's household row, from one DuckDB pass.

    DuckDB hashes strings and numbers together and joins on them in parallel; the
    duplicate checks then sort plain integers. Equal hashes are confirmed on the real
    values before anything is reported, so a hash collision can never reject a row.
    """

    def __init__(self, hh: ReadResult, mb: ReadResult):
        import duckdb

        def keys(rr: ReadResult, cols: list[str]) -> pa.Table:
            t = rr.table
            return pa.table(
                {
                    "_i": pa.array(np.arange(t.num_rows, dtype=np.int64)),
                    **{c: t.column(c) for c in cols},
                }
            )

        con = duckdb.connect()
        try:
            con.execute(f"SET threads = {os.cpu_count() or 1}")
            con.register("h", keys(hh, ["survey_year", "hh_id"]))
            con.register("m", keys(mb, ["survey_year", "hh_id", "member_no", "pin"]))
            h = con.sql("SELECT hash(survey_year, hh_id) AS k FROM h").to_arrow_table()
            m = con.sql(
                "SELECT hash(survey_year, hh_id, member_no) AS member, "
                "hash(survey_year, pin) AS pin FROM m"
            ).to_arrow_table()
            pairs = con.sql(
                "SELECT m._i AS m, h._i AS h FROM m JOIN h USING (survey_year, hh_id)"
            ).to_arrow_table()
        finally:
            con.close()
        self.household = (h.column("k").to_numpy(), _all_set(hh, ["survey_year", "hh_id"]))
        self.member = (
            m.column("member").to_numpy(),
            _all_set(mb, ["survey_year", "hh_id", "member_no"]),
        )
        self.pin = (m.column("pin").to_numpy(), _all_set(mb, ["survey_year", "pin"]))
        #: for each member row, the row of a household with its (year, hh_id), else -1;
        #: where several household rows share the key (duplicates), the first of them,
        #: so that the reason a member gives does not depend on the join's order.
        self.home = np.full(mb.table.num_rows, -1, dtype=np.int64)
        m_i, h_i = pairs.column("m").to_numpy(), pairs.column("h").to_numpy()
        self.home[m_i] = h_i
        if len(m_i) and np.bincount(m_i, minlength=len(self.home)).max() > 1:
            many = np.bincount(m_i, minlength=len(self.home))[m_i] > 1
            np.minimum.at(self.home, m_i[many], h_i[many])
        self.member_has_key = _all_set(mb, ["survey_year", "hh_id"])


def _all_set(rr: ReadResult, cols: list[str]) -> np.ndarray:
    ok = np.ones(rr.table.num_rows, dtype=bool)
    for c in cols:
        col = rr.table.column(c)
        if col.null_count:
            ok &= ~_np_bool(pc.is_null(col))
    return ok


def _labels(rr: ReadResult, idx: np.ndarray) -> list[str]:
    """How rows are named in a message: the row number, or file:row across several files."""
    rows = rr.table.column("_row").take(pa.array(idx, pa.int64())).to_pylist()
    if len(rr.files) <= 1:
        return [str(r) for r in rows]
    files = rr.table.column("_file").take(pa.array(idx, pa.int64())).cast(pa.string())
    return [f"{f}:{r}" for f, r in zip(files.to_pylist(), rows, strict=True)]


def _others(labels: list[str], lang: str) -> str:
    shown = ", ".join(labels[:10])
    more = len(labels) - 10
    if lang == "th":
        return f"ซ้ำกับแถว {shown}" + (f" และอีก {more} แถว" if more > 0 else "")
    word = "row" if len(labels) == 1 else "rows"
    return f"also in {word} {shown}" + (f" and {more} more" if more > 0 else "")


def _duplicates(
    rr: ReadResult, h: np.ndarray, valid: np.ndarray, key: list[str], column: str, code: str
) -> pa.Table:
    """Every row whose key another row shares; each record names the other rows."""
    hv = h[valid]
    s = np.sort(hv)
    repeated = s[1:][s[1:] == s[:-1]]
    if not len(repeated):
        return readers.empty_problems()
    cand = np.flatnonzero(valid & np.isin(h, repeated))
    # Only rows with a repeated hash reach Python: confirm on the real key values.
    values = [rr.table.column(c).take(pa.array(cand)).to_pylist() for c in key]
    groups: dict[tuple, list[int]] = {}
    for i, k in zip(cand.tolist(), zip(*values, strict=True), strict=True):
        groups.setdefault(k, []).append(i)
    idx, en, th = [], [], []
    for members in groups.values():
        if len(members) < 2:
            continue
        labels = _labels(rr, np.asarray(members))
        for j, i in enumerate(members):
            other = labels[:j] + labels[j + 1 :]
            idx.append(i)
            en.append(_others(other, "en"))
            th.append(_others(other, "th"))
    if not idx:
        return readers.empty_problems()
    order = np.argsort(idx, kind="stable")
    idx_arr = np.asarray(idx)[order]
    return _records(
        rr,
        idx_arr,
        column,
        code,
        rr.table.column(column).take(pa.array(idx_arr)),
        pa.array(en, pa.string()).take(pa.array(order)),
        pa.array(th, pa.string()).take(pa.array(order)),
    )


def _codes_by_row(problems: pa.Table, rows: np.ndarray) -> dict[int, str]:
    """'code, code' for each of the given (rejected) rows, from their problem records."""
    if not len(rows):
        return {}
    sel = problems.filter(pc.is_in(problems["_i"], value_set=pa.array(rows, pa.int64())))
    out: dict[int, set[str]] = {}
    for i, code in zip(sel["_i"].to_pylist(), sel["code"].to_pylist(), strict=True):
        out.setdefault(i, set()).add(code)
    return {i: ", ".join(sorted(c)) for i, c in out.items()}


def _year_checks(
    hh: ReadResult, mb: ReadResult, hh_problems: pa.Table, mb_problems: pa.Table
) -> tuple[pa.Table, pa.Table, int]:
    """Duplicates, members without a usable household, households without members."""
    keys = _KeyIndex(hh, mb)
    dup_h = _duplicates(
        hh, *keys.household, ["survey_year", "hh_id"], "hh_id", "duplicate_household"
    )
    dup_m = _duplicates(
        mb, *keys.member, ["survey_year", "hh_id", "member_no"], "member_no", "duplicate_member"
    )
    dup_pin = _duplicates(mb, *keys.pin, ["survey_year", "pin"], "pin", "duplicate_pin")
    h_bad = _bad_mask(hh.table.num_rows, hh_problems, dup_h)
    m_bad = _bad_mask(mb.table.num_rows, mb_problems, dup_m, dup_pin, table="members")

    # A member needs a household row of the same year that was kept.
    home = keys.home
    orphan = keys.member_has_key & (home < 0)
    gone = home >= 0
    gone[gone] = h_bad[home[gone]]
    hh_ids = mb.table.column("hh_id")
    orphan_idx = np.flatnonzero(orphan)
    orphans = _records(mb, orphan_idx, "hh_id", "orphan_member", hh_ids.take(pa.array(orphan_idx)))
    gone_idx = np.flatnonzero(gone)
    if len(gone_idx):
        homes = home[gone_idx]
        why = _codes_by_row(readers.concat_problems([hh_problems, dup_h]), np.unique(homes))
        labels = dict(zip(np.unique(homes).tolist(), _labels(hh, np.unique(homes)), strict=True))
        en = [f"household row {labels[h]} ({why.get(h, '')})" for h in homes.tolist()]
        th = [f"แถวครัวเรือน {labels[h]} ({why.get(h, '')})" for h in homes.tolist()]
        rejected_home = _records(
            mb,
            gone_idx,
            "hh_id",
            "household_rejected",
            hh_ids.take(pa.array(gone_idx)),
            pa.array(en),
            pa.array(th),
        )
    else:
        rejected_home = readers.empty_problems()
    m_bad |= orphan | gone

    # A kept household needs at least one kept member.
    n_h = hh.table.num_rows
    linked = home >= 0
    rows_per_home = np.bincount(home[linked], minlength=n_h)
    kept_per_home = np.bincount(home[linked & ~m_bad], minlength=n_h)
    empty = np.flatnonzero(~h_bad & (kept_per_home == 0))
    counts = rows_per_home[empty]
    no_members = _records(
        hh,
        empty,
        "hh_id",
        "no_members",
        hh.table.column("hh_id").take(pa.array(empty)),
        pa.array(
            [
                f"all {c} member rows were rejected" if c else "no member row has this hh_id"
                for c in counts.tolist()
            ],
            pa.string(),
        ),
        pa.array(
            [
                f"แถวสมาชิกทั้ง {c} แถวไม่ผ่านการตรวจ" if c else "ไม่มีแถวสมาชิกที่มีรหัสครัวเรือนนี้"
                for c in counts.tolist()
            ],
            pa.string(),
        ),
    )
    h_bad[empty] = True
    partial = int((~h_bad & (kept_per_home > 0) & (rows_per_home > kept_per_home)).sum())
    return (
        readers.concat_problems([dup_h, no_members]),
        readers.concat_problems([dup_m, dup_pin, orphans, rejected_home]),
        partial,
    )


# -------------------------------------------------------------------- messages and result


def _format_of(col: Column) -> tuple[str, str]:
    n = readers.digits_length(col)
    if n:
        return f"exactly {n} digits", f"ตัวเลข {n} หลัก"
    return _FORMATS.get(
        col.pattern or "", (f"text matching {col.pattern}", f"ข้อความตามรูปแบบ {col.pattern}")
    )


def _number(v: float | None) -> str:
    if v is None:
        return ""
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,}"


def _indicators_text(cat: Catalogue, column: str) -> tuple[str, str]:
    inds = catalogue_mod.applicable_members(cat).get(column, [])
    return (
        "; ".join(f"{i.code} ({i.en})" for i in inds),
        "; ".join(f"{i.code} ({i.th})" for i in inds),
    )


def reason(code: str, table: str, column: str | None, cat: Catalogue) -> tuple[str, str]:
    """The English and Thai message of a reason code for one column."""
    en, th = REASONS[code]
    spec = contract.TABLES[table]
    if column and column in spec.names:
        col = spec[column]
        fmt_en, fmt_th = _format_of(col)
        ind_en, ind_th = _indicators_text(cat, column)
        values = dict(
            col=column,
            col_th=col.th,
            codes=", ".join(col.codes),
            format=fmt_en,
            format_th=fmt_th,
            min=_number(col.min),
            max=_number(col.max),
            indicators=ind_en,
            indicators_th=ind_th,
        )
        return en.format(**values), th.format(**values)
    return en, th


def _finish_rejects(
    parts: list[tuple[str, pa.Table]], cat: Catalogue, bad: dict[str, np.ndarray]
) -> pa.Table:
    """The records as rejects rows with their messages; a problem that leaves its row in
    the computation (`KEEPS_ROW`, the row not set aside for anything else) says so."""
    tables = []
    for name, t in parts:
        if t.num_rows:
            kept = _keeps_row(t, name)
            if name in bad and pc.any(kept).as_py():
                rows = pc.fill_null(t["_i"], 0).to_numpy()
                kept = pc.and_(kept, pa.array(~bad[name][rows]))
            t = t.append_column("_kept", kept)
            tables.append(
                t.append_column("table", pa.repeat(pa.scalar(name, pa.string()), t.num_rows))
            )
    if not tables:
        return REJECTS_SCHEMA.empty_table()
    t = pa.concat_tables(tables)
    key = pc.binary_join_element_wise(t["table"], t["code"], pc.fill_null(t["column"], ""), "|")
    enc = pc.dictionary_encode(key).combine_chunks()
    en_msgs, th_msgs = [], []
    for k in enc.dictionary.to_pylist():
        table, code, column = k.split("|")
        en, th = reason(code, table, column or None, cat)
        en_msgs.append(en)
        th_msgs.append(th)
    base_en = pc.take(pa.array(en_msgs, pa.string()), enc.indices)
    base_th = pc.take(pa.array(th_msgs, pa.string()), enc.indices)
    reason_en = pc.binary_join_element_wise(base_en, t["detail_en"], " ", null_handling="skip")
    reason_th = pc.binary_join_element_wise(base_th, t["detail_th"], " ", null_handling="skip")
    if pc.any(t["_kept"]).as_py():
        kept_en, kept_th = REASONS["kept"]
        kept = t["_kept"]
        # "...: also in row 7. The member is kept ..." (a detail ends without a full stop)
        sep_en = pc.if_else(pc.is_valid(t["detail_en"]), ". ", " ")
        reason_en = pc.if_else(
            kept, pc.binary_join_element_wise(reason_en, sep_en, kept_en, ""), reason_en
        )
        reason_th = pc.if_else(
            kept, pc.binary_join_element_wise(reason_th, kept_th, " "), reason_th
        )
    out = pa.table(
        {
            "file": t["file"],
            "row": t["row"],
            "table": t["table"],
            "column": t["column"],
            "value": t["value"],
            "code": t["code"],
            "reason_en": reason_en,
            "reason_th": reason_th,
        },
        schema=REJECTS_SCHEMA,
    )
    order = pc.sort_indices(
        pa.table({"t": pc.equal(out["table"], "members"), "f": out["file"], "r": out["row"]}),
        sort_keys=[("t", "ascending"), ("f", "ascending"), ("r", "ascending")],
    )
    return out.take(order)


def _summarise(
    rr: ReadResult, problems: pa.Table, bad: np.ndarray, to_correct: _ToCorrect | None = None
) -> TableSummary:
    malformed = rr.rows_read - rr.table.num_rows
    counts: dict[str, int] = {}
    if problems.num_rows:
        vc = pc.value_counts(problems["code"])
        counts = {v["values"].as_py(): v["counts"].as_py() for v in vc}
    rejected = int(bad.sum()) + malformed
    return TableSummary(
        table=rr.spec.name,
        files=rr.files,
        rows_read=rr.rows_read,
        rows_kept=rr.rows_read - rejected,
        rows_rejected=rejected,
        problems=dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        rows_to_correct=0 if to_correct is None else len(to_correct.rows),
    )


def _top(parts: list[tuple[str, pa.Table]]) -> list[dict[str, Any]]:
    out = []
    for name, t in parts:
        if not t.num_rows:
            continue
        g = t.group_by(["code", "column"]).aggregate([([], "count_all")])
        for r in g.to_pylist():
            out.append(
                {"table": name, "code": r["code"], "column": r["column"], "count": r["count_all"]}
            )
    return sorted(out, key=lambda r: (-r["count"], r["table"], r["code"], r["column"] or ""))


def _kept(table: pa.Table, bad: np.ndarray, spec: contract.Table) -> pa.Table:
    out = table.select(spec.names)
    return out.filter(pa.array(~bad)) if bad.any() else out


def _kept_members(table: pa.Table, bad: np.ndarray, to_correct: _ToCorrect) -> pa.Table:
    """Kept member rows with their `data_problems`; a malformed PIN is emptied (it is not a
    PIN, and nothing downstream may take it for one; the rejects file quotes it)."""
    problems = to_correct.column(table.num_rows)
    out = table.select(contract.MEMBERS.names).append_column(DATA_PROBLEMS, problems)
    if len(to_correct.rows):
        malformed = pc.fill_null(pc.match_substring(problems, "bad_format"), False)
        i = out.schema.get_field_index("pin")
        pins = pc.if_else(malformed, pa.scalar(None, pa.string()), out.column(i))
        out = out.set_column(i, "pin", pins)
    return out.filter(pa.array(~bad)) if bad.any() else out


def validate_survey(
    households: Source,
    members: Source,
    *,
    catalogue: Catalogue | str | None = None,
    today: date | None = None,
    keep_rows: bool = True,
) -> ValidationResult:
    """Read and check one survey delivery; raises `FileError` if a file is unusable.

    `households` and `members` are paths (CSV, XLSX, Parquet file or directory) or tables
    already in memory. `today` only decides what "a birth date in the future" means.
    With `keep_rows=False` only the rejects and the summary are wanted (`cheepao
    validate`): the good rows are not returned (`households` and `members` are None), and
    a CSV file is checked while it is read, keeping just the key columns the whole-year
    checks need, so that a national member file fits in memory.
    """
    cat = (
        catalogue_mod.load(catalogue or catalogue_mod.DEFAULT_SET)
        if not isinstance(catalogue, Catalogue)
        else catalogue
    )
    today = today or date.today()
    hh, hh_rows = _read_checked(households, contract.HOUSEHOLDS, cat, today, keep_rows)
    mb, mb_rows = _read_checked(members, contract.MEMBERS, cat, today, keep_rows)
    hh_year, mb_year, partial = _year_checks(hh, mb, hh_rows, mb_rows)
    hh_all = readers.concat_problems([hh_rows, hh_year])
    mb_all = readers.concat_problems([mb_rows, mb_year])
    hh_bad = _bad_mask(hh.table.num_rows, hh_all, table="households")
    mb_bad = _bad_mask(mb.table.num_rows, mb_all, table="members")

    parts = [("households", hh_all), ("members", mb_all)]
    rejects = _finish_rejects(parts, cat, {"households": hh_bad, "members": mb_bad})
    mb_to_correct = _to_correct(mb_all, mb_bad, "members")
    tables = {
        "households": _summarise(hh, hh_all, hh_bad),
        "members": _summarise(mb, mb_all, mb_bad, mb_to_correct),
    }
    problems: dict[str, int] = {}
    for t in tables.values():
        for code, count in t.problems.items():
            problems[code] = problems.get(code, 0) + count
    summary = Summary(
        tables=tables,
        problems=dict(sorted(problems.items(), key=lambda kv: (-kv[1], kv[0]))),
        top=_top(parts),
        warnings=hh.warnings + mb.warnings,
        catalogue=cat.name,
        households_missing_members=partial,
    )
    return ValidationResult(
        households=_kept(hh.table, hh_bad, contract.HOUSEHOLDS) if keep_rows else None,
        members=_kept_members(mb.table, mb_bad, mb_to_correct) if keep_rows else None,
        rejects=rejects,
        summary=summary,
    )


#: What the whole-year checks and the records they write read of each table.
YEAR_CHECK_COLUMNS = {
    "households": ["survey_year", "hh_id", "_file", "_row"],
    "members": ["survey_year", "hh_id", "member_no", "pin", "_file", "_row"],
}


def _read_checked(
    source: Source, spec: contract.Table, cat: Catalogue, today: date, keep_rows: bool
) -> tuple[ReadResult, pa.Table]:
    """A table read and row-checked block by block; its reader and row problems.

    The records come in the order the whole-table checks gave them: every read problem,
    then every row check's, each in row order.
    """

    def check(block: ReadResult) -> tuple[pa.Table, pa.Table]:
        problems = _row_checks(block, cat, today)
        kept = block.table if keep_rows else block.table.select(YEAR_CHECK_COLUMNS[spec.name])
        return kept, problems

    rr = readers.read(source, spec, on_block=check)
    return rr, readers.concat_problems([rr.problems, rr.checked])


def write_rejects_csv(rejects: pa.Table, path: str | Path) -> Path:
    """Rejects as CSV, UTF-8 with a BOM so Excel shows the Thai; written atomically.
    The rejected values are what the survey file held, so they are neutralised like every
    exported text (cells.csv_arrow): none becomes a formula when the file is opened."""
    import pyarrow.csv as pcsv

    from cheepao.engine.cells import csv_arrow

    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as f:
        f.write(b"\xef\xbb\xbf" + ",".join(REJECT_COLUMNS).encode() + b"\n")
        if rejects.num_rows:
            pcsv.write_csv(
                csv_arrow(rejects.select(list(REJECT_COLUMNS))),
                f,
                pcsv.WriteOptions(include_header=False),
            )
    os.replace(tmp, path)
    return path
