"""How big a synthetic survey is: one row per scale, so a new size is data, not code.

A scale fixes how much of each province is generated and how densely; the generator works
one province at a time whatever the scale, so memory is bounded by the largest province.
`partitioned` writes one Parquet file per province instead of one file per table, which
is what a national run needs to stay streamable.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    help: str
    # None = every district of the province; n = the first n districts by code
    districts: int | None
    households_per_village: float
    # villages per subdistrict are drawn in this inclusive range (mean at the middle)
    villages_min: int = 6
    villages_max: int = 14
    partitioned: bool = False


SCALES: dict[str, Scale] = {
    s.name: s
    for s in (
        Scale(
            "tiny",
            "first district of each province, ~5 households per village (tests)",
            districts=1,
            households_per_village=5,
        ),
        Scale(
            "small",
            "every district, ~12 households per village (all 77 provinces in minutes)",
            districts=None,
            households_per_village=12,
        ),
        Scale(
            "demo",
            "every district, ~60 households per village (one province in seconds)",
            districts=None,
            households_per_village=60,
        ),
        # 12.8 M households / 36.1 M persons over ~74,000 villages: ~172 households each
        Scale(
            "national",
            "every district at full size, one Parquet file per province",
            districts=None,
            households_per_village=172,
            partitioned=True,
        ),
    )
}
