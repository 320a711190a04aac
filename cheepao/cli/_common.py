"""Shared pieces of the CLI commands: opening runs, printing tables, progress bars."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click
import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cheepao.cli import BadInput


def _console(stderr: bool = False) -> Console:
    """Rich assumes 80 columns when output is piped (make demo, logs); registers need more."""
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() or os.environ.get("COLUMNS") else 160
    return Console(stderr=stderr, width=width)


console = _console()
err_console = _console(stderr=True)


def open_run(path: Path):
    from cheepao.engine import api

    try:
        return api.open_run(path)
    except api.RunNotFound as e:
        raise BadInput(f"{e}. Compute one first: cheepao compute --input DIR --out {path}") from e
    except api.CatalogueError as e:  # the run's rules are not this installation's (ADR 0019)
        raise BadInput(str(e)) from e


def parse_readings(values: tuple[str, ...]) -> dict[str, str]:
    """`--reading NAME=CHOICE` values (repeatable) as {reading: choice}."""
    out = {}
    for v in values:
        name, sep, choice = v.partition("=")
        if not sep or not name.strip() or not choice.strip():
            raise click.BadParameter(f"expected NAME=CHOICE, got {v!r}", param_hint="--reading")
        out[name.strip()] = choice.strip()
    return out


reading_option = click.option(
    "--reading",
    "readings",
    multiple=True,
    metavar="NAME=CHOICE",
    help="Read an ambiguous definition another way (repeatable), e.g. "
    "critical=income_living_health; the choices are in the catalogue's readings section "
    "(ADR 0013).",
)


def print_readings(cat, lang: str = "th", stage: str | None = "compute") -> None:
    """Which reading of each ambiguous definition produced the numbers (ADR 0013)."""
    from cheepao.engine import api

    rows = api.readings_of(cat, lang, stage)
    if not rows:
        return
    en = lang == "en"
    console.print(f"Definitions read as ({cat.name}):" if en else f"นิยามที่ใช้คำนวณ ({cat.name}):")
    for r in rows:
        note = ("default" if en else "ค่าเริ่มต้น") if r["default"] == "yes" else ""
        code = f"{r['code']}={r['choice']}" + (f", {note}" if note else "")
        console.print(f"  {r['title']}: {r['label']} [dim]\\[{code}][/]", highlight=False)


def rich_table(df: pd.DataFrame, title: str | None = None, total_last: bool = False) -> Table:
    t = Table(title=title, show_lines=False, header_style="bold")
    for c in df.columns:
        numeric = pd.api.types.is_numeric_dtype(df[c])
        widest = max((len(fmt(v)) for v in df[c]), default=1)
        t.add_column(
            str(c),
            justify="right" if numeric else "left",
            overflow="fold",
            min_width=widest if numeric else min(widest, 12),
        )
    last = len(df) - 1
    for i, row in enumerate(df.itertuples(index=False)):
        cells = [fmt(v) for v in row]
        t.add_row(
            *cells,
            style="bold" if total_last and i == last else None,
            end_section=total_last and i == last - 1,
        )
    return t


def fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, int):
        return f"{v:,}"
    return "" if v is None else str(v)


@contextmanager
def steps(names: tuple[str, ...], description: str):
    """A Rich progress bar advanced once per named step; yields the on_step callback."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} {task.fields[step]}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    ) as progress:
        task = progress.add_task(description, total=len(names), step="")
        seen: list[str] = []

        def on_step(name: str) -> None:
            if seen:
                progress.advance(task)
            seen.append(name)
            progress.update(task, step=name)

        yield on_step
        progress.update(task, completed=len(names), step="done")


def parse_assignments(values: tuple[str, ...], what: str) -> dict[str, float]:
    out = {}
    for v in values:
        name, sep, num = v.partition("=")
        if not sep:
            raise click.BadParameter(f"expected NAME=VALUE, got {v!r}", param_hint=what)
        try:
            out[name.strip()] = float(num)
        except ValueError:
            raise click.BadParameter(f"{num!r} is not a number", param_hint=what) from None
    return out


run_option = click.option(
    "--run",
    "run_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Run directory written by `cheepao compute`.",
)
