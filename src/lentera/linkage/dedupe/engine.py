"""The Splink back-ends (DuckDB in memory, or a local Spark session) and reading their pairs.

Splink, pyarrow and numpy are imported inside the functions that use them: ``import
lentera.linkage`` stays cheap for the web layer and the CLI's other verbs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from lentera.errors import LenteraError
from lentera.linkage.dedupe.comparisons import (
    BLOCKING_RULES,
    TOKEN_KEY_COLUMNS,
    blocking_rule_sql,
)
from lentera.linkage.dedupe.features import FEATURE_COLUMNS, INT_COLUMN, STR_COLUMN
from lentera.linkage.dedupe.model import DedupeModel, ScoredPairs, level_weights


def _arrow(cols: Mapping[str, Sequence[Any]] | Any) -> Any:
    """A pyarrow table of the features; ``uid`` is the record's position (int64).

    A table from :func:`~lentera.linkage.dedupe.features.prepare_table` is already one.
    """
    import pyarrow as pa

    if isinstance(cols, pa.Table):
        return cols

    types = {STR_COLUMN: pa.string(), INT_COLUMN: pa.int32()}
    arrays = {
        k: pa.array(range(len(v)), type=pa.int64())
        if k == "uid"
        else pa.array(v, type=types[FEATURE_COLUMNS[k]])
        for k, v in cols.items()
    }
    return pa.table(arrays)


class Engine:
    """One Splink database API (DuckDB in memory, or a local Spark session)."""

    def __init__(self, engine: str) -> None:
        if engine == "duckdb":
            from splink import DuckDBAPI

            self.db_api: Any = DuckDBAPI()
            self.dialect = "duckdb"
        elif engine == "spark":
            # pyspark is an optional extra (lentera[spark]): loaded only for engine='spark'
            from lentera.linkage.spark import spark_db_api

            self.db_api = spark_db_api()
            self.dialect = "spark"
        else:
            raise LenteraError("engine", f"unknown engine {engine!r} (duckdb or spark)")
        self.engine = engine

    def register(self, cols: Mapping[str, Sequence[Any]]) -> Any:
        if self.engine == "spark":
            # pyspark is an optional extra (lentera[spark]): loaded only for engine='spark'
            from lentera.linkage.spark import to_spark

            return self.db_api.register(to_spark(self.db_api.spark, _arrow(cols)))
        return self.db_api.register(_arrow(cols))

    def linker(self, table: Any, settings: Mapping[str, Any]) -> Any:
        from splink import Linker

        return Linker(table, dict(settings), log_level=logging.WARNING)

    def register_blocked_pairs(self, linker: Any, table: Any) -> None:
        """DuckDB only: candidate pairs from a narrow table of blocking keys, deduplicated once.

        Same pairs as Splink's own blocking on :data:`BLOCKING_RULES` and
        :data:`TOKEN_DATE_RULE` and the :data:`TOKEN_KEY_COLUMNS`, about three times
        less work: Splink joins the full feature rows and re-tests every preceding rule
        on each candidate; here each rule joins only the key columns and one GROUP BY
        removes repeats.
        """
        if self.engine != "duckdb":
            return
        con = self.db_api.duckdb_con
        keys = sorted({k for rule, _ in BLOCKING_RULES for k in rule})
        suffix = table.physical_name
        con.execute(
            f"CREATE OR REPLACE TABLE __lentera_keys_{suffix} AS "  # noqa: S608 - names are ours
            f"SELECT uid, {', '.join(keys)} FROM {table.physical_name}"
        )
        joins = [
            _rule_join(i, rule, condition, f"__lentera_keys_{suffix}")
            for i, (rule, condition) in enumerate(BLOCKING_RULES)
        ]
        # TOKEN_DATE_RULE: any phonetic name token + the full date, from one row per token
        con.execute(
            f"CREATE OR REPLACE TABLE __lentera_tokens_{suffix} AS "  # noqa: S608
            "SELECT DISTINCT uid, dob, unnest(string_split(phon_sorted, ' ')) AS token "
            f"FROM __lentera_keys_{suffix} WHERE dob IS NOT NULL AND phon_sorted IS NOT NULL"
        )
        joins.append(
            f"SELECT {len(BLOCKING_RULES)} AS rule, l.uid AS a, r.uid AS b "  # noqa: S608
            f"FROM __lentera_tokens_{suffix} l JOIN __lentera_tokens_{suffix} r "
            "ON l.token = r.token AND l.dob = r.dob AND l.uid < r.uid"
        )
        # TOKEN_KEY_COLUMNS: the capped token keys, one row per key
        for i, column in enumerate(TOKEN_KEY_COLUMNS):
            con.execute(
                f"CREATE OR REPLACE TABLE __lentera_tk{i}_{suffix} AS "  # noqa: S608
                f"SELECT uid, unnest(string_split({column}, ' ')) AS key "
                f"FROM {table.physical_name} WHERE {column} IS NOT NULL"
            )
            joins.append(
                f"SELECT {len(BLOCKING_RULES) + 1 + i} AS rule, l.uid AS a, r.uid AS b "  # noqa: S608
                f"FROM __lentera_tk{i}_{suffix} l JOIN __lentera_tk{i}_{suffix} r "
                "ON l.key = r.key AND l.uid < r.uid"
            )
        con.execute(
            f"CREATE OR REPLACE TABLE __lentera_blocked_{suffix} AS "  # noqa: S608
            "SELECT CAST(min(rule) AS VARCHAR) AS match_key, a AS join_key_l, b AS join_key_r "
            f"FROM ({' UNION ALL '.join(joins)}) GROUP BY a, b"
        )
        con.execute(f"DROP TABLE __lentera_keys_{suffix}")
        con.execute(f"DROP TABLE __lentera_tokens_{suffix}")
        for i in range(len(TOKEN_KEY_COLUMNS)):
            con.execute(f"DROP TABLE __lentera_tk{i}_{suffix}")
        blocked = self.db_api.register(f"__lentera_blocked_{suffix}")
        linker.table_management.register_blocked_pairs_for_predict(blocked)


#: a rule's condition that one side lacks a column ("l.dob IS NULL OR r.dob IS NULL")
_ONE_SIDE_NULL = re.compile(r"l\.(\w+) IS NULL OR r\.\1 IS NULL")


def _rule_join(index: int, keys: tuple[str, ...], condition: str, table: str) -> str:
    """The candidate pairs (a < b) of one blocking rule, as a join of the key table.

    A rule for records that lack a column (a date unknown on one side) joins those records
    with all others, and orders each pair after, rather than joining every two records that
    share the keys and then testing the condition: the same pairs, from a far smaller join.
    """
    one_side = _ONE_SIDE_NULL.fullmatch(condition)
    if one_side is None:
        return (
            f"SELECT {index} AS rule, l.uid AS a, r.uid AS b FROM {table} l "  # noqa: S608
            f"JOIN {table} r ON {blocking_rule_sql(keys, condition)} AND l.uid < r.uid"
        )
    return (
        f"SELECT {index} AS rule, least(l.uid, r.uid) AS a, greatest(l.uid, r.uid) AS b "  # noqa: S608
        f"FROM (SELECT * FROM {table} WHERE {one_side.group(1)} IS NULL) l "
        f"JOIN {table} r ON {blocking_rule_sql(keys, '')} AND l.uid <> r.uid"
    )


#: the feature columns whose absence makes a field "missing on one side"
_NULL_COLUMNS = {
    "name": ("name_core",),
    "birth_date": ("birth_year",),
    "nik": ("nik",),
    "phone": ("phone",),
    "sex": ("sex",),
    "place": ("regency", "birth_place"),
    "father": ("father",),
}


def missing_flags(cols: Mapping[str, list[Any]] | Any) -> dict[str, Any]:
    """Per field, a boolean array by record position: the field is missing (all columns NULL).

    ``cols``: feature columns as lists, or the pyarrow table of ``prepare_table``.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    out = {}
    if isinstance(cols, pa.Table):
        for field, names in _NULL_COLUMNS.items():
            flags = np.ones(cols.num_rows, dtype=bool)
            for name in names:
                flags &= pc.is_null(cols.column(name)).to_numpy(zero_copy_only=False)
            out[field] = flags
        return out
    for field, names in _NULL_COLUMNS.items():
        flags = np.ones(len(cols["uid"]), dtype=bool)
        for name in names:
            flags &= np.fromiter((v is None for v in cols[name]), dtype=bool, count=len(flags))
        out[field] = flags
    return out


