"""Text cells to the contract's types, a whole column at a time (Arrow kernels).

Empty and blank cells are null and never a problem here; a cell that cannot be read is
null and marked, for the reader to record where it is. Numbers, yes/no words, dates and
amounts of baht are parsed with one vectorised cast when the column allows it, and with
vectorised patterns only to find the bad cells; digit codes (PIN, house code) are compacted
as python-stdnum compacts them.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cheepao.engine import money
from cheepao.engine.contract import BOOL, CODE, DATE, FLOAT, INT, MONEY, STR, Column

TRUE_WORDS = ("true", "1", "yes", "y", "t", "ใช่", "มี")
FALSE_WORDS = ("false", "0", "no", "n", "f", "ไม่ใช่", "ไม่มี")


def np_bool(mask: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


def none_bad(n: int) -> np.ndarray:
    return np.zeros(n, dtype=bool)


def blank_to_null(arr: pa.Array) -> pa.Array:
    if arr.null_count == len(arr) or pc.min(pc.binary_length(arr)).as_py() > 0:
        return arr
    return pc.if_else(pc.equal(pc.binary_length(arr), 0), pa.scalar(None, arr.type), arr)


def trim(arr: pa.Array) -> pa.Array:
    return blank_to_null(pc.utf8_trim_whitespace(arr))


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
        return blank_to_null(arr)
    out = pc.replace_substring(pc.replace_substring(arr, " ", ""), "-", "")
    out = pc.utf8_trim_whitespace(out)
    odd = np_bool(pc.and_(pc.is_valid(out), pc.invert(pc.ascii_is_decimal(out))))
    if odd.any():
        from stdnum.util import clean

        idx = np.flatnonzero(odd)
        fixed = [clean(v, " -").strip() for v in arr.take(idx).to_pylist()]
        out = pc.replace_with_mask(out, pa.array(odd), pa.array(fixed, pa.string()))
    return blank_to_null(out)


_INT_RE = r"^\d{1,18}(?:\.0*)?$"
_FLOAT_RE = r"^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$"
_FLOAT_THOUSANDS_RE = r"^\d{1,3}(?:,\d{3})+(?:\.\d*)?$"
_DATE_RE = r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$"

BOOL_TOKENS: dict[str, bool] = {}
for _words, _value in ((TRUE_WORDS, True), (FALSE_WORDS, False)):
    for _w in _words:
        for _v in (_w, _w.upper(), _w.title()):
            BOOL_TOKENS[_v] = _value
_BOOL_TOKEN_ARRAY = pa.array(list(BOOL_TOKENS), pa.string())
_BOOL_VALUE_ARRAY = pa.array(list(BOOL_TOKENS.values()), pa.bool_())


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
            return out, none_bad(len(raw))
    except pa.ArrowInvalid:
        pass
    text = trim(raw)
    body, negative = _unsigned(text)
    ok = pc.match_substring_regex(body, _INT_RE)
    body = pc.replace_substring_regex(
        pc.if_else(ok, body, pa.scalar(None, pa.string())), r"\.0*$", ""
    )
    value = pc.cast(body, pa.int64())
    value = pc.if_else(negative, pc.negate(value), value)
    return value, np_bool(pc.invert(ok))


def _parse_float(raw: pa.Array) -> tuple[pa.Array, np.ndarray]:
    try:
        out = pc.cast(raw, pa.float64())
        if pc.all(pc.is_finite(out)).as_py() is not False:
            return out, none_bad(len(raw))
    except pa.ArrowInvalid:
        pass
    text = trim(raw)
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
    return value, np_bool(pc.and_(pc.is_valid(text), pc.invert(pc.fill_null(ok, False))))


_MONEY_WIDE = pa.decimal128(38, 10)  # text as written, before rounding to the satang
_MONEY_LIMIT = pa.scalar(money.LIMIT, pa.decimal128(38, 2))


def fit_money(wide: pa.Array) -> pa.Array:
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
        return fit_money(pc.cast(body, _MONEY_WIDE))
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
        return pc.cast(raw, money.ARROW), none_bad(len(raw))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    text = trim(raw)
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
    return value, np_bool(pc.and_(pc.is_valid(text), pc.invert(pc.fill_null(ok, False))))


def _parse_bool(raw: pa.Array) -> tuple[pa.Array, np.ndarray]:
    try:  # true/false/1/0 in any case: the kernel alone, no lookup
        return pc.cast(raw, pa.bool_()), none_bad(len(raw))
    except pa.ArrowInvalid:
        pass
    idx = pc.index_in(raw, value_set=_BOOL_TOKEN_ARRAY)
    miss = np_bool(pc.and_(pc.is_null(idx), pc.is_valid(raw)))
    bad = none_bad(len(raw))
    if miss.any():
        # Cells that are not a common spelling: trim, fold case, look again.
        where = np.flatnonzero(miss)
        text = trim(pc.utf8_lower(raw.take(where)))
        retry = pc.index_in(text, value_set=_BOOL_TOKEN_ARRAY)
        idx = pc.replace_with_mask(idx, pa.array(miss), retry)
        bad[where] = np_bool(pc.and_(pc.is_null(retry), pc.is_valid(text)))
    return pc.take(_BOOL_VALUE_ARRAY, idx), bad


_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _parse_date(raw: pa.Array) -> tuple[pa.Array, np.ndarray]:
    try:
        return pc.cast(raw, pa.date32()), none_bad(len(raw))
    except pa.ArrowInvalid:
        pass
    # strptime would roll 2020-02-30 over to 1 March: check the calendar ourselves.
    text = trim(raw)
    parts = pc.extract_regex(text, _DATE_RE)
    matched = np_bool(pc.is_valid(parts))
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
    return out, np_bool(pc.is_valid(text)) & ~valid


def parse_column(raw: pa.Array, col: Column) -> tuple[pa.Array, np.ndarray]:
    """Text cells to the column's contract type, and which cells could not be read.

    Empty and blank cells are null and never a problem here: whether the column may be
    empty is the validator's business. Text is trimmed; digit codes are compacted.
    """
    if raw.type != pa.string():
        raw = raw.cast(pa.string())
    if col.type in (STR, CODE):
        out = compact_digits(raw) if digits_length(col) else trim(raw)
        return out, none_bad(len(raw))
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
