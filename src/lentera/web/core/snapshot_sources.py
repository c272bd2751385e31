"""Apps that add tables to the de-identified analytics snapshot register here.

The snapshot is exported by ``lentera.web.insights.snapshot``, but the contact log, outreach
and reintegration apps sit beside or above insights in the app layers, so insights cannot
import them. Each of those apps registers a *source* in its ``AppConfig.ready()``: a function
``(org_ids, key) -> {table: rows}`` that returns snapshot rows (codes, months and counts only)
for the organisations ``org_ids`` (all if None), naming rows with ``key(kind, pk)`` (the
exporter's opaque key). The exporter calls every registered source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from lentera import reference

__all__ = ["SnapshotSource", "known_region", "months_between", "register", "sources"]

KeyFn = Callable[[str, int], str]
SnapshotSource = Callable[[list[int] | None, KeyFn], Mapping[str, list[dict[str, Any]]]]

_SOURCES: dict[str, SnapshotSource] = {}


def register(name: str, source: SnapshotSource) -> None:
    """Register (or replace) the snapshot source of app ``name``."""
    _SOURCES[name] = source


def sources() -> dict[str, SnapshotSource]:
    """The registered sources, by app name, in registration order."""
    return dict(_SOURCES)


def months_between(start: dt.date | None, end: dt.date | None) -> int | None:
    """Whole months from ``start`` to ``end`` (None when either is missing or end is earlier)."""
    if start is None or end is None or end < start:
        return None
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def known_region(province: str, regency: str) -> tuple[str, str]:
    """Known BPS codes only (else ""); a regency outside its province is dropped."""
    province = province if province in reference.provinces() else ""
    regency = regency if regency in reference.regencies() else ""
    if regency and province and not regency.startswith(province):
        regency = ""
    return province, regency
