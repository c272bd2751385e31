"""The de-identified analytics snapshot: one pydantic model per table, loaders and validation.

The Django side exports the case store into this shape (``lentera.web.insights.snapshot``);
the engine never sees the case store itself. A snapshot holds **no** names, NIK, phone numbers,
free text or exact dates: people and cases appear only under opaque keys chosen by the exporter
(e.g. an HMAC of the primary key), dates only as the first day of their month, ages only as
CTDC-compatible age bands.

Tables (all keys are opaque strings of letters, digits and ``_.:-``, at most 64 characters):

``cases``
    ``case_key, org_code, opened_month, closed_month, status, offence_year``
``survivors`` (one row per survivor **in a case**: the case-survivor link of the case store)
    ``survivor_key, person_key, case_key, sex, age_band, is_child, citizenship,
    origin_province_code`` (BPS, 2 digits) ``, origin_regency_code`` (BPS, 4 digits)
    ``, trafficking_status, exploitation_types[], sector`` (ISIC section) ``,
    recruitment_method, means_of_control[], is_migrant_worker, destination_country``
    (ISO 3166 alpha-2 or empty)
``events``
    ``case_key, stage, month, country, region_code``
``screenings``
    ``survivor_key, month, list, outcome``
``legal``
    ``survivor_key, month, palermo_met, national_met, gap``
``referrals``
    ``referral_key, case_key, survivor_key, provider_key, provider_type, services[],
    created_month, status, days_to_accept, overdue``
``legal_steps`` (schema 2)
    ``case_key, survivor_key`` (empty for case-level steps) ``, step`` (a step code of
    ``lentera/law/data/legal_process.yaml``) ``, month, amount`` (rupiah, for the steps that
    carry one: restitution demanded, ordered, paid)
``perpetrators`` (schema 2; one row per perpetrator in a case, no name or notes)
    ``perpetrator_key, case_key, kind, sex, nationality, is_state_official,
    is_organised_group``
``contacts`` (schema 3; the contact/hotline log as codes: no concern text, name or number)
    ``contact_key, org_code, month, channel, reporter, origin_province_code,
    origin_regency_code, concern`` (the category) ``, risk, urgency, status, outcome,
    missing_person, converted`` (turned into a case)
``outreach`` (schema 3; one prevention activity, attendance as aggregates only)
    ``activity_key, org_code, month, kind, province_code, regency_code, topics[],
    female_u18 … male_60p`` (people by sex × age band ``u18, 18_35, 36_59, 60p``)
``reintegration`` (schema 3; one reintegration plan of a survivor)
    ``plan_key, person_key, org_code, return_month, sex, age_band`` (CTDC band at return)
    ``, origin_province_code, origin_regency_code, supports[]`` (kinds of support not
    cancelled) ``, cost`` (rupiah) ``, first_income_months``
``followups``, ``rss_scores``, ``departures`` (schema 3; per plan)
    ``plan_key, sequence, month, months_since_return, outcome``;
    ``plan_key, month, months_since_return, economic, social, psychosocial, composite``
    (RSS scores in [0, 1]); ``plan_key, kind, channel, month, months_after_return``

A source that does not give a table (an older snapshot directory without the file, or rows
without it) leaves it empty and **not provided**: :attr:`Snapshot.provided` lists the tables
the source did give, and the warehouse records them so a report can say "not recorded"
instead of showing zeros.

Adaptations to the brief, with reasons:

* ``survivor_key`` identifies the survivor-in-case link and ``person_key`` the person, so a
  person in two cases is counted once by "unique persons" metrics and twice by "survivors".
* Empty strings mean "not recorded" for optional codes (``sector``, ``recruitment_method``,
  ``destination_country``, ``country``, ``region_code``, regency/province); ``None`` means
  unknown for the optional booleans and numbers. Months are ``datetime.date`` values on day 1.
* ``services`` are codes (``^[a-z][a-z0-9_]{0,39}$``), not a closed list: the referrals app
  has not fixed its service catalogue yet. All other codes are closed lists in
  ``data/codes.yaml``, most of them read from the domain vocabulary (:mod:`lentera.vocabulary`).

Age bands (:func:`age_band`) are the CTDC "ageBroad" bands of the 2017 data dictionary and the
2024 synthetic codebook: ``0-8, 9-17, 18-20, 21-23, 24-26, 27-29, 30-38, 39-47, 48+`` and
``unknown``, so organisation data can be compared with CTDC releases band for band.

Loading: :meth:`Snapshot.from_rows` takes model instances or dicts (validated by pydantic,
then by the table-level checks); :func:`load_snapshot_dir` reads ``<table>.parquet`` or
``<table>.jsonl`` files and validates column-wise in DuckDB, so a million rows load in seconds.
Either path raises :class:`SnapshotError` naming table, row (1-based) and field.

The schema itself is :mod:`lentera.analytics.snapshot_rows` (code lists, row models) and
:mod:`lentera.analytics.snapshot_columns` (Arrow schemas, column rules); this module loads and
validates. Snapshot directories of schema 1 or 2 (without the newer tables' files) still load:
the missing tables are empty and not provided.
"""

