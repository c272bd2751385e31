"""The DuckDB analytics warehouse: snapshot + reference data in one file, rebuilt atomically.

(Just over 500 lines: the build is one ordered script — tables, facts, reference data, the
atomic swap — that reads best in one place; the programme fact tables are already in
:mod:`lentera.analytics.warehouse_programmes`.)

:func:`build_warehouse` writes the six snapshot tables, denormalised fact tables for fast
metrics, the reference tables and the public trafficking figures into a new DuckDB file next
to the target, then renames it over the target (``os.replace``): readers see the old file or
the new one, never half of either. The same snapshot gives the same content: rows are stored
sorted by key and the ``meta`` table holds a content digest, not a build time. CTDC tables
imported with :mod:`lentera.analytics.ctdc` are carried over from the previous file.

DataFrames: the Python API returns **pandas** DataFrames. statsmodels (the count regressions
in :mod:`lentera.analytics.stats`) takes pandas, the Django side and notebooks know it, and
DuckDB hands results to it zero-copy through Arrow; polars would add a second DataFrame
library for no gain at our result sizes (aggregates of at most a few thousand rows).

Tables
    snapshot: ``cases, survivors, events, screenings, legal, referrals, legal_steps,
    perpetrators`` and (schema 3) ``contacts, outreach, reintegration, followups, rss_scores,
    departures``
    facts: ``f_survivor`` (cases left-joined to their survivors), ``f_survivor_exploitation``,
    ``f_survivor_means`` (one row per survivor and type / means), ``f_screening``, ``f_legal``,
    ``f_referral``, ``f_legal_step`` (each with the survivor's and case's dimensions for
    filtering), ``f_perpetrator`` (with the case's); the contact, outreach and reintegration
    facts of :mod:`lentera.analytics.warehouse_programmes`
    reference: ``ref_provinces, ref_regencies, ref_countries, ref_poverty, ref_population,
    ref_geo_crosswalk``; public figures: ``pub_tppo_victims, pub_pmi_placements``
    CTDC: ``ctdc_2017, ctdc_2024``; ``meta``
    what it was built from: ``build_manifest, build_units``
    (:mod:`lentera.analytics.warehouse_manifest`; an incremental build,
    :mod:`lentera.analytics.warehouse_incremental`, reads them)
"""

# ruff: noqa: S608 - SQL text here is built only from fixed identifiers (schema, registry,
# dictionaries); every value from outside is bound as a parameter.

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from operator import attrgetter
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from lentera import reference
from lentera.analytics.snapshot import SCHEMA_VERSION, TABLES, TABLES_V1, Snapshot
from lentera.analytics.warehouse_manifest import MANIFEST_TABLES, BuildState, write_manifest
from lentera.analytics.warehouse_programmes import build_programme_facts
from lentera.errors import LenteraError

__all__ = [
    "WAREHOUSE_VERSION",
    "Warehouse",
    "build_facts",
    "build_versions",
    "build_warehouse",
    "content_digest",
    "data_text",
    "open_warehouse",
    "read_data_csv",
]

WAREHOUSE_VERSION = "lentera-analytics-warehouse/3"
_KEYS = {
    "cases": "case_key",
    "survivors": "survivor_key",
    "events": "case_key, stage, month, country, region_code",
    "screenings": "survivor_key, month, list, outcome",
    "legal": "survivor_key, month",
    "referrals": "referral_key",
    "legal_steps": "case_key, month, step, survivor_key, amount",
    "perpetrators": "perpetrator_key",
    "contacts": "contact_key",
    "outreach": "activity_key",
    "reintegration": "plan_key",
    "followups": "plan_key, sequence",
    "rss_scores": "plan_key, month, months_since_return, composite",
    "departures": "plan_key, month, kind, channel",
}
CTDC_TABLES = ("ctdc_2017", "ctdc_2024")


def data_text(name: str) -> str:
    """Text of a file shipped in ``lentera/analytics/data``."""
    return resources.files("lentera.analytics").joinpath(f"data/{name}").read_text("utf-8")


def read_data_csv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data_text(name))))


