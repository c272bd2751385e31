"""The last check before a release file is written: no direct identifier may be in it.

The snapshot holds no names, NIK or phone numbers, so a correct exporter never writes one; this
guard is for the incorrect one (a new column, a key that happens to be a NIK, an organisation
code typed as a phone number). It refuses a column whose name is on the denylist of
``data/identifiers.yaml`` and any text cell that matches an identifier pattern (16-digit NIK,
Indonesian or international phone number, e-mail address).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache

import pandas as pd

from lentera.disclosure._common import DisclosureError, data_yaml

__all__ = ["IdentifierLeak", "assert_no_identifiers", "identifier_patterns", "is_denied_column"]


class IdentifierLeak(DisclosureError):
    """A release would contain a direct identifier; nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__("identifier_in_release", message)


def _norm(column: str) -> str:
    return re.sub(r"[\s_\-]", "", column).lower()


@cache
def _denied() -> frozenset[str]:
    return frozenset(_norm(c) for c in data_yaml("identifiers.yaml")["columns"])


@cache
def identifier_patterns() -> Mapping[str, re.Pattern[str]]:
    """Compiled value patterns by name (nik, phone_id, phone_intl, email)."""
    return {k: re.compile(v) for k, v in data_yaml("identifiers.yaml")["patterns"].items()}


@cache
def _combined() -> str:
    return "|".join(f"(?:{p.pattern})" for p in identifier_patterns().values())


def is_denied_column(column: str) -> bool:
    """Whether a column name is a direct-identifier field (``prs_FirstName``, ``nik`` …)."""
    return _norm(column) in _denied()


def assert_no_identifiers(frame: pd.DataFrame, *, where: str = "release") -> None:
    """Raise :class:`IdentifierLeak` naming the column (never the value) if ``frame`` has an
    identifier column or a text cell that looks like a NIK, a phone number or an e-mail."""
    for column in frame.columns:
        if is_denied_column(str(column)):
            raise IdentifierLeak(f"{where}: column {column!r} is a direct identifier")
    combined = _combined()
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        values = series.astype("object").dropna()
        if values.empty:
            continue
        # the patterns are tested on the distinct values only: release columns have few
        try:
            distinct = pd.unique(values.to_numpy())
        except TypeError:  # unhashable cells (lists): compare their text
            distinct = pd.unique(values.map(_cell_text).to_numpy())
        text = pd.Series([_cell_text(v) for v in distinct], dtype="object")
        hits = text.str.contains(combined, regex=True)
        if bool(hits.any()):
            bad = str(text[hits].iloc[0])
            row = int((values.map(_cell_text) == bad).to_numpy().nonzero()[0][0]) + 1
            kinds = [name for name, pattern in identifier_patterns().items() if pattern.search(bad)]
            raise IdentifierLeak(
                f"{where}: column {column!r} row {row} holds a value that looks like "
                f"{' or '.join(kinds)}"
            )


def _cell_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable) and not isinstance(value, bytes | bytearray):
        return ";".join(str(v) for v in value)
    return str(value)
