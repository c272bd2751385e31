"""The analytics snapshot's schema: the closed code lists, age bands and one pydantic model per
table (the Arrow schemas and column-wise rules are :mod:`lentera.analytics.snapshot_columns`).

The tables and the reasons behind their shape are described in :mod:`lentera.analytics.snapshot`,
which loads and validates snapshots against this schema.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Annotated, Any, ClassVar
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from lentera import reference
from lentera.analytics.labels import code_lists
from lentera.errors import LenteraError
from lentera.law.process import load_process_rules

SCHEMA_VERSION = "lentera-analytics-snapshot/3"
TABLES = (
    "cases",
    "survivors",
    "events",
    "screenings",
    "legal",
    "referrals",
    "legal_steps",
    "perpetrators",
    # schema 3: the work around the case (contact log, outreach, reintegration)
    "contacts",
    "outreach",
    "reintegration",
    "followups",
    "rss_scores",
    "departures",
)
#: the tables of snapshot schema 1 and 2 (a warehouse or directory of those holds no others)
TABLES_V1 = TABLES[:6]
TABLES_V2 = TABLES[:8]
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
    ("contacts", "channel"): "contact_channel",
    ("contacts", "reporter"): "contact_reporter",
    ("contacts", "concern"): "contact_concern",
    ("contacts", "risk"): "contact_risk",
    ("contacts", "urgency"): "contact_urgency",
    ("contacts", "status"): "contact_status",
    ("contacts", "outcome"): "contact_outcome",
    ("outreach", "kind"): "outreach_kind",
    ("outreach", "topics"): "outreach_topic",
    ("reintegration", "sex"): "sex",
    ("reintegration", "age_band"): "age_band",
    ("reintegration", "supports"): "support_type",
    ("followups", "outcome"): "followup_outcome",
    ("departures", "kind"): "departure_kind",
    ("departures", "channel"): "departure_channel",
}
#: optional codes: the empty string means "not recorded"
OPTIONAL_CODES = {
    ("survivors", "sector"),
    ("survivors", "recruitment_method"),
    ("contacts", "outcome"),
}
MONTH_FIELDS = {
    "cases": ("opened_month", "closed_month"),
    "events": ("month",),
    "screenings": ("month",),
    "legal": ("month",),
    "referrals": ("created_month",),
    "legal_steps": ("month",),
    "contacts": ("month",),
    "outreach": ("month",),
    "reintegration": ("return_month",),
    "followups": ("month",),
    "rss_scores": ("month",),
    "departures": ("month",),
}
#: tables with an ``org_code`` column (checked like a key)
ORG_TABLES = ("cases", "contacts", "outreach", "reintegration")
#: tables with BPS region columns: (province column, regency column)
REGION_COLUMNS = {
    "survivors": ("origin_province_code", "origin_regency_code"),
    "contacts": ("origin_province_code", "origin_regency_code"),
    "outreach": ("province_code", "regency_code"),
    "reintegration": ("origin_province_code", "origin_regency_code"),
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


def _known(codes: Callable[[], Mapping[str, Any]], what: str) -> AfterValidator:
    """A validator that lets through an empty value or a key of ``codes()``."""

    def check(value: str) -> str:
        if value and value not in codes():
            raise ValueError(f"{value!r} is not {what}")
        return value

    return AfterValidator(check)


#: an ISO 3166 alpha-2 code, or empty for "not recorded"
CountryCode = Annotated[
    str,
    Field(pattern=r"^([A-Z]{2})?$"),
    _known(reference.countries, "an ISO 3166 alpha-2 country code"),
]


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


#: a BPS province (2 digits) or regency/city (4 digits) code, or empty for "not recorded"
ProvinceCode = Annotated[
    str, Field(pattern=r"^(\d{2})?$"), _known(reference.provinces, "a BPS province code")
]
RegencyCode = Annotated[
    str, Field(pattern=r"^(\d{4})?$"), _known(reference.regencies, "a BPS regency/city code")
]
#: an RSS score in [0, 1] (None: the dimension could not be scored)
Score = Annotated[float | None, Field(default=None, ge=0.0, le=1.0)]
Months = Annotated[int | None, Field(default=None, ge=0, le=1200)]


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
    origin_province_code: ProvinceCode = ""
    origin_regency_code: RegencyCode = ""
    trafficking_status: str = "possible_victim"
    exploitation_types: list[str] = Field(default_factory=list)
    sector: str = ""
    recruitment_method: str = ""
    means_of_control: list[str] = Field(default_factory=list)
    is_migrant_worker: bool | None = None
    destination_country: CountryCode = ""


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


class ContactRow(_Row):
    """One contact of the contact/hotline log, as codes only: no words, names or numbers."""

    table: ClassVar[str] = "contacts"
    contact_key: str = _key()
    org_code: str = _key()
    month: dt.date
    channel: str
    reporter: str
    origin_province_code: ProvinceCode = ""
    origin_regency_code: RegencyCode = ""
    concern: str = "other"
    risk: str = "medium"
    urgency: str = "normal"
    status: str = "open"
    outcome: str = ""
    missing_person: bool = False
    #: the contact was turned into a case
    converted: bool = False


class OutreachRow(_Row):
    """One prevention activity: type, month, place, topics and attendance as aggregates."""

    table: ClassVar[str] = "outreach"
    activity_key: str = _key()
    org_code: str = _key()
    month: dt.date
    kind: str
    province_code: ProvinceCode
    regency_code: RegencyCode = ""
    topics: list[str] = Field(default_factory=list)
    female_u18: int = Field(default=0, ge=0)
    female_18_35: int = Field(default=0, ge=0)
    female_36_59: int = Field(default=0, ge=0)
    female_60p: int = Field(default=0, ge=0)
    male_u18: int = Field(default=0, ge=0)
    male_18_35: int = Field(default=0, ge=0)
    male_36_59: int = Field(default=0, ge=0)
    male_60p: int = Field(default=0, ge=0)


#: the attendance columns of ``outreach``: (column, attendee sex, attendee age band)
ATTENDANCE = tuple(
    (f"{sex}_{band}", sex, band)
    for sex in ("female", "male")
    for band in ("u18", "18_35", "36_59", "60p")
)


class ReintegrationRow(_Row):
    """One survivor's reintegration plan: return month, who (bands), support received, cost."""

    table: ClassVar[str] = "reintegration"
    plan_key: str = _key()
    person_key: str = _key()
    org_code: str = _key()
    return_month: dt.date | None = None
    sex: str = "unknown"
    age_band: str = "unknown"
    origin_province_code: ProvinceCode = ""
    origin_regency_code: RegencyCode = ""
    #: kinds of support planned or given (cancelled actions left out)
    supports: list[str] = Field(default_factory=list)
    #: rupiah of the plan's actions with a recorded cost (None: no cost recorded)
    cost: int | None = Field(default=None, ge=0)
    #: whole months from return to the first sign of an income of their own
    first_income_months: Months = None


