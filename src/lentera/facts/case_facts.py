"""The ``lentera.case-facts/1.1`` document (and ``/1``) as frozen pydantic models.

Unknown is not false: every boolean may be ``None`` and every list holds only
what was established. Documents with fields the contract does not define are
rejected, with the offending field named.

Version 1.1 is additive: it adds the facts the statutes ask for that /1 could
not express (``FIELDS_1_1``). Every /1 document stays valid and means the same
(the new facts are unknown); a document that declares ``/1`` may not carry a
1.1 field. ``docs/contract/case-facts.md`` is generated from these models.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    field_validator,
    model_validator,
)

from lentera.errors import LenteraError
from lentera.facts.vocab import Act, Harm, Means, Purpose, Relation, Sex

__all__ = [
    "CASE_FACTS_SCHEMA",
    "CASE_FACTS_SCHEMAS",
    "FIELDS_1_1",
    "CaseFacts",
    "Circumstances",
    "Exploitation",
    "MigrantWork",
    "Movement",
    "Perpetrator",
    "Victim",
    "format_validation_error",
    "parse_case_facts",
    "parse_document",
]

CASE_FACTS_SCHEMA = "lentera.case-facts/1.1"
CASE_FACTS_SCHEMAS = ("lentera.case-facts/1", "lentera.case-facts/1.1")
ModelT = TypeVar("ModelT", bound=BaseModel)

CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")]
RegionCode = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{2}([0-9]{2})?$",
        description="BPS province (2 digits) or regency (4 digits) code",
    ),
]
IndicatorId = Annotated[
    str,
    Field(
        pattern=r"^(adult_labour|adult_sexual|child_labour|child_sexual)\.D[1-6]\.[a-z0-9_]+$",
        description="ILO/EC operational indicator id <list>.<dimension>.<name>",
    ),
]
OptBool = StrictBool | None


def _fact(description: str) -> Any:
    """A 1.1 boolean fact: null (unknown) by default."""
    return Field(default=None, description=f"(1.1) {description}")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Victim(_Frozen):
    """The person the facts are about."""

    age_at_offence: Annotated[StrictInt, Field(ge=0, le=120)] | None = Field(
        default=None, description="age in years when the offence began; under 18 is a child"
    )
    sex: Sex | None = Field(default=None, description="the victim's sex")
    citizenship: CountryCode | None = Field(default=None, description="ISO 3166-1 alpha-2")
    disability: OptBool = Field(default=None, description="the victim has a disability")
    pregnant: OptBool = _fact("the victim was pregnant (UU 12/2022 Pasal 15 ayat (1) huruf i)")
    unconscious_or_helpless: OptBool = _fact(
        "the victim was unconscious or helpless (pingsan atau tidak berdaya; TPKS 15(1)(j))"
    )


class Movement(_Frozen):
    """Where the person was recruited and taken to."""

    origin_country: CountryCode | None = Field(
        default=None, description="where the person was recruited"
    )
    destination_country: CountryCode | None = Field(
        default=None, description="where the person was (to be) exploited"
    )
    origin_region: RegionCode | None = Field(
        default=None, description="BPS code of the region of recruitment"
    )
    destination_region: RegionCode | None = Field(
        default=None, description="BPS code of the region of exploitation"
    )
    crossed_regions_within_indonesia: OptBool = Field(
        default=None, description="moved between Indonesian regions (UU 21/2007 Pasal 6)"
    )


class Exploitation(_Frozen):
    """The exploitation intended (purposes) and whether it occurred."""

    purposes: tuple[Purpose, ...] = Field(default=(), description="the exploitation intended")
    occurred: OptBool = Field(default=None, description="the person was actually exploited")
    child_marriage: OptBool = _fact(
        "a child was married or made to marry (perkawinan Anak; UU 12/2022 Pasal 10 ayat (2) huruf a)"
    )
    harmful_work: OptBool = _fact(
        "work harmful to a child's health, safety or morals, e.g. serving in bars or karaoke "
        "(UU 13/2003 Pasal 74 ayat (2) huruf d)"
    )


class Perpetrator(_Frozen):
    """Facts about any perpetrator in the case."""

    state_official: OptBool = Field(
        default=None, description="a perpetrator is a state official (penyelenggara negara)"
    )
    corporation: OptBool = Field(default=None, description="a perpetrator is a corporation")
    organised_group: OptBool = Field(
        default=None, description="an organised group of three or more (UU 21/2007 Pasal 16)"
    )
    parent_or_guardian: OptBool = Field(
        default=None, description="a perpetrator is the victim's parent or guardian"
    )
    individual_placing_migrant_workers: OptBool = Field(
        default=None, description="an individual (not a licensed P3MI) placed migrant workers"
    )
    abused_power: OptBool = _fact(
        "an official abused their power and the trafficking resulted from it "
        "(menyalahgunakan kekuasaan yang mengakibatkan; UU 21/2007 Pasal 8)"
    )
    relations: tuple[Relation, ...] | None = Field(
        default=None,
        description="(1.1) how perpetrators stand to the victim; null: not recorded, []: none of these",
    )
    acted_jointly: OptBool = _fact(
        "two or more perpetrators acted together (bersama-sama / bersekutu)"
    )
    repeat_offender: OptBool = _fact(
        "a perpetrator was convicted before of the same offence, or did it more than once"
    )


class Circumstances(_Frozen):
    """(1.1) Circumstances of the offence that aggravate it."""

    more_than_one_victim: OptBool = _fact("the offence had more than one victim")
    disaster_or_conflict: OptBool = _fact(
        "committed during an emergency, danger, conflict, disaster or war (TPKS 15(1)(k))"
    )
    electronic_means: OptBool = _fact("committed using electronic means (TPKS 15(1)(l))")


class MigrantWork(_Frozen):
    """Facts relevant to UU 18/2017 on Indonesian migrant workers (PPMI)."""

    is_migrant_worker: OptBool = Field(
        default=None, description="the victim is an Indonesian migrant worker"
    )
    documents_falsified: OptBool = Field(
        default=None, description="documents carried false data or were forged"
    )
    age_falsified: OptBool = Field(
        default=None, description="the age in the documents was falsified"
    )
    job_differs_from_contract: OptBool = Field(
        default=None, description="placed in a job not in the work agreement"
    )
    placed_in_closed_country: OptBool = Field(
        default=None, description="placed in a country closed to placement"
    )


class CaseFacts(_Frozen):
    """A case's facts as the screening and legal engines read them."""

    schema_: Literal["lentera.case-facts/1", "lentera.case-facts/1.1"] = Field(
        default="lentera.case-facts/1.1", alias="schema", serialization_alias="schema"
    )
    case_ref: str | None = Field(default=None, description="the case's own reference")
    offence_date: dt.date | None = Field(
        default=None, description="ISO date the offence began; decides which law applies"
    )
    victim: Victim = Victim()
    movement: Movement = Movement()
    acts: tuple[Act, ...] = Field(
        default=(), description="the acts established (Palermo Art. 3(a), UU 21/2007)"
    )
    means: tuple[Means, ...] = Field(default=(), description="the means established")
    exploitation: Exploitation = Exploitation()
    harm: tuple[Harm, ...] = Field(default=(), description="harm suffered (aggravations)")
    perpetrator: Perpetrator = Perpetrator()
    migrant_work: MigrantWork = MigrantWork()
    circumstances: Circumstances = Circumstances()
    indicators: tuple[IndicatorId, ...] = Field(
        default=(), description="ILO/EC operational indicators ticked"
    )

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, str_strip_whitespace=True
    )

    @field_validator("offence_date", mode="before")
    @classmethod
    def _iso_date_only(cls, value: Any) -> Any:
        # The contract says ISO date: refuse datetimes and numbers (pydantic would coerce them).
        if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
            return value
        if isinstance(value, str) and len(value) == 10:
            return value
        raise ValueError("must be an ISO date YYYY-MM-DD or null")

    @model_validator(mode="after")
    def _no_1_1_fields_in_1(self) -> CaseFacts:
        if self.schema_ == "lentera.case-facts/1":
            for section, name in FIELDS_1_1:
                if getattr(getattr(self, section), name) is not None:
                    raise ValueError(
                        f"{section}.{name} is a lentera.case-facts/1.1 field; "
                        "declare schema lentera.case-facts/1.1 to use it"
                    )
        return self

    def to_json_dict(self) -> dict[str, Any]:
        """The document as plain JSON-ready data, keys as in the contract (a /1 document in /1 shape)."""
        data = self.model_dump(mode="json", by_alias=True)
        if self.schema_ == "lentera.case-facts/1":
            for section, name in FIELDS_1_1:
                data[section].pop(name, None)
            data.pop("circumstances")
        return data


