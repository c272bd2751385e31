"""Incremental warehouse builds: replace the rows of what changed since the last build.

:func:`plan_build` compares the source's state now (:class:`BuildState`: one signature per
unit — case, contact, outreach activity, reintegration plan) with the manifest of the
warehouse (:mod:`lentera.analytics.warehouse_manifest`) and answers with a
:class:`BuildPlan`: the units changed (new, or with another signature) and removed, or a full
build and why (:data:`FULL_REASONS`). The source then exports the changed units only and
:func:`update_warehouse` applies them:

* on a **copy** of the file, in **one DuckDB transaction**: delete every row of each changed
  or removed unit from the snapshot tables (a case's screenings and legal assessments through
  its survivors), insert the exported rows, drop and recreate every fact table (they join
  cases to survivors and aggregate across units: recomputing them is what keeps them exact,
  and costs far less than the export), recompute ``meta`` (row counts, content digest) and
  rewrite the manifest;
* then rename the copy over the file (``os.replace``, as :func:`.warehouse.writable` does for
  every change to a built warehouse): dashboards keep reading the old file meanwhile and
  never see half of an update; on any error the copy is dropped.

The result equals a full build of the same source table by table (rows compared without
their physical order; fact tables are written sorted, as in a full build):
``tests/analytics/test_warehouse_incremental.py`` and
``tests/web/insights/test_insights_incremental.py`` check it.
"""

# ruff: noqa: S608 - SQL text here is built only from fixed identifiers (schema, unit map).

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from lentera.analytics.snapshot import TABLES, Snapshot
from lentera.analytics.warehouse import (
    WAREHOUSE_VERSION,
    build_facts,
    build_versions,
    content_digest,
    writable,
)
from lentera.analytics.warehouse_manifest import (
    BY_SURVIVOR,
    UNIT_KINDS,
    UNITS,
    BuildState,
    read_manifest,
    write_manifest,
)

__all__ = [
    "FULL_REASONS",
    "MAX_CHANGED_SHARE",
    "BuildPlan",
    "BuildState",
    "plan_build",
    "update_warehouse",
]

#: above this share of the units changed or removed, a full build is cheaper
MAX_CHANGED_SHARE = 0.2
#: why a build is full rather than incremental
FULL_REASONS = (
    "forced",  # asked for (e.g. ``lentera jobs run warehouse_rebuild --full``)
    "no_warehouse",  # nothing to update (first build, or dropped on anonymisation)
    "unreadable",  # the file cannot be opened
    "no_manifest",  # built before manifests, or from a snapshot without unit signatures
    "engine_version",  # another warehouse or snapshot schema version
    "reference_data",  # other code lists or reference data
    "source_changed",  # another organisation or pseudonym key: every opaque key differs
    "too_many_changes",  # more than MAX_CHANGED_SHARE of the units changed
)


@dataclass(frozen=True)
class BuildPlan:
    """What the next build does: ``mode`` "incremental" (with the units ``changed`` and
    ``removed``, by kind) or "full" (with its ``reason``)."""

    mode: str
    reason: str = ""
    changed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    removed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def incremental(self) -> bool:
        return self.mode == "incremental"

    def count(self) -> tuple[int, int]:
        """(units changed, units removed)."""
        return (
            sum(len(v) for v in self.changed.values()),
            sum(len(v) for v in self.removed.values()),
        )


def full(reason: str) -> BuildPlan:
    if reason not in FULL_REASONS:
        raise ValueError(f"unknown full-build reason {reason!r}")
    return BuildPlan(mode="full", reason=reason)


