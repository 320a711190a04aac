"""`cheepao mpi`: Alkire-Foster H, A, M0 and indicator contributions of a run."""

from __future__ import annotations

import json

import click
import pandas as pd

from cheepao.cli import BadInput
from cheepao.cli._common import console, open_run, print_readings, rich_table, run_option

GROUPS = ("province", "district", "subdistrict", "village", "life_stage")


@click.command("mpi")
@run_option
@click.option("--k", default=None, help="Poverty cutoff, e.g. 1/3 or 0.4 (default: the run's).")
@click.option(
    "--by",
    type=click.Choice(GROUPS),
    default=None,
    help="Decompose by an area level or life stage.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON records instead of tables.")
def command(run_dir, k, by, as_json):
    """The Alkire-Foster table, whole run or decomposed."""
    from cheepao.engine.af import AFError

    run = open_run(run_dir)
    try:
        df = run.af(by=by, k=k)
    except (AFError, ValueError, ZeroDivisionError) as e:
        raise BadInput(f"--k {k}: {e}") from e
    if as_json:
        click.echo(json.dumps(df.to_dict("records"), ensure_ascii=False, indent=1, default=str))
        return
    cat = run.catalogue
    print_readings(cat)
    codes = [i.code for i in cat.indicators]
    keys = [c for c in df.columns if c.endswith("_code") or c == "life_stage"]
    head = df[[*keys, "persons", "poor_persons", "H", "A", "M0"]]
    console.print(
        rich_table(
            head,
            title=f"Alkire-Foster ปี {run.survey_year}, k = {df['k'].iloc[0] if len(df) else k}",
        )
    )
    if by is None and len(df):
        row = df.iloc[0]
        contrib = pd.DataFrame(
            {
                "indicator": codes,
                "ตัวชี้วัด": [cat.indicator(c).short_th for c in codes],
                "dimension": [cat.indicator(c).dimension for c in codes],
                "censored headcount": [float(row[f"ch_{c}"]) for c in codes],
                "% contribution": [float(row[f"pct_{c}"]) for c in codes],
            }
        )
        console.print(rich_table(contrib, title="Indicator contributions to M0"))
