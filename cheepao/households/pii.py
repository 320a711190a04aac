"""How personal identifiers are shown where a full value is not needed (SPEC §9)."""

from __future__ import annotations


def mask_pin(pin: str | None) -> str:
    """1-2345-67890-12-3 → 1-xxxx-xxxxx-12-3: the first digit (the kind of person) and the
    last three (enough to tell two family members apart on a list) stay readable; the folder
    of one household, which is audited, shows the whole number."""
    if not pin:
        return ""
    if len(pin) != 13 or not pin.isdigit():
        return "x" * len(pin)
    return f"{pin[0]}-xxxx-xxxxx-{pin[10:12]}-{pin[12]}"


def format_pin(pin: str | None) -> str:
    """The full number grouped as printed on the ID card: 1-2345-67890-12-3."""
    if not pin or len(pin) != 13:
        return pin or ""
    return f"{pin[0]}-{pin[1:5]}-{pin[5:10]}-{pin[10:12]}-{pin[12]}"
