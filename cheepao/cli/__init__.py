"""The `cheepao` command line.

Each command lives in its own module and is imported only when run, so `--help` and the
cheap commands stay fast without loading Ibis. Exit codes: 0 ok, 1 bad input, 2 usage.
"""

from __future__ import annotations

import gc
import importlib

import click

# command name -> module under cheepao.cli that defines a click command called `command`
COMMANDS = {
    "generate": "generate",
    "validate": "validate",
    "compute": "compute",
    "register": "register",
    "mpi": "mpi",
    "compare": "compare",
}


class BadInput(click.ClickException):
    """Input data or arguments that are well-formed but wrong: exit code 1."""

    exit_code = 1


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = COMMANDS.get(name)
        if module is None:
            return None
        return importlib.import_module(f"cheepao.cli.{module}").command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cheepao")
def main() -> None:
    """Cheepao (ชี้เป้า): find, verify and follow multidimensionally poor households."""


def run() -> None:
    """The installed `cheepao` program: `main`, then an exit that skips a needless heap walk.

    When Python exits, its last garbage collection walks every object still alive: after a
    computation that is the Ibis expression graphs, pandas frames and everything imported,
    about 0.17 s of a 2.8 s one-province recompute (docs/benchmarks.md). By then the work
    is written and closed, and the memory goes back to the system anyway, so the objects
    are frozen (`gc.freeze()`: kept out of collections) before exiting. Objects still get
    freed as their last reference goes; only cycles are left to the operating system.
    Tests call `main` in-process and are unaffected.
    """
    try:
        main()
    finally:
        gc.freeze()
