"""The benchmark's two independent implementations agree with the engine.

`make bench` times the engine against bench/pandas_reference.py (the computation written
plainly in pandas) and bench/duckdb_floor.py (the same written as one bare DuckDB query);
a speed ratio means something only if all three compute the same thing. Here they run on
a small synthetic survey (the first district of four provinces, scale `tiny`) and must
print the same district register and the same H, A and M0 as bench/engine_sample.py. Being
written separately (by hand, not from the catalogue), they also check the engine.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench"


def bench_module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def survey(tmp_path_factory) -> Path:
    from cheepao.synth import generate

    out = tmp_path_factory.mktemp("bench-survey")
    generate(out, provinces=("34", "37", "63", "96"), scale="tiny", seed=3, years=(2568,))
    return out / "2568"


@pytest.fixture(scope="module")
def printed(survey) -> dict[str, dict]:
    """What each of the three bench programs prints for the survey."""
    programs = {"pandas": "pandas_reference", "engine": "engine_sample", "floor": "duckdb_floor"}
    return {key: bench_module(name).run(str(survey)) for key, name in programs.items()}


def test_the_survey_has_targets_and_poor(printed):
    reg = printed["engine"]["register"]
    assert len(reg) >= 4
    assert sum(r["target_households"] for r in reg.values()) > 50
    assert sum(r["target_persons"] for r in reg.values()) > 0
    assert printed["engine"]["H"] > 0


@pytest.mark.parametrize("other", ["pandas", "floor"])
def test_same_register_and_af(printed, other):
    same_results = bench_module("run").same_results
    assert printed[other]["register"] == printed["engine"]["register"]
    assert same_results(printed[other], printed["engine"])
