"""Parquet export of the warehouse: every table, plus every metric's suppressed aggregates.

``<dir>/tables/<table>.parquet``
    every warehouse table as stored: the de-identified snapshot rows (for analysts inside the
    organisation: they hold no names or exact dates, but row-level data are not for publication),
    the fact tables, reference and public tables, and imported CTDC rows.
``<dir>/aggregates/<metric>[__<dimension>].parquet``
    each registered metric, in total and cut by each allowed dimension, **suppressed** (values
    as text: a number or ``<5``) - the files to publish or hand on.
"""

# ruff: noqa: S608 - SQL text here is built only from fixed identifiers (schema, registry,
# dictionaries); every value from outside is bound as a parameter.

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lentera.analytics.metrics import compute, registry
from lentera.analytics.warehouse import Warehouse, open_warehouse

__all__ = ["export_parquet"]


def _aggregate_table(frame: pd.DataFrame) -> pa.Table:
    data = {}
    for column in frame.columns:
        series = frame[column]
        if column.endswith("suppressed"):
            data[column] = pa.array([bool(x) for x in series], type=pa.bool_())
        else:
            data[column] = pa.array(
                [None if x is None or x != x else str(x) for x in series], type=pa.string()
            )
    return pa.table(data)


def export_parquet(
    warehouse: str | Path | Warehouse,
    out_dir: str | Path,
    *,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write the export; returns ``{"tables": n, "aggregates": m}`` file counts."""
    wh = open_warehouse(warehouse)
    step = progress or (lambda _s: None)
    root = Path(out_dir)
    (root / "tables").mkdir(parents=True, exist_ok=True)
    (root / "aggregates").mkdir(parents=True, exist_ok=True)
    tables = wh.tables()
    for name in tables:
        pq.write_table(
            wh.con.sql(f'SELECT * FROM "{name}"').to_arrow_table(),
            root / "tables" / f"{name}.parquet",
        )
        step(f"table {name}")
    aggregates = 0
    for metric in registry().values():
        cuts: list[list[str]] = [[]] if metric.kind != "compare" else [["category"]]
        if metric.kind != "compare":
            cuts += [[d] for d in metric.dimensions]
        for by in cuts:
            frame = compute(wh, metric.id, [] if metric.kind == "compare" else by)
            suffix = "" if not by or metric.kind == "compare" else f"__{by[0]}"
            pq.write_table(
                _aggregate_table(frame), root / "aggregates" / f"{metric.id}{suffix}.parquet"
            )
            aggregates += 1
        step(f"metric {metric.id}")
    return {"tables": len(tables), "aggregates": aggregates}
