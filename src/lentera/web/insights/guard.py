"""Small-population and differencing protection for the interactive dashboard.

Per-cell suppression ("<5") is not enough once filters combine: one province, then one
sex, then one age band isolates one child. The dashboard therefore answers a filter
combination only if

- its population (survivors matching every filter) is at least the suppression
  threshold, and
- for every subset of its filters, the survivors that the dropped filters exclude are
  either none or at least the threshold — so no two answers on nested filter sets can be
  subtracted to count fewer than the threshold.

Otherwise the dashboard shows no figures and asks for wider filters. The refusal tells
only that some difference is small, not its size. Cell-level differences between two
allowed answers (one chart under two filter sets) are mitigated, not proven safe:
every differing sub-population has at least the threshold members.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class GuardResult:
    allowed: bool
    reason: str = ""  # "small_population" | "small_difference"


def _count(wh: Any, filters: Mapping[str, Any]) -> int:
    from lentera.analytics.metrics import metric_sql

    sql, params = metric_sql("survivors", (), dict(filters))
    frame = wh.df(sql, params)
    return int(frame.iloc[0, -1]) if len(frame) else 0


def check_filters(path: str | Path, filters: Mapping[str, Any]) -> GuardResult:
    from lentera.analytics import open_warehouse
    from lentera.analytics.suppress import THRESHOLD

    if not filters:
        return GuardResult(True)
    keys = sorted(filters)
    wh = open_warehouse(path)
    try:
        base = _count(wh, filters)
        if base < THRESHOLD:
            return GuardResult(False, "small_population")
        for size in range(len(keys)):
            for kept in combinations(keys, size):
                wider = _count(wh, {k: filters[k] for k in kept})
                if 0 < wider - base < THRESHOLD:
                    return GuardResult(False, "small_difference")
        return GuardResult(True)
    finally:
        wh.close()
