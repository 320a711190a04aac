"""`cheepao generate`: write a deterministic synthetic survey (households and members)."""

from __future__ import annotations

from pathlib import Path

import click

from cheepao.cli import BadInput

# Kept in step with cheepao.synth.scales.SCALES (a test checks); listed here so `--help`
# does not import numpy and the generator.
SCALE_NAMES = ("tiny", "small", "demo", "national")


@click.command("generate")
@click.option(
    "--province",
    "provinces",
    multiple=True,
    metavar="CODE",
    help="2-digit DOPA province code, e.g. 34 (Ubon Ratchathani). Repeat for more; "
    "omit for all 77 provinces.",
)
@click.option(
    "--scale",
    type=click.Choice(SCALE_NAMES),
    default="demo",
    show_default=True,
    help="tiny: first district, ~5 households per village (tests); small: every "
    "district, ~12 per village; demo: every district, ~60 per village; "
    "national: the whole country at full size (12.8 M households, 36.1 M persons, "
    "provinces sized by population), one Parquet file per province.",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Random seed: the same arguments always write the same data.",
)
@click.option(
    "--years",
    default="2567,2568",
    show_default=True,
    metavar="YEARS",
    help="Survey years (Buddhist Era), comma-separated. Later years follow the same "
    "households and people, one year older.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("var/survey"),
    show_default=True,
    help="Output directory; writes OUT/<year>/households.* and members.* (national: "
    "OUT/<year>/households/<province>.parquet and members/<province>.parquet).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("parquet", "csv")),
    default="parquet",
    show_default=True,
    help="File format (CSV: UTF-8, header, true/false, empty = null).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Provinces generated at once, each in its own process (national scale only; "
    "the output is the same). Default: 2 for a national run of several provinces on a "
    "machine with 2 or more cores, else 1.",
)
def command(provinces, scale, seed, years, out, fmt, workers):
    """Generate a synthetic จปฐ. survey with real geography, valid PINs and TPMAP-like rates.

    \b
    Examples:
      cheepao generate --province 34 --scale demo --seed 1 --years 2567,2568 --out var/survey
      cheepao generate --scale national --years 2568 --out var/national
    """
    import os

    import geothai
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from cheepao.synth import SynthError, generate, parse_years
    from cheepao.synth.generator import check_provinces, resolve_scale, steps

    try:
        year_list = parse_years(years)
        codes = check_provinces(provinces)
        sc = resolve_scale(scale)
    except SynthError as e:
        raise BadInput(str(e)) from e
    if workers is None:
        several = sc.partitioned and len(codes) > 1
        workers = min(2, os.cpu_count() or 1) if several else 1
    names = {p.code: p.name_en for p in geothai.provinces()}
    err = Console(stderr=True)
    with Progress(
        TextColumn("[bold]{task.description}[/] {task.fields[what]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    ) as progress:
        overall = progress.add_task(
            "generate",
            total=sum(steps(c, sc, len(year_list)) for c in codes),
            what=f"{len(codes)} province(s), {len(year_list)} year(s)",
        )
        tasks: dict[str, int] = {}
        rows = {"households": 0, "persons": 0}

        def on_progress(p) -> None:
            if p.province not in tasks:
                tasks[p.province] = progress.add_task(
                    f"  {p.province}", total=p.total, what=names.get(p.province, "")
                )
            task = tasks[p.province]
            rows["households"] += p.households
            rows["persons"] += p.persons
            progress.update(task, completed=p.done)
            progress.update(
                overall,
                advance=1 if p.done else 0,
                what=f"{rows['households']:,} households / {rows['persons']:,} persons written",
            )
            if p.done == p.total:
                progress.remove_task(task)

        try:
            summary = generate(
                out,
                provinces=codes,
                scale=sc,
                seed=seed,
                years=year_list,
                fmt=fmt,
                workers=workers,
                on_progress=on_progress,
            )
        except SynthError as e:
            raise BadInput(str(e)) from e
    per_year = ", ".join(
        f"{y}: {summary.households[y]:,} households / {summary.persons[y]:,} persons"
        for y in summary.years
    )
    click.echo(
        f"generated {len(summary.provinces)} province(s), {per_year} "
        f"in {summary.seconds:.1f} s -> {out}"
    )
