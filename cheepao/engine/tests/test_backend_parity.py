"""DuckDB and PySpark give identical results on a real (synthetic) survey.

The golden tests check both backends against hand-computed values on a few dozen
households; this module checks them against each other on two small provinces of the
synthetic survey (the first district of four provinces at scale `tiny`, two survey years,
~2,500 households and ~7,100 persons a year), read from Parquet as a real run reads its
inputs. Every table is sorted on its key before comparing, and compared exactly:
flags and counts are integers and booleans, and the AF ratios are divided on the driver
from integer sums (ADR 0003), so not one bit may differ.

The backend module's own behaviour (engine names, missing Java or pyspark, DuckDB
settings) is tested at the end without starting Spark.
"""

from __future__ import annotations

import os
from fractions import Fraction as F
from pathlib import Path

import pandas as pd
import pytest

from cheepao.engine import api, backends, compare
from cheepao.engine.tests import golden

# Ubon Ratchathani, Amnat Charoen, Tak, Narathiwat
PROVINCES = ("34", "37", "63", "96")
YEARS = (2567, 2568)
LEVELS = ("province", "district", "subdistrict", "village")
AF_GROUPS = (None, *LEVELS, "life_stage")
# survey-like deprivation is rare: at the default k = 1/3 hardly any household is poor
AF_K = (F(1, 20), F(1, 10))
HOUSEHOLD_FAMILIES = (
    "d_",
    "dim_",
    "n_dims",
    "is_target",
    "is_critical",
    "af_score_units",
    "af_poor",
    "ft_",
)
PERSON_FAMILIES = ("p_", "pdim_", "is_deprived", "is_target_person", "ls_", "vg_")


@pytest.fixture(scope="module")
def survey(tmp_path_factory) -> Path:
    from cheepao.synth import generate

    out = tmp_path_factory.mktemp("parity-survey")
    generate(out, provinces=PROVINCES, scale="tiny", seed=1, years=YEARS)
    return out


def _compute(survey: Path, year: int, con) -> api.Result:
    lazy = api.compute(
        survey / str(year) / "households.parquet", survey / str(year) / "members.parquet", con=con
    )
    return golden.materialise(lazy, con)


@pytest.fixture(scope="module")
def runs(survey, duckdb_con, spark_con) -> dict[str, dict[int, api.Result]]:
    """engine -> year -> result, flags computed once per backend from the Parquet files."""
    cons = {"duckdb": duckdb_con, "spark": spark_con}
    return {e: {y: _compute(survey, y, con) for y in YEARS} for e, con in cons.items()}


