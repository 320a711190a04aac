"""The page's language and the Buddhist Era, once for the whole platform.

Thai is the default language and English the switch: a page is English when the active
language starts with "en", Thai otherwise (also when no language is active, as in a
command or a background task).

Thai government documents date everything in the Buddhist Era (พ.ศ. = C.E. + 543), and the
survey years in the data are already BE, so a page that showed 2025 next to survey year 2568
would confuse every reader. English pages keep the BE year and say so ("22 Nov 2569 BE").
The template filters (`{% load thai %}`) are in `cheepao/config/thai.py` and call these.

The engine keeps its own `BE_OFFSET` (`engine/validate.py`): it never imports Django or
the platform, so it cannot import this module.

The kernel: imports Django only, no Cheepao app (import contract in pyproject.toml).
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone, translation

BE_OFFSET = 543  # Buddhist Era year - 543 = Gregorian (C.E.) year

MONTHS_TH_ABBR = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
MONTHS_EN_ABBR = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


# ---------------------------------------------------------------- the page's language


def english() -> bool:
    """True when the page is in English (the active language starts with "en")."""
    return (translation.get_language() or "th").startswith("en")


def language() -> str:
    """'en' or 'th': the page's language as the engine's bilingual labels name it."""
    return "en" if english() else "th"


def pick_language(th: str, en: str) -> str:
    """`en` on an English page when there is one, else `th` (a catalogue's text, say)."""
    return en if english() and en else th


# ---------------------------------------------------------------- the Buddhist Era


def gregorian_year(be_year: int) -> int:
    """2568 → 2025."""
    return be_year - BE_OFFSET


def be_year(gregorian: int) -> int:
    """2025 → 2568."""
    return gregorian + BE_OFFSET


def budget_year(day: date) -> int:
    """The Thai fiscal year (BE) a day falls in: October starts the next one
    (1 Oct 2025 → 2569)."""
    return be_year(day.year) + (1 if day.month >= 10 else 0)


def _as_datetime(value: date | datetime | str) -> date | datetime:
    """Accept ISO strings too, because engine manifests store times as ISO text."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value


def be_date(value: date | datetime | str | None) -> str:
    """'22 พ.ย. 2569' in Thai, '22 Nov 2569 BE' in English."""
    if value in (None, ""):
        return ""
    d = _as_datetime(value)
    year = be_year(d.year)
    if english():
        return f"{d.day} {MONTHS_EN_ABBR[d.month - 1]} {year} BE"
    return f"{d.day} {MONTHS_TH_ABBR[d.month - 1]} {year}"


def be_datetime(value: date | datetime | str | None) -> str:
    """'22 พ.ย. 2569 เวลา 14:05 น.' in Thai, '22 Nov 2569 BE, 14:05' in English (local time)."""
    if value in (None, ""):
        return ""
    d = _as_datetime(value)
    if not isinstance(d, datetime):
        return be_date(d)
    if english():
        return f"{be_date(d)}, {d:%H:%M}"
    return f"{be_date(d)} เวลา {d:%H:%M} น."


def be_numeric(value: date | None) -> str:
    """date(1985, 3, 1) → '1/3/2528': day/month/BE year, as people write it on paper."""
    return f"{value.day}/{value.month}/{be_year(value.year)}" if value else ""
