"""How big a synthetic survey is: one row per scale, so a new size is data, not code.

A scale fixes how much of each province is generated and how densely; the generator works
one province at a time whatever the scale, and `by_district` one district at a time, so
memory is bounded by the largest province (or district). `partitioned` writes one Parquet
file per province instead of one file per table, which is what a national run needs to
stay streamable and what lets a reader skip provinces by file name.
"""

from __future__ import annotations

from dataclasses import dataclass

from cheepao.synth import sizes


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
    # households in the whole country: each province gets its population share of them,
    # spread evenly over its villages (households_per_village is then ignored)
    households_total: int | None = None
    # generate each district as its own unit with its own random streams (bounded memory)
    by_district: bool = False
    # (household type, weight) pairs replacing population.HOUSEHOLD_TYPES weights
    household_types: tuple[tuple[str, float], ...] = ()


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
        # 12.8 M households / 36.1 M persons over ~74,000 villages, by province population.
        # The whole country (towns, Bangkok) lives a little more alone than the rural
        # north-east of the demo mix: 2.82 persons per household instead of 2.86.
        Scale(
            "national",
            "every district at full size (12.8 M households), one Parquet file per province",
            districts=None,
            households_per_village=172,
            partitioned=True,
            households_total=sizes.NATIONAL_HOUSEHOLDS,
            by_district=True,
            household_types=(
                ("elderly_alone", 0.113),
                ("adult_alone", 0.10),
                ("three_generation", 0.137),
            ),
        ),
    )
}
