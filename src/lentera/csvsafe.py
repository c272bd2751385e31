"""The one CSV writer of the project: every cell a spreadsheet would run as a formula is
prefixed with ``'`` so it stays text (CSV formula injection).

A cell is neutralised when it starts (after spaces) with ``=``, ``@``, a tab, a carriage
return, or ``+``/``-`` not followed by a plain number. Every CSV Lentera writes — exports,
reports, templates, ``lentera link match|dedupe`` — goes through :func:`writer`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

__all__ = ["FORMULA_RE", "SafeWriter", "neutralise", "writer"]

FORMULA_RE = re.compile(r"^\s*(=|@|\t|\r|[+\-](?![\d\s().\-]*$))")


def neutralise(value: object) -> str:
    """A cell a spreadsheet would run as a formula, prefixed with ' so it stays text."""
    text = "" if value is None else str(value)
    return "'" + text if FORMULA_RE.match(text) else text


class SafeWriter:
    """``csv.writer`` whose every cell is neutralised."""

    def __init__(self, fh: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(fh, **kwargs)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([neutralise(c) for c in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(fh: Any, **kwargs: Any) -> SafeWriter:
    return SafeWriter(fh, **kwargs)
