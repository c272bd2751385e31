"""The Spark engine for :mod:`lentera.linkage.dedupe` (optional: ``pip install lentera[spark]``).

A local SparkSession (``local[*]``) with Splink's similarity UDF jar (Jaro-Winkler,
Damerau-Levenshtein) on its class path; the same comparisons and the same model file as
on DuckDB. Needs Java 17 or later for Spark 4. Imported only when ``engine="spark"``.
"""

from __future__ import annotations

import tempfile
from functools import cache
from typing import Any

from lentera.errors import LenteraError

__all__ = ["spark_db_api", "spark_session", "to_spark"]


@cache
def spark_session() -> Any:
    """A local SparkSession shared by the process (created once)."""
    try:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location
    except ImportError as exc:
        raise LenteraError(
            "spark_missing",
            "the Spark engine needs pyspark: pip install 'lentera[spark]'",
            kind="unavailable",
        ) from exc
    session = (
        SparkSession.builder.master("local[*]")
        .appName("lentera-dedupe")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    # Splink breaks long query lineages by writing intermediate tables (parquet, checkpoints)
    session.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="lentera-spark-"))
    return session


def spark_db_api() -> Any:
    """Splink's Spark database API on the local session."""
    from splink import SparkAPI

    session = spark_session()
    api: Any = SparkAPI  # Splink's constructor is not annotated
    return api(
        spark_session=session, num_partitions_on_repartition=4, break_lineage_method="persist"
    )


def to_spark(session: Any, table: Any) -> Any:
    """A Spark DataFrame from a pyarrow table (typed, NULLs kept)."""
    from pyspark.sql import types as T

    kinds = {"string": T.StringType(), "int32": T.IntegerType(), "int64": T.LongType()}
    schema = T.StructType(
        [T.StructField(f.name, kinds[str(f.type)], nullable=True) for f in table.schema]
    )
    rows = list(zip(*(table.column(i).to_pylist() for i in range(table.num_columns)), strict=True))
    return session.createDataFrame(rows, schema=schema)
