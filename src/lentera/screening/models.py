"""The ``lentera.screening/1`` output document: what :func:`lentera.screening.screen` returns.

Frozen pydantic models (:class:`lentera.facts.FrozenResult`): the engine builds them
without validation, ``to_dict()`` gives the JSON document, ``model_validate`` reads a
stored one back, and ``lentera schema screening`` prints their JSON Schema.
"""

from __future__ import annotations

import builtins
from typing import Literal

from pydantic import ConfigDict, Field

from lentera.facts.results import FrozenResult

__all__ = ["SCREENING_SCHEMA", "DimensionResult", "Outcome", "ScreeningResult"]

SCREENING_SCHEMA = "lentera.screening/1"

Outcome = Literal[
    "trafficked", "exploited_not_trafficked", "not_indicated", "insufficient_information"
]


class DimensionResult(FrozenResult):
    """Counts of the indicators observed in one dimension and whether it is positive."""

    positive: bool
    strong: int = Field(ge=0)
    medium: int = Field(ge=0)
    weak: int = Field(ge=0)
    indicators: list[str]


class ScreeningResult(FrozenResult):
    """A screening of one person's facts against one ILO/EC indicator list."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: Literal["lentera.screening/1"] = Field(
        default="lentera.screening/1", alias="schema", serialization_alias="schema"
    )
    catalogue: str = Field(description="catalogue id and version, e.g. ilo-ec-2009/1")
    list: Literal["adult_labour", "adult_sexual", "child_labour", "child_sexual"]
    dimensions: dict[Literal["D1", "D2", "D3", "D4", "D5", "D6"], DimensionResult]
    outcome: Outcome
    reasons: builtins.list[str] = Field(  # builtins: the field "list" shadows the type
        description="language-neutral reason codes; `code` or `code:param[:param]`"
    )
