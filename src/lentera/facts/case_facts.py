"""The ``lentera.case-facts/1`` document as frozen pydantic models.

Unknown is not false: every boolean may be ``None`` and every list holds only
what was established. Documents with fields the contract does not define are
rejected, with the offending field named.
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
)

from lentera.errors import LenteraError
from lentera.facts.vocab import Act, Harm, Means, Purpose, Sex

__all__ = [
    "CASE_FACTS_SCHEMA",
    "CaseFacts",
    "Exploitation",
    "MigrantWork",
    "Movement",
    "Perpetrator",
    "Victim",
    "format_validation_error",
    "parse_case_facts",
    "parse_document",
]

CASE_FACTS_SCHEMA = "lentera.case-facts/1"
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


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Victim(_Frozen):
    """The person the facts are about."""

    age_at_offence: Annotated[StrictInt, Field(ge=0, le=120)] | None = None
    sex: Sex | None = None
    citizenship: CountryCode | None = None
    disability: OptBool = None


class Movement(_Frozen):
    """Where the person was recruited and taken to."""

    origin_country: CountryCode | None = None
    destination_country: CountryCode | None = None
    origin_region: RegionCode | None = None
    destination_region: RegionCode | None = None
    crossed_regions_within_indonesia: OptBool = None


class Exploitation(_Frozen):
    """The exploitation intended (purposes) and whether it occurred."""

    purposes: tuple[Purpose, ...] = ()
    occurred: OptBool = None


class Perpetrator(_Frozen):
    """Facts about any perpetrator in the case."""

    state_official: OptBool = None
    corporation: OptBool = None
    organised_group: OptBool = None
    parent_or_guardian: OptBool = None
    individual_placing_migrant_workers: OptBool = None


class MigrantWork(_Frozen):
    """Facts relevant to UU 18/2017 on Indonesian migrant workers (PPMI)."""

    is_migrant_worker: OptBool = None
    documents_falsified: OptBool = None
    age_falsified: OptBool = None
    job_differs_from_contract: OptBool = None
    placed_in_closed_country: OptBool = None


class CaseFacts(_Frozen):
    """A case's facts as the screening and legal engines read them."""

    schema_: Literal["lentera.case-facts/1"] = Field(
        default="lentera.case-facts/1", alias="schema", serialization_alias="schema"
    )
    case_ref: str | None = None
    offence_date: dt.date | None = None
    victim: Victim = Victim()
    movement: Movement = Movement()
    acts: tuple[Act, ...] = ()
    means: tuple[Means, ...] = ()
    exploitation: Exploitation = Exploitation()
    harm: tuple[Harm, ...] = ()
    perpetrator: Perpetrator = Perpetrator()
    migrant_work: MigrantWork = MigrantWork()
    indicators: tuple[IndicatorId, ...] = ()

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

    def to_json_dict(self) -> dict[str, Any]:
        """The document as plain JSON-ready data, keys as in the contract."""
        return self.model_dump(mode="json", by_alias=True)


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
