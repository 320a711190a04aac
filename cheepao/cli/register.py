"""`cheepao register`: print or export the summary register (ทะเบียนงบหน้า) of a run."""

from __future__ import annotations

from pathlib import Path

import click

from cheepao.cli import BadInput
from cheepao.cli._common import console, open_run, print_readings, rich_table, run_option

LEVELS = ("province", "district", "subdistrict", "village")


@click.command("register")
@run_option
@click.option("--level", type=click.Choice(LEVELS), default="district", show_default=True)
@click.option(
    "--within",
    default=None,
    metavar="CODE",
    help="Only areas inside this area code (e.g. 34, 3401, 340101).",
)
@click.option("--lang", type=click.Choice(["th", "en"]), default="th", show_default=True)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write to a .csv or .xlsx file instead of printing.",
)
def command(run_dir, level, within, lang, output):
    """The register per area with the seed's columns and a total row."""
    from cheepao.engine import geography
    from cheepao.engine import register as reg

    run = open_run(run_dir)
    cat = run.catalogue
    if within and not within.isdigit():
        raise click.BadParameter("an area code is digits only", param_hint="--within")
    df = run.register(level, within)
    if within and df.empty:
        raise BadInput(f"no {level} of this run lies inside area {within}")
    scope = geography.name_of(within)[0] if within else ""
    heading = reg.title(level, run.survey_year, scope)
    if output is None:
        # short labels on screen; the files keep the seed's full headers
        table = reg.presentable(df, level, cat, lang, short=True)
        console.print(rich_table(table, title=heading, total_last=True))
        print_readings(cat, lang)
        return
    table = reg.presentable(df, level, cat, lang)
    suffix = output.suffix.lower()
    if suffix == ".csv":
        reg.write_csv(table, output)
    elif suffix == ".xlsx":
        reg.write_xlsx(table, output, heading, reg.reading_notes(cat, lang))
    else:
        raise click.BadParameter("use a .csv or .xlsx file name", param_hint="--output")
    console.print(f"{len(df):,} rows and the total written to {output}")