# ruff: noqa: S608 - SQL text here is built only from fixed identifiers (schema, registry,
# dictionaries); every value from outside is bound as a parameter.

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel, ValidationError

from lentera import reference
from lentera.analytics.snapshot_columns import ARROW_SCHEMAS, FOREIGN, REQUIRED, UNIQUE
from lentera.analytics.snapshot_rows import (
    AGE_BANDS,
    ATTENDANCE,
    CODED,
    KEY_PATTERN,
    MAX_ERRORS,
    MODELS,
    MONTH_FIELDS,
    OPTIONAL_CODES,
    ORG_TABLES,
    REGION_COLUMNS,
    SCHEMA_VERSION,
    SERVICE_PATTERN,
    TABLES,
    TABLES_V1,
    TABLES_V2,
    CaseRow,
    ContactRow,
    DepartureRow,
    EventRow,
    FollowUpRow,
    LegalRow,
    LegalStepRow,
    OutreachRow,
    PerpetratorRow,
    ReferralRow,
    ReintegrationRow,
    RssScoreRow,
    ScreeningRow,
    SnapshotError,
    SurvivorRow,
    age_band,
    codes,
    month_of,
)

__all__ = [
    "AGE_BANDS",
    "ARROW_SCHEMAS",
    "ATTENDANCE",
    "MODELS",
    "SCHEMA_VERSION",
    "TABLES",
    "TABLES_V1",
    "TABLES_V2",
    "CaseRow",
    "ContactRow",
    "DepartureRow",
    "EventRow",
    "FollowUpRow",
    "LegalRow",
    "LegalStepRow",
    "OutreachRow",
    "PerpetratorRow",
    "ReferralRow",
    "ReintegrationRow",
    "RssScoreRow",
    "ScreeningRow",
    "Snapshot",
    "SnapshotError",
    "SurvivorRow",
    "age_band",
    "codes",
    "load_snapshot_dir",
    "month_of",
]


