"""`cheepao compute`: validate a survey year and write a run directory."""

from __future__ import annotations

import time
from pathlib import Path

import click

from cheepao.cli import BadInput
from cheepao.cli._common import (
    console,
    open_run,
    parse_assignments,
    parse_readings,
    print_readings,
    reading_option,
    steps,
)


@click.command("compute")
@click.option(
    "--input",
    "input_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Directory holding households.* and members.* (Parquet, CSV or XLSX).",
)
@click.option("--households", type=click.Path(path_type=Path), help="Households file.")
@click.option("--members", type=click.Path(path_type=Path), help="Members file.")
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Run directory to write (replaced atomically if it exists).",
)
@click.option(
    "--indicator-set",
    default="tpmap_mpi_17",
    show_default=True,
    help="Indicator set id (its newest version), id@vN for version N, or path to a "
    "catalogue YAML file.",
)
@click.option(
    "--profile",
    default="default",
    show_default=True,
    help="Target profile: default (every deprived person) or tpmap2562 (welfare card).",
)
@click.option(
    "--threshold",
    "thresholds",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a threshold, e.g. income_per_person_year=40000.",
)
@reading_option
@click.option(
    "--k", default=None, help="Alkire-Foster poverty cutoff, e.g. 1/3 (default: the set's)."
)
@click.option(
    "--province",
    "provinces",
    multiple=True,
    metavar="CODE",
    help="Only this province (repeatable); with per-province input files only "
    "those files are read.",
)
@click.option(
    "--engine",
    type=click.Choice(["duckdb", "spark"]),
    default="duckdb",
    show_default=True,
    help="Backend that runs the computation.",
)
@click.option(
    "--persons",
    type=click.Choice(["targets", "all"]),
    default="targets",
    show_default=True,
    help="Write members of target households only, or every member.",
)
@click.option(
    "--trust-input", is_flag=True, help="Skip validation: the Parquet input was validated already."
)
@click.option("--strict", is_flag=True, help="Exit 1 when any input row was rejected.")
def command(
    input_dir,
    households,
    members,
    out,
    indicator_set,
    profile,
    thresholds,
    readings,
    k,
    provinces,
    engine,
    persons,
    trust_input,
    strict,
):
    """Compute indicators, targets, registers and Alkire-Foster tables for one survey year."""
    from cheepao.engine import pipeline
    from cheepao.engine.af import AFError
    from cheepao.engine.api import EngineError
    from cheepao.engine.catalogue import CatalogueError
    from cheepao.engine.readers import FileError

    if input_dir:
        if households or members:
            raise click.UsageError("give --input or --households/--members, not both")
        if not input_dir.is_dir():
            raise BadInput(f"{input_dir}: no such directory")
        try:
            households, members = pipeline.find_inputs(input_dir)
        except pipeline.InputError as e:
            raise BadInput(str(e)) from e
    elif not (households and members):
        raise click.UsageError("give --input DIR, or both --households and --members")
    for p in (households, members):
        if not Path(p).exists():
            raise BadInput(f"{p}: no such file")
    overrides = parse_assignments(thresholds, "--threshold")
    started = time.perf_counter()
    try:
        with steps(pipeline.STEPS, "compute") as on_step:
            manifest = pipeline.run_compute(
                households,
                members,
                out,
                indicator_set=indicator_set,
                profile=profile,
                thresholds=overrides,
                readings=parse_readings(readings),
                k=k,
                engine=engine,
                provinces=tuple(provinces),
                persons=persons,
                trust_input=trust_input,
                on_step=on_step,
            )
    except (pipeline.InputError, FileError, CatalogueError, AFError, EngineError) as e:
        raise BadInput(str(e)) from e
    rc = manifest["row_counts"]
    rej = manifest["rejects"]
    console.print(
        f"[bold]{manifest['indicator_set']}[/] ปี {manifest['survey_year']} "
        f"profile={manifest['target_profile']} k={manifest['k']}\n"
        f"households {rc['households']:,}  persons {rc['persons']:,}  "
        f"target households {rc['target_households']:,}  critical {rc['critical_households']:,}  "
        f"target persons {rc['target_persons']:,}\n"
        f"rejected rows: households {rej['households']:,}, members {rej['members']:,}"
        f"{' (see ' + str(Path(out) / 'rejects.csv') + ')' if rej['households'] or rej['members'] else ''}\n"
        + (
            f"members kept with a national ID to correct: {rej['members_to_correct']:,}\n"
            if rej.get("members_to_correct")
            else ""
        )
        + f"written to {out} in {time.perf_counter() - started:.1f} s"
    )
    print_readings(open_run(out).catalogue)
    if strict and (rej["households"] or rej["members"]):
        raise BadInput("some input rows were rejected (--strict)")