class FollowUpRow(_Row):
    """One recorded follow-up (visit or call) of a plan and its outcome."""

    table: ClassVar[str] = "followups"
    plan_key: str = _key()
    sequence: int = Field(ge=1)
    month: dt.date
    months_since_return: Months = None
    outcome: str


class RssScoreRow(_Row):
    """One Reintegration Sustainability Survey score: dimension and composite scores."""

    table: ClassVar[str] = "rss_scores"
    plan_key: str = _key()
    month: dt.date
    months_since_return: Months = None
    economic: Score = None
    social: Score = None
    psychosocial: Score = None
    composite: Score = None


class DepartureRow(_Row):
    """A later departure of a survivor: re-migration or re-exploitation, and through which channel."""

    table: ClassVar[str] = "departures"
    plan_key: str = _key()
    kind: str
    channel: str = "unknown"
    month: dt.date
    months_after_return: Months = None


MODELS: dict[str, type[_Row]] = {
    "cases": CaseRow,
    "survivors": SurvivorRow,
    "events": EventRow,
    "screenings": ScreeningRow,
    "legal": LegalRow,
    "referrals": ReferralRow,
    "legal_steps": LegalStepRow,
    "perpetrators": PerpetratorRow,
    "contacts": ContactRow,
    "outreach": OutreachRow,
    "reintegration": ReintegrationRow,
    "followups": FollowUpRow,
    "rss_scores": RssScoreRow,
    "departures": DepartureRow,
}
