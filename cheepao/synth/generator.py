"""Generate a synthetic survey: provinces one at a time, survey years in order.

Each province draws from its own random streams, seeded by (seed, province code, stage),
so a province's data does not depend on which other provinces are generated alongside
it, and the same arguments give the same bytes: a one-province run is a slice of the
country. The first requested year builds the population; every later year advances it
year by year and draws that year's answers.

A province is generated unit by unit (`population.Plan`): the whole province at the
small scales, district by district at the national scale, every year of a unit before
the next, so memory is bounded by a district and the province's files fill as it goes.
With `workers` > 1 (national), provinces run in separate processes, biggest first.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue as queue_mod
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cheepao.engine import catalogue as catalogue_mod
from cheepao.engine import contract
from cheepao.synth import evolve, geo, population, sizes, survey
from cheepao.synth.output import FORMATS, TABLES, Writers
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


@dataclass(frozen=True)
class Progress:
    """A province's progress: `done` of `total` steps (units x years), and the rows of
    households and persons written by this step (0 at the start of the province)."""

    province: str
    done: int
    total: int
    households: int = 0
    persons: int = 0


def steps(code: str, scale: Scale, n_years: int) -> int:
    """How many progress steps a province takes: its units times the survey years."""
    units = len(geo.districts_of(code, scale.districts)) if scale.by_district else 1
    return units * n_years


def resolve_scale(scale: str | Scale) -> Scale:
    if isinstance(scale, Scale):
        return scale
    if scale not in SCALES:
        raise SynthError(f"unknown scale {scale!r} (known: {', '.join(SCALES)})")
    return SCALES[scale]


def generate(
    out: Path | str,
    *,
    provinces: Iterable[str] | None = None,
    scale: str | Scale = "demo",
    seed: int = 1,
    years: str | Iterable[int] = (2567, 2568),
    fmt: str = "parquet",
    indicator_set: str = catalogue_mod.DEFAULT_SET,
    workers: int = 1,
    on_progress: Callable[[Progress], None] | None = None,
) -> Summary:
    """Write OUT/<year>/households and members; `on_progress(Progress)` as work is done.

    `workers` > 1 generates that many provinces at once in separate processes
    (partitioned scales only: each province has its own files). The output does not
    depend on it: every province is generated from its own random streams alone.
    """
    started = time.perf_counter()
    scale = resolve_scale(scale)
    if fmt not in FORMATS:
        raise SynthError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if scale.partitioned and fmt != "parquet":
        raise SynthError(
            f"scale {scale.name!r} writes partitioned Parquet; --format csv does not fit"
        )
    if int(seed) < 0:
        raise SynthError("seed must be 0 or more")
    if int(workers) < 1:
        raise SynthError("workers must be 1 or more")
    if int(workers) > 1 and not scale.partitioned:
        raise SynthError(
            f"scale {scale.name!r} writes one file per table; use one worker "
            "(several workers need a partitioned scale such as national)"
        )
    year_list = parse_years(years)
    codes = check_provinces(provinces)
    catalogue_mod.load(indicator_set)  # fail here, not in a worker
    summary = Summary(codes, year_list)
    job = Job(Path(out), scale, int(seed), tuple(year_list), fmt, indicator_set)
    report = on_progress if on_progress is not None else (lambda _p: None)
    if int(workers) > 1 and len(codes) > 1:
        results = _run_parallel(job, codes, min(int(workers), len(codes)), report)
    else:
        results = _run_serial(job, codes, report)
    for r in results:
        for y in year_list:
            summary.households[y] = summary.households.get(y, 0) + r.households.get(y, 0)
            summary.persons[y] = summary.persons.get(y, 0) + r.persons.get(y, 0)
    summary.files = _sorted_files([f for r in results for f in r.files], year_list, codes)
    summary.seconds = time.perf_counter() - started
    return summary


@dataclass(frozen=True)
class Job:
    """What every province of a run shares; small and picklable, for worker processes."""

    out: Path
    scale: Scale
    seed: int
    years: tuple[int, ...]
    fmt: str
    indicator_set: str


@dataclass
class Result:
    province: str
    households: dict[int, int] = field(default_factory=dict)
    persons: dict[int, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)


def _sorted_files(files: list[Path], years: list[int], codes: list[str]) -> list[Path]:
    """Files in a fixed order (year, table, province as given), whatever ran first."""
    rank = {c: i for i, c in enumerate(codes)}

    def key(p: Path) -> tuple:
        year = int(p.parts[-3] if p.parent.name in TABLES else p.parts[-2])
        table = p.parent.name if p.parent.name in TABLES else p.stem
        return (year, TABLES.index(table), rank.get(p.stem, -1))

    return sorted(files, key=key)


def province(
    job: Job,
    code: str,
    writers: Writers,
    cat: catalogue_mod.Catalogue,
    report: Callable[[Progress], None],
) -> Result:
    """Generate one province, unit by unit, every year of a unit before the next unit."""
    result = Result(code)
    total = steps(code, job.scale, len(job.years))
    report(Progress(code, 0, total))
    pl = population.plan(code, job.scale, job.seed, len(cat.dimensions))
    done = 0
    for unit in pl.units:
        prov = population.build(pl, unit, job.years[0])
        current = job.years[0]
        for year in job.years:
            for step in range(current + 1, year + 1):
                evolve.advance(prov, step)
            current = year
            h, m = survey.draw_year(prov, year, cat)
            writers.write(year, code, h, m)
            result.households[year] = result.households.get(year, 0) + h.num_rows
            result.persons[year] = result.persons.get(year, 0) + m.num_rows
            done += 1
            report(Progress(code, done, total, h.num_rows, m.num_rows))
        del prov
    result.files = writers.finish(code)
    return result


def _run_serial(job: Job, codes: list[str], report: Callable[[Progress], None]) -> list[Result]:
    cat = catalogue_mod.load(job.indicator_set)
    writers = Writers(job.out, job.fmt, job.scale.partitioned)
    try:
        results = [province(job, code, writers, cat, report) for code in codes]
        files = writers.close()
    except BaseException:
        writers.abort()
        raise
    if not job.scale.partitioned:
        results.append(Result("", files=files))
    return results


# -- worker processes --------------------------------------------------------------------
#
# Each worker takes province codes from a queue until it reads None, and reports progress,
# results and failures on a second queue. Workers ignore Ctrl-C: the parent stops them
# (and deletes their half-written files) on an interrupt, a SIGTERM or a failure, and a
# worker whose parent has gone stops by itself.


def _worker(job: Job, tasks, events) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = mp.parent_process()

    def report(p: Progress) -> None:
        if parent is not None and not parent.is_alive():
            os._exit(1)
        events.put(("progress", p))

    cat = catalogue_mod.load(job.indicator_set)
    while (code := tasks.get()) is not None:
        writers = Writers(job.out, job.fmt, job.scale.partitioned)
        try:
            result = province(job, code, writers, cat, report)
            writers.close()
        except BaseException:
            writers.abort()
            events.put(("error", code, traceback.format_exc()))
            return
        events.put(("done", result))


def _run_parallel(
    job: Job, codes: list[str], workers: int, report: Callable[[Progress], None]
) -> list[Result]:
    """Provinces in worker processes, the biggest first so the last ones are small."""
    ctx = mp.get_context("spawn")  # no fork of a process with Arrow's and Rich's threads
    tasks, events = ctx.Queue(), ctx.Queue()
    for code in sorted(codes, key=lambda c: -_weight(c, job.scale)):
        tasks.put(code)
    for _ in range(workers):
        tasks.put(None)
    procs = [ctx.Process(target=_worker, args=(job, tasks, events)) for _ in range(workers)]
    results: dict[str, Result] = {}
    previous_term = _raise_on_sigterm()
    try:
        for proc in procs:
            proc.start()
        while len(results) < len(codes):
            try:
                event = events.get(timeout=1.0)
            except queue_mod.Empty:
                dead = [p for p in procs if p.exitcode not in (None, 0)]
                if dead:
                    raise RuntimeError(
                        f"a generator worker stopped with exit code {dead[0].exitcode}"
                    ) from None
                continue
            if event[0] == "progress":
                report(event[1])
            elif event[0] == "done":
                results[event[1].province] = event[1]
            else:
                raise RuntimeError(f"generating province {event[1]} failed:\n{event[2]}")
        for proc in procs:
            proc.join()
    except BaseException:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
        for proc in procs:
            if proc.pid is not None:
                proc.join()
        _remove_partial(job, [c for c in codes if c not in results])
        raise
    finally:
        if previous_term is not None:
            signal.signal(signal.SIGTERM, previous_term)
    return [results[c] for c in codes]


def _raise_on_sigterm():
    """Turn SIGTERM into an exception while workers run, so they are stopped and their
    files removed; returns the handler to restore (None off the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    return signal.signal(signal.SIGTERM, handler)


def _remove_partial(job: Job, codes: list[str]) -> None:
    """Delete the half-written files of provinces a stopped worker was writing."""
    for year in job.years:
        for table in TABLES:
            for code in codes:
                part = job.out / str(year) / table / f"{code}.parquet.part"
                part.unlink(missing_ok=True)


def _weight(code: str, scale: Scale) -> float:
    """How long a province takes, roughly: its households (for ordering work only)."""
    if scale.households_total is not None:
        return sizes.province_households(code, scale.households_total)
    return steps(code, scale, 1)