def plan_build(path: str | Path, state: BuildState, *, max_share: float | None = None) -> BuildPlan:
    """Whether the warehouse at ``path`` can be brought to ``state`` incrementally (a full
    build above ``max_share`` of the units changed, :data:`MAX_CHANGED_SHARE` if None)."""
    target = Path(path)
    if not target.exists():
        return full("no_warehouse")
    try:
        con = duckdb.connect(str(target), read_only=True)
    except duckdb.Error:
        return full("unreadable")
    try:
        manifest = read_manifest(con)
    except duckdb.Error:
        manifest = None
    finally:
        con.close()
    if manifest is None or not manifest.items.get("source"):
        return full("no_manifest")
    items, now = manifest.items, build_versions()
    for key, reason in (
        ("warehouse_version", "engine_version"),
        ("snapshot_schema", "engine_version"),
        ("codes_version", "reference_data"),
        ("reference_version", "reference_data"),
    ):
        if items.get(key) != now[key]:
            return full(reason)
    if items["source"] != state.source:
        return full("source_changed")
    changed: dict[str, tuple[str, ...]] = {}
    removed: dict[str, tuple[str, ...]] = {}
    for kind in UNIT_KINDS:
        old, new = manifest.units.get(kind, {}), state.units.get(kind, {})
        changed[kind] = tuple(sorted(k for k, sig in new.items() if old.get(k) != sig))
        removed[kind] = tuple(sorted(k for k in old if k not in new))
    plan = BuildPlan(mode="incremental", changed=changed, removed=removed)
    total = max(state.count(), sum(len(v) for v in manifest.units.values()), 1)
    share = MAX_CHANGED_SHARE if max_share is None else max_share
    if sum(plan.count()) > share * total:
        return full("too_many_changes")
    return plan


def update_warehouse(path: str | Path, delta: Snapshot, plan: BuildPlan, state: BuildState) -> Path:
    """Apply ``delta`` — the rows of the units ``plan.changed``, exported at ``state`` — to the
    warehouse at ``path`` and remove the units ``plan.removed`` (see the module docstring)."""
    if not plan.incremental:
        raise ValueError(f"not an incremental plan: full build ({plan.reason})")
    target = Path(path)
    with writable(target) as con:  # a copy, renamed over the file on success
        con.execute("BEGIN TRANSACTION")
        _replace_units(con, delta, plan)
        build_facts(con)
        _meta(con)
        changed, removed = plan.count()
        write_manifest(
            con, versions=build_versions(delta.schema_version), state=state,
            mode="incremental", changed=changed, removed=removed,
        )  # fmt: skip
        con.execute("COMMIT")
    return target


def _replace_units(con: duckdb.DuckDBPyConnection, delta: Snapshot, plan: BuildPlan) -> None:
    """Delete the rows of every changed or removed unit, insert ``delta``'s, drop the facts."""
    for kind in UNIT_KINDS:
        keys = sorted({*plan.changed.get(kind, ()), *plan.removed.get(kind, ())})
        if not keys:
            continue
        con.register("_scope", pa.table({"k": pa.array(keys, type=pa.string())}))
        try:
            if kind == "case":  # keyed by survivor: first, while the survivors are there
                for name in BY_SURVIVOR:
                    con.execute(
                        f"DELETE FROM {name} WHERE survivor_key IN (SELECT survivor_key "
                        "FROM survivors WHERE case_key IN (SELECT k FROM _scope))"
                    )
            for name, column in UNITS[kind].items():
                con.execute(f"DELETE FROM {name} WHERE {column} IN (SELECT k FROM _scope)")
        finally:
            con.unregister("_scope")
    for name in TABLES:
        if delta[name].num_rows:
            con.register("_delta", delta[name])
            try:
                con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _delta")
            finally:
                con.unregister("_delta")
    facts = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_name LIKE 'f\\_%' ESCAPE '\\'"
    ).fetchall()
    for (name,) in facts:
        con.execute(f"DROP TABLE {name}")


def _meta(con: duckdb.DuckDBPyConnection) -> None:
    """Row counts and the content digest of the updated tables (the rest of ``meta`` stays)."""
    values = {"content_digest": content_digest(con)}
    for name in TABLES:
        (n,) = con.execute(f"SELECT count(*) FROM {name}").fetchone()  # type: ignore[misc]
        values[f"rows_{name}"] = str(n)
    for key, value in values.items():
        con.execute("UPDATE meta SET value = ? WHERE key = ?", [value, key])
    (version,) = con.execute(  # type: ignore[misc]
        "SELECT value FROM meta WHERE key = 'warehouse_version'"
    ).fetchone()
    if version != WAREHOUSE_VERSION:  # plan_build checked it; a file swapped meanwhile
        raise RuntimeError(f"warehouse version {version!r} changed during the update")