@dataclass(frozen=True)
class Snapshot:
    """A validated snapshot: one Arrow table per snapshot table, in the schema above."""

    tables: Mapping[str, pa.Table]
    schema_version: str = SCHEMA_VERSION
    #: the tables the source gave (the others are empty because they were not recorded)
    provided: tuple[str, ...] = TABLES

    def __getitem__(self, name: str) -> pa.Table:
        return self.tables[name]

    def counts(self) -> dict[str, int]:
        return {name: self.tables[name].num_rows for name in TABLES}

    @classmethod
    def from_rows(cls, **tables: Iterable[BaseModel | Mapping[str, Any]]) -> Snapshot:
        """Build from row models or dicts, e.g. ``Snapshot.from_rows(cases=[...], ...)``.

        Tables not given are empty. Every row is validated by its pydantic model, then the
        snapshot as a whole (unique keys, references between tables).
        """
        unknown = set(tables) - set(TABLES)
        if unknown:
            raise SnapshotError([f"unknown snapshot table {sorted(unknown)[0]!r}"])
        errors: list[str] = []
        arrow: dict[str, pa.Table] = {}
        for name in TABLES:
            model = MODELS[name]
            records: list[dict[str, Any]] = []
            for number, row in enumerate(tables.get(name, ()), start=1):
                data = row.model_dump() if isinstance(row, BaseModel) else row
                try:
                    records.append(model.model_validate(data).model_dump())
                except ValidationError as exc:
                    for err in exc.errors():
                        field = ".".join(str(p) for p in err["loc"]) or "(row)"
                        errors.append(f"{name} row {number} field {field}: {err['msg']}")
                if len(errors) >= MAX_ERRORS:
                    raise SnapshotError(errors)
            arrow[name] = pa.Table.from_pylist(records, schema=ARROW_SCHEMAS[name])
        if errors:
            raise SnapshotError(errors)
        snapshot = cls(arrow, provided=tuple(n for n in TABLES if n in tables))
        snapshot.validate()
        return snapshot

    @classmethod
    def from_records(cls, **tables: Sequence[Mapping[str, Any]]) -> Snapshot:
        """Build from plain dicts holding exactly their table's columns, e.g. the case store's
        export: the same tables as :meth:`from_rows`, but checked column-wise in DuckDB (the
        checks of :meth:`from_arrow`, which the row models' rules match) instead of row by
        row — several times faster for a large organisation. Tables not given are empty."""
        unknown = set(tables) - set(TABLES)
        if unknown:
            raise SnapshotError([f"unknown snapshot table {sorted(unknown)[0]!r}"])
        arrow: dict[str, pa.Table] = {}
        for name, rows in tables.items():
            schema = ARROW_SCHEMAS[name]
            columns = set(schema.names)
            for number, row in enumerate(rows, start=1):
                if row.keys() != columns:
                    odd = sorted(columns.symmetric_difference(row.keys()))[0]
                    what = "column missing" if odd in columns else "not a column of the table"
                    raise SnapshotError([f"{name} row {number} field {odd}: {what}"])
            try:
                arrow[name] = pa.Table.from_pylist(list(rows), schema=schema)
            except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
                raise SnapshotError([f"{name}: {exc}"]) from exc
        return cls.from_arrow(arrow)

    @classmethod
    def from_arrow(cls, tables: Mapping[str, pa.Table]) -> Snapshot:
        """Build from Arrow tables (missing tables are empty) and validate column-wise."""
        arrow: dict[str, pa.Table] = {}
        for name in TABLES:
            table = tables.get(name)
            arrow[name] = (
                _conform(name, table) if table is not None else ARROW_SCHEMAS[name].empty_table()
            )
        snapshot = cls(arrow, provided=tuple(n for n in TABLES if tables.get(n) is not None))
        snapshot.validate()
        return snapshot

    def validate(self) -> None:
        """Column-wise checks in DuckDB; raises :class:`SnapshotError`."""
        errors = _validate_columns(self.tables)
        if errors:
            raise SnapshotError(errors)

    def write_dir(self, path: str | Path, *, fmt: str = "parquet") -> Path:
        """Write ``<table>.parquet`` (or ``.jsonl``) files into ``path``."""
        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        for name in self.provided:
            table = self.tables[name]
            if fmt == "parquet":
                pq.write_table(table, out / f"{name}.parquet")
            elif fmt == "jsonl":
                with (out / f"{name}.jsonl").open("w", encoding="utf-8") as handle:
                    for row in table.to_pylist():
                        handle.write(json.dumps(row, default=str, sort_keys=True) + "\n")
            else:
                raise ValueError(f"unknown format {fmt!r}")
        return out


