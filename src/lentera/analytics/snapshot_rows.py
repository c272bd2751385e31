"""The analytics snapshot's schema: the closed code lists, age bands, and one pydantic model and
one Arrow schema per table, with the column-wise rules (required, unique, foreign keys).

The tables and the reasons behind their shape are described in :mod:`lentera.analytics.snapshot`,
which loads and validates snapshots against this schema.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Annotated, Any, ClassVar
from zoneinfo import ZoneInfo

import pyarrow as pa
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from lentera import reference
from lentera.analytics.labels import code_lists
from lentera.errors import LenteraError
from lentera.law.process import load_process_rules

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
    out = dict(code_lists())
    # the legal-process steps are the law engine's own data, not a mirror
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