#: every field 1.1 added, as (section, name); in a /1 document all are null
FIELDS_1_1: tuple[tuple[str, str], ...] = (
    ("victim", "pregnant"),
    ("victim", "unconscious_or_helpless"),
    ("exploitation", "child_marriage"),
    ("exploitation", "harmful_work"),
    ("perpetrator", "abused_power"),
    ("perpetrator", "relations"),
    ("perpetrator", "acted_jointly"),
    ("perpetrator", "repeat_offender"),
    ("circumstances", "more_than_one_victim"),
    ("circumstances", "disaster_or_conflict"),
    ("circumstances", "electronic_means"),
)


def format_validation_error(exc: ValidationError) -> str:
    """One line naming the first offending field, e.g. ``victim.age_at_offence: ...``."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(document)"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


def parse_document(
    model: type[ModelT], data: str | bytes | dict[str, Any], *, code: str, noun: str
) -> ModelT:
    """Parse a contract document (JSON text or decoded object) into ``model``.

    Raises :class:`LenteraError` with ``code`` and the first offending field named.
    """
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise LenteraError(
                "invalid_json", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
            ) from exc
    if not isinstance(data, dict):
        raise LenteraError(code, f"a {noun} document must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or None
        raise LenteraError(code, format_validation_error(exc), field=field) from exc


def parse_case_facts(data: str | bytes | dict[str, Any]) -> CaseFacts:
    """Parse a case-facts document (JSON text or already-decoded object).

    Raises :class:`LenteraError` (code ``invalid_facts``) with the field named.
    """
    return parse_document(CaseFacts, data, code="invalid_facts", noun="case-facts")
