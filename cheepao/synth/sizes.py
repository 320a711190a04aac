"""How many households each province has in a full-size (national) survey.

The national survey covers about 12.8 million households and 36.1 million people. A
province's share follows its registered population: the table below is DOPA's registered
population at the end of 2023 in thousands, rounded (approximate; only the shares matter).
Bangkok and the big provinces get their weight from it, not from their number of
subdistricts, so a Bangkok khwaeng holds far more households than a rural tambon.
"""

from __future__ import annotations

from functools import cache

NATIONAL_HOUSEHOLDS = 12_800_000

# province code -> registered population, thousands (DOPA, end of 2023, rounded)
POPULATION_K: dict[str, int] = {
    "10": 5471, "11": 1361, "12": 1296, "13": 1201, "14": 823, "15": 275, "16": 751,
    "17": 206, "18": 324, "19": 645, "20": 1618, "21": 764, "22": 539, "23": 232,
    "24": 726, "25": 497, "26": 262, "27": 567,
    "30": 2630, "31": 1579, "32": 1396, "33": 1468, "34": 1870, "35": 536, "36": 1120,
    "37": 377, "38": 424, "39": 510, "40": 1787, "41": 1582, "42": 641, "43": 522,
    "44": 961, "45": 1302, "46": 979, "47": 1150, "48": 718, "49": 352,
    "50": 1793, "51": 401, "52": 735, "53": 452, "54": 437, "55": 475, "56": 468,
    "57": 1299, "58": 286, "60": 1054, "61": 330, "62": 725, "63": 680, "64": 594,
    "65": 860, "66": 530, "67": 992,
    "70": 870, "71": 898, "72": 845, "73": 925, "74": 592, "75": 190, "76": 485, "77": 557,
    "80": 1550, "81": 480, "82": 268, "83": 420, "84": 1073, "85": 194, "86": 511,
    "90": 1435, "91": 325, "92": 643, "93": 525, "94": 730, "95": 541, "96": 810,
}  # fmt: skip


@cache
def province_households(code: str, national: int = NATIONAL_HOUSEHOLDS) -> int:
    """Households of province `code` when the whole country has `national` of them."""
    total = sum(POPULATION_K.values())
    return max(1, round(national * POPULATION_K[code] / total))
