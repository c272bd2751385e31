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
"""

# ruff: noqa: S608 - SQL text here is built only from fixed identifiers (schema, registry,
# dictionaries); every value from outside is bound as a parameter.

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, ClassVar
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from lentera import reference
from lentera.analytics.labels import code_lists
from lentera.errors import LenteraError

__all__ = [
    "AGE_BANDS",
    "SCHEMA_VERSION",
    "TABLES",
    "CaseRow",
    "EventRow",
    "LegalRow",
    "LegalStepRow",
    "PerpetratorRow",
    "ReferralRow",
    "ScreeningRow",
    "Snapshot",
    "SnapshotError",
    "SurvivorRow",
    "age_band",
    "codes",
    "load_snapshot_dir",
    "month_of",
]

SCHEMA_VERSION = "lentera-analytics-snapshot/2"
TABLES = (
    "cases",
    "survivors",
    "events",
    "screenings",
    "legal",
    "referrals",
    "legal_steps",
    "perpetrators",
)
WIB = ZoneInfo("Asia/Jakarta")
KEY_PATTERN = r"^[A-Za-z0-9_.:\-]{1,64}$"
SERVICE_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
MAX_ERRORS = 20


@cache
def codes() -> Mapping[str, tuple[str, ...]]:
    """The closed code lists of the snapshot (``data/codes.yaml``), by list name.

    The case-store lists are read from the domain vocabulary (:mod:`lentera.vocabulary`).
    """
    out = code_lists()
    # the legal-process steps are the law engine's own data, not a mirror
    from lentera.law.process import load_process_rules

    out["legal_step"] = tuple(load_process_rules().steps)
    return out


AGE_BANDS: tuple[str, ...] = (
    "0-8",
    "9-17",
    "18-20",
    "21-23",
    "24-26",
    "27-29",
    "30-38",
    "39-47",
    "48+",
    "unknown",
)
_BAND_UPPER: tuple[tuple[int, str], ...] = (
    (8, "0-8"),
    (17, "9-17"),
    (20, "18-20"),
    (23, "21-23"),
    (26, "24-26"),
    (29, "27-29"),
    (38, "30-38"),
    (47, "39-47"),
)
CHILD_BANDS = frozenset({"0-8", "9-17"})


def age_band(age: int | None) -> str:
    """CTDC-compatible age band of an age in whole years (``None`` → ``"unknown"``)."""
    if age is None:
        return "unknown"
    if isinstance(age, bool) or not isinstance(age, int) or age < 0 or age > 130:
        raise ValueError(f"age must be a whole number of years from 0 to 130, got {age!r}")
    for upper, band in _BAND_UPPER:
        if age <= upper:
            return band
    return "48+"


def month_of(value: dt.date | dt.datetime) -> dt.date:
    """First day of the month of a date, or of an aware datetime read in Asia/Jakarta (WIB)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime: give an aware datetime or a date")
        value = value.astimezone(WIB).date()
    return dt.date(value.year, value.month, 1)


class SnapshotError(LenteraError):
    """A snapshot failed validation; ``errors`` lists every problem found (up to 20)."""

    def __init__(self, errors: Sequence[str]) -> None:
        first = errors[0] if errors else "invalid snapshot"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__("snapshot_invalid", f"{first}{more}", params={"errors": list(errors)})
        self.errors = list(errors)


# --- row models ------------------------------------------------------------------------------

#: (table, field) → code list name; shared by the row models and the column-wise checks
CODED: dict[tuple[str, str], str] = {
    ("cases", "status"): "case_status",
    ("survivors", "sex"): "sex",
    ("survivors", "age_band"): "age_band",
    ("survivors", "trafficking_status"): "trafficking_status",
    ("survivors", "exploitation_types"): "exploitation_type",
    ("survivors", "sector"): "sector",
    ("survivors", "recruitment_method"): "recruitment_method",
    ("survivors", "means_of_control"): "means_of_control",
    ("events", "stage"): "event_stage",
    ("screenings", "list"): "screening_list",
    ("screenings", "outcome"): "screening_outcome",
    ("referrals", "provider_type"): "provider_type",
    ("referrals", "status"): "referral_status",
    ("legal_steps", "step"): "legal_step",
    ("perpetrators", "kind"): "perpetrator_kind",
    ("perpetrators", "sex"): "sex",
}
#: optional codes: the empty string means "not recorded"
OPTIONAL_CODES = {("survivors", "sector"), ("survivors", "recruitment_method")}
MONTH_FIELDS = {
    "cases": ("opened_month", "closed_month"),
    "events": ("month",),
    "screenings": ("month",),
    "legal": ("month",),
    "referrals": ("created_month",),
    "legal_steps": ("month",),
}


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)
    table: ClassVar[str] = ""

    @field_validator("*", mode="after")
    @classmethod
    def _codes(cls, value: Any, info: Any) -> Any:
        name = CODED.get((cls.table, info.field_name))
        if name is None:
            return value
        allowed = codes()[name]
        values = value if isinstance(value, list) else [value]
        for item in values:
            if item == "" and (cls.table, info.field_name) in OPTIONAL_CODES:
                continue
            if item not in allowed:
                raise ValueError(f"{item!r} is not one of {', '.join(allowed)}")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _months(cls, value: Any, info: Any) -> Any:
        if (
            info.field_name in MONTH_FIELDS.get(cls.table, ())
            and value is not None
            and value.day != 1
        ):
            raise ValueError("months are the first day of the month (no exact dates)")
        return value


