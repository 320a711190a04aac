"""Months as people write them here: Buddhist Era "2569-11" ↔ the first day of the month."""

from __future__ import annotations

import re
from datetime import date

from cheepao.core.thai import MONTHS_EN_ABBR, MONTHS_TH_ABBR, be_year, english, gregorian_year

_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


def parse(text: str) -> date | None:
    """'2569-11' (BE) → date(2026, 11, 1); None for anything else."""
    found = _MONTH.fullmatch((text or "").strip())
    if not found:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    if not 2500 <= year <= 2700 or not 1 <= month <= 12:
        return None
    return date(gregorian_year(year), month, 1)


def code(month: date) -> str:
    """date(2026, 11, 1) → '2569-11'."""
    return f"{be_year(month.year)}-{month.month:02d}"


def label(month: date) -> str:
    """date(2026, 11, 1) → 'พ.ย. 2569' (or 'Nov 2569 BE')."""
    if english():
        return f"{MONTHS_EN_ABBR[month.month - 1]} {be_year(month.year)} BE"
    return f"{MONTHS_TH_ABBR[month.month - 1]} {be_year(month.year)}"


def first_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def between(first: date, last: date) -> list[date]:
    """Every month from `first`'s to `last`'s, oldest first."""
    out, m = [], first_of(first)
    while m <= last:
        out.append(m)
        m = next_month(m)
    return out
