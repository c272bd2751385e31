"""Request and response bodies of the REST API."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import ConfigDict, Field

from lentera.intake.models import PersonFields


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


class CaseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: str | None = None
    opened_on: dt.date | None = None
    offence_date: dt.date | None = None
    closed_on: dt.date | None = None
    closure_reason: str | None = None
    summary: str | None = None


class CasePatch(CaseIn):
    version: int = Field(description="The version you read; a stale version is refused with 409.")


class CaseSummaryOut(Schema):
    id: int
    reference: str
    status: str
    opened_on: dt.date
    closed_on: dt.date | None
    offence_date: dt.date | None
    survivor_count: int
    version: int


class PersonIn(Schema, PersonFields):
    model_config = ConfigDict(extra="forbid")


class PersonPatch(PersonIn):
    version: int


class PersonOut(Schema):
    id: int
    full_name: str
    other_names: str
    nik: str
    birth_date: dt.date | None
    estimated_age: int | None
    sex: str
    gender: str
    citizenship: str
    origin_address: str
    origin_province_code: str
    origin_regency_code: str
    phone: str
    education: str
    marital_status: str
    number_of_children: int | None
    disability: bool | None
    version: int


class SurvivorLinkIn(Schema):
    model_config = ConfigDict(extra="forbid")

    trafficking_status: str | None = None
    age_at_offence: int | None = None
    exploitation_types: list[str] | None = None
    sex_exploitation_types: list[str] | None = None
    exploitation_occurred: bool | None = None
    sector: str | None = None
    recruitment_method: str | None = None
    recruitment_apps: list[str] | None = None
    means_of_control: list[str] | None = None
    acts: list[str] | None = None
    means: list[str] | None = None
    harm: list[str] | None = None
    is_migrant_worker: bool | None = None
    documents_falsified: bool | None = None
    age_falsified: bool | None = None
    job_differs_from_contract: bool | None = None
    placed_in_closed_country: bool | None = None


class SurvivorAddIn(Schema):
    model_config = ConfigDict(extra="forbid")

    person_id: int | None = Field(
        None, description="An already recorded survivor; or give `person`."
    )
    person: PersonIn | None = None
    link: SurvivorLinkIn | None = None


class SurvivorOut(Schema):
    id: int
    person: PersonOut
    trafficking_status: str
    age_at_offence: int | None
    exploitation_types: list[str]
    sex_exploitation_types: list[str]
    exploitation_occurred: bool | None
    sector: str
    recruitment_method: str
    recruitment_apps: list[str]
    means_of_control: list[str]
    acts: list[str]
    means: list[str]
    harm: list[str]
    version: int


class PerpetratorOut(Schema):
    id: int
    name: str
    kind: str
    roles: list[str]
    relationship: str
    sex: str
    nationality: str
    is_state_official: bool | None
    is_organised_group: bool | None


class EventOut(Schema):
    id: int
    stage: str
    date: dt.date | None
    country: str
    region_code: str
    place: str
    description: str


class CaseDetailOut(CaseSummaryOut):
    summary: str
    survivors: list[SurvivorOut]
    perpetrators: list[PerpetratorOut]
    events: list[EventOut]
