"""Identifiers that look and check like the real ones: PIN, house code, hh_id, stable keys.

Uniqueness is by construction, not by retrying: every PIN and house code is a bijective
scramble of a running counter within its (category, registration office) group, so two
people can only share a PIN if they share a counter value, which never happens.
"""

from __future__ import annotations

import numpy as np

from cheepao.synth.frame import rank_in_group

_PIN_SERIAL_SPACE = 10**7  # digits 6-12 of a PIN
_HOUSE_SERIAL_SPACE = 10**6  # digits 5-10 of a house code
# Multipliers coprime with 10: multiplication by them permutes the serial space.
_PIN_MULT = 3_021_377
_HOUSE_MULT = 712_931


def _weighted_digits(values: np.ndarray, n: int) -> np.ndarray:
    """sum(d_i * (n + 2 - i)) over the n decimal digits d_1 (most significant) .. d_n."""
    v = np.array(values, dtype=np.int64)
    total = np.zeros(len(v), np.int64)
    for weight in range(2, n + 2):  # least significant digit first, weight 2
        v, d = np.divmod(v, 10)
        total += d * weight
    return total


def pin_check_digit(first12: np.ndarray) -> np.ndarray:
    """d13 = (11 - sum(d_i * (14 - i)) mod 11) mod 10, the DOPA rule."""
    return (11 - _weighted_digits(first12, 12) % 11) % 10


def make_pins(
    category: np.ndarray, office: np.ndarray, counter: np.ndarray, salt: int
) -> np.ndarray:
    """13-digit PINs as int64: category (1 digit), office (4), serial (7), check digit.

    `counter` must be unique within each (category, office) group and below 10^7.
    """
    if len(counter) and int(counter.max()) >= _PIN_SERIAL_SPACE:
        raise ValueError("PIN counter overflow: more than 10 million people in one office")
    offset = (
        np.asarray(office, np.int64) * 7919 + np.asarray(category, np.int64) * 104729 + salt
    ) % _PIN_SERIAL_SPACE
    serial = (np.asarray(counter, np.int64) * _PIN_MULT + offset) % _PIN_SERIAL_SPACE
    first12 = (
        np.asarray(category, np.int64) * 10**11 + np.asarray(office, np.int64) * 10**7 + serial
    )
    return first12 * 10 + pin_check_digit(first12)


def make_house_codes(office: np.ndarray, counter: np.ndarray, salt: int) -> np.ndarray:
    """11-digit house codes as int64: registration office (4), serial (6), check digit."""
    if len(counter) and int(counter.max()) >= _HOUSE_SERIAL_SPACE:
        raise ValueError("house code counter overflow: more than a million houses in a district")
    serial = (np.asarray(counter, np.int64) * _HOUSE_MULT + salt) % _HOUSE_SERIAL_SPACE
    first10 = np.asarray(office, np.int64) * 10**6 + serial
    return first10 * 10 + (11 - _weighted_digits(first10, 10) % 11) % 10


def running_within(groups: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each group value, in the order the rows come (stable)."""
    groups = np.asarray(groups)
    order = np.argsort(groups, kind="stable")
    out = np.empty(len(groups), np.int64)
    out[order] = rank_in_group(groups[order])
    return out


def stable_uniform(keys: np.ndarray, salt: int) -> np.ndarray:
    """A uniform [0, 1) number per key that depends only on (key, salt) (splitmix64).

    Used where the same person or household must draw the same lot in every survey year,
    e.g. which member of a household is the one who cannot read.
    """
    with np.errstate(over="ignore"):
        z = np.asarray(keys, np.int64).astype(np.uint64) + np.uint64(
            (salt * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        )
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def hh_uid(subdistrict: np.ndarray, village: np.ndarray, running: np.ndarray) -> np.ndarray:
    """Integer household key whose sort order is the hh_id string's sort order."""
    return (
        np.asarray(subdistrict, np.int64) * 10**7
        + np.asarray(village, np.int64) * 10**5
        + np.asarray(running, np.int64)
    )
