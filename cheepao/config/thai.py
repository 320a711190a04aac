"""Thai formatting for templates: Buddhist Era dates, grouped numbers, area and dimension
names. The language and the Buddhist Era themselves are `cheepao.core.thai` (one place for
the platform); these are its template filters.

Load in a template with ``{% load thai %}``.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from django import template

from cheepao.core.thai import be_date, be_datetime, english

register = template.Library()


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
    names = {d.code: (d.en if english() else d.th) for d in engine.catalogue().dimensions}
    return ", ".join(names.get(str(c).strip(), str(c).strip()) for c in codes or ())
