"""What a warehouse was built from: the ``build_manifest`` and ``build_units`` tables.

An incremental build (:mod:`lentera.analytics.warehouse_incremental`) replaces only the rows of
what changed since the last build. To know what changed, a build records its source's state:

``build_manifest`` (``key, value``)
    the versions the content depends on (``warehouse_version``, ``snapshot_schema``,
    ``codes_version``, ``reference_version``), the source's fingerprint (``source``: the
    organisation and a probe of its pseudonym key, so a new key means new opaque keys and a
    full build), how the file was built (``mode`` full or incremental, ``reason`` of a full
    build, ``built_at`` UTC), the units it holds per kind (``units_case`` …) and, for an
    incremental build, how many units it replaced or removed (``changed``, ``removed``).
``build_units`` (``kind, unit_key, signature``)
    one row per *unit* of the snapshot — a case with everything the snapshot holds per case, a
    contact, an outreach activity, a reintegration plan with its follow-ups, scores and
    departures — under its opaque key, with the signature the source gave it: an opaque digest
    of the unit's rows' change stamps (row counts, latest modification times, …). A unit whose
    signature differs at the next build is exported again; a unit that is gone is removed.

Signatures rather than a high-water mark of modification times: a transaction that commits
after the export with a stamp taken before it, or an undone deletion that puts rows back with
their old stamps, would fall below a high-water mark and never be seen again; a signature
differs whatever the clock says. The tables hold no row of the snapshot and no exact date
about a person; the build time is the file's own.
"""

# ruff: noqa: S608 - SQL text here is built only from fixed identifiers.

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

__all__ = [
    "MANIFEST_TABLES",
    "UNITS",
    "UNIT_KINDS",
    "BuildState",
    "read_manifest",
    "write_manifest",
]

#: the snapshot tables of each unit kind and the column that names the unit; ``screenings``
#: and ``legal`` are keyed by survivor and go with the survivor's case (:data:`BY_SURVIVOR`)
UNITS: dict[str, dict[str, str]] = {
    "case": {
        "cases": "case_key",
        "survivors": "case_key",
        "events": "case_key",
        "referrals": "case_key",
        "legal_steps": "case_key",
        "perpetrators": "case_key",
    },
    "contact": {"contacts": "contact_key"},
    "activity": {"outreach": "activity_key"},
    "plan": {
        "reintegration": "plan_key",
        "followups": "plan_key",
        "rss_scores": "plan_key",
        "departures": "plan_key",
    },
}
UNIT_KINDS = tuple(UNITS)
BY_SURVIVOR = ("screenings", "legal")
MANIFEST_TABLES = ("build_manifest", "build_units")


@dataclass(frozen=True)
class BuildState:
    """The state of a warehouse's source: its fingerprint and one signature per unit
    (``units[kind][unit_key]``), computed by the source before it exports."""

    source: str
    units: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def count(self) -> int:
        return sum(len(v) for v in self.units.values())


def write_manifest(
    con: duckdb.DuckDBPyConnection,
    *,
    versions: Mapping[str, str],
    state: BuildState | None,
    mode: str,
    reason: str = "",
    changed: int = 0,
    removed: int = 0,
) -> None:
    """(Re)create both tables in ``con`` for a build of ``mode`` from ``state`` (None: a
    build from a snapshot without unit signatures, which the next build cannot update)."""
    state = state or BuildState(source="")
    con.execute("DROP TABLE IF EXISTS build_manifest")
    con.execute("DROP TABLE IF EXISTS build_units")
    con.execute("CREATE TABLE build_manifest (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute(
        "CREATE TABLE build_units (kind VARCHAR, unit_key VARCHAR, signature VARCHAR, "
        "PRIMARY KEY (kind, unit_key))"
    )
    items = {
        **versions,
        "source": state.source,
        "mode": mode,
        "reason": reason,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "changed": str(changed),
        "removed": str(removed),
        **{f"units_{kind}": str(len(state.units.get(kind, {}))) for kind in UNIT_KINDS},
    }
    _load(con, "build_manifest", {"key": list(items), "value": list(items.values())})
    kinds, keys, sigs = [], [], []
    for kind in UNIT_KINDS:
        for key, sig in sorted(state.units.get(kind, {}).items()):
            kinds.append(kind)
            keys.append(key)
            sigs.append(sig)
    _load(con, "build_units", {"kind": kinds, "unit_key": keys, "signature": sigs})


def _load(con: duckdb.DuckDBPyConnection, table: str, columns: Mapping[str, list[str]]) -> None:
    src = pa.table({k: pa.array(v, type=pa.string()) for k, v in columns.items()})
    con.register("_manifest_src", src)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM _manifest_src")
    finally:
        con.unregister("_manifest_src")


@dataclass(frozen=True)
class Manifest:
    """A warehouse's manifest as read back: its items and unit signatures by kind."""

    items: Mapping[str, str]
    units: Mapping[str, Mapping[str, str]]


def read_manifest(con: duckdb.DuckDBPyConnection) -> Manifest | None:
    """The manifest of the warehouse open in ``con`` (None when it has none: built before
    manifests, or by an older version)."""
    have = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
    }
    if not set(MANIFEST_TABLES) <= have:
        return None
    items = dict(con.execute("SELECT key, value FROM build_manifest").fetchall())
    units: dict[str, dict[str, str]] = {kind: {} for kind in UNIT_KINDS}
    for kind, key, sig in con.execute(
        "SELECT kind, unit_key, signature FROM build_units"
    ).fetchall():
        units.setdefault(kind, {})[key] = sig
    return Manifest(items=items, units=units)
