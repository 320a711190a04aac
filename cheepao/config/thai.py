"""Thai formatting for templates: Buddhist Era dates and grouped numbers.

Thai government documents date everything in the Buddhist Era (พ.ศ. = C.E. + 543), and the
survey years in the data are already BE, so a page that showed 2025 next to survey year 2568
would confuse every reader. English pages keep the BE year and say so ("22 Nov 2569 BE").

Load in a template with ``{% load thai %}``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal

from django import template
from django.utils import timezone, translation

register = template.Library()

BE_OFFSET = 543
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


def _english() -> bool:
    return (translation.get_language() or "th").startswith("en")


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
    year = d.year + BE_OFFSET
    if _english():
        return f"{d.day} {MONTHS_EN_ABBR[d.month - 1]} {year} BE"
    return f"{d.day} {MONTHS_TH_ABBR[d.month - 1]} {year}"


def be_datetime(value: date | datetime | str | None) -> str:
    """'22 พ.ย. 2569 เวลา 14:05 น.' in Thai, '22 Nov 2569 BE, 14:05' in English (local time)."""
    if value in (None, ""):
        return ""
    d = _as_datetime(value)
    if not isinstance(d, datetime):
        return be_date(d)
    if _english():
        return f"{be_date(d)}, {d:%H:%M}"
    return f"{be_date(d)} เวลา {d:%H:%M} น."


def number(value: int | float | Decimal | None, digits: int = 0) -> str:
    """Thousands grouped with commas, as in the seed's tables and Thai usage generally.

    An amount of baht (a Decimal) keeps its satang when it has any: 37,999.99 is never
    shown as 38,000 (ADR 0015); whole amounts read 38,000.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal) and not digits and value != value.to_integral_value():
        return f"{value.quantize(Decimal('0.01'), rounding=ROUND_DOWN):,.2f}"
    return f"{float(value):,.{int(digits)}f}" if digits else f"{round(float(value)):,}"


def percent(value: float | None, digits: int = 1) -> str:
    """A ratio in [0, 1] shown as a percentage."""
    if value is None or value == "":
        return ""
    return f"{float(value) * 100:.{int(digits)}f} %"


register.filter("be_date", be_date)
register.filter("be_datetime", be_datetime)
register.filter("number", number)
register.filter("percent", percent)


@register.filter("area_name")
def area_name(code: str | None) -> str:
    """An area code as its name ('34010711' → 'หมู่ที่ 11 ตำบลปทุม'; '' → the whole country):
    pages show names, never bare DOPA codes."""
    from cheepao.geo.selectors import area_label

    return area_label("" if code is None else str(code))


@register.filter("dimension_names")
def dimension_names(codes) -> str:
    """Dimension codes as their names ('living, health' → 'ด้านความเป็นอยู่, ด้านสุขภาพ'),
    from the indicator catalogue; a code the catalogue does not know is shown as written."""
    from cheepao.engine import api as engine

    if isinstance(codes, str):
        codes = [c for c in codes.replace(";", ",").split(",") if c.strip()]
    names = {d.code: (d.en if _english() else d.th) for d in engine.catalogue().dimensions}
    return ", ".join(names.get(str(c).strip(), str(c).strip()) for c in codes or ())
