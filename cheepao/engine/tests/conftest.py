"""The engine's backends for its tests: one Spark session for the whole test session.

Every golden test takes `engine_con` (golden.py), parametrised over DuckDB and PySpark;
its Spark half comes from `spark_con` below. Starting Spark costs ~10-20 s, so the session
is made once and shared. Without Java or pyspark the Spark tests are skipped with the
reason, except under CI (`CI=true`), where they fail: CI must prove both backends agree.
"""

from __future__ import annotations

import logging
import os

import pytest

from cheepao.engine import backends

# Tuned for many tiny queries on a small shared machine, not for throughput: C1-only JIT
# halves the JVM's warm-up, two shuffle partitions per stage keep task counts low.
TEST_SPARK_CONF = {
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
    # test inputs are in-memory tables (LocalRelation); this rule would evaluate every
    # projection over them row by row, interpreted, inside the optimizer (~1 s per AF query
    # on 2,500 rows). Spark's own test suites exclude it too.
    "spark.sql.optimizer.excludedRules": (
        "org.apache.spark.sql.catalyst.optimizer.ConvertToLocalRelation"
    ),
}


def spark_required() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def spark_con():
    reason = backends.spark_unavailable()
    if reason:
        if spark_required():
            pytest.fail(f"CI must test the PySpark backend, but {reason}", pytrace=False)
        pytest.skip(f"PySpark backend not available: {reason}")
    # SPARK_REMOTE or SPARK_MASTER from the environment when set, else local[2]
    con = backends.connect("spark", spark_conf=TEST_SPARK_CONF)
    yield con
    # py4j logs at INFO while it closes its sockets, after pytest has closed the streams
    logging.getLogger("py4j").setLevel(logging.WARNING)
    con.disconnect()


@pytest.fixture(scope="session")
def duckdb_con():
    con = backends.connect("duckdb", threads=2)
    yield con
    con.disconnect()


def pytest_configure(config: pytest.Config) -> None:
    # pyspark 4.0 calls astype(copy=...) which pandas 3 deprecates: not ours to fix
    config.addinivalue_line(
        "filterwarnings", "ignore:The copy keyword is deprecated:DeprecationWarning"
    )
