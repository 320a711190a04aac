"""Where the engine runs: DuckDB on one machine, or PySpark on a cluster.

The engine is written once as Ibis expressions (`indicators.py`, `af.py`, ...); this
module only opens the connection they are bound to. `connect("duckdb")` is an in-memory
DuckDB that spills to `temp_directory` past `memory_limit`; `connect("spark")` is a
SparkSession wrapped by Ibis:

- `SPARK_REMOTE` set (e.g. sc://spark-connect.internal:15002): Spark Connect, no local
  JVM needed on the driver;
- otherwise a classic session on `spark_master`, else `SPARK_MASTER`, else `local[2]`.

Either way the session is set so that results match DuckDB's bit for bit: session time
zone UTC, ANSI SQL on (integer overflow and bad casts fail instead of wrapping or turning
into NULL, as on DuckDB), few shuffle partitions (the engine's aggregates are small), no
web UI and quiet logs. Anything in `spark_conf` (or `CHEEPAO_SPARK_CONF`, "key=value"
pairs separated by ";") overrides these defaults. See docs/spark.md.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

ENGINES = ("duckdb", "spark")
DEFAULT_MASTER = "local[2]"
DEFAULT_SHUFFLE_PARTITIONS = 8
APP_NAME = "cheepao-engine"

JAVA_HINT = (
    "install a Java runtime (17 or 21), e.g. `apt-get install openjdk-17-jre-headless` "
    "(or `default-jre-headless`), or set JAVA_HOME"
)
PYSPARK_HINT = "install the Spark extra: pip install 'cheepao[spark]'"

# Session settings the engine relies on; spark_conf may add to or override them.
SPARK_DEFAULTS: dict[str, str] = {
    "spark.app.name": APP_NAME,
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
    # integer overflow, division by zero and invalid casts raise, as on DuckDB, instead of
    # silently wrapping or becoming NULL (Spark 4's default; set so that a cluster's
    # spark-defaults.conf cannot turn it off)
    "spark.sql.ansi.enabled": "true",
    "spark.sql.shuffle.partitions": str(DEFAULT_SHUFFLE_PARTITIONS),
    # small inputs: the whole plan is a handful of joins, adaptive execution only helps
    "spark.sql.adaptive.enabled": "true",
    # pandas <-> Spark through Arrow (memtables in, results out)
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}


class BackendError(ValueError):
    """The requested engine cannot be started here (unknown name, Java or pyspark missing)."""


def java_executable() -> str | None:
    """The `java` PySpark would start: $JAVA_HOME/bin/java, else the one on PATH."""
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = Path(home) / "bin" / "java"
        if candidate.exists():
            return str(candidate)
    return shutil.which("java")


def spark_unavailable() -> str | None:
    """Why a Spark session cannot be started here, or None when it can."""
    if importlib.util.find_spec("pyspark") is None:
        return f"pyspark is not installed: {PYSPARK_HINT}"
    if os.environ.get("SPARK_REMOTE"):
        if importlib.util.find_spec("grpc") is None:
            return f"Spark Connect needs grpcio: {PYSPARK_HINT}"
        return None
    if java_executable() is None:
        return f"Spark needs Java and none was found: {JAVA_HINT}"
    return None


def parse_conf(text: str | None) -> dict[str, str]:
    """'k1=v1;k2=v2' -> {'k1': 'v1', 'k2': 'v2'} (CHEEPAO_SPARK_CONF, the CLI's --spark-conf)."""
    out: dict[str, str] = {}
    for part in (text or "").split(";"):
        part = part.strip()
        if not part:
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise BackendError(f"Spark setting {part!r} is not key=value")
        out[key.strip()] = value.strip()
    return out


def spark_settings(spark_conf: Mapping[str, object] | None = None) -> dict[str, str]:
    """The session settings: defaults, then CHEEPAO_SPARK_CONF, then `spark_conf`."""
    conf = dict(SPARK_DEFAULTS)
    conf.update(parse_conf(os.environ.get("CHEEPAO_SPARK_CONF")))
    conf.update({str(k): str(v) for k, v in (spark_conf or {}).items()})
    return conf


def spark_session(spark_master: str | None = None, spark_conf: Mapping[str, object] | None = None):
    """A SparkSession set up for the engine (see the module docstring)."""
    reason = spark_unavailable()
    if reason:
        raise BackendError(reason)
    from pyspark.sql import SparkSession

    conf = spark_settings(spark_conf)
    remote = os.environ.get("SPARK_REMOTE")
    if remote:
        # the server owns the cluster settings; the SQL settings below are per session
        builder = SparkSession.builder.remote(remote)
    else:
        master = spark_master or os.environ.get("SPARK_MASTER") or DEFAULT_MASTER
        builder = SparkSession.builder.master(master)
        for key, value in conf.items():
            builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # JVM failed to start, cluster unreachable, ...
        where = f"Spark Connect at {remote}" if remote else "the Spark driver"
        raise BackendError(f"could not start {where}: {exc}") from exc
    if not remote:
        session.sparkContext.setLogLevel("ERROR")
    # getOrCreate() may return a session that already existed: (re)apply the SQL settings
    for key, value in conf.items():
        if key.startswith("spark.sql."):
            session.conf.set(key, value)
    return session


def is_spark(con: Any) -> bool:
    return getattr(con, "name", None) == "pyspark"


def bind(data: Any, con: Any) -> ir.Table:
    """In-memory data (Arrow table or pandas frame) as a table on `con`.

    On PySpark the Arrow data is handed to the JVM directly (`createDataFrame` on an Arrow
    table, then a temporary view), instead of Ibis's memtable path, which goes through
    pandas and, with pandas' Arrow-backed strings, falls back to pickling rows: every query
    on such a table then starts Python workers. Anything else goes to `as_table`.
    """
    if is_spark(con) and isinstance(data, pa.Table | pd.DataFrame):
        table = (
            data if isinstance(data, pa.Table) else pa.Table.from_pandas(data, preserve_index=False)
        )
        name = ibis.util.gen_name("input")
        # the Ibis backend exposes no public handle on its SparkSession
        con._session.createDataFrame(table).createOrReplaceTempView(name)
        return con.table(name)
    return as_table(data, con)


def as_table(data: Any, con: Any | None = None) -> ir.Table:
    """Accept an Ibis table, Arrow table, pandas frame, or a Parquet path (file or directory)."""
    if isinstance(data, ir.Table):
        return data
    if isinstance(data, pd.DataFrame | pa.Table):
        if con is None:
            return ibis.memtable(data)
        if is_spark(con):
            return bind(data, con)
        # A view over the in-memory data binds it to this connection.
        return con.create_view(ibis.util.gen_name("input"), ibis.memtable(data), overwrite=True)
    if isinstance(data, str | Path):
        return read_parquet(con or ibis.duckdb.connect(), data)
    raise TypeError(f"cannot read a table from {type(data).__name__}")


def read_parquet(con: Any, paths: str | Path | Sequence[str | Path]) -> ir.Table:
    """One table from Parquet files and/or directories of them, on either backend.

    Paths may be local or remote (hdfs://, s3a://, ... on Spark; s3:// on DuckDB with its
    httpfs extension). Ibis's PySpark `read_parquet` takes one path only (a list is sent
    to Spark as its string form) and Spark does not expand DuckDB's `dir/**/*.parquet`:
    Spark is given the paths as they are and reads directories recursively, DuckDB is
    given a glob for each local directory.
    """
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    if not items:
        raise BackendError("no Parquet files to read")
    if is_spark(con):
        name = ibis.util.gen_name("read_parquet")
        # files are named by province (households/34.parquet), never Hive-partitioned
        reader = con._session.read.option("recursiveFileLookup", "true")
        reader.parquet(*[str(p) for p in items]).createOrReplaceTempView(name)
        return con.table(name)
    expanded = [str(Path(p) / "**" / "*.parquet") if Path(p).is_dir() else str(p) for p in items]
    return con.read_parquet(expanded[0] if len(expanded) == 1 else expanded)


def connect(
    engine: str = "duckdb",
    *,
    threads: int | None = None,
    memory_limit: str | None = None,
    temp_directory: str | Path | None = None,
    spark_master: str | None = None,
    spark_conf: Mapping[str, object] | None = None,
) -> Any:
    """An Ibis connection to run the engine on.

    duckdb: in memory; `threads`, `memory_limit` ("8GB") and `temp_directory` (where
    operators spill past the limit) are passed to DuckDB when given.
    spark: see `spark_session`; `threads`, `memory_limit` and `temp_directory` do not
    apply (set executor memory in `spark_conf` or on the cluster).
    """
    if engine == "duckdb":
        config: dict[str, Any] = {}
        if threads is not None:
            config["threads"] = int(threads)
        if memory_limit is not None:
            config["memory_limit"] = str(memory_limit)
        if temp_directory is not None:
            Path(temp_directory).mkdir(parents=True, exist_ok=True)
            config["temp_directory"] = str(temp_directory)
        return ibis.duckdb.connect(**config)
    if engine == "spark":
        return ibis.pyspark.connect(spark_session(spark_master, spark_conf))
    raise BackendError(f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")
