"""Analytics: a DuckDB warehouse built from a de-identified snapshot of the case store and
public reference data (BPS regions, poverty, population; CTDC), a registry of metrics, small-cell
suppression on every displayed number, SVG charts and maps, province-level statistics and an
evidence report in Bahasa Indonesia and English. No Django here (import-linter contract).

This package imports DuckDB, pyarrow and pandas; scipy and statsmodels load with ``stats``,
reportlab and svglib with ``report`` (PDF only).
"""

from lentera.analytics.metrics import compute, dashboard, registry
from lentera.analytics.snapshot import (
    Snapshot,
    SnapshotError,
    age_band,
    load_snapshot_dir,
    month_of,
)
from lentera.analytics.suppress import SUPPRESSED, suppress_counts
from lentera.analytics.warehouse import Warehouse, build_warehouse, open_warehouse

__all__ = [
    "SUPPRESSED",
    "Snapshot",
    "SnapshotError",
    "Warehouse",
    "age_band",
    "build_warehouse",
    "compute",
    "dashboard",
    "load_snapshot_dir",
    "month_of",
    "open_warehouse",
    "registry",
    "suppress_counts",
]
