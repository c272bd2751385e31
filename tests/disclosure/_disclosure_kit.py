"""Shared helpers of the disclosure tests: SYNTHETIC snapshots (lentera.analytics.synthetic)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lentera.analytics.snapshot import Snapshot
from lentera.analytics.synthetic import synthetic_tables


@cache
def snapshot(n_cases: int = 1500, seed: int = 7, orgs: int = 3) -> Snapshot:
    """A validated SYNTHETIC snapshot (cached: snapshots are immutable)."""
    return Snapshot.from_arrow(synthetic_tables(n_cases, seed=seed, orgs=orgs))


def snapshot_dir(tmp: Path, n_cases: int = 800, seed: int = 5, orgs: int = 1) -> Path:
    """A SYNTHETIC snapshot written as Parquet files into ``tmp/snapshot``."""
    return snapshot(n_cases, seed, orgs).write_dir(tmp / "snapshot")
