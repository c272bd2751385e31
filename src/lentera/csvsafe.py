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

__all__ = ["CONTROL_RE", "FORMULA_RE", "SafeWriter", "neutralise", "trim", "writer"]

FORMULA_RE = re.compile(r"^\s*(=|@|\t|\r|[+\-](?![\d\s().\-]*$))")

#: what no cell or form field may hold, on every input path (imports, forms, API): control
#: characters other than tab and line breaks, DEL, lone surrogates (a JSON "\ud800" escape:
#: no encoding can store it) and the two non-characters XML refuses
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

#: white space around a cell, but not the control characters ``str.strip`` would also take
#: (a vertical tab or form feed at the end of a cell must be seen, and refused)
_EDGE_SPACE_RE = re.compile("^[^\\S\x0b\x0c\x1c-\x1f]+|[^\\S\x0b\x0c\x1c-\x1f]+$")


def trim(value: str) -> str:
    """``value`` without surrounding white space, keeping any control character at its edges."""
    return _EDGE_SPACE_RE.sub("", value)


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