@dataclass
class Warehouse:
    """A built warehouse file, opened read-only on first use."""

    path: Path
    _con: duckdb.DuckDBPyConnection | None = field(default=None, repr=False)

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            if not self.path.exists():
                raise LenteraError(
                    "warehouse_missing",
                    f"no analytics warehouse at {self.path}: run 'lentera analytics build'",
                    kind="not_found",
                )
            try:
                self._con = duckdb.connect(str(self.path), read_only=True)
            except duckdb.Error as exc:
                raise LenteraError(
                    "warehouse_unreadable", f"cannot open warehouse {self.path}: {exc}"
                ) from exc
            try:
                found = self._con.execute(
                    "SELECT value FROM meta WHERE key = 'warehouse_version'"
                ).fetchone()
            except duckdb.Error:
                found = None
            if not found or found[0] != WAREHOUSE_VERSION:
                self.close()
                raise LenteraError(
                    "warehouse_outdated",
                    f"{self.path} is not a {WAREHOUSE_VERSION} warehouse: "
                    "run 'lentera analytics build' again",
                )
        return self._con

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def df(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """Run a read-only query and return a pandas DataFrame."""
        return self.con.execute(sql, params or []).df()

    def tables(self) -> list[str]:
        """The tables of its content (not the build manifest: bookkeeping of the next build)."""
        rows = self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "ORDER BY table_name"
        ).fetchall()
        return [r[0] for r in rows if r[0] not in MANIFEST_TABLES]

    def meta(self) -> dict[str, str]:
        return dict(self.con.execute("SELECT key, value FROM meta ORDER BY key").fetchall())

    def provided_tables(self) -> frozenset[str]:
        """The snapshot tables its source gave (a warehouse built before this was recorded
        holds the six tables of snapshot schema 1)."""
        value = self.meta().get("tables_provided")
        if value is None:
            return frozenset(TABLES_V1)
        return frozenset(v for v in value.split(",") if v)


def open_warehouse(path: str | Path | Warehouse) -> Warehouse:
    return path if isinstance(path, Warehouse) else Warehouse(Path(path))


def build_warehouse(
    snapshot: Snapshot,
    path: str | Path,
    *,
    progress: Callable[[str], None] | None = None,
    state: BuildState | None = None,
    reason: str = "",
) -> Path:
    """Build the warehouse file at ``path`` from ``snapshot``; returns the path.

    ``progress`` is called with the name of each step (the CLI drives a tqdm bar with it).
    ``state`` is the source's state the snapshot was exported at (recorded in the manifest,
    so the next build can be incremental); ``reason`` says why a full build ran.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    step = progress or (lambda _name: None)
    try:
        con = duckdb.connect(str(tmp))
        try:
            _build(con, snapshot, target, step)
            write_manifest(
                con, versions=build_versions(snapshot.schema_version), state=state,
                mode="full", reason=reason,
            )  # fmt: skip
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


STEPS = ("reference", "snapshot", "facts", "ctdc", "meta")


def _build(
    con: duckdb.DuckDBPyConnection, snapshot: Snapshot, target: Path, step: Callable[[str], None]
) -> None:
    _reference(con)
    step("reference")
    for name in TABLES:
        con.register("src", snapshot[name])
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM src ORDER BY {_KEYS[name]}")
        con.unregister("src")
    step("snapshot")
    build_facts(con)
    step("facts")
    _ctdc_carry_over(con, target)
    step("ctdc")
    digest = content_digest(con)
    _insert(
        con,
        "meta",
        [
            *build_versions(snapshot.schema_version).items(),
            ("content_digest", digest),
            ("tables_provided", ",".join(snapshot.provided)),
            *[(f"rows_{n}", str(snapshot[n].num_rows)) for n in TABLES],
        ],
    )
    step("meta")


def build_versions(schema_version: str | None = None) -> dict[str, str]:
    """The versions a warehouse's content depends on (in ``meta`` and the build manifest)."""
    return {
        "warehouse_version": WAREHOUSE_VERSION,
        "snapshot_schema": schema_version or SCHEMA_VERSION,
        "codes_version": _codes_version(),
        "reference_version": reference.DATA_VERSION,
    }


def _codes_version() -> str:
    for line in data_text("codes.yaml").splitlines():
        if line.startswith("version:"):
            return line.split(":", 1)[1].strip()
    return ""


