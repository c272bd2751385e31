"""Typed values of the intake engine: problems, the intermediate records, the report."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from lentera.intake.messages import message

__all__ = [
    "CaseRecord",
    "ConsentRecord",
    "EventRecord",
    "IntakeRecord",
    "PerpetratorRecord",
    "PersonFields",
    "PersonRecord",
    "Problem",
    "SurvivorRecord",
    "ValidationReport",
]

Severity = Literal["error", "warning"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Problem(_Frozen):
    """One thing wrong (or worth a look) in an import: where, what, and a message code.

    ``row`` is the spreadsheet row number (the header is row 1; ``None`` for the
    whole file), ``column`` the header as written in the file.
    """

    row: int | None
    column: str = ""
    value: str = ""
    code: str
    params: dict[str, str | int] = Field(default_factory=dict)
    severity: Severity = "error"

    def message(self, lang: str = "id") -> str:
        """The problem in words, in ``id`` or ``en``."""
        return message(self.code, lang, self.params)


class PersonFields(BaseModel):
    """A survivor's personal data (the case store's ``Person``), every field optional.

    Declared once for both writers of a ``Person``: the intake engine's :class:`PersonRecord`
    (which requires the name) and the REST API's request body ``PersonIn`` (a patch names only
    what it changes).
    """

    full_name: str | None = None
    other_names: str | None = None
    nik: str | None = None
    birth_date: dt.date | None = None
    estimated_age: int | None = None
    sex: str | None = None
    gender: str | None = None
    citizenship: str | None = None
    origin_address: str | None = None
    origin_province_code: str | None = None
    origin_regency_code: str | None = None
    phone: str | None = None
    education: str | None = None
    marital_status: str | None = None
    number_of_children: int | None = None
    disability: bool | None = None


class PersonRecord(_Frozen, PersonFields):
    """Personal data of one survivor (fields of the case store's ``Person``)."""

    full_name: str


class SurvivorRecord(_Frozen):
    """The survivor's part in the case (fields of ``CaseSurvivor``)."""

    trafficking_status: str | None = None
    age_at_offence: int | None = None
    exploitation_types: list[str] | None = None
    sex_exploitation_types: list[str] | None = None
    sector: str | None = None
    recruitment_method: str | None = None
    recruitment_apps: list[str] | None = None
    means_of_control: list[str] | None = None
    is_migrant_worker: bool | None = None
    # case-facts 1.1
    victim_pregnant: bool | None = None
    victim_unconscious_or_helpless: bool | None = None
    child_marriage: bool | None = None
    harmful_work: bool | None = None
    perpetrators_acted_jointly: bool | None = None
    more_than_one_victim: bool | None = None
    disaster_or_conflict: bool | None = None
    electronic_means: bool | None = None


class CaseRecord(_Frozen):
    """Case-level fields (``Case``)."""

    opened_on: dt.date | None = None
    offence_date: dt.date | None = None
    status: str | None = None
    summary: str | None = None


class PerpetratorRecord(_Frozen):
    """One perpetrator (``Perpetrator``)."""

    name: str | None = None
    kind: str | None = None
    roles: list[str] | None = None
    relationship: str | None = None
    sex: str | None = None
    nationality: str | None = None
    abused_power: bool | None = None
    repeat_offender: bool | None = None


class EventRecord(_Frozen):
    """A recruitment, transit or exploitation event (``TraffickingEvent``)."""

    stage: str
    date: dt.date | None = None
    country: str | None = None
    region_code: str | None = None
    place: str | None = None
    description: str | None = None


class ConsentRecord(_Frozen):
    """What the survivor agreed to, for one purpose."""

    purpose: str
    granted: bool


class IntakeRecord(_Frozen):
    """One valid row: a survivor with their case data, ready for the case services."""

    row: int
    case_key: str
    source_uuid: str = ""
    submitted_on: dt.date | None = None
    case: CaseRecord
    person: PersonRecord
    survivor: SurvivorRecord
    perpetrator: PerpetratorRecord | None = None
    events: tuple[EventRecord, ...] = ()
    consents: tuple[ConsentRecord, ...] = ()
    note: str | None = None
    #: field name → the column it came from, as written in the file (for later reports)
    columns: dict[str, str] = Field(default_factory=dict)


class ValidationReport(BaseModel):
    """What a check found: the valid records and every problem, row by row."""

    format: str
    sha256: str = ""
    rows: int = 0
    records: list[IntakeRecord] = Field(default_factory=list)
    problems: list[Problem] = Field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    @property
    def file_error(self) -> bool:
        """True when the file itself could not be read (no row could be checked)."""
        return any(p.severity == "error" and (p.row is None or p.row <= 1) for p in self.problems)

    @property
    def rows_with_errors(self) -> set[int]:
        return {p.row for p in self.errors if p.row is not None and p.row > 1}

    def sorted_problems(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.row or 0, p.column, p.code))
