"""Amounts of baht in Python (forms, the platform): exact decimals, as in the engine."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from cheepao.engine import money


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (37999.7, "37999.70"),  # a float is the decimal it prints as
        (0.1, "0.10"),
        (1.005, "1.01"),  # half up on the decimal written, not on the binary value
        (2.675, "2.68"),
        (38000, "38000.00"),
        ("1234.5678", "1234.57"),
        (" 12 ", "12.00"),
        (D("0.30000000000000004"), "0.30"),
        (D("-5"), "-5.00"),
    ],
)
def test_amount_is_the_decimal_written_to_the_satang(value, expected):
    assert money.amount(value) == D(expected)
    assert str(money.amount(value)) == expected


@pytest.mark.parametrize("value", ["abc", "1,234", True, float("nan"), float("inf"), "1e16"])
def test_what_is_not_an_amount_is_refused(value):
    with pytest.raises(money.AmountError):
        money.amount(value)


def test_sums_and_the_threshold_are_exact():
    assert 37999.70 + 0.10 + 0.10 + 0.10 < 38000  # the defect, in binary floating point
    assert money.total([37999.70, 0.10, 0.10, 0.10]) == D("38000.00")
    assert money.total([None, "1.50"]) == D("1.50")
    assert money.meets(money.total([37999.70, 0.10, 0.10, 0.10]), 1, 38000)
    assert money.meets(D("114000.00"), 3, 38000)
    assert not money.meets(D("113999.99"), 3, 38000)
    assert money.per_person(D("113999.99"), 3) == D("37999.99")  # cut, never rounded up
    assert money.per_person(D("114000.00"), 3) == D("38000.00")
    assert money.per_person(D("100"), 0) is None
    assert money.exact(38000.5) == D("38000.50")
    with pytest.raises(money.AmountError, match="two decimals"):
        money.exact("38000.005")