def _reference(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    _records_table(
        con,
        "ref_provinces",
        reference.provinces(),
        ("bps_code", "code"),
        ("name", "island_group", "kemendagri_code", "geojson_id"),
    )
    _records_table(
        con,
        "ref_regencies",
        reference.regencies(),
        ("bps_code", "code"),
        ("name", "kind", "province_code", "kemendagri_code"),
    )
    _records_table(
        con,
        "ref_countries",
        reference.countries(),
        ("alpha2", "alpha2"),
        ("alpha3", "name_en", "name_id"),
    )
    _province_years(con, "ref_poverty", "poverty_pct", "bps_poverty_pct_by_province_2019_2024.csv")
    _province_years(
        con, "ref_population", "population_thousands", "bps_population_by_province_2024.csv"
    )
    _create(
        con,
        "ref_geo_crosswalk",
        "geojson_id VARCHAR PRIMARY KEY, "
        "geojson_kode_prov VARCHAR, geojson_provinsi VARCHAR, bps_province_code VARCHAR",
        [
            (r["geojson_id"], r["geojson_KODE_PROV"], r["geojson_PROVINSI"], r["bps_province_code"])
            for r in read_data_csv("province_code_crosswalk_38.csv")
        ],
    )
    _create(
        con,
        "pub_tppo_victims",
        "period_start DATE, period_end DATE, data_owner VARCHAR, "
        "bps_province_code VARCHAR, province_name VARCHAR, metric VARCHAR, value INTEGER, "
        "source_url VARCHAR, note VARCHAR",
        [
            (
                r["period_start"],
                r["period_end"],
                r["data_owner"],
                r["bps_province_code"] or None,
                r["province_name"],
                r["metric"],
                int(r["value"]),
                r["source_url"],
                r["note"],
            )
            for r in read_data_csv("tppo_victims_by_province_2024.csv")
        ],
    )
    _create(
        con,
        "pub_pmi_placements",
        "period_start DATE, period_end DATE, "
        "bps_province_code VARCHAR, province_name VARCHAR, pmi_placements INTEGER, "
        "source_url VARCHAR, note VARCHAR",
        [
            (
                r["period_start"],
                r["period_end"],
                r["bps_province_code"] or None,
                r["province_name"],
                int(r["pmi_placements"]) if r["pmi_placements"] else None,
                r["source_url"],
                r["note"],
            )
            for r in read_data_csv("pmi_placements_by_province_partial.csv")
        ],
    )


def _survivor_per_value(con: duckdb.DuckDBPyConnection, table: str, values: str, name: str) -> None:
    """``f_survivor`` with one row per value of its list column ``values`` (one row with NULL
    when the list is empty), the value as ``name``."""
    con.execute(
        f"""CREATE TABLE {table} AS
        SELECT * EXCLUDE (x, means_of_control), x AS {name} FROM (
            SELECT *, unnest(CASE WHEN len({values}) = 0 THEN [NULL]
                                  ELSE {values} END) AS x
            FROM f_survivor WHERE survivor_key IS NOT NULL)
        ORDER BY month, survivor_key, {name}"""
    )


def _create(
    con: duckdb.DuckDBPyConnection, table: str, columns: str, rows: list[tuple[Any, ...]]
) -> None:
    """``CREATE TABLE table (columns)``, filled with ``rows``."""
    con.execute(f"CREATE TABLE {table} ({columns})")
    _insert(con, table, rows)


def _records_table(
    con: duckdb.DuckDBPyConnection,
    table: str,
    records: Mapping[str, Any],
    key: tuple[str, str],
    attributes: tuple[str, ...],
) -> None:
    """A reference table of text columns, one row per record in key order: the key column
    (``key``: its name, then the record's attribute) and one column per attribute, named after it."""
    column, attribute = key
    ddl = ", ".join([f"{column} VARCHAR PRIMARY KEY", *(f"{a} VARCHAR" for a in attributes)])
    row = attrgetter(attribute, *attributes)
    _create(con, table, ddl, [row(r) for r in sorted(records.values(), key=attrgetter(attribute))])


def _province_years(con: duckdb.DuckDBPyConnection, table: str, metric: str, source: str) -> None:
    """A BPS figure by province and year, from the data file ``source``."""
    _create(
        con,
        table,
        f"bps_province_code VARCHAR, year INTEGER, {metric} DOUBLE, note VARCHAR, "
        "PRIMARY KEY (bps_province_code, year)",
        [
            (r["bps_province_code"], int(r["year"]), _num(r[metric]), r["note"])
            for r in read_data_csv(source)
        ],
    )


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple[Any, ...]]) -> None:
    """Bulk insert (through Arrow: much faster than executemany)."""
    names = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    columns: list[Any] = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    src = pa.table({n: pa.array(list(c)) for n, c in zip(names, columns, strict=True)})
    con.register("_src", src)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM _src")
    finally:
        con.unregister("_src")


def _num(text: str) -> float | None:
    return float(text) if text.strip() else None


#: survivor and case columns that every fact table carries for filters and dimensions
_SURVIVOR_COLS = """
    c.case_key, c.org_code, c.status AS case_status, c.opened_month, c.closed_month,
    c.offence_year, s.survivor_key, s.person_key, s.sex, s.age_band, s.is_child,
    s.citizenship, s.origin_province_code, s.origin_regency_code, s.trafficking_status,
    list_sort(list_distinct(s.exploitation_types)) AS exploitation_types, s.sector,
    s.recruitment_method, list_sort(list_distinct(s.means_of_control)) AS means_of_control,
    s.is_migrant_worker, s.destination_country
"""


