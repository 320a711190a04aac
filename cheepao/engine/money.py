"""Baht amounts, exactly: decimals with two places (satang), never binary floating point.

Seed 004 (ผนวก ง ข้อ 15) says a household passes I3 when its average income is "ไม่ต่ำกว่า
38,000 บาทต่อคนต่อปี". In binary floating point 37,999.70 + 0.10 + 0.10 + 0.10 is
37,999.99999999999, so a household at exactly 38,000 per person was marked poor. Here every
amount is a decimal with two places (ADR 0015):

- in Arrow, Parquet, DuckDB and Spark: DECIMAL(18, 2), stored as a 64-bit integer of satang;
- in Python (forms, the platform's models): `decimal.Decimal` with two places.

An amount written with more than two decimals (a spreadsheet formula's 1,234.5678) is
rounded half up to the satang when it is read. "Average income per person at least T"
is decided without dividing: total >= T x members, both sides exact. The average itself,
for people to read, is cut (never rounded up) to the satang, so the figure shown is at or
above the threshold exactly when the household passes.

Nothing here imports Django; the platform uses it through `cheepao.engine.api.money`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pyarrow as pa

PRECISION, SCALE = 18, 2
ARROW = pa.decimal128(PRECISION, SCALE)
IBIS = dt.Decimal(PRECISION, SCALE)
SQL = f"DECIMAL({PRECISION}, {SCALE})"
SATANG = Decimal("0.01")
#: The largest amount the survey contract accepts (a trillion baht): far above any
#: household's income, debt or savings, and small enough that the sum of a household's
#: four incomes, and the threshold times its members, stay exact in DECIMAL(18, 2). A
#: national ID typed into an amount (13 digits, from 1,1xx,xxx,xxx,xxx) is out of range.
MAX = 10**12
#: What DECIMAL(18, 2) can hold at all (16 digits before the point).
LIMIT = Decimal(10) ** (PRECISION - SCALE)


class AmountError(ValueError):
    """Not an amount of baht (not a number, not finite, or too large to hold)."""


def _decimal(value: object) -> Decimal:
    """The number as written, unrounded (a float as the decimal it prints as)."""
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, bool):
        raise AmountError(f"{value!r} is not an amount")
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        d = Decimal(repr(value))
    else:
        try:
            d = Decimal(str(value).strip())
        except InvalidOperation:
            raise AmountError(f"{value!r} is not an amount") from None
    if not d.is_finite():
        raise AmountError(f"{value!r} is not an amount")
    return d


def amount(value: object) -> Decimal:
    """Any number as baht with two places, rounded half up to the satang.

    A float is taken as the decimal it prints as (`repr`: 37999.7 is 37,999.70, not the
    binary value just below it), which is what a person typed into a spreadsheet cell.
    """
    d = _decimal(value)
    if abs(d) >= LIMIT:
        raise AmountError(f"{value!r} is too large")
    return d.quantize(SATANG, rounding=ROUND_HALF_UP)


def exact(value: object) -> Decimal:
    """A threshold or limit as baht: like `amount`, but refuses what is not whole satang
    (a rule must say what it means: 38,000.005 is not a threshold)."""
    d = amount(value)
    if d != _decimal(value):
        raise AmountError(f"{value!r} has more than two decimals (satang)")
    return d


def total(values: Iterable[object]) -> Decimal:
    """The exact sum of amounts (None counts as nothing)."""
    return sum((amount(v) for v in values if v is not None), Decimal("0.00"))


def per_person(total_: object, n: int) -> Decimal | None:
    """Average per person, cut to the satang (None for a household without members)."""
    if not n:
        return None
    return (amount(total_) / int(n)).quantize(SATANG, rounding=ROUND_DOWN)


def meets(total_: object, n: int, threshold: object) -> bool:
    """Average per person >= threshold, decided exactly: total >= threshold x n."""
    return amount(total_) >= exact(threshold) * int(n)


# ---------------------------------------------------------------- Ibis (DuckDB, Spark)


def column(value: ir.NumericValue) -> ir.DecimalValue:
    """A money column as DECIMAL(18, 2) whatever it was stored as.

    Validated input already is; a trusted Parquet file may hold whole baht as integers or
    doubles (cast exactly), or doubles with satang, which the backend rounds to the
    satang (a double's last bits aside, the amount that was typed).
    """
    return value if value.type() == IBIS else value.cast(IBIS)


def literal(value: object) -> ir.DecimalScalar:
    return ibis.literal(exact(value), type=IBIS)


def at_least_per_person(
    total_: ir.DecimalValue, n: ir.IntegerValue, threshold: object
) -> ir.BooleanValue:
    """total / n >= threshold without dividing: total >= threshold x n, in decimals."""
    return column(total_) >= literal(threshold) * n


def per_person_expr(total_: ir.DecimalValue, n: ir.IntegerValue) -> ir.DecimalValue:
    """total / n cut to the satang, as DECIMAL(18, 2), computed on integers of satang.

    satang - satang % n is a multiple of n, so the division is exact on both backends
    (amounts stay far below 2^53 satang, see MAX).
    """
    satang = (column(total_) * 100).cast("int64")
    whole = (satang - satang % n) // n
    return (whole.cast(dt.Decimal(PRECISION, 0)) / 100).cast(IBIS)
