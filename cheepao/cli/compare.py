"""`cheepao compare`: escaped / still / newly deprived between two survey years."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pandas as pd

from cheepao.cli import BadInput
from cheepao.cli._common import (
    console,
    open_run,
    parse_readings,
    print_readings,
    reading_option,
    rich_table,
)

LEVELS = ("province", "district", "subdistrict", "village")


@click.command("compare")
@click.option(
    "--before",
    "before_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Run directory of the earlier survey year.",
)
@click.option(
    "--after",
    "after_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Run directory of the later survey year.",
)
@click.option(
    "--level",
    type=click.Choice(LEVELS),
    default=None,
    help="Totals per area of this level (default: one total).",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the full table (every indicator and dimension) to a .csv file.",
)
@reading_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON records.")
def command(before_dir, after_dir, level, output, readings, as_json):
    """Per indicator, dimension and target status: households that escaped, stayed, fell in."""
    from cheepao.engine import api

    before, after = open_run(before_dir), open_run(after_dir)
    if before.survey_year >= after.survey_year:
        raise BadInput(
            f"--before is {before.survey_year} and --after is {after.survey_year}: "
            "the earlier year goes first"
        )
    if before.manifest["indicator_set"] != after.manifest["indicator_set"]:
        raise BadInput(
            "the runs use different indicator sets "
            f"({before.manifest['indicator_set']} vs {after.manifest['indicator_set']})"
        )
    from cheepao.engine.catalogue import CatalogueError

    chosen = parse_readings(readings)
    try:
        cat = after.catalogue.with_readings(chosen)
    except CatalogueError as e:
        raise BadInput(str(e)) from e
    df = api.compare(before, after, level, chosen)
    if output:
        api.cells.frame_to_csv(df, output)
        console.print(f"{len(df):,} rows written to {output}")
        return
    if as_json:
        click.echo(json.dumps(df.to_dict("records"), ensure_ascii=False, indent=1, default=str))
        return
    subjects = [*(d.code for d in cat.dimensions), "target"]
    total = df[[c for c in df.columns if c.startswith(("escaped_", "still_", "newly_"))]].sum()
    summary = pd.DataFrame(
        {
            "": subjects,
            "escaped": [int(total[f"escaped_{s}"]) for s in subjects],
            "still": [int(total[f"still_{s}"]) for s in subjects],
            "newly": [int(total[f"newly_{s}"]) for s in subjects],
        }
    )
    console.print(
        rich_table(
            summary, title=f"{before.survey_year} → {after.survey_year}: dimensions and targets"
        )
    )
    if level:
        view = df[
            [
                "area_code",
                "area_name_th",
                "escaped_target",
                "still_target",
                "newly_target",
                "survives",
                "sustainable",
            ]
        ]
        console.print(rich_table(view, title=f"targets per {level}"))
    print_readings(cat, stage="compare")
