"""Small-cell suppression: no displayed count from 1 to 4, and no way back to one from totals.

Rules (docs/analytics.md, "Suppression"):

1. **Primary.** A count from 1 to 4 is shown as ``"<5"`` (:data:`SUPPRESSED`). A zero stays
   ``0``: it says that no one is in the cell, which identifies no one, and hiding zeros would
   also hide every other cell's complement. Counts of 5 and more are shown.
2. **Secondary.** Marginal totals are treated as public (the dashboard shows them). Within
   every group of cells that add up to a total - for a one-dimensional table the whole table,
   for a table with several dimensions each line along each dimension - if exactly one cell is
   suppressed, the next smallest non-zero cell is suppressed too (ties broken by position), and
   this repeats until no group has a lone suppressed cell. Such a cell is shown as ``"x"``
   (:data:`SECONDARY`): it holds 5 or more, so ``"<5"`` would be untrue.
3. **Rates, medians and sums.** A rate is suppressed when its numerator, its denominator or
   their difference is suppressed (from 1 to 4); a median when fewer than 5 values enter it;
   a sum (rupiah) when fewer than 5 units enter it (``"<5"``) or when its largest single
   contribution is more than half of it (``"x"``, dominance rule).
4. A single total (e.g. "survivors in the period") is suppressed by rule 1.

Everything the engine shows - :func:`lentera.analytics.metrics.compute`, the dashboard,
charts, maps, the report and the Parquet export of aggregates - goes through this module. The
only unsuppressed path is :func:`lentera.analytics.metrics.compute_raw_unsuppressed`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

__all__ = [
    "MARKERS",
    "SECONDARY",
    "SUPPRESSED",
    "THRESHOLD",
    "is_small",
    "is_suppressed",
    "suppress_cells",
    "suppress_counts",
    "suppress_median",
    "suppress_rate",
    "suppress_sum",
    "suppress_value",
]

THRESHOLD = 5
SUPPRESSED = "<5"
#: shown for a cell of 5 or more hidden by secondary suppression (showing "<5" there would be false)
SECONDARY = "x"
MARKERS = frozenset({SUPPRESSED, SECONDARY})


def is_suppressed(value: Any) -> bool:
    """True for a displayed value that is a suppression marker."""
    return isinstance(value, str) and value in MARKERS


def is_small(n: Any) -> bool:
    """True for a count that must not be shown (1 to 4)."""
    return n is not None and not pd.isna(n) and 0 < int(n) < THRESHOLD


def suppress_value(n: int | None) -> int | str | None:
    """One displayed count: ``"<5"`` for 1–4, otherwise the count itself."""
    if n is None or pd.isna(n):
        return None
    return SUPPRESSED if is_small(n) else int(n)


def suppress_rate(
    numerator: int | None, denominator: int | None, value: float | None
) -> float | str | None:
    """A rate from two counts: suppressed when either count or their difference is 1–4."""
    if value is None or denominator in (None, 0) or pd.isna(value):
        return None
    assert numerator is not None and denominator is not None
    if is_small(numerator) or is_small(denominator) or is_small(denominator - numerator):
        return SUPPRESSED
    return float(value)


#: a total is hidden when one contribution exceeds this share of it (dominance rule)
DOMINANCE = 0.5


def suppress_sum(n: int | None, value: float | None, top: float | None) -> float | str | None:
    """A total over ``n`` units whose largest single contribution is ``top``.

    Hidden as ``"<5"`` when fewer than 5 units enter it, and as ``"x"`` when one contribution
    is more than half of it (the total would all but show that unit's amount).
    """
    shown = suppress_median(n, value)
    if isinstance(shown, float) and top is not None and shown > 0 and top > DOMINANCE * shown:
        return SECONDARY
    return shown


def suppress_median(n: int | None, value: float | None) -> float | str | None:
    """A median of ``n`` values: suppressed when fewer than 5 values enter it."""
    if value is None or n is None or pd.isna(value) or n == 0:
        return None
    return SUPPRESSED if n < THRESHOLD else float(value)


def suppress_cells(
    counts: Sequence[int | None], keys: Sequence[Sequence[Any]] | None = None
) -> tuple[list[int | str], list[bool]]:
    """Suppress a list of counts; ``keys`` are the cells' dimension values (one tuple each).

    Returns the displayed values (ints, ``"<5"`` or ``"x"``) and the suppressed flags. Cells
    whose keys agree on all dimensions but one form a group (see the module rules); the whole
    list is always a group.
    """
    raw = [0 if c is None or c != c else int(c) for c in counts]
    mask = [0 < c < THRESHOLD for c in raw]
    n = len(raw)
    if n > 1 and any(mask):
        groups: list[list[int]] = [list(range(n))]
        width = len(keys[0]) if keys else 0
        if keys is not None and width > 1:
            for d in range(width):
                by: dict[tuple[Any, ...], list[int]] = {}
                for i, key in enumerate(keys):
                    by.setdefault(tuple(k for j, k in enumerate(key) if j != d), []).append(i)
                groups.extend(by.values())
        changed = True
        while changed:
            changed = False
            for idx in groups:
                if sum(mask[i] for i in idx) != 1:
                    continue
                candidates = [i for i in idx if not mask[i] and raw[i] > 0]
                if candidates:
                    mask[min(candidates, key=lambda i: (raw[i], i))] = True
                    changed = True
    shown: list[int | str] = [
        (SUPPRESSED if 0 < c < THRESHOLD else SECONDARY) if m else c
        for c, m in zip(raw, mask, strict=True)
    ]
    return shown, mask


def suppress_counts(
    frame: pd.DataFrame,
    dims: Sequence[str],
    *,
    value: str = "value",
) -> pd.DataFrame:
    """Suppress the count column ``value`` of an aggregate table with dimension columns ``dims``.

    Returns a copy where ``value`` holds ints, ``"<5"`` or ``"x"`` (object dtype) and a boolean
    ``suppressed`` column marks every hidden cell (primary or secondary).
    """
    out = frame.reset_index(drop=True).copy()
    keys = list(zip(*(out[d] for d in dims), strict=True)) if dims else None
    shown, mask = suppress_cells(list(pd.to_numeric(out[value], errors="coerce")), keys)
    out[value] = pd.Series(shown, dtype=object)
    out["suppressed"] = mask
    return out
