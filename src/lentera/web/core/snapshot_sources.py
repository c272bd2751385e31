"""Apps that add tables to the de-identified analytics snapshot register here.

The snapshot is exported by ``lentera.web.insights.snapshot``, but the contact log, outreach
and reintegration apps sit beside or above insights in the app layers, so insights cannot
import them. Each of those apps registers a *source* in its ``AppConfig.ready()``:

``rows``
    ``(org_ids, key, only) -> {table: rows}``: snapshot rows (codes, months and counts only)
    for the organisations ``org_ids`` (all if None), naming rows with ``key(kind, pk)`` (the
    exporter's opaque key); ``only`` the primary keys of the units to export (None: all).
``kind``
    the kind of its units (``contact``, ``activity``, ``plan``: the snapshot's units in
    :mod:`lentera.analytics.warehouse_manifest`), also the ``key`` kind of the unit's rows
``stamps``
    ``(org_ids) -> {unit pk: change stamps}``: for every unit, a tuple of whatever tells that
    its rows changed (modification times, row counts of its parts …), for the incremental
    warehouse build (:mod:`lentera.web.insights.changes`).

The exporter calls every registered source. An app whose rows are ``<app>.snapshot.snapshot_rows``
and whose stamps are a function of ``<app>.selectors`` registers with :func:`register_app`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Aggregate, Count, Expression, F, Max, QuerySet, Sum, TextField
from django.db.models.functions import Cast

from lentera import reference

if TYPE_CHECKING:
    from django.apps import AppConfig

__all__ = [
    "Source",
    "known_region",
    "months_between",
    "part_stamps",
    "register",
    "register_app",
    "selected_units",
    "sources",
    "stamp",
    "with_parts",
]

KeyFn = Callable[[str, int], str]
RowsFn = Callable[
    [list[int] | None, KeyFn, Collection[int] | None], Mapping[str, list[dict[str, Any]]]
]
StampsFn = Callable[[list[int]], Mapping[int, tuple[Any, ...]]]


@dataclass(frozen=True)
class Source:
    """One app's part of the snapshot (see the module docstring)."""

    kind: str
    rows: RowsFn
    stamps: StampsFn


_SOURCES: dict[str, Source] = {}


def register(name: str, *, kind: str, rows: RowsFn, stamps: StampsFn) -> None:
    """Register (or replace) the snapshot source of app ``name``."""
    _SOURCES[name] = Source(kind=kind, rows=rows, stamps=stamps)


def register_app(app: AppConfig, *, kind: str, stamps: str) -> None:
    """Register the source of ``app`` (from its ``ready()``, once the models are loaded): its
    rows are ``<app>.snapshot.snapshot_rows``, its change stamps ``<app>.selectors.<stamps>``,
    under the app's label."""
    rows = import_module(f"{app.name}.snapshot").snapshot_rows
    stamps_fn = getattr(import_module(f"{app.name}.selectors"), stamps)
    register(app.label, kind=kind, rows=rows, stamps=stamps_fn)


def sources() -> dict[str, Source]:
    """The registered sources, by app name, in registration order."""
    return dict(_SOURCES)


_Q = TypeVar("_Q", bound=QuerySet[Any])


def selected_units(
    qs: _Q, org_ids: Collection[int] | None, only: Collection[int] | None = None
) -> _Q:
    """The units of ``qs`` a source's ``rows`` exports: of the organisations ``org_ids`` (all
    if None), and only the primary keys ``only`` when given (the incremental build)."""
    if org_ids is not None:
        qs = qs.filter(organisation_id__in=org_ids)
    if only is not None:
        qs = qs.filter(pk__in=list(only))
    return qs


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


def stamp(expression: str | Expression) -> Cast:
    """A modification time (a field's name, or an aggregate of one such as ``Max``) as the
    database writes it as text: a change stamp is only compared, never read as a time, and
    the text costs nothing to fetch where a datetime is parsed and made aware per row (most of
    the time of the signatures before)."""
    return Cast(F(expression) if isinstance(expression, str) else expression, TextField())


def part_stamps(
    qs: QuerySet[Any], by: str, **extra: Aggregate | Cast
) -> dict[int, tuple[Any, ...]]:
    """Per value of ``by`` (the unit's primary key): the rows' count, latest ``updated_at`` and
    sum of primary keys — a deletion changes the count, an addition or an edit the latest
    time, a row put back by an undo with its old time the count — then the ``extra``
    aggregates (modification times through :func:`stamp`)."""
    aggs: dict[str, Aggregate | Cast] = {
        "n": Count("pk"), "t": stamp(Max("updated_at")), "s": Sum("pk"), **extra
    }  # fmt: skip
    rows = qs.order_by().values(by).annotate(**aggs)
    return {row[by]: tuple(row[k] for k in aggs) for row in rows}


def with_parts(
    base: Mapping[int, tuple[Any, ...]], *parts: Mapping[int, tuple[Any, ...]]
) -> dict[int, tuple[Any, ...]]:
    """Each unit's own stamps followed by those of its parts (None where it has none)."""
    return {pk: (*own, *(part.get(pk) for part in parts)) for pk, own in base.items()}
