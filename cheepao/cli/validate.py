"""`cheepao validate`: check a survey delivery before anything is computed from it."""

from __future__ import annotations

from pathlib import Path

import click

from cheepao.cli import BadInput

TOP_PROBLEMS = 10


def default_rejects_path(members: Path) -> Path:
    """rejects.csv beside the members file (beside the folder, for a Parquet folder)."""
    return members.parent / "rejects.csv"


@click.command("validate")
@click.option(
    "--households",
    type=click.Path(exists=True, path_type=Path),
    required=True,
    help="Households table: CSV, XLSX, Parquet file or a folder of Parquet files.",
)
@click.option(
    "--members",
    type=click.Path(exists=True, path_type=Path),
    required=True,
    help="Members table, in any of the same formats.",
)
@click.option(
    "--rejects",
    "rejects_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write every rejected row with its reasons (CSV, UTF-8 with BOM "
    "for Excel). Default: rejects.csv next to the members file.",
)
@click.option(
    "--catalogue",
    "--indicator-set",
    "catalogue",
    default="tpmap_mpi_17",
    show_default=True,
    help="Indicator set id, or a catalogue YAML file: decides which answers each member must give.",
)
def command(households: Path, members: Path, rejects_path: Path | None, catalogue: str) -> None:
    """Check a survey year against the data contract; write the rejects; print a summary.

    Every row that breaks a rule is listed in the rejects file with the file, the row
    number as seen in the file (header = row 1), the column, the value, a reason code
    and the reason in English and Thai. Good rows are never dropped. A member's bad
    national ID is listed too, but the member is kept and counted (the ID is to correct).

    Exit code 0: no problem found. 1: some rows rejected or kept with an ID to correct,
    or a file cannot be used at all (then nothing is written). 2: wrong command line.

    \b
    Example:
      cheepao validate --households survey/households.csv --members survey/members.csv
    """
    from cheepao.engine import catalogue as catalogue_mod
    from cheepao.engine import validate

    try:
        cat = catalogue_mod.load(catalogue)
    except catalogue_mod.CatalogueError as e:
        raise click.BadParameter(str(e), param_hint="--catalogue") from e
    try:
        result = validate.validate_survey(households, members, catalogue=cat, keep_rows=False)
    except validate.FileError as e:
        raise BadInput(f"{e.file}: {e.en} / {e.th}") from e
    out = rejects_path or default_rejects_path(members)
    validate.write_rejects_csv(result.rejects, out)
    _print_summary(result, out)
    if not result.ok:
        raise click.exceptions.Exit(1)


def _print_summary(result, out: Path) -> None:
    from rich.table import Table

    from cheepao.cli._common import console, fmt

    sm = result.summary
    t = Table(title=f"Survey check ({sm.catalogue})", header_style="bold")
    for name in ("table", "rows read", "kept", "of which to correct", "rejected"):
        t.add_column(name, justify="left" if name == "table" else "right")
    for name, ts in sm.tables.items():
        t.add_row(
            name,
            fmt(ts.rows_read),
            fmt(ts.rows_kept),
            fmt(ts.rows_to_correct),
            fmt(ts.rows_rejected),
            style="red" if ts.rows_rejected else "yellow" if ts.rows_to_correct else None,
        )
    console.print(t)
    if sm.top:
        p = Table(title="Most frequent problems (reasons in the rejects file)", header_style="bold")
        for name in ("table", "column", "code", "count"):
            p.add_column(name, justify="right" if name == "count" else "left", no_wrap=True)
        for row in sm.top[:TOP_PROBLEMS]:
            p.add_row(row["table"], row["column"] or "", row["code"], fmt(row["count"]))
        console.print(p)
        if len(sm.top) > TOP_PROBLEMS:
            console.print(f"… and {len(sm.top) - TOP_PROBLEMS} more kinds of problem")
    if sm.households_missing_members:
        console.print(
            f"{sm.households_missing_members:,} kept households lost some member "
            "rows: their results count only the members kept."
        )
    for w in sm.warnings:
        console.print(f"[yellow]warning:[/] {w}")
    n = result.rejects.num_rows
    to_correct = sum(ts.rows_to_correct for ts in sm.tables.values())
    if n:
        said = (
            [f"[bold red]{sm.rejected:,} rows rejected[/]"] if sm.rejected or not to_correct else []
        )
        if to_correct:
            said.append(f"[bold yellow]{to_correct:,} rows kept with a national ID to correct[/]")
        console.print(f"{', '.join(said)} ({n:,} problems): see {out}")
    else:
        console.print(f"[bold green]all rows passed[/]; empty rejects file written to {out}")