def _iso_country(value: str) -> str:
    if value and value not in reference.countries():
        raise ValueError(f"{value!r} is not an ISO 3166 alpha-2 country code")
    return value


#: an ISO 3166 alpha-2 code, or empty for "not recorded"
CountryCode = Annotated[str, Field(pattern=r"^([A-Z]{2})?$"), AfterValidator(_iso_country)]


def _key() -> Any:
    return Field(pattern=KEY_PATTERN)


class CaseRow(_Row):
    """One case: organisation, month opened/closed, status, year of the offence."""

    table: ClassVar[str] = "cases"
    case_key: str = _key()
    org_code: str = _key()
    opened_month: dt.date
    closed_month: dt.date | None = None
    status: str
    offence_year: int | None = Field(default=None, ge=1990, le=2100)


class SurvivorRow(_Row):
    """One survivor in one case, de-identified."""

    table: ClassVar[str] = "survivors"
    survivor_key: str = _key()
    person_key: str = _key()
    case_key: str = _key()
    sex: str = "unknown"
    age_band: str = "unknown"
    is_child: bool | None = None
    citizenship: CountryCode = ""
    origin_province_code: str = Field(default="", pattern=r"^(\d{2})?$")
    origin_regency_code: str = Field(default="", pattern=r"^(\d{4})?$")
    trafficking_status: str = "possible_victim"
    exploitation_types: list[str] = Field(default_factory=list)
    sector: str = ""
    recruitment_method: str = ""
    means_of_control: list[str] = Field(default_factory=list)
    is_migrant_worker: bool | None = None
    destination_country: CountryCode = ""

    @field_validator("origin_province_code")
    @classmethod
    def _province(cls, value: str) -> str:
        if value and value not in reference.provinces():
            raise ValueError(f"{value!r} is not a BPS province code")
        return value

    @field_validator("origin_regency_code")
    @classmethod
    def _regency(cls, value: str) -> str:
        if value and value not in reference.regencies():
            raise ValueError(f"{value!r} is not a BPS regency/city code")
        return value


class EventRow(_Row):
    """A recruitment, transit or exploitation event of a case, by month and place."""

    table: ClassVar[str] = "events"
    case_key: str = _key()
    stage: str
    month: dt.date | None = None
    country: str = Field(default="", pattern=r"^([A-Z]{2})?$")
    region_code: str = Field(default="", pattern=r"^(\d{2}|\d{4})?$")


class ScreeningRow(_Row):
    """One stored ILO/EC screening of a survivor: indicator list and outcome."""

    table: ClassVar[str] = "screenings"
    survivor_key: str = _key()
    month: dt.date
    list: str
    outcome: str


class LegalRow(_Row):
    """One stored legal qualification: Palermo and national law met, alignment gap."""

    table: ClassVar[str] = "legal"
    survivor_key: str = _key()
    month: dt.date
    palermo_met: bool | None = None
    national_met: bool | None = None
    gap: bool = False


class ReferralRow(_Row):
    """One referral of a survivor to a service provider."""

    table: ClassVar[str] = "referrals"
    referral_key: str = _key()
    case_key: str = _key()
    survivor_key: str | None = Field(default=None, pattern=KEY_PATTERN)
    provider_key: str = _key()
    provider_type: str
    services: list[str] = Field(default_factory=list)
    created_month: dt.date
    status: str
    days_to_accept: int | None = Field(default=None, ge=0, le=3650)
    overdue: bool = False

    @field_validator("services")
    @classmethod
    def _services(cls, value: list[str]) -> list[str]:
        for item in value:
            if not re.match(SERVICE_PATTERN, item):
                raise ValueError(f"service {item!r} is not a code ({SERVICE_PATTERN})")
        return value


class LegalStepRow(_Row):
    """One recorded step of the criminal process (restitution amounts in rupiah)."""

    table: ClassVar[str] = "legal_steps"
    case_key: str = _key()
    survivor_key: str | None = Field(default=None, pattern=KEY_PATTERN)
    step: str
    month: dt.date
    amount: int | None = Field(default=None, ge=0)


class PerpetratorRow(_Row):
    """One perpetrator of a case: kind, sex, nationality and two flags; no name."""

    table: ClassVar[str] = "perpetrators"
    perpetrator_key: str = _key()
    case_key: str = _key()
    kind: str = "individual"
    sex: str = "unknown"
    nationality: CountryCode = ""
    is_state_official: bool | None = None
    is_organised_group: bool | None = None


