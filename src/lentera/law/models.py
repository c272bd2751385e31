"""The ``lentera.qualification/1`` output document: what :func:`lentera.law.qualify` returns.

Frozen pydantic models (:class:`lentera.facts.FrozenResult`): the engine builds them
without validation, ``to_dict()`` gives the JSON document, ``model_validate`` reads a
stored one back, and ``lentera schema qualification`` prints their JSON Schema.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from lentera.facts.results import FrozenResult

__all__ = [
    "QUALIFICATION_SCHEMA",
    "Charge",
    "ElementValue",
    "Explanation",
    "Gap",
    "Indonesia",
    "Palermo",
    "PenaltyRange",
    "PenaltyReading",
    "QualificationResult",
]

QUALIFICATION_SCHEMA = "lentera.qualification/1"

ElementValue = Literal["met", "missing", "unknown", "not_required"]
GapCode = Literal[
    "child_means_required",
    "means_not_in_national_law",
    "result_required",
    "purpose_outside_palermo",
    "purpose_outside_national_law",
]


class _Strict(FrozenResult):
    """Frozen, no extra keys (the base of every part of the document)."""


class PenaltyReading(_Strict):
    """Another reading of the same range, labelled, with what it rests on."""

    reading: str = Field(description="raised_minimum | as_enacted | ...")
    prison_min_months: int | None = Field(default=None, ge=0)
    prison_max_months: int | None = Field(default=None, ge=0)
    life: bool | None = None
    death: bool | None = None
    fine_min_idr: int | None = Field(default=None, ge=0)
    fine_max_idr: int | None = Field(default=None, ge=0)
    cumulative: bool | None = None
    combination: Literal["dan", "dan/atau", "atau"] | None = None
    source: str
    verification: Literal["verified", "unverified", "contested"]


class PenaltyRange(_Strict):
    """Penalty after aggravations: months of prison, rupiah of fine.

    The range covers every reading listed in ``alternatives`` that could lower the
    minimum; "ditambah 1/3" raises the maximum only, capped at 240 months for fixed-term
    prison (KUHP Pasal 68 ayat (4)).
    """

    prison_min_months: int = Field(ge=0)
    prison_max_months: int | None = Field(
        ge=0, description="null where life imprisonment is the maximum"
    )
    life: bool
    death: bool = False
    fine_min_idr: int = Field(ge=0)
    fine_max_idr: int = Field(ge=0)
    cumulative: bool = Field(
        description='true: prison AND fine ("dan"); false: "dan/atau" or "atau"'
    )
    combination: Literal["dan", "dan/atau", "atau"] | None = None
    capped: bool = Field(default=False, description="the 20-year cap lowered the maximum")
    regime: str = Field(default="as_enacted", description="as_enacted | uu_1_2026 | ...")
    verification: Literal["verified", "unverified"] = "verified"
    source: str = ""
    alternatives: list[PenaltyReading] = []


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
    readings: list[str] = Field(
        default=[],
        description="contested readings the result rests on (e.g. territory_place_of_act)",
    )
    unverified: list[str] = Field(
        default=[], description="articles this charge rests on whose text is not verified"
    )


# The parts below have comments, not docstrings: a docstring would enter the JSON Schema.
# The Palermo Protocol Art. 3 reading of the facts.
class Palermo(_Strict):
    trafficking: bool | None
    means_required: bool | None
    elements: dict[str, ElementValue]
    missing: list[str]
    unknown: list[str]


# Indonesian law: is a trafficking offence (TPPO) met; the charges and the alternatives.
class Indonesia(_Strict):
    tppo: bool | None
    charges: list[Charge]
    alternatives: list[Charge]


# Where Indonesian law and the Palermo Protocol differ for these facts.
class Gap(_Strict):
    code: GapCode
    charges: list[str]


# A language-neutral note: a code and its parameters (the web words them).
class Explanation(_Strict):
    code: str
    params: dict[str, Any]


class QualificationResult(_Strict):
    """A legal qualification of one case's facts."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: Literal["lentera.qualification/1"] = Field(
        default="lentera.qualification/1", alias="schema", serialization_alias="schema"
    )
    rule_set: str
    victim_is_child: bool | None
    palermo: Palermo
    indonesia: Indonesia
    gaps: list[Gap]
    explanations: list[Explanation]
