"""Which agency supports an item of a household plan: the choices and the default.

The lead ministry of each indicator is data (`agencies.yaml`, seed 001 section ๙); the
lead and partner agencies of each dimension come from the household's indicator catalogue
(seed 004 section 10). An item's agency is one of these (or none: the mentor alone).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

AGENCIES_FILE = Path(__file__).with_name("agencies.yaml")


@cache
def indicator_leads() -> dict[str, tuple[str, ...]]:
    data = yaml.safe_load(AGENCIES_FILE.read_text(encoding="utf-8"))
    return {code: tuple(v or ()) for code, v in data["indicators"].items()}


def default_for(catalogue: Any, dimension: str, indicator: str = "") -> str:
    """The indicator's lead ministry, else the first lead agency of its dimension."""
    leads = indicator_leads().get(indicator) or ()
    if leads:
        return leads[0]
    try:
        dim = catalogue.dimension(dimension)
    except (KeyError, ValueError):
        return ""
    return dim.lead_agencies[0] if dim.lead_agencies else ""


def choices(catalogue: Any) -> list[str]:
    """Every agency an item may name, leads first, each once."""
    seen: dict[str, None] = {}
    for leads in indicator_leads().values():
        seen.update(dict.fromkeys(leads))
    for dim in catalogue.dimensions:
        seen.update(dict.fromkeys(dim.lead_agencies))
    for dim in catalogue.dimensions:
        seen.update(dict.fromkeys(dim.partner_agencies))
    for names in catalogue.other_agencies.values():
        seen.update(dict.fromkeys(names))
    return list(seen)
