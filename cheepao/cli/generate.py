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
    "national: full size, one Parquet file per province.",
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
    help="Output directory; writes OUT/<year>/households.* and members.*.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("parquet", "csv")),
    default="parquet",
    show_default=True,
    help="File format (CSV: UTF-8, header, true/false, empty = null).",
)
def command(provinces, scale, seed, years, out, fmt):
    """Generate a synthetic จปฐ. survey with real geography, valid PINs and TPMAP-like rates.

    \b
    Example:
      cheepao generate --province 34 --scale demo --seed 1 --years 2567,2568 --out var/survey
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from cheepao.synth import SynthError, generate, parse_years
    from cheepao.synth.generator import check_provinces

    try:
        year_list = parse_years(years)
        codes = check_provinces(provinces)
    except SynthError as e:
        raise BadInput(str(e)) from e
    err = Console(stderr=True)
    with Progress(
        TextColumn("[bold]generate[/] {task.fields[what]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    ) as progress:
        task = progress.add_task(
            "generate", total=len(codes) * len(year_list), what=f"province {codes[0]}"
        )

        def on_progress(code: str, year: int) -> None:
            progress.update(task, advance=1, what=f"province {code} year {year}")

        try:
            summary = generate(
                out,
                provinces=codes,
                scale=scale,
                seed=seed,
                years=year_list,
                fmt=fmt,
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