def build_facts(con: duckdb.DuckDBPyConnection) -> None:
    """Create every fact table (``f_*``) from the snapshot tables in ``con``."""
    _facts(con)
    build_programme_facts(con)


def _facts(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"""CREATE TABLE f_survivor AS
        SELECT {_SURVIVOR_COLS}, c.opened_month AS month,
               row_number() OVER (PARTITION BY c.case_key ORDER BY s.survivor_key) = 1
                   AS case_first
        FROM cases c LEFT JOIN survivors s ON s.case_key = c.case_key
        ORDER BY c.opened_month, c.case_key, s.survivor_key"""
    )
    _survivor_per_value(con, "f_survivor_exploitation", "exploitation_types", "exploitation_type")
    _survivor_per_value(con, "f_survivor_means", "means_of_control", "means")
    for name, table, extra in (
        ("f_screening", "screenings", "t.month, t.list AS screening_list, t.outcome"),
        ("f_legal", "legal", "t.month, t.palermo_met, t.national_met, t.gap"),
    ):
        con.execute(
            f"""CREATE TABLE {name} AS SELECT {_SURVIVOR_COLS}, {extra}
            FROM {table} t JOIN survivors s ON s.survivor_key = t.survivor_key
            JOIN cases c ON c.case_key = s.case_key
            ORDER BY t.month, s.survivor_key"""
        )
    con.execute(
        f"""CREATE TABLE f_referral AS
        SELECT {_SURVIVOR_COLS.replace("s.survivor_key", "r.survivor_key")},
               r.referral_key, r.provider_key, r.provider_type, r.services,
               r.created_month AS month, r.status AS referral_status, r.days_to_accept,
               r.overdue
        FROM referrals r JOIN cases c ON c.case_key = r.case_key
        LEFT JOIN survivors s ON s.survivor_key = r.survivor_key
        ORDER BY r.created_month, r.referral_key"""
    )
    con.execute(
        f"""CREATE TABLE f_legal_step AS
        SELECT {_SURVIVOR_COLS.replace("s.survivor_key", "t.survivor_key")},
               t.step AS legal_step, t.month, t.amount
        FROM legal_steps t JOIN cases c ON c.case_key = t.case_key
        LEFT JOIN survivors s ON s.survivor_key = t.survivor_key
        ORDER BY t.month, t.case_key, t.step, t.survivor_key"""
    )
    con.execute(
        """CREATE TABLE f_perpetrator AS
        SELECT c.case_key, c.org_code, c.status AS case_status, c.opened_month AS month,
               p.perpetrator_key, p.kind AS perpetrator_kind, p.sex,
               p.nationality, p.is_state_official, p.is_organised_group
        FROM perpetrators p JOIN cases c ON c.case_key = p.case_key
        ORDER BY c.opened_month, p.perpetrator_key"""
    )


def _ctdc_carry_over(con: duckdb.DuckDBPyConnection, target: Path) -> None:
    # import cycle: ctdc imports this module at load time (writable, content_digest)
    from lentera.analytics.ctdc import create_ctdc_tables

    create_ctdc_tables(con)
    if not target.exists():
        return
    try:
        con.execute("ATTACH ? AS old (READ_ONLY)", [str(target)])
    except duckdb.Error:
        return  # an unreadable old file is simply replaced
    try:
        have = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'old'"
            ).fetchall()
        }
        for name in CTDC_TABLES:
            if name in have:
                with contextlib.suppress(duckdb.Error):  # schema changed: start empty
                    con.execute(f"INSERT INTO {name} SELECT * FROM old.{name}")
    finally:
        con.execute("DETACH old")


def content_digest(con: duckdb.DuckDBPyConnection) -> str:
    """Row count and order-free hash of every table (``meta.content_digest``; caches key on it)."""
    parts = []
    for name in (*TABLES, *CTDC_TABLES):
        n, h = con.execute(
            f"SELECT count(*), coalesce(bit_xor(hash(t)), 0) FROM {name} t"
        ).fetchone()  # type: ignore[misc]
        parts.append(f"{name}:{n}:{h}")
    return ";".join(parts)


@contextlib.contextmanager
def writable(path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to a **copy** of an existing warehouse, renamed over it on success.

    Readers (dashboards) keep reading the old file meanwhile; on error the copy is dropped.
    """
    target = Path(path)
    if not target.exists():
        raise LenteraError(
            "warehouse_missing",
            f"no analytics warehouse at {target}: run 'lentera analytics build' first",
            kind="not_found",
        )
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.copyfile(target, tmp)
    try:
        con = duckdb.connect(str(tmp))
        try:
            yield con
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
