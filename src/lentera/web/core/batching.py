"""Long writes in short transactions: what every import shares (ADR 0017).

An import checks everything first, outside any transaction, then writes in batches of one
short transaction each, so no organisation's import holds the database's write lock for
long: another organisation's login or edit waits a fraction of a second at most.

- :data:`BATCH_ROWS` — a batch of set-based inserts (the case import's bulk writer);
- :func:`in_short_transactions` — items written one by one through the per-record services,
  in transactions of at most :data:`SLOW_BATCH_ROWS` rows or :data:`BATCH_SECONDS`;
- :func:`yield_to_other_writers` — the pause an import leaves between two of its write
  transactions on SQLite.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import connection, transaction

__all__ = [
    "BATCH_ROWS",
    "BATCH_SECONDS",
    "SLOW_BATCH_ROWS",
    "SQLITE_PAUSE_SECONDS",
    "in_short_transactions",
    "yield_to_other_writers",
]

T = TypeVar("T")

#: rows checked in memory (no transaction), then written in one short transaction of set-based
#: inserts: long enough to amortise the statements and the commit, short enough that another
#: organisation's login or edit waits a fraction of a second at most
BATCH_ROWS = 250
#: a write through the one-at-a-time services ends its transaction after this many rows or
#: seconds
SLOW_BATCH_ROWS = 50
BATCH_SECONDS = 0.5
#: SQLite's busy handler polls (every 100 ms once it has waited a while); a writer that
#: commits and begins again at once would starve it, so an import leaves at least this much
#: time between two of its write transactions
SQLITE_PAUSE_SECONDS = 0.1


def yield_to_other_writers(since: float) -> None:
    """Sleep what is left of the pause since the last commit at ``since`` (SQLite only)."""
    if connection.vendor == "sqlite":
        left = SQLITE_PAUSE_SECONDS - (time.monotonic() - since)
        if left > 0:
            time.sleep(left)


def in_short_transactions(
    items: Iterable[T],
    write: Callable[[T], bool | None],
    *,
    max_rows: int | None = None,
    max_seconds: float | None = None,
    rows_of: Callable[[T], int] | None = None,
    committed: Callable[[int], None] | None = None,
) -> bool:
    """``write(item)`` for every item, in transactions of at most ``max_rows`` rows (an item
    counts ``rows_of(item)``, default 1) or ``max_seconds``, pausing between two of them on
    SQLite (:func:`yield_to_other_writers`).

    ``write`` returning ``False`` stops the run after its transaction commits; an exception it
    raises rolls back only the transaction under way (those before it stay written) and
    propagates. ``committed(n)`` is told the number of items written so far after each commit.
    Returns False if ``write`` stopped the run.
    """
    limit_rows = max_rows or SLOW_BATCH_ROWS
    limit_seconds = max_seconds or BATCH_SECONDS
    pending = list(items)
    done = 0
    last = 0.0
    while done < len(pending):
        yield_to_other_writers(last)
        stop = False
        with transaction.atomic():
            started, rows = time.monotonic(), 0
            while (
                done < len(pending)
                and rows < limit_rows
                and time.monotonic() - started < limit_seconds
            ):
                item = pending[done]
                rows += rows_of(item) if rows_of is not None else 1
                stop = write(item) is False
                done += 1
                if stop:
                    break
        last = time.monotonic()
        if committed is not None:
            committed(done)
        if stop:
            return False
    return True