def pairs_from_table(
    table: Any,
    model: DedupeModel,
    threshold: float,
    missing: Mapping[str, Any],
    ids_l: Sequence[str],
    ids_r: Sequence[str],
) -> ScoredPairs:
    """Pairs ≥ threshold from Splink's output, each with its evidence per field.

    Splink 5 returns a match weight per comparison (``mw_<field>``, plus ``mw_tf_adj_<field>``
    for term-frequency adjusted levels), not the level reached; each level has its own
    weight, so the weight names the level (vectorised: nearest level weight), and a field
    missing on a side is read from the features. ``uid_l``/``uid_r`` are positions in
    ``ids_l``/``ids_r``.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    def column(name: str) -> Any:
        values = table.column(name)
        if pa.types.is_decimal(values.type):  # rescored weights: DuckDB keeps literals' sums exact
            values = pc.cast(values, pa.float64())  # not one Python Decimal per pair
        return values.to_numpy(zero_copy_only=False)

    prob = column("match_probability").astype(float)
    keep = np.nonzero(prob >= threshold)[0]
    left = column("uid_l")[keep].astype(np.int64)
    right = column("uid_r")[keep].astype(np.int64)
    prob = prob[keep]
    weight = column("match_weight").astype(float)[keep]
    evidence = model.evidence_table()
    fields = []
    names = set(table.column_names)
    for field, levels in model.levels.items():
        n_levels = len(levels)
        weights_ = np.array(level_weights(levels))
        table_row = [evidence[field][n_levels - 1 - i] for i in range(n_levels)]
        table_row.append(evidence[field][-1])  # index n_levels: missing on a side
        mw = column(f"mw_{field}").astype(float)[keep]
        index = np.abs(mw[:, None] - weights_[None, :]).argmin(axis=1)
        index[missing[field][0][left] | missing[field][1][right]] = n_levels
        tf = None
        if f"mw_tf_adj_{field}" in names:
            tf = np.nan_to_num(column(f"mw_tf_adj_{field}").astype(float)[keep])
        fields.append((field, table_row, index, tf))
    order = np.lexsort((right, left, -prob))  # best first, then by position
    return ScoredPairs(
        (ids_l, ids_r),
        (left[order], right[order], prob[order], weight[order]),
        [(f, row, index[order], None if tf is None else tf[order]) for f, row, index, tf in fields],
    )


def query(runner: Engine, sql: str, name: str) -> Any:
    """Run ``sql`` on the engine, keep the result as table ``name``; returns the SplinkDataFrame."""
    return runner.db_api._sql_to_splink_dataframe(sql, name, name)


def drop_tables(tables: Sequence[Any]) -> None:
    """Drop scratch tables made with :func:`query`."""
    for table in tables:
        table.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)


def add_field_bits(
    runner: Engine, scored: Any, delta: Any, column: str, name: str, *, field: str = "name"
) -> tuple[Any, int]:
    """``scored`` with ``delta``'s per-pair ``column`` (bits; pairs absent: 0) added to the
    match weight and to ``field``'s adjustment (``mw_tf_adj_<field>``, made if the table has
    none), so the field's evidence shown for a pair still adds up to its match weight; and
    how many pairs it changes (none: ``scored`` itself). ``delta``: a table of ``uid_l``,
    ``uid_r``, ``column``.
    """
    adjustment = f"mw_tf_adj_{field}"
    added = ("match_weight", adjustment)
    d = delta.physical_name
    counted = query(
        runner,
        f"SELECT count(*) AS n FROM {d} WHERE {column} <> 0",  # noqa: S608
        f"__lentera_{name}_n_{scored.physical_name}",
    )
    changed = int(counted.as_pyarrow_table().column("n")[0].as_py())
    drop_tables([counted])
    if not changed:
        return scored, 0
    select = []
    columns = [c.strip('"`') for c in scored.columns_escaped]
    for col in columns:
        if col in added:
            select.append(f"coalesce(s.{col}, 0.0) + coalesce(k.{column}, 0.0) AS {col}")
        else:
            select.append(f"s.{col}")
    if adjustment not in columns:
        select.append(f"coalesce(k.{column}, 0.0) AS {adjustment}")
    out = query(
        runner,
        f"SELECT {', '.join(select)} FROM {scored.physical_name} s LEFT JOIN {d} k "  # noqa: S608
        "ON s.uid_l = k.uid_l AND s.uid_r = k.uid_r",
        f"__lentera_{name}_{scored.physical_name}",
    )
    return out, changed


class Scratch:
    """The scratch tables of one correction of the scored pairs (tokens, places, density):
    made with :func:`query`, named after the scored table, dropped together once the
    correction's bits are added (:meth:`add_bits`).
    """

    def __init__(self, runner: Engine, scored: Any) -> None:
        self.runner, self.scored = runner, scored
        self.tables: list[Any] = []

    def keep(self, sql: str, name: str) -> str:
        """``sql`` run into the scratch table ``name``; its physical name."""
        self.tables.append(query(self.runner, sql, f"__lentera_{name}_{self.scored.physical_name}"))
        return str(self.tables[-1].physical_name)

    def add_bits(self, sql: str, column: str, name: str, *, field: str = "name") -> tuple[Any, int]:
        """The scored pairs with the per-pair ``column`` of ``sql`` added
        (:func:`add_field_bits`), and how many pairs changed; the scratch tables dropped."""
        self.keep(sql, f"{name}_delta")
        out = add_field_bits(self.runner, self.scored, self.tables[-1], column, name, field=field)
        drop_tables(self.tables)
        return out


def spark_table(runner: Engine, table: Any) -> Any:
    # pyspark is an optional extra (lentera[spark]): loaded only for engine='spark'
    from lentera.linkage.spark import to_spark

    return to_spark(runner.db_api.spark, table)