MODELS: dict[str, type[_Row]] = {
    "cases": CaseRow,
    "survivors": SurvivorRow,
    "events": EventRow,
    "screenings": ScreeningRow,
    "legal": LegalRow,
    "referrals": ReferralRow,
    "legal_steps": LegalStepRow,
    "perpetrators": PerpetratorRow,
}

_S, _D, _B, _I = pa.string(), pa.date32(), pa.bool_(), pa.int32()
ARROW_SCHEMAS: dict[str, pa.Schema] = {
    "cases": pa.schema(
        [
            ("case_key", _S),
            ("org_code", _S),
            ("opened_month", _D),
            ("closed_month", _D),
            ("status", _S),
            ("offence_year", _I),
        ]
    ),
    "survivors": pa.schema(
        [
            ("survivor_key", _S),
            ("person_key", _S),
            ("case_key", _S),
            ("sex", _S),
            ("age_band", _S),
            ("is_child", _B),
            ("citizenship", _S),
            ("origin_province_code", _S),
            ("origin_regency_code", _S),
            ("trafficking_status", _S),
            ("exploitation_types", pa.list_(_S)),
            ("sector", _S),
            ("recruitment_method", _S),
            ("means_of_control", pa.list_(_S)),
            ("is_migrant_worker", _B),
            ("destination_country", _S),
        ]
    ),
    "events": pa.schema(
        [("case_key", _S), ("stage", _S), ("month", _D), ("country", _S), ("region_code", _S)]
    ),
    "screenings": pa.schema([("survivor_key", _S), ("month", _D), ("list", _S), ("outcome", _S)]),
    "legal": pa.schema(
        [
            ("survivor_key", _S),
            ("month", _D),
            ("palermo_met", _B),
            ("national_met", _B),
            ("gap", _B),
        ]
    ),
    "referrals": pa.schema(
        [
            ("referral_key", _S),
            ("case_key", _S),
            ("survivor_key", _S),
            ("provider_key", _S),
            ("provider_type", _S),
            ("services", pa.list_(_S)),
            ("created_month", _D),
            ("status", _S),
            ("days_to_accept", _I),
            ("overdue", _B),
        ]
    ),
    "legal_steps": pa.schema(
        [
            ("case_key", _S),
            ("survivor_key", _S),
            ("step", _S),
            ("month", _D),
            ("amount", pa.int64()),
        ]
    ),
    "perpetrators": pa.schema(
        [
            ("perpetrator_key", _S),
            ("case_key", _S),
            ("kind", _S),
            ("sex", _S),
            ("nationality", _S),
            ("is_state_official", _B),
            ("is_organised_group", _B),
        ]
    ),
}
#: columns that may not be NULL in column-wise loading (the rest are nullable)
REQUIRED = {
    "cases": ("case_key", "org_code", "opened_month", "status"),
    "survivors": ("survivor_key", "person_key", "case_key", "sex", "age_band"),
    "events": ("case_key", "stage"),
    "screenings": ("survivor_key", "month", "list", "outcome"),
    "legal": ("survivor_key", "month", "gap"),
    "referrals": (
        "referral_key",
        "case_key",
        "provider_key",
        "provider_type",
        "created_month",
        "status",
        "overdue",
    ),
    "legal_steps": ("case_key", "step", "month"),
    "perpetrators": ("perpetrator_key", "case_key", "kind", "sex"),
}
UNIQUE = {
    "cases": "case_key",
    "survivors": "survivor_key",
    "referrals": "referral_key",
    "perpetrators": "perpetrator_key",
}
FOREIGN = (
    ("survivors", "case_key", "cases", "case_key"),
    ("events", "case_key", "cases", "case_key"),
    ("screenings", "survivor_key", "survivors", "survivor_key"),
    ("legal", "survivor_key", "survivors", "survivor_key"),
    ("referrals", "case_key", "cases", "case_key"),
    ("referrals", "survivor_key", "survivors", "survivor_key"),
    ("legal_steps", "case_key", "cases", "case_key"),
    ("legal_steps", "survivor_key", "survivors", "survivor_key"),
    ("perpetrators", "case_key", "cases", "case_key"),
)


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
    key_fields += ["org_code"] if name == "cases" else []
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
    if name == "survivors":
        out.append(
            (
                "origin_province_code",
                "NOT list_contains(?, coalesce(origin_province_code, ''))",
                [["", *reference.provinces()]],
            )
        )
        out.append(
            (
                "origin_regency_code",
                "NOT list_contains(?, coalesce(origin_regency_code, ''))",
                [["", *reference.regencies()]],
            )
        )
        out += [_country("citizenship"), _country("destination_country")]
        out.append(
            ("is_child", "is_child = false AND list_contains(['0-8', '9-17'], age_band)", [])
        )
        out.append(
            (
                "origin_regency_code",
                "origin_regency_code <> '' AND origin_province_code <> '' AND left(origin_regency_code, 2) <> origin_province_code",
                [],
            )
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
    return out


def _validate_columns(tables: Mapping[str, pa.Table]) -> list[str]:
    con = duckdb.connect()
    errors: list[str] = []
    try:
        for name in TABLES:
            con.register(f"t_{name}", tables[name])
        for name in TABLES:
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
