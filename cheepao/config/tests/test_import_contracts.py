"""The import contracts of pyproject.toml ([tool.importlinter], run as `lint-imports` by
scripts/test) hold, and they would catch the imports they exist to forbid."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest
from importlinter import configuration
from importlinter.contracts.forbidden import ForbiddenContract

ROOT = Path(__file__).resolve().parents[3]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
ENGINE = "The engine, the generator and the CLI never import Django or a platform app"
REGISTRY = "The registry (households) never imports a feature app"
ACCOUNTS = "Accounts never import the registry"
CORE = "The kernel (core) imports no Cheepao app"
JOBS = "Background jobs (jobs) import no domain app"
MENTORING = "Mentoring never imports the folder or the plan"
LOGBOOK = "The Logbook never imports routing or above"
ROUTING = "Routing never imports escalation or statistics"
NOTIFICATIONS = "Notifications import no feature app"
SUMMARIES = "Snapshots and the evaluation never import the pages that read them"
PAGES = "Dashboards, maps, reports and open data read summaries, never case work"
OPEN_DATA = "Open data never imports the registry, accounts or the audit log"


def test_lint_imports_keeps_every_contract():
    """What scripts/test runs, as it runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [Path(sys.executable).with_name("lint-imports"), "--no-cache"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for name in (
        ENGINE,
        REGISTRY,
        ACCOUNTS,
        CORE,
        JOBS,
        MENTORING,
        LOGBOOK,
        ROUTING,
        NOTIFICATIONS,
        SUMMARIES,
        PAGES,
        OPEN_DATA,
    ):
        assert f"{name} KEPT" in done.stdout
    assert "Contracts: 12 kept, 0 broken." in done.stdout


@pytest.fixture(scope="module")
def graph():
    configuration.configure()  # what the lint-imports command does before it checks
    return grimp.build_graph(
        CONFIG["root_package"], include_external_packages=CONFIG["include_external_packages"]
    )


def _broken(graph, extra: tuple[str, str] | None = None) -> set[str]:
    """The contracts the graph (with one more import) breaks."""
    g = copy.deepcopy(graph)
    if extra is not None:
        g.add_import(importer=extra[0], imported=extra[1])
    broken = set()
    for options in CONFIG["contracts"]:
        assert options["type"] == "forbidden"
        contract_options = {k: v for k, v in options.items() if k not in ("name", "type")}
        contract = ForbiddenContract(
            name=options["name"],
            session_options={
                "root_packages": [CONFIG["root_package"]],
                "include_external_packages": str(CONFIG["include_external_packages"]),
            },
            contract_options={
                k: [str(x) for x in v] if isinstance(v, list) else str(v)
                for k, v in contract_options.items()
            },
        )
        if not contract.check(copy.deepcopy(g), verbose=False).kept:
            broken.add(options["name"])
    return broken


def test_the_code_as_it_is_breaks_none(graph):
    assert _broken(graph) == set()


@pytest.mark.parametrize(
    ("importer", "imported", "contract"),
    [
        ("cheepao.engine.api", "django", ENGINE),
        ("cheepao.synth.population", "django", ENGINE),
        ("cheepao.cli.compute", "cheepao.households.models", ENGINE),
        ("cheepao.households.views", "cheepao.imports.selectors", REGISTRY),
        ("cheepao.households.services", "cheepao.verification.models", REGISTRY),
        ("cheepao.households.forms", "cheepao.newhouseholds.forms", REGISTRY),
        ("cheepao.accounts.selectors", "cheepao.households.models", ACCOUNTS),
        ("cheepao.core.access", "cheepao.accounts.roles", CORE),
        ("cheepao.logbook.services", "cheepao.routing.selectors", LOGBOOK),
        ("cheepao.routing.services", "cheepao.escalation.services", ROUTING),
        ("cheepao.routing.views", "cheepao.helpstats.selectors", ROUTING),
        ("cheepao.notifications.services", "cheepao.plans.models", NOTIFICATIONS),
        ("cheepao.snapshots.services", "cheepao.dashboards.selectors", SUMMARIES),
        ("cheepao.evaluation.selectors", "cheepao.reports.selectors", SUMMARIES),
        ("cheepao.dashboards.selectors", "cheepao.logbook.models", PAGES),
        ("cheepao.maps.views", "cheepao.routing.models", PAGES),
        ("cheepao.opendata.selectors", "cheepao.households.models", OPEN_DATA),
    ],
)
def test_a_forbidden_import_breaks_its_contract(graph, importer, imported, contract):
    assert _broken(graph, (importer, imported)) == {contract}


def test_an_indirect_import_counts_too(graph):
    # households → accounts is allowed; accounts → verification would let the registry
    # reach a feature app through it.
    broken = _broken(graph, ("cheepao.accounts.selectors", "cheepao.verification.selectors"))
    assert REGISTRY in broken


def test_tests_may_reach_the_apps_above_theirs(graph):
    # An app's tests run the platform with every app installed (ignore_imports).
    assert (
        _broken(graph, ("cheepao.households.tests.test_pages", "cheepao.imports.models")) == set()
    )