def sort(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return df.sort_values(keys, kind="stable").reset_index(drop=True)


def assert_same(duck: pd.DataFrame, spark: pd.DataFrame, keys: list[str]) -> None:
    assert list(spark.columns) == list(duck.columns)
    pd.testing.assert_frame_equal(sort(spark, keys), sort(duck, keys), check_exact=True)


def both(runs, fn) -> tuple[pd.DataFrame, pd.DataFrame]:
    return fn(runs["duckdb"]), fn(runs["spark"])


# ------------------------------------------------------------------ the data is worth it


def test_the_survey_has_something_to_compare(runs):
    r = runs["duckdb"][YEARS[-1]]
    h = r.households.to_pandas()
    assert len(h) > 1000
    assert sorted(h.province_code.unique()) == list(PROVINCES)
    assert 0 < h.is_target.sum() < len(h)
    deprived = [c for c in golden.CODES if h[f"d_{c}"].any()]
    assert len(deprived) >= 10, f"only {deprived} occur: too little of the engine is compared"
    for k in AF_K:
        assert 0 < r.af(k=k).iloc[0]["poor_households"] < len(h), k


# ------------------------------------------------------------------ flags


@pytest.mark.parametrize("year", YEARS)
def test_household_flags(runs, year):
    duck, spark = both(runs, lambda r: r[year].households.to_pandas())
    for family in HOUSEHOLD_FAMILIES:
        assert any(c.startswith(family) for c in duck.columns), family
    assert duck.hh_id.is_unique
    assert_same(duck, spark, ["hh_id"])


@pytest.mark.parametrize("year", YEARS)
def test_person_flags(runs, year):
    duck, spark = both(runs, lambda r: r[year].persons.to_pandas())
    for family in PERSON_FAMILIES:
        assert any(c.startswith(family) for c in duck.columns), family
    assert duck.is_target_person.any()
    assert_same(duck, spark, ["hh_id", "member_no"])


# ------------------------------------------------------------------ registers


@pytest.mark.parametrize("level", LEVELS)
def test_registers(runs, level):
    duck, spark = both(runs, lambda r: r[YEARS[-1]].register(level))
    assert duck.target_households.sum() > 0
    assert_same(duck, spark, ["area_code"])
    # the register's own order (most targets first) is made in pandas: same on both
    pd.testing.assert_frame_equal(spark, duck, check_exact=True)


# ------------------------------------------------------------------ Alkire-Foster


@pytest.mark.parametrize("k", AF_K, ids=str)
@pytest.mark.parametrize("by", AF_GROUPS, ids=str)
def test_alkire_foster(runs, by, k):
    duck, spark = both(runs, lambda r: r[YEARS[-1]].af(k=k, by=by))
    keys = ["k"] if by is None else [golden_key(by)]
    assert_same(duck, spark, keys)


def golden_key(by: str) -> str:
    return "life_stage" if by == "life_stage" else f"{by}_code"


# ------------------------------------------------------------------ comparison of years


def test_household_statuses(runs):
    def statuses(r):
        before, after = r[YEARS[0]], r[YEARS[-1]]
        return compare.compare_households(
            before.households, after.households, before.catalogue
        ).to_pandas()

    duck, spark = both(runs, statuses)
    for status in ("escaped", "still", "newly", "left", "joined"):
        assert (duck.s_target == status).any(), status
    assert_same(duck, spark, ["hh_id"])


# the same code path for every area level: the total, one level with a code prefix and
# the finest one (each comparison costs a few seconds on Spark)
@pytest.mark.parametrize("level", [None, "district", "village"], ids=str)
def test_compare_area_totals(runs, level):
    duck, spark = both(runs, lambda r: api.compare(r[YEARS[0]], r[YEARS[-1]], level))
    assert_same(duck, spark, ["area_code"])


# ------------------------------------------------------------------ the backend module


def test_read_parquet_files_and_directories(tmp_path, duckdb_con, spark_con):
    import pyarrow as pa
    import pyarrow.parquet as pq

    (tmp_path / "households").mkdir()
    for code, ids in (("34", ["a", "b"]), ("37", ["c"])):
        pq.write_table(pa.table({"hh_id": ids}), tmp_path / "households" / f"{code}.parquet")
    files = sorted((tmp_path / "households").glob("*.parquet"))
    for con in (duckdb_con, spark_con):
        for paths in (files, tmp_path / "households", str(files[0])):
            got = sorted(backends.read_parquet(con, paths).to_pandas().hh_id)
            assert got == (["a", "b"] if paths == str(files[0]) else ["a", "b", "c"]), paths
    with pytest.raises(backends.BackendError, match="no Parquet files"):
        backends.read_parquet(duckdb_con, [])


def test_engines():
    assert backends.ENGINES == ("duckdb", "spark")
    with pytest.raises(backends.BackendError, match="unknown engine 'polars'"):
        backends.connect("polars")


def test_duckdb_settings(tmp_path):
    spill = tmp_path / "spill"
    con = backends.connect("duckdb", threads=1, memory_limit="256MB", temp_directory=spill)
    try:
        got = dict(
            con.raw_sql(
                "select name, value from duckdb_settings() "
                "where name in ('threads', 'memory_limit', 'temp_directory')"
            ).fetchall()
        )
    finally:
        con.disconnect()
    assert got["threads"] == "1"
    assert got["memory_limit"].replace(" ", "") in ("244.1MiB", "256.0MB", "256MB")
    assert Path(got["temp_directory"]) == spill
    assert spill.is_dir()


def test_missing_java_names_the_package(monkeypatch, tmp_path):
    monkeypatch.delenv("SPARK_REMOTE", raising=False)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    reason = backends.spark_unavailable()
    assert reason is not None
    assert "openjdk-17-jre-headless" in reason
    assert "default-jre-headless" in reason
    with pytest.raises(backends.BackendError, match="openjdk-17-jre-headless"):
        backends.spark_session()


def test_missing_pyspark_names_the_extra(monkeypatch):
    real = backends.importlib.util.find_spec
    monkeypatch.setattr(
        backends.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "pyspark" else real(name, *a),
    )
    with pytest.raises(backends.BackendError, match=r"pip install 'cheepao\[spark\]'"):
        backends.connect("spark")


def test_java_home_wins_over_path(monkeypatch, tmp_path):
    java = tmp_path / "jdk" / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text("")
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk"))
    assert backends.java_executable() == str(java)


def test_spark_settings(monkeypatch):
    monkeypatch.setenv("CHEEPAO_SPARK_CONF", "spark.sql.shuffle.partitions=64; spark.x=1")
    conf = backends.spark_settings({"spark.x": "2", "spark.executor.memory": "8g"})
    assert conf["spark.sql.session.timeZone"] == "UTC"
    assert conf["spark.sql.ansi.enabled"] == "true"
    assert conf["spark.ui.enabled"] == "false"
    assert conf["spark.sql.shuffle.partitions"] == "64"
    assert conf["spark.x"] == "2"  # the argument wins over the environment
    assert conf["spark.executor.memory"] == "8g"
    with pytest.raises(backends.BackendError, match="not key=value"):
        backends.parse_conf("spark.sql.shuffle.partitions")


def test_the_test_session_is_set_as_documented(spark_con):
    conf = spark_con._session.conf
    assert conf.get("spark.sql.session.timeZone") == "UTC"
    assert conf.get("spark.sql.ansi.enabled") == "true"
    if not os.environ.get("SPARK_REMOTE"):
        assert spark_con._session.sparkContext.getConf().get("spark.ui.enabled") == "false"
