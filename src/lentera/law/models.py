"""The ``lentera.qualification/1`` output document as pydantic models (for the schema and checks)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["QUALIFICATION_SCHEMA", "QualificationResult"]

QUALIFICATION_SCHEMA = "lentera.qualification/1"

ElementValue = Literal["met", "missing", "unknown", "not_required"]
GapCode = Literal[
    "child_means_required",
    "means_not_in_national_law",
    "result_required",
    "purpose_outside_palermo",
    "purpose_outside_national_law",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PenaltyRange(_Strict):
    """Penalty after aggravations: months of prison, rupiah of fine."""

    prison_min_months: int = Field(ge=0)
    prison_max_months: int | None = Field(
        ge=0, description="null where life imprisonment is the maximum"
    )
    life: bool
    fine_min_idr: int = Field(ge=0)
    fine_max_idr: int = Field(ge=0)
    cumulative: bool = Field(description='true: prison AND fine ("dan"); false: "dan/atau"')


class Charge(_Strict):
    """One offence considered, with its elements."""

    id: str = Field(pattern=r"^[A-Z0-9-]+:[0-9A-Za-z.]+$")
    met: bool | None = Field(
        description="true: all elements met; false: one missing; null: hinges on unknown facts"
    )
    elements: dict[str, ElementValue]
    missing: list[str]
    unknown: list[str] = []
    aggravations: list[str] = []
    penalty: PenaltyRange | None = None


class Palermo(_Strict):
    trafficking: bool | None
    means_required: bool | None
    elements: dict[str, ElementValue]
    missing: list[str]
    unknown: list[str]


class Indonesia(_Strict):
    tppo: bool | None
    charges: list[Charge]
    alternatives: list[Charge]


class Gap(_Strict):
    code: GapCode
    charges: list[str]


class Explanation(_Strict):
    code: str
    params: dict[str, Any]


class QualificationResult(_Strict):
    """A legal qualification of one case's facts."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: Literal["lentera.qualification/1"] = Field(
        default="lentera.qualification/1", alias="schema", serialization_alias="schema"
    )
    rule_set: str
    victim_is_child: bool | None
    palermo: Palermo
    indonesia: Indonesia
    gaps: list[Gap]
    explanations: list[Explanation]