def _conform(name: str, table: pa.Table) -> pa.Table:
    schema = ARROW_SCHEMAS[name]
    missing = [f.name for f in schema if f.name not in table.column_names]
    extra = [c for c in table.column_names if c not in schema.names]
    if extra:
        raise SnapshotError([f"{name} field {extra[0]}: not a column of the snapshot schema"])
    if missing:
        raise SnapshotError([f"{name} field {missing[0]}: column missing"])
    table = table.select(schema.names)
    try:
        return table.cast(schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        for field in schema:
            try:
                table.column(field.name).cast(field.type)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                raise SnapshotError(
                    [f"{name} field {field.name}: cannot read as {field.type} ({exc})"]
                ) from exc
        raise SnapshotError([f"{name}: {exc}"]) from exc


def load_snapshot_dir(path: str | Path) -> Snapshot:
    """Read ``<table>.parquet`` or ``<table>.jsonl`` per table from a directory and validate.

    A missing table file means an empty table; ``cases`` and ``survivors`` are required.
    """
    root = Path(path)
    if not root.is_dir():
        raise SnapshotError([f"snapshot directory {root} does not exist"])
    tables: dict[str, pa.Table] = {}
    for name in TABLES:
        parquet, jsonl = root / f"{name}.parquet", root / f"{name}.jsonl"
        if parquet.exists():
            try:
                tables[name] = pq.read_table(parquet)
            except (OSError, pa.ArrowInvalid) as exc:
                raise SnapshotError([f"{name}: cannot read {parquet.name}: {exc}"]) from exc
        elif jsonl.exists():
            tables[name] = _read_jsonl(name, jsonl)
        elif name in ("cases", "survivors"):
            raise SnapshotError([f"{name}: no {name}.parquet or {name}.jsonl in {root}"])
    return Snapshot.from_arrow(tables)


def _read_jsonl(name: str, path: Path) -> pa.Table:
    schema = ARROW_SCHEMAS[name]
    records: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SnapshotError([f"{name} row {number}: not JSON ({exc.msg})"]) from exc
            if not isinstance(row, dict):
                raise SnapshotError([f"{name} row {number}: not a JSON object"])
            extra = set(row) - set(schema.names)
            if extra:
                raise SnapshotError(
                    [f"{name} row {number} field {sorted(extra)[0]}: not a snapshot column"]
                )
            for field in schema:
                value = row.get(field.name)
                if field.type == pa.date32() and isinstance(value, str):
                    try:
                        row[field.name] = dt.date.fromisoformat(value)
                    except ValueError as exc:
                        raise SnapshotError(
                            [f"{name} row {number} field {field.name}: {value!r} is not a date"]
                        ) from exc
            records.append(row)
    try:
        return pa.Table.from_pylist(records, schema=schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        for number, row in enumerate(records, start=1):
            for field in schema:
                try:
                    pa.array([row.get(field.name)], type=field.type)
                except (pa.ArrowInvalid, pa.ArrowTypeError):
                    raise SnapshotError(
                        [f"{name} row {number} field {field.name}: {row.get(field.name)!r}"]
                    ) from exc
        raise SnapshotError([f"{name}: {exc}"]) from exc


# --- column-wise validation ------------------------------------------------------------------


def _country(field: str) -> tuple[str, str, list[Any]]:
    """The check of an optional ISO 3166 alpha-2 column (empty = not recorded)."""
    return (field, f"NOT list_contains(?, coalesce({field}, ''))", [["", *reference.countries()]])


def _checks(name: str) -> list[tuple[str, str, list[Any]]]:
    """(field, SQL predicate that is TRUE for a bad row, parameters) for one table."""
    out: list[tuple[str, str, list[Any]]] = []
    for field in REQUIRED[name]:
        out.append((field, f'"{field}" IS NULL', []))
    for (table, field), list_name in CODED.items():
        if table != name:
            continue
        allowed = list(codes()[list_name])
        if (table, field) in OPTIONAL_CODES:
            allowed.append("")
        if isinstance(ARROW_SCHEMAS[name].field(field).type, pa.ListType):
            pred = (
                f'len(list_filter("{field}", lambda x: x IS NULL OR NOT list_contains(?, x))) > 0'
            )
        else:
            pred = f'"{field}" IS NOT NULL AND NOT list_contains(?, "{field}")'
        out.append((field, pred, [allowed]))
    for field in MONTH_FIELDS.get(name, ()):
        out.append((field, f'"{field}" IS NOT NULL AND day("{field}") <> 1', []))
    key_fields = [f.name for f in ARROW_SCHEMAS[name] if f.name.endswith("_key")]
    key_fields += ["org_code"] if name in ORG_TABLES else []
    for field in key_fields:
        out.append(
            (
                field,
                f'"{field}" IS NOT NULL AND NOT regexp_full_match("{field}", ?)',
                [KEY_PATTERN[1:-1]],
            )
        )
    if name == "cases":
        out.append(("offence_year", "offence_year NOT BETWEEN 1990 AND 2100", []))
        out.append(("closed_month", "closed_month < opened_month", []))
    if name in REGION_COLUMNS:
        province, regency = REGION_COLUMNS[name]
        out.append(
            (
                province,
                f"NOT list_contains(?, coalesce({province}, ''))",
                [["", *reference.provinces()]],
            )
        )
        out.append(
            (
                regency,
                f"NOT list_contains(?, coalesce({regency}, ''))",
                [["", *reference.regencies()]],
            )
        )
        out.append(
            (
                regency,
                f"{regency} <> '' AND {province} <> '' AND left({regency}, 2) <> {province}",
                [],
            )
        )
    if name == "survivors":
        out += [_country("citizenship"), _country("destination_country")]
        out.append(
            ("is_child", "is_child = false AND list_contains(['0-8', '9-17'], age_band)", [])
        )
    if name == "events":
        out.append(_country("country"))
        out.append(
            (
                "region_code",
                "coalesce(region_code, '') <> '' AND NOT list_contains(?, region_code)",
                [[*reference.provinces(), *reference.regencies()]],
            )
        )
    if name == "referrals":
        out.append(("days_to_accept", "days_to_accept NOT BETWEEN 0 AND 3650", []))
        out.append(
            (
                "services",
                "len(list_filter(services, lambda x: x IS NULL OR NOT regexp_full_match(x, ?))) > 0",
                [SERVICE_PATTERN[1:-1]],
            )
        )
    if name == "legal_steps":
        out.append(("amount", "amount < 0", []))
    if name == "perpetrators":
        out.append(_country("nationality"))
    if name == "outreach":
        out += [(column, f"{column} < 0", []) for column, _sex, _band in ATTENDANCE]
    if name == "reintegration":
        out.append(("cost", "cost < 0", []))
        out.append(("first_income_months", "first_income_months NOT BETWEEN 0 AND 1200", []))
    if name in ("followups", "rss_scores"):
        out.append(("months_since_return", "months_since_return NOT BETWEEN 0 AND 1200", []))
    if name == "followups":
        out.append(("sequence", "sequence < 1", []))
    if name == "rss_scores":
        out += [
            (score, f"{score} NOT BETWEEN 0 AND 1", [])
            for score in ("economic", "social", "psychosocial", "composite")
        ]
    if name == "departures":
        out.append(("months_after_return", "months_after_return NOT BETWEEN 0 AND 1200", []))
    return out


def _validate_columns(tables: Mapping[str, pa.Table]) -> list[str]:
    con = duckdb.connect()
    errors: list[str] = []
    try:
        for name in TABLES:
            con.register(f"t_{name}", tables[name])
        for name in TABLES:
            if not tables[name].num_rows:  # nothing to check (an incremental build's delta)
                continue
            rel = f"(SELECT *, row_number() OVER () AS _row FROM t_{name})"
            for field, pred, params in _checks(name):
                found = con.execute(
                    f'SELECT _row, CAST("{field}" AS VARCHAR) FROM {rel} WHERE {pred} ORDER BY _row LIMIT 3',
                    params,
                ).fetchall()
                for row, value in found:
                    errors.append(f"{name} row {row} field {field}: invalid value {value!r}")
                if len(errors) >= MAX_ERRORS:
                    return errors
            if name in UNIQUE:
                key = UNIQUE[name]
                dup = con.execute(
                    f"SELECT min(_row), {key} FROM {rel} GROUP BY {key} HAVING count(*) > 1 ORDER BY 1 LIMIT 3"
                ).fetchall()
                errors += [f"{name} row {r} field {key}: duplicate key {k!r}" for r, k in dup]
        for child, ckey, parent, pkey in FOREIGN:
            if not tables[child].num_rows:
                continue
            orphans = con.execute(
                f"SELECT c._row, c.{ckey} FROM (SELECT *, row_number() OVER () AS _row FROM t_{child}) c "
                f"ANTI JOIN t_{parent} p ON c.{ckey} = p.{pkey} WHERE c.{ckey} IS NOT NULL ORDER BY 1 LIMIT 3"
            ).fetchall()
            errors += [
                f"{child} row {r} field {ckey}: {k!r} not found in {parent}" for r, k in orphans
            ]
    finally:
        con.close()
    return errors[:MAX_ERRORS]
