"""Generate a synthetic survey: provinces one at a time, survey years in order.

Each province draws from its own random streams, seeded by (seed, province code, stage),
so a province's data does not depend on which other provinces are generated alongside
it, and the same arguments give the same bytes. The first requested year builds the
population; every later year advances it year by year and draws that year's answers.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cheepao.engine import catalogue as catalogue_mod
from cheepao.engine import contract
from cheepao.synth import evolve, geo, population, survey
from cheepao.synth.output import FORMATS, Writers
from cheepao.synth.scales import SCALES, Scale

MAX_YEARS = 10


class SynthError(ValueError):
    """Arguments the generator cannot honour (unknown province, bad years, ...)."""


@dataclass
class Summary:
    provinces: list[str]
    years: list[int]
    households: dict[int, int] = field(default_factory=dict)
    persons: dict[int, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0


def parse_years(text: str | Iterable[int]) -> list[int]:
    """'2567,2568' -> [2567, 2568]: Buddhist Era years, distinct, in order."""
    if isinstance(text, str):
        parts = [p.strip() for p in text.split(",") if p.strip()]
        try:
            years = [int(p) for p in parts]
        except ValueError:
            raise SynthError(
                f"years must be Buddhist Era numbers like 2567,2568, got {text!r}"
            ) from None
    else:
        years = [int(y) for y in text]
    if not years:
        raise SynthError("give at least one survey year")
    for y in years:
        if not contract.SURVEY_YEAR_MIN <= y <= contract.SURVEY_YEAR_MAX:
            hint = f" (did you mean {y + 543}?)" if 1900 <= y <= 2200 else ""
            raise SynthError(
                f"survey year {y} is outside {contract.SURVEY_YEAR_MIN}-"
                f"{contract.SURVEY_YEAR_MAX} (Buddhist Era){hint}"
            )
    if len(set(years)) != len(years):
        raise SynthError(f"survey years repeat: {text}")
    if len(years) > MAX_YEARS:
        raise SynthError(f"at most {MAX_YEARS} survey years at a time")
    return sorted(years)


def check_provinces(codes: Iterable[str] | None) -> list[str]:
    known = geo.province_codes()
    if not codes:
        return known
    out = []
    for c in codes:
        c = str(c).strip()
        if c not in known:
            raise SynthError(
                f"unknown province code {c!r}: use a 2-digit DOPA code such as 34 "
                f"(Ubon Ratchathani); known codes run {known[0]}-{known[-1]}"
            )
        if c not in out:
            out.append(c)
    return out


def generate(
    out: Path | str,
    *,
    provinces: Iterable[str] | None = None,
    scale: str | Scale = "demo",
    seed: int = 1,
    years: str | Iterable[int] = (2567, 2568),
    fmt: str = "parquet",
    indicator_set: str = catalogue_mod.DEFAULT_SET,
    on_progress: Callable[[str, int], None] | None = None,
) -> Summary:
    """Write OUT/<year>/households and members; `on_progress(province, year)` after each."""
    started = time.perf_counter()
    if isinstance(scale, str):
        if scale not in SCALES:
            raise SynthError(f"unknown scale {scale!r} (known: {', '.join(SCALES)})")
        scale = SCALES[scale]
    if fmt not in FORMATS:
        raise SynthError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if scale.partitioned and fmt != "parquet":
        raise SynthError(
            f"scale {scale.name!r} writes partitioned Parquet; --format csv does not fit"
        )
    if int(seed) < 0:
        raise SynthError("seed must be 0 or more")
    year_list = parse_years(years)
    codes = check_provinces(provinces)
    cat = catalogue_mod.load(indicator_set)
    summary = Summary(codes, year_list)
    writers = Writers(Path(out), fmt, scale.partitioned)
    try:
        for code in codes:
            prov = population.build(code, scale, int(seed), year_list[0], len(cat.dimensions))
            current = year_list[0]
            for year in year_list:
                for step in range(current + 1, year + 1):
                    evolve.advance(prov, step)
                current = year
                h, m = survey.draw_year(prov, year, cat)
                writers.write(year, code, h, m)
                summary.households[year] = summary.households.get(year, 0) + h.num_rows
                summary.persons[year] = summary.persons.get(year, 0) + m.num_rows
                if on_progress is not None:
                    on_progress(code, year)
        writers.close()
    except BaseException:
        writers.abort()
        raise
    summary.files = writers.files
    summary.seconds = time.perf_counter() - started
    return summary
